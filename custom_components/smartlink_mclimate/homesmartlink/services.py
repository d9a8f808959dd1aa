"""Home SmartLink actions: derogations for many rooms, timed targets, reports, diagnosis.

Every field is checked before any request, with a translated
`ServiceValidationError` naming what is wrong: an action that fails
validation sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.climate.const import DOMAIN as CLIMATE_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID, ATTR_TEMPERATURE
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    service,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType
import probatio as vol

from ..clients.homesmartlink import models
from ..const import DOMAIN
from ..helpers import command_errors
from .data import HomeSmartLinkRuntimeData
from .scheduled import Kind

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry
    from .climate import RoomClimate

SERVICE_SET_DEROGATION: Final = "set_derogation"
SERVICE_SET_TEMPERATURE_FOR: Final = "set_temperature_for"
SERVICE_GET_DEROGATION_REPORT: Final = "get_derogation_report"
SERVICE_RUN_DIAGNOSIS: Final = "run_diagnosis"
ATTR_DELTA: Final = "delta"
ATTR_START_TIME: Final = "start_time"
ATTR_END_TIME: Final = "end_time"
ATTR_DATE: Final = "date"
ATTR_DURATION: Final = "duration"
ATTR_UNTIL_SCHEDULE_CHANGE: Final = "until_schedule_change"
ATTR_TRIGGER: Final = "trigger"
MIN_DURATION: Final = timedelta(minutes=5)
MAX_DURATION: Final = timedelta(hours=24)
STEP_MINUTES: Final = 5
MINUTES_PER_DAY: Final = 1440
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_TRIGGER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}", re.ASCII)

_LOOSE = vol.Any(str, int, float, None)
SET_DEROGATION_SCHEMA = vol.Schema(
    {
        **cv.ENTITY_SERVICE_FIELDS,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_DELTA): _LOOSE,
        vol.Required(ATTR_START_TIME): _LOOSE,
        vol.Required(ATTR_END_TIME): _LOOSE,
        vol.Optional(ATTR_DATE): _LOOSE,
    }
)
SET_TEMPERATURE_FOR_SCHEMA: Final[dict[str | vol.Marker, Any]] = {
    vol.Required(ATTR_TEMPERATURE): vol.Coerce(float),
    vol.Optional(ATTR_DURATION): cv.time_period,
    vol.Optional(ATTR_END_TIME): cv.time,
    vol.Optional(ATTR_UNTIL_SCHEDULE_CHANGE): cv.boolean,
}
REPORT_SCHEMA = vol.Schema(
    {vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string, vol.Optional(ATTR_TRIGGER): cv.string}
)
DIAGNOSIS_SCHEMA = vol.Schema({vol.Required(ATTR_DEVICE_ID): cv.string})


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the Home SmartLink actions (once, for every account)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_DEROGATION,
        _set_derogation,
        schema=SET_DEROGATION_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DEROGATION_REPORT,
        _get_report,
        schema=REPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RUN_DIAGNOSIS,
        _run_diagnosis,
        schema=DIAGNOSIS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    service.async_register_platform_entity_service(
        hass,
        DOMAIN,
        SERVICE_SET_TEMPERATURE_FOR,
        entity_domain=CLIMATE_DOMAIN,
        schema=SET_TEMPERATURE_FOR_SCHEMA,
        func=_set_temperature_for,
    )


# -- field checks ---------------------------------------------------------------------


def parse_delta(value: Any) -> int:
    """A whole number of degrees from -5 to +5."""
    if isinstance(value, bool) or (isinstance(value, str) and not value.isascii()):
        raise _invalid("invalid_delta", value=str(value))
    try:
        number = float(value)
    except TypeError, ValueError:
        raise _invalid("invalid_delta", value=str(value)) from None
    if not number.is_integer() or not models.MIN_DELTA <= number <= models.MAX_DELTA:
        raise _invalid("invalid_delta", value=str(value))
    return int(number)


def parse_minutes(field: str, value: Any) -> int:
    """A time of day on a 5-minute step as minutes since midnight ("24:00" is 1440)."""
    match = _TIME.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        raise _invalid("invalid_time", field=field, value=str(value))
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 60 + minutes
    if minutes >= 60 or seconds or total > MINUTES_PER_DAY or total % STEP_MINUTES:  # noqa: PLR2004
        raise _invalid("invalid_time", field=field, value=str(value))
    return total


def parse_date(value: Any, today: date) -> date:
    """An ISO date (YYYY-MM-DD), today by default."""
    if value is None:
        return today
    try:
        return date.fromisoformat(str(value)) if not isinstance(value, date) else value
    except ValueError:
        raise _invalid("invalid_date", value=str(value)) from None


# -- targets ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomTarget:
    """One room an action acts on, with the account that controls it."""

    entry: SmartLinkMClimateConfigEntry
    home_id: str
    room_id: int
    entity_id: str | None = None


def _loaded(hass: HomeAssistant) -> list[SmartLinkMClimateConfigEntry]:
    return [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
        and isinstance(entry.runtime_data, HomeSmartLinkRuntimeData)
    ]


def _account(hass: HomeAssistant, entry_id: str | None) -> SmartLinkMClimateConfigEntry:
    """The loaded partner account named, or the only one."""
    accounts = _loaded(hass)
    if entry_id is not None:
        accounts = [entry for entry in accounts if entry.entry_id == entry_id]
    if len(accounts) != 1:
        raise _invalid("unknown_account")
    return accounts[0]


def _data(entry: SmartLinkMClimateConfigEntry) -> HomeSmartLinkRuntimeData:
    data = entry.runtime_data
    if not isinstance(data, HomeSmartLinkRuntimeData):
        raise _invalid("unknown_account")
    return data


async def _targets(hass: HomeAssistant, call: ServiceCall) -> list[RoomTarget]:
    """Rooms of the targeted climate entities (also through devices and areas) or account."""
    registry = er.async_get(hass)
    accounts = {entry.entry_id: entry for entry in _loaded(hass)}
    targets: dict[tuple[str, int], RoomTarget] = {}
    for entity_id in sorted(await service.async_extract_entity_ids(call)):
        entity = registry.async_get(entity_id)
        if (
            entity is None
            or entity.platform != DOMAIN
            or entity.domain != CLIMATE_DOMAIN
            or entity.config_entry_id not in accounts
            or not entity.unique_id.endswith("_climate")
        ):
            continue
        home_id, room, _ = entity.unique_id.rsplit("_", 2)
        target = RoomTarget(accounts[entity.config_entry_id], home_id, int(room), entity_id)
        targets[(home_id, target.room_id)] = target
    if entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID):
        entry = _account(hass, entry_id)
        for home in _data(entry).homes.values():
            if home.last_update_success and home.data is not None:
                for room_id in home.rooms:
                    targets.setdefault(
                        (home.home_id, room_id), RoomTarget(entry, home.home_id, room_id)
                    )
    if not targets:
        raise _invalid("no_rooms")
    return list(targets.values())


# -- actions ----------------------------------------------------------------------------


async def _set_derogation(call: ServiceCall) -> ServiceResponse:
    """One POST derogations per account (per local day) for every targeted room."""
    hass = call.hass
    delta = parse_delta(call.data[ATTR_DELTA])
    start_minutes = parse_minutes(ATTR_START_TIME, call.data[ATTR_START_TIME])
    end_minutes = parse_minutes(ATTR_END_TIME, call.data[ATTR_END_TIME])
    if end_minutes <= start_minutes:
        raise _invalid("start_after_end")
    targets = await _targets(hass, call)
    by_account: dict[str, list[RoomTarget]] = {}
    for target in targets:
        by_account.setdefault(target.entry.entry_id, []).append(target)
    plans = []
    for group in by_account.values():
        manager = _data(group[0].entry).derogations
        zone = manager.time_zone
        day = parse_date(call.data.get(ATTR_DATE), dt_util.now(zone).date())
        midnight = datetime.combine(day, time(0), tzinfo=zone)
        start = midnight + timedelta(minutes=start_minutes)
        end = midnight + timedelta(minutes=end_minutes)
        if end <= dt_util.utcnow():
            raise _invalid("window_in_past")
        plans.append((group, manager, start, end))
    triggers: list[JsonValueType] = []
    for group, manager, start, end in plans:
        with command_errors(hass, group[0].entry):
            results = await manager.async_send(
                [(t.home_id, t.room_id) for t in group], start, end, delta, Kind.LOAD_SHEDDING
            )
        triggers.extend(
            {"start_trigger": result.start_trigger, "end_trigger": result.end_trigger}
            for result in results
        )
        data = _data(group[0].entry)
        for home_id in {t.home_id for t in group}:
            if home := data.home(home_id):
                await home.async_request_refresh()
        await data.delivery.async_request_refresh()
    return {
        "triggers": triggers,
        "rooms": [
            {"entity_id": t.entity_id, "home_id": t.home_id, "room_id": t.room_id} for t in targets
        ],
    }


async def _set_temperature_for(entity: RoomClimate, call: ServiceCall) -> None:
    """A target temperature for a duration, until a time, or until the schedule changes."""
    duration: timedelta | None = call.data.get(ATTR_DURATION)
    end_time: time | None = call.data.get(ATTR_END_TIME)
    until_change: bool = call.data.get(ATTR_UNTIL_SCHEDULE_CHANGE, False)
    if sum((duration is not None, end_time is not None, until_change)) > 1:
        raise _invalid("one_end_only")
    end: datetime | None = None
    if duration is not None:
        minutes = duration.total_seconds() / 60
        if not MIN_DURATION <= duration <= MAX_DURATION or minutes % STEP_MINUTES:
            raise _invalid("invalid_duration")
    elif end_time is not None:
        zone = entity.time_zone
        now = dt_util.now(zone)
        end = datetime.combine(now.date(), end_time, tzinfo=zone)
        if end <= now:
            end += timedelta(days=1)
        if end.minute % STEP_MINUTES or end.second:
            raise _invalid("invalid_time", field=ATTR_END_TIME, value=end_time.isoformat())
    elif until_change:
        end = entity.next_schedule_change()
        if end is None:
            raise _invalid("no_schedule")
    await entity.async_set_temperature_for(
        temperature=call.data[ATTR_TEMPERATURE],
        duration=duration,
        end=end,
        keep_end=duration is None and end is None,
    )


async def _get_report(call: ServiceCall) -> ServiceResponse:
    """The delivery report of a trigger (default: the last call from Home Assistant)."""
    entry = _account(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    data = _data(entry)
    trigger = call.data.get(ATTR_TRIGGER)
    if trigger is None:
        if data.derogations.last_call is None:
            raise _invalid("no_derogation")
        trigger = data.derogations.last_call.start_trigger
    elif not _TRIGGER.fullmatch(trigger):
        raise _invalid("invalid_trigger")
    with command_errors(call.hass, entry):
        report = await data.client.get_report(trigger)
    summary = report.summary
    return {
        "trigger": trigger,
        "summary": {
            "requested": summary.requested,
            "sent": summary.sent,
            "received": summary.received,
            "first": summary.first.isoformat() if summary.first else None,
            "last": summary.last.isoformat() if summary.last else None,
        },
        "details": [
            {
                "home_id": detail.home_id,
                "acknowledge": detail.acknowledge,
                "sent_at": detail.sent_at.isoformat() if detail.sent_at else None,
            }
            for detail in report.details
        ],
    }


async def _run_diagnosis(call: ServiceCall) -> ServiceResponse:
    """Ask a home (its device) for a diagnosis; returns the message id."""
    device = dr.async_get(call.hass).async_get(call.data[ATTR_DEVICE_ID])
    for entry in _loaded(call.hass):
        if device is None or device.config_entry_id != entry.entry_id:
            continue
        for home in _data(entry).homes.values():
            if home.devices.home_device_id == device.id:
                message_id = await _data(entry).diagnoses.async_request(home.home_id)
                return {"message_id": message_id}
    raise _invalid("not_a_home")
