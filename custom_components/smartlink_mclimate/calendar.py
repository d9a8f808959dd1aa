"""Calendars: each Home SmartLink room's week schedule and derogations."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .homesmartlink import calendar as homesmartlink_platform
from .homesmartlink.data import HomeSmartLinkRuntimeData
from .runtime import SmartLinkMClimateConfigEntry

PARALLEL_UPDATES = 0  # read-only: coordinators do the polling


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Hand the entry to the service that owns it."""
    match entry.runtime_data:
        case HomeSmartLinkRuntimeData() as data:
            await homesmartlink_platform.async_setup_entry(hass, entry, data, async_add_entities)
