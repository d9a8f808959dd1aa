"""Diagnostics of an MClimate account and of each controller, secrets and identity redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from ..const import DOMAIN
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import ControllerData
from .data import MClimateRuntimeData

TO_REDACT: Final = {
    "access_token",
    "refresh_token",
    CONF_CLIENT_SECRET,
    "mac",
    "serial_number",
    "username",
    "firstname",
    "lastname",
    "email",
    "name",
    "title",
    "unique_id",
}


def _controller(state: ControllerData) -> dict[str, Any]:
    """What is known of one controller: as listed, its data, why it fails."""
    return {
        "controller": asdict(state.controller),
        "data": asdict(state.data) if state.data is not None else None,
        "error": state.error,
        "available": state.available,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, data: MClimateRuntimeData
) -> dict[str, Any]:
    """The account: its entry, request budget, controllers and undocumented types."""
    coordinator = data.coordinator
    budget = data.client.budget
    return async_redact_data(
        {
            "entry": {"title": entry.title, "unique_id": entry.unique_id, "data": dict(entry.data)},
            "last_update_success": coordinator.last_update_success,
            "budget": {
                "limit": budget.limit,
                "sent_last_minute": budget.sent,
                "rate_limited": budget.rate_limited,
            },
            "controllers": [_controller(s) for s in coordinator.data.controllers.values()],
            "unknown_types": sorted({c.type for c in coordinator.data.unknown}),
            "unknown_controllers": [asdict(c) for c in coordinator.data.unknown],
            "assumed_ir": [
                {"serial_number": serial, **asdict(command)}
                for serial, command in coordinator.assumed_ir.items()
            ],
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    device: DeviceEntry,
) -> dict[str, Any]:
    """One controller: as listed, its last data (firmware, IP, uptime), its assumed IR state."""
    coordinator = data.coordinator
    serials = [ident for domain, ident in device.identifiers if domain == DOMAIN]
    known = [coordinator.data.controllers[s] for s in serials if s in coordinator.data.controllers]
    if not known:
        return {"controller": None}  # the account's own device, or a controller that left
    state = known[0]
    serial = state.controller.serial_number
    assumed = coordinator.assumed_ir.get(serial)
    return async_redact_data(
        {**_controller(state), "assumed_ir": asdict(assumed) if assumed else None}, TO_REDACT
    )
