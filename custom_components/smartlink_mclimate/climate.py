"""Climate entities: Home SmartLink rooms, Melissa air conditioners and Vicki valves."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .homesmartlink import climate as homesmartlink_platform
from .homesmartlink.data import HomeSmartLinkRuntimeData
from .mclimate import climate as mclimate_platform
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
        case HomeSmartLinkRuntimeData() as data:
            await homesmartlink_platform.async_setup_entry(hass, entry, data, async_add_entities)
        case MClimateRuntimeData() as data:
            await mclimate_platform.async_setup_entry(hass, entry, data, async_add_entities)
