"""The rules a derogation call must follow; the first violation is a 400."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
import re
from typing import Any

from simulator.problems import ProblemError

from .requests import is_int
from .state import SimHome

MINUTES_PER_DAY = 1440
DEROGATION_STEP = 5
MAX_DELTA = 5
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the documented pattern
REQUIRED = ("homeId", "roomId", "startTime", "endTime", "delta", "date")
SHARED = ("startTime", "endTime", "date")


def validate_derogations(
    body: dict[str, Any], homes: Mapping[str, SimHome]
) -> list[dict[str, Any]]:
    """The derogations of a valid body; a 400 naming the first violation otherwise."""
    items = body.get("derogations")
    if not isinstance(items, list) or not items:
        raise ProblemError(400, "'derogations' must be a non-empty array")
    for index, item in enumerate(items):
        _validate_item(f"derogations[{index}]", item, homes)
    first = items[0]
    for index, item in enumerate(items[1:], start=1):
        for name in SHARED:
            if item[name] != first[name]:
                raise ProblemError(
                    400,
                    f"derogations[{index}].{name}: all derogations must share the same "
                    "startTime, endTime and date",
                )
    return items


def _validate_item(where: str, item: Any, homes: Mapping[str, SimHome]) -> None:
    if not isinstance(item, dict):
        raise ProblemError(400, f"{where}: must be an object")
    for name in REQUIRED:
        if name not in item:
            raise ProblemError(400, f"{where}.{name} is required")
    home_id = item["homeId"]
    if not isinstance(home_id, str):
        raise ProblemError(400, f"{where}.homeId must be a string")
    home = homes.get(home_id)
    if home is None:
        raise ProblemError(400, f"{where}.homeId: unknown home {home_id}")
    room_id = item["roomId"]
    if isinstance(room_id, bool) or not isinstance(room_id, int | float):
        raise ProblemError(400, f"{where}.roomId must be a number")
    if room_id != int(room_id) or home.room(int(room_id)) is None:
        raise ProblemError(400, f"{where}.roomId: no room {room_id} in home {home_id}")
    delta = item["delta"]
    if not is_int(delta) or not -MAX_DELTA <= delta <= MAX_DELTA:
        raise ProblemError(400, f"{where}.delta must be an integer from -5 to 5")
    for name in ("startTime", "endTime"):
        value = item[name]
        if not is_int(value) or not 0 <= value <= MINUTES_PER_DAY:
            raise ProblemError(400, f"{where}.{name} must be an integer from 0 to 1440")
        if value % DEROGATION_STEP:
            raise ProblemError(400, f"{where}.{name} must be a multiple of 5")
    if item["endTime"] <= item["startTime"]:
        raise ProblemError(400, f"{where}.endTime must be after startTime")
    _validate_date(where, item["date"])


def _validate_date(where: str, value: Any) -> None:
    valid = isinstance(value, str) and FULL_DATE.fullmatch(value) is not None
    if valid:
        try:
            date.fromisoformat(value)
        except ValueError:
            valid = False
    if not valid:
        raise ProblemError(400, f"{where}.date must be an ISO 8601 full-date (YYYY-MM-DD)")


def local_instant(day: date, minutes: int, zone: tzinfo) -> datetime:
    """A derogation time (minutes into a local day; 1440 is the next midnight) in UTC."""
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    return (midnight + timedelta(minutes=minutes)).astimezone(UTC)
