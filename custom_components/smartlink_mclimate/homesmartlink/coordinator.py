"""Polling a partner account: one coordinator per home, one for the consenting users.

Each home is one `POST config` per cycle. All homes of an account share one
semaphore and one request budget, so a partner with hundreds of homes polls
them in a steady trickle instead of a burst.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from http import HTTPStatus
import math
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..clients import CloudRequestError
from ..clients.homesmartlink import HomeConfig, HomeSmartLinkClient, User
from ..const import DOMAIN, LOGGER
from ..helpers import update_errors
from .devices import HomeDevices

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

MAX_CONCURRENT_REQUESTS: Final = 4
"""Requests of one account in flight at once.

A config answer takes a few hundred milliseconds, so four in flight read 90
homes (the budget's polling share) in well under the minute, while a burst of
hundreds of parallel requests on one client would invite 429s. The benchmark
measures it.
"""

USERS_INTERVAL: Final = timedelta(hours=1)
"""Consents change rarely: reading every page of users hourly is plenty."""


def signal_home_added(entry_id: str) -> str:
    """The dispatcher signal announcing a new home coordinator of an account."""
    return f"{DOMAIN}_{entry_id}_home_added"


def home_interval(homes: int) -> timedelta:
    """The poll interval of each home so `homes` polls fit the budget's polling share."""
    per_minute = REQUEST_BUDGET * POLL_SHARE
    seconds = math.ceil(60 * homes / per_minute)
    return max(HOME_INTERVAL, timedelta(seconds=seconds))


class HomeCoordinator(DataUpdateCoordinator[HomeConfig]):
    """One home's devices and gateway (`POST config`)."""

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
        """Poll one home; `semaphore` is the account's shared concurrency bound."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"Home SmartLink home {home_id[-6:]}",
            update_interval=interval,
        )
        self.client = client
        self.home_id = home_id
        self.subentry_id = subentry_id
        self._semaphore = semaphore
        self.devices = HomeDevices(hass, entry, subentry_id, home_id)

    async def _async_update_data(self) -> HomeConfig:
        """Read the home under the account's concurrency bound."""
        async with self._semaphore:
            with update_errors():
                config = await self.client.get_home_config(self.home_id)
        self.devices.sync(config)
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
