"""Diagnostics of a partner account and of its devices, personal data redacted.

Home ids are personal data (they name a household): they are replaced by
"home 1", "home 2"... in subentry order, everywhere they appear, so a
diagnostics file still tells which data belongs to which home.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from ..const import CONF_HOME_ID
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

TO_REDACT: Final = {
    CONF_CLIENT_SECRET,
    "email",
    "first_name",
    "last_name",
    "address",
    "zip_code",
    "prm_id",
    "title",
    "unique_id",
    "token",
}


def _plain(value: Any) -> Any:
    """Models as plain data."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def _aliases(data: HomeSmartLinkRuntimeData) -> dict[str, str]:
    return {home.home_id: f"home {index}" for index, home in enumerate(data.homes.values(), 1)}


def _replace_ids(value: Any, aliases: dict[str, str]) -> Any:
    """Every home id, as a key or a value, replaced by its alias."""
    if isinstance(value, dict):
        return {
            aliases.get(key, key) if isinstance(key, str) else key: _replace_ids(item, aliases)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_replace_ids(item, aliases) for item in value]
    if isinstance(value, str):
        for home_id, alias in aliases.items():
            value = value.replace(home_id, alias)
    return value


def _home(home: HomeCoordinator) -> dict[str, Any]:
    return {
        "last_update_success": home.last_update_success,
        "update_interval": str(home.poll_interval),
        "last_exception": repr(home.last_exception) if home.last_exception else None,
        "config": _plain(home.data),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, data: HomeSmartLinkRuntimeData
) -> dict[str, Any]:
    """The account: settings, homes as last read, budget, derogations, diagnoses."""
    budget = data.client.budget
    users = data.account.data
    report = {
        "entry": {"data": dict(entry.data), "options": dict(entry.options)},
        "subentries": [
            {"subentry_type": sub.subentry_type, "title": sub.title, "data": dict(sub.data)}
            for sub in entry.subentries.values()
        ],
        "consenting_users": None if users is None else len(users),
        "budget": {"sent": budget.sent, "limit": budget.limit, "rate_limited": budget.rate_limited},
        "homes": {home.home_id: _home(home) for home in data.homes.values()},
        "derogations": [item.as_dict() for item in data.derogations.scheduled],
        "last_call": data.derogations.last_call.as_dict() if data.derogations.last_call else None,
        "diagnoses": {
            "pending": data.diagnoses.pending,
            "results": {home: asdict(result) for home, result in data.diagnoses.results.items()},
        },
    }
    return _replace_ids(async_redact_data(report, TO_REDACT), _aliases(data))  # type: ignore[no-any-return]


async def async_get_device_diagnostics(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    device: dr.DeviceEntry,
) -> dict[str, Any]:
    """The home a device belongs to, as last read (its devices of every category)."""
    homes = [home for sub, home in data.homes.items() if sub == device.config_subentry_id]
    report = {
        "device": {"name": device.name, "model": device.model, "sw_version": device.sw_version},
        "homes": [_home(home) | {CONF_HOME_ID: home.home_id} for home in homes],
    }
    return _replace_ids(async_redact_data(report, TO_REDACT), _aliases(data))  # type: ignore[no-any-return]
