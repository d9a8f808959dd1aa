"""Sensors of both services (read-only: no limit on parallel updates)."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .homesmartlink import sensor as homesmartlink_platform
from .homesmartlink.data import HomeSmartLinkRuntimeData
from .mclimate import sensor as mclimate_platform
from .mclimate.data import MClimateRuntimeData
from .runtime import SmartLinkMClimateConfigEntry

PARALLEL_UPDATES = 0  # read-only: coordinators do the polling
# Only the accounts' request-budget sensors are polled (an in-memory count, no request).
SCAN_INTERVAL = timedelta(minutes=1)


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
