"""Home SmartLink in Home Assistant: set-up of a partner account and its platforms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..clients.homesmartlink import HomeSmartLinkClient
from ..const import CONF_BASE_URL
from ..helpers import setup_errors
from .data import HomeSmartLinkRuntimeData

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

PLATFORMS: list[Platform] = []


async def async_setup_service(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> HomeSmartLinkRuntimeData:
    """Connect the partner account; the cloud must accept its credentials."""
    client = HomeSmartLinkClient(
        async_get_clientsession(hass),
        entry.data[CONF_BASE_URL],
        entry.data[CONF_CLIENT_ID],
        entry.data[CONF_CLIENT_SECRET],
    )
    with setup_errors():
        await client.get_users(page=1, size=1)
    return HomeSmartLinkRuntimeData(client=client)
