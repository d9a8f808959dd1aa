"""Switches: Bobbie relays, smart plugs, the Melissa LED."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .mclimate import switch as mclimate_platform
from .mclimate.data import MClimateRuntimeData
from .runtime import SmartLinkMClimateConfigEntry

PARALLEL_UPDATES = 1  # one command at a time per entity: the clouds rate-limit


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Hand the entry to the service that owns it."""
    match entry.runtime_data:
        case MClimateRuntimeData() as data:
            await mclimate_platform.async_setup_entry(hass, entry, data, async_add_entities)
