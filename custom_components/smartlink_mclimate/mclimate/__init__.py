"""MClimate in Home Assistant: set-up of a household account and its platforms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..clients.mclimate import DEFAULT_API_URL, MClimateClient
from ..const import CONF_API_URL
from .coordinator import MClimateCoordinator
from .data import MClimateRuntimeData

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup_service(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> MClimateRuntimeData:
    """Connect the household account; its first discovery proves the token."""
    implementation = await config_entry_oauth2_flow.async_get_config_entry_implementation(
        hass, entry
    )
    oauth_session = config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)

    async def access_token() -> str:
        # No refresh token is documented: an expired token raises a reauth error here.
        await oauth_session.async_ensure_token_valid()
        return str(oauth_session.token["access_token"])

    client = MClimateClient(
        async_get_clientsession(hass),
        access_token,
        base_url=entry.data.get(CONF_API_URL, DEFAULT_API_URL),
    )
    coordinator = MClimateCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    return MClimateRuntimeData(client=client, oauth_session=oauth_session, coordinator=coordinator)


async def async_remove_service(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> None:
    """Nothing to forget: an MClimate account keeps no storage of its own."""
