"""Home SmartLink & MClimate: two heating clouds in Home Assistant.

One config entry is one account, of either service; `entry.data["service"]`
says which backend sets it up.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_entry_oauth2_flow, config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .clients import CloudAuthenticationError, CloudError
from .clients.homesmartlink.api import HomeSmartLinkClient
from .clients.mclimate.api import DEFAULT_API_URL, MClimateClient
from .const import CONF_API_URL, CONF_BASE_URL, CONF_SERVICE, DOMAIN, Service
from .runtime import HomeSmartLinkRuntimeData, MClimateRuntimeData, SmartLinkMClimateConfigEntry

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = []


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (config entries only; no YAML)."""
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> bool:
    """Connect one account and check that the cloud accepts it before going on."""
    if entry.data[CONF_SERVICE] == Service.HOMESMARTLINK:
        entry.runtime_data = await _async_setup_homesmartlink(hass, entry)
    else:
        entry.runtime_data = await _async_setup_mclimate(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> bool:
    """Unload the platforms; the clients hold nothing else to release."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_setup_homesmartlink(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> HomeSmartLinkRuntimeData:
    client = HomeSmartLinkClient(
        async_get_clientsession(hass),
        entry.data[CONF_BASE_URL],
        entry.data[CONF_CLIENT_ID],
        entry.data[CONF_CLIENT_SECRET],
    )
    # The cheapest authenticated call proves the partner credentials still work.
    await _async_check_account(client.get_users(page=1, size=1))
    return HomeSmartLinkRuntimeData(client=client)


async def _async_setup_mclimate(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> MClimateRuntimeData:
    implementation = await config_entry_oauth2_flow.async_get_config_entry_implementation(
        hass, entry
    )
    oauth_session = config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)

    async def access_token() -> str:
        # MClimate issues no refresh token: an expired token raises a reauth error here.
        await oauth_session.async_ensure_token_valid()
        return str(oauth_session.token["access_token"])

    client = MClimateClient(
        async_get_clientsession(hass),
        access_token,
        base_url=entry.data.get(CONF_API_URL, DEFAULT_API_URL),
    )
    await _async_check_account(client.get_user())
    return MClimateRuntimeData(client=client, oauth_session=oauth_session)


async def _async_check_account(call: Awaitable[Any]) -> None:
    """Turn a failed first call into the translated error Home Assistant expects."""
    try:
        await call
    except CloudAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="authentication_failed"
        ) from err
    except CloudError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cloud_unavailable",
            translation_placeholders={"error": str(err)},
        ) from err
