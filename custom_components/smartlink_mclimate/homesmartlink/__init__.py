"""Home SmartLink in Home Assistant: set-up of a partner account, its homes and platforms.

Set-up proves the account with the users coordinator's first refresh (or,
on a server without the users endpoint, with the homes' own config calls),
then reads at once as many homes as one minute's polling share allows (all of
them up to 90); the account's poller (`pacing`) reads the others at their
turn, so the request budget holds from the first minute on. Homes added or
removed later (subentries) join or leave the round without reloading the
account: a partner with hundreds of homes would otherwise poll them all again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_connect, async_dispatcher_send

from ..clients.budget import RequestBudget
from ..clients.homesmartlink import HomeSmartLinkClient, User
from ..const import (
    CONF_BASE_URL,
    CONF_FOLLOW_CONSENTS,
    CONF_HOME_ID,
    DEFAULT_FOLLOW_CONSENTS,
    DOMAIN,
    SUBENTRY_HOME,
)
from .consents import async_follow_consents
from .coordinator import (
    MAX_CONCURRENT_REQUESTS,
    POLLS_PER_MINUTE,
    REQUEST_BUDGET,
    AccountCoordinator,
    HomeCoordinator,
    home_interval,
    signal_home_added,
)
from .data import HomeSmartLinkRuntimeData
from .delivery import DeliveryCoordinator
from .devices import subentry_devices
from .diagnosis import DiagnosisManager
from .pacing import HomePoller, first_reads
from .scheduled import DerogationManager
from .storage import async_remove_account_stores

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

# A partner's hundreds of homes started at once would hold the loop: a hundred per turn.
HOMES_PER_TURN = 100

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.EVENT,
    Platform.SENSOR,
]


def _consent_follower(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> Callable[[list[User]], Awaitable[None]]:
    """Hand the users to the consent-following logic when the option is on."""

    async def follow(users: list[User]) -> None:
        if entry.options.get(CONF_FOLLOW_CONSENTS, DEFAULT_FOLLOW_CONSENTS):
            await async_follow_consents(hass, entry, users)

    return follow


async def async_setup_service(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> HomeSmartLinkRuntimeData:
    """Connect the partner account and read its homes."""
    client = HomeSmartLinkClient(
        async_get_clientsession(hass),
        entry.data[CONF_BASE_URL],
        entry.data[CONF_CLIENT_ID],
        entry.data[CONF_CLIENT_SECRET],
        budget=RequestBudget(REQUEST_BUDGET),
    )
    semaphore = asyncio.Semaphore(MAX_CONCURRENT_REQUESTS)
    derogations = DerogationManager(hass, entry, client)
    data = HomeSmartLinkRuntimeData(
        client=client,
        semaphore=semaphore,
        account=AccountCoordinator(hass, entry, client, semaphore, _consent_follower(hass, entry)),
        derogations=derogations,
        diagnoses=DiagnosisManager(hass, entry, client),
        delivery=DeliveryCoordinator(hass, entry, client, derogations),
        poller=HomePoller(hass, entry),
    )
    await data.account.async_config_entry_first_refresh()
    registered = subentry_devices(hass, entry)  # once, not once per hundred homes
    while True:  # a yield per hundred homes, not a wait: nothing else is awaited
        if not _sync_homes(hass, entry, data, at_most=HOMES_PER_TURN, registered=registered):
            break
        await asyncio.sleep(0)
    homes = list(data.homes.values())
    read = first_reads(len(homes))
    await asyncio.gather(*(home.async_refresh() for home in homes[:read]))
    for home in homes[:read]:
        if isinstance(home.last_exception, ConfigEntryAuthFailed):
            raise home.last_exception
    data.poller.start(homes, read)
    entry.async_on_unload(data.poller.stop)
    await derogations.async_load()

    @callback
    def derogations_changed(home_ids: set[str]) -> None:
        for home in data.homes.values():
            if home.home_id in home_ids and home.data is not None:
                home.derogation_changes += 1
                home.async_update_listeners()

    entry.async_on_unload(derogations.async_track_changes(derogations_changed))
    if derogations.last_call is not None:  # its delivery shows now, not a minute later
        entry.async_create_background_task(
            hass, data.delivery.async_refresh(), f"{DOMAIN} delivery after start"
        )
    await data.diagnoses.async_load()
    entry.async_on_unload(data.diagnoses.async_shutdown)

    @callback
    def entry_changed(change: ConfigEntryChange, changed: Any) -> None:
        if (
            changed is entry
            and change is ConfigEntryChange.UPDATED
            and entry.state is ConfigEntryState.LOADED
        ):
            before = len(data.homes)
            added = _sync_homes(hass, entry, data)
            if added or len(data.homes) != before:
                data.poller.update(list(data.homes.values()))
            # New homes are read at once while the budget's polling share allows;
            # the others wait for their turn in the round.
            spare = data.client.budget.remaining - (REQUEST_BUDGET - POLLS_PER_MINUTE)
            for home in added[: max(0, int(spare))]:
                entry.async_create_background_task(
                    hass, home.async_refresh(), f"{DOMAIN} first refresh of a new home"
                )

    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )
    return data


@callback
def _sync_homes(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    at_most: int | None = None,
    registered: dict[str | None, set[str]] | None = None,
) -> list[HomeCoordinator]:
    """Start a coordinator per new home subentry (`at_most` of them), stop those of removed ones.

    `registered` is `subentry_devices`, when the caller has it. Returns the new ones.
    """
    wanted = {
        subentry_id: subentry.data[CONF_HOME_ID]
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_HOME
    }
    for subentry_id in set(data.homes) - set(wanted):
        entry.async_create_background_task(
            hass, data.homes.pop(subentry_id).async_shutdown(), f"{DOMAIN} stop a removed home"
        )
    interval = home_interval(len(wanted))
    added: list[HomeCoordinator] = []
    if registered is None:
        registered = subentry_devices(hass, entry) if set(wanted) - set(data.homes) else {}
    for subentry_id, home_id in wanted.items():
        if subentry_id in data.homes:
            data.homes[subentry_id].poll_interval = interval
        elif at_most is None or len(added) < at_most:
            home = HomeCoordinator(
                hass,
                entry,
                data.client,
                data.semaphore,
                home_id=home_id,
                subentry_id=subentry_id,
                interval=interval,
            )
            home.devices.device_ids = registered.get(subentry_id, set())
            data.homes[subentry_id] = home
            added.append(home)
            async_dispatcher_send(hass, signal_home_added(entry.entry_id), home)
    return added


async def async_remove_service(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> None:
    """Forget the derogations and diagnoses a deleted account kept in storage."""
    await async_remove_account_stores(hass, entry.entry_id)
