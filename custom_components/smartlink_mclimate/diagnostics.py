"""Diagnostics of an account and of its devices, from the service that owns the entry."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .homesmartlink import diagnostics as homesmartlink_diagnostics
from .homesmartlink.data import HomeSmartLinkRuntimeData
from .mclimate import diagnostics as mclimate_diagnostics
from .mclimate.data import MClimateRuntimeData
from .runtime import SmartLinkMClimateConfigEntry


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> dict[str, Any]:
    """The account's diagnostics, secrets and personal data redacted."""
    match entry.runtime_data:
        case HomeSmartLinkRuntimeData() as data:
            return await homesmartlink_diagnostics.async_get_config_entry_diagnostics(
                hass, entry, data
            )
        case MClimateRuntimeData() as data:
            return await mclimate_diagnostics.async_get_config_entry_diagnostics(hass, entry, data)


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """One device's diagnostics, secrets and personal data redacted."""
    match entry.runtime_data:
        case HomeSmartLinkRuntimeData() as data:
            return await homesmartlink_diagnostics.async_get_device_diagnostics(
                hass, entry, data, device
            )
        case MClimateRuntimeData() as data:
            return await mclimate_diagnostics.async_get_device_diagnostics(
                hass, entry, data, device
            )
