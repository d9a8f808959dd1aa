"""Home SmartLink & MClimate: two heating clouds in Home Assistant.

One config entry is one account, of either service; `entry.data["service"]`
says which package sets it up and which platforms it forwards to.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from . import homesmartlink, mclimate
from .const import CONF_SERVICE, DOMAIN, Service
from .homesmartlink import services as homesmartlink_services
from .homesmartlink.data import HomeSmartLinkRuntimeData
from .mclimate.data import MClimateRuntimeData
from .runtime import SmartLinkMClimateConfigEntry

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


class _ServicePackage(Protocol):
    """What each service package provides: its set-up and the platforms of its entities."""

    PLATFORMS: list[Platform]

    async def async_setup_service(
        self, hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, /
    ) -> HomeSmartLinkRuntimeData | MClimateRuntimeData:
        """Connect the account and return its runtime data."""

    async def async_remove_service(
        self, hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, /
    ) -> None:
        """Forget what the account kept in Home Assistant's storage."""


SERVICES: dict[Service, _ServicePackage] = {
    Service.HOMESMARTLINK: homesmartlink,
    Service.MCLIMATE: mclimate,
}


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (config entries only; no YAML) and its actions."""
    homesmartlink_services.async_setup_services(hass)
    return True


def _service(entry: SmartLinkMClimateConfigEntry) -> _ServicePackage:
    """The service an entry belongs to; an unknown one is an error, not a guess."""
    try:
        return SERVICES[Service(entry.data[CONF_SERVICE])]
    except (KeyError, ValueError):
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_service",
            translation_placeholders={"service": str(entry.data.get(CONF_SERVICE))},
        ) from None


async def async_setup_entry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> bool:
    """Connect one account with its service's set-up, then forward to its platforms."""
    service = _service(entry)
    entry.runtime_data = await service.async_setup_service(hass, entry)
    # One platform per turn of the loop: forwarded together, every platform's set-up
    # (its account entities, its first home or controller) runs in one callback.
    for platform in service.PLATFORMS:
        await hass.config_entries.async_forward_entry_setups(entry, [platform])
        await asyncio.sleep(0)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> bool:
    """Unload the platforms of the entry's service."""
    return await hass.config_entries.async_unload_platforms(entry, _service(entry).PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> None:
    """The account was deleted: its service forgets what it stored."""
    if entry.data.get(CONF_SERVICE) in SERVICES:  # an unknown service stored nothing
        await _service(entry).async_remove_service(hass, entry)
