"""Polling a partner account: one coordinator per home, one for the consenting users.

Each home is one `POST config` per cycle. Homes have no timer of their own:
the account's `pacing.HomePoller` gives each its turn, so a partner with
hundreds of homes polls them in a steady trickle within the request budget
instead of a burst, and all share one semaphore bounding requests in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from http import HTTPStatus
import math
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from ..clients import CloudRequestError
from ..clients.homesmartlink import Device, HomeConfig, HomeSmartLinkClient, User
from ..const import DOMAIN, LOGGER
from ..helpers import update_errors
from .devices import HomeDevices
from .rooms import Room, heaters, rooms
from .scheduled import order

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

HOME_INTERVAL: Final = timedelta(seconds=60)
"""How often a home is read when the account is small enough to afford it."""

REQUEST_BUDGET: Final = 120
"""Requests a minute one partner account may send; the cloud publishes no limit.

Two a second is what a partner backend comfortably serves per client. Polling
may use `POLL_SHARE` of it; the rest stays free for commands, delivery reports
and diagnoses, so a large account's polls never crowd out a load-shedding call.
"""

POLL_SHARE: Final = 0.75
POLLS_PER_MINUTE: Final = REQUEST_BUDGET * POLL_SHARE

MAX_CONCURRENT_REQUESTS: Final = 4
"""Requests of one account in flight at once.

Polls come one slot at a time (`pacing`), so this bounds only set-up's first
reads (one minute's polling share, 90 homes: about 2 s at 100 ms a request)
and commands arriving together. Four in flight never sends more than the
budget allows in a minute, and a burst of hundreds of parallel requests on
one client would invite 429s. The benchmark measures it.
"""

USERS_INTERVAL: Final = timedelta(hours=1)
"""Consents change rarely: reading every page of users hourly is plenty."""


def signal_home_added(entry_id: str) -> str:
    """The dispatcher signal announcing a new home coordinator of an account."""
    return f"{DOMAIN}_{entry_id}_home_added"


def home_interval(homes: int) -> timedelta:
    """The poll interval of each home so `homes` polls fit the budget's polling share."""
    seconds = math.ceil(60 * homes / POLLS_PER_MINUTE)
    return max(HOME_INTERVAL, timedelta(seconds=seconds))


class HomeCoordinator(DataUpdateCoordinator[HomeConfig]):
    """One home's devices and gateway (`POST config`), read when the account's poller says.

    Listeners hear of every poll, not only of changes: some states move with
    time alone (a gateway that stopped pinging). Home Assistant writes no state
    that did not change; the device registry is only touched when the config did.
    """

    config_entry: SmartLinkMClimateConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        client: HomeSmartLinkClient,
        semaphore: asyncio.Semaphore,
        *,
        home_id: str,
        subentry_id: str,
        interval: timedelta,
    ) -> None:
        """Read one home; `semaphore` is the account's shared concurrency bound."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"Home SmartLink home {home_id[-6:]}",
            # An unchanged config writes nothing; what changes with time alone (a
            # derogation's start and end, a gateway's ping ageing) has its own timer.
            always_update=False,
        )
        self.client = client
        self.home_id = home_id
        self.subentry_id = subentry_id
        self.poll_interval = interval
        self.retry_at = 0.0
        """Loop time before which the cloud asked not to be polled again (429)."""
        self._semaphore = semaphore
        self.devices = HomeDevices(hass, entry, subentry_id, home_id)
        # When the config last read was asked for (`scheduled.order`) and at what time:
        # which derogations its `sp` reflects.
        self.read = 0
        self.read_at: datetime | None = None
        self.derogation_changes = 0
        """Counts the derogations of this home sent, started or ended (entities rewrite)."""
        # Rooms and heaters of the config last read, worked out once for every entity.
        self._parsed: tuple[HomeConfig, dict[int, Room], dict[str, Device]] | None = None

    def _parse(self) -> tuple[dict[int, Room], dict[str, Device]]:
        if self._parsed is None or self._parsed[0] is not self.data:
            known = self.devices.known_heaters
            self._parsed = (self.data, rooms(self.data, known), heaters(self.data, known))
        return self._parsed[1], self._parsed[2]

    @property
    def rooms(self) -> dict[int, Room]:
        """The home's rooms as last read, by room id (read once per config, not per entity)."""
        return self._parse()[0]

    @property
    def heaters(self) -> dict[str, Device]:
        """The home's heating devices as last read, by header."""
        return self._parse()[1]

    async def _async_update_data(self) -> HomeConfig:
        """Read the home under the account's concurrency bound."""
        try:
            async with self._semaphore:
                read, read_at = order(), dt_util.utcnow()
                with update_errors():
                    config = await self.client.get_home_config(self.home_id)
        except UpdateFailed as err:
            if err.retry_after is not None:
                self.retry_at = self.hass.loop.time() + err.retry_after
            raise
        self.read, self.read_at = read, read_at
        if config != self.data:
            await self.devices.async_sync(config)
        else:
            self.devices.unchanged()
        return config


class AccountCoordinator(DataUpdateCoordinator[list[User] | None]):
    """The partner's consenting users (`GET users`, every page), at most hourly.

    Its first refresh proves the account at set-up. A server older than API
    0.3.3 answers 404 there: the data is then None and the homes' own config
    calls prove the credentials.
    """

    config_entry: SmartLinkMClimateConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        client: HomeSmartLinkClient,
        semaphore: asyncio.Semaphore,
        follow: Callable[[list[User]], Awaitable[None]],
    ) -> None:
        """`follow` is called with the users after each refresh that read them."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name="Home SmartLink consenting users",
            update_interval=USERS_INTERVAL,
        )
        self.client = client
        self._semaphore = semaphore
        self._follow = follow

    async def _async_update_data(self) -> list[User] | None:
        """Every consenting user, or None when the server has no users endpoint."""
        async with self._semaphore:
            with update_errors():
                try:
                    users = await self.client.get_all_users()
                except CloudRequestError as err:
                    if err.status != HTTPStatus.NOT_FOUND:
                        raise
                    LOGGER.debug("The partner API has no users endpoint (before API 0.3.3)")
                    return None
        await self._follow(users)
        return users
