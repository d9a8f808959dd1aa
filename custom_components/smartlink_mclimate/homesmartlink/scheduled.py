"""Derogations scheduled through Home Assistant, sent to the cloud and kept in a `Store`.

The API can schedule derogations but never lists them, so what Home Assistant
sent is remembered here (across restarts): the room climate entities show
what the heaters will do, the calendars show the windows, and the delivery
sensor follows the last call's triggers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from itertools import count
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..clients.homesmartlink import DerogationResult, HomeSmartLinkClient
from ..clients.homesmartlink.derogations import (
    MAX_DURATION,
    Span,
    after,
    elapsed,
    floor_to_step,
    plan_target,
    target_delta,
    windows,
)
from ..const import CONF_TIME_ZONE, DOMAIN
from .storage import account_store

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

KEEP_ENDED: Final = timedelta(days=7)
"""Ended derogations stay this long, so the calendars show the past week's."""

_ORDER = count(1)


def order() -> int:
    """The next tick of a clock that orders sends and reads (frozen time cannot)."""
    return next(_ORDER)


class Kind(StrEnum):
    """Why Home Assistant scheduled a derogation."""

    COMFORT = "comfort"  # a target temperature of a room
    LOAD_SHEDDING = "load_shedding"  # the set_derogation action


@dataclass(frozen=True, slots=True)
class Scheduled:
    """One room's derogation over one API window, as sent."""

    home_id: str
    room_id: int
    delta: int
    start: datetime
    end: datetime
    kind: str
    start_trigger: str
    end_trigger: str
    sent: int = 0
    """When it was sent, on `order`'s scale (0: before this run, so before any read)."""

    @property
    def span(self) -> Span:
        """Its delta and window, for planning."""
        return Span(self.start, self.end, self.delta)

    def as_dict(self) -> dict[str, Any]:
        """Stored form (ISO instants; `sent` means nothing after a restart)."""
        data = asdict(self)
        del data["sent"]
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scheduled:
        """Read the stored form."""
        return cls(
            **{
                **data,
                "start": datetime.fromisoformat(data["start"]),
                "end": datetime.fromisoformat(data["end"]),
            }
        )


@dataclass(frozen=True, slots=True)
class Call:
    """One POST derogations: its window and triggers, for the delivery sensor and reports."""

    start: datetime
    end: datetime
    start_trigger: str
    end_trigger: str
    rooms: int

    def as_dict(self) -> dict[str, Any]:
        """Stored form (ISO instants)."""
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Call:
        """Read the stored form."""
        return cls(
            **{
                **data,
                "start": datetime.fromisoformat(data["start"]),
                "end": datetime.fromisoformat(data["end"]),
            }
        )


def homes_time_zone(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> tzinfo:
    """The homes' zone (option), by default Home Assistant's."""
    name = entry.options.get(CONF_TIME_ZONE) or hass.config.time_zone
    return dt_util.get_time_zone(name) or dt_util.get_default_time_zone()


class DerogationManager:
    """Sends derogations and remembers them (the account's `Store`)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        client: HomeSmartLinkClient,
    ) -> None:
        """One store per account."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._store = account_store(hass, entry.entry_id, "derogations")
        self.scheduled: list[Scheduled] = []
        self.last_call: Call | None = None
        self._changed: Callable[[set[str]], None] | None = None
        self._next_boundary: CALLBACK_TYPE | None = None
        self._last_boundary = dt_util.utcnow()

    @property
    def time_zone(self) -> tzinfo:
        """The homes' zone."""
        return homes_time_zone(self._hass, self._entry)

    async def async_load(self) -> None:
        """Read what was scheduled before a restart."""
        stored = await self._store.async_load() or {}
        self.scheduled = [Scheduled.from_dict(item) for item in stored.get("scheduled", [])]
        last = stored.get("last_call")
        self.last_call = Call.from_dict(last) if last else None

    @callback
    def async_track_changes(self, changed: Callable[[set[str]], None]) -> CALLBACK_TYPE:
        """Call `changed` with the homes whose derogations were sent, start or end.

        What a derogation shows (the room's target, its sensors) changes when it is
        sent and at its start and end, not at a poll: polls that read an unchanged
        config write nothing, and a partner's home polled every five minutes still
        shows a derogation ending at the minute it ends.
        """
        self._changed = changed
        self._schedule_boundary()
        return self._stop_tracking

    @callback
    def _stop_tracking(self) -> None:
        self._changed = None
        if self._next_boundary is not None:
            self._next_boundary()
            self._next_boundary = None

    @callback
    def _schedule_boundary(self) -> None:
        if self._next_boundary is not None:
            self._next_boundary()
            self._next_boundary = None
        if self._changed is None:
            return
        after = self._last_boundary
        upcoming = [t for s in self.scheduled for t in (s.start, s.end) if t > after]
        if upcoming:
            self._next_boundary = async_track_point_in_utc_time(
                self._hass, self._at_boundary, min(upcoming)
            )

    @callback
    def _at_boundary(self, now: datetime) -> None:
        self._next_boundary = None
        after, self._last_boundary = self._last_boundary, now
        homes = {
            s.home_id for s in self.scheduled if after < s.start <= now or after < s.end <= now
        }
        if homes and self._changed is not None:
            self._changed(homes)
        self._schedule_boundary()

    def for_room(self, home_id: str, room_id: int) -> list[Scheduled]:
        """Every remembered derogation of a room, oldest first."""
        return [s for s in self.scheduled if s.home_id == home_id and s.room_id == room_id]

    def active(self, home_id: str, room_id: int, now: datetime | None = None) -> list[Scheduled]:
        """The room's derogations in force now, oldest first."""
        now = now or dt_util.utcnow()
        return [s for s in self.for_room(home_id, room_id) if s.span.active(now)]

    def read_in(
        self, home_id: str, room_id: int, read: int, read_at: datetime | None
    ) -> list[Scheduled]:
        """The room's derogations a config read already reflects.

        Those in force when it was read and sent before it: one sent since is not in
        the `sp` it reported yet, one ended since still is.
        """
        if read_at is None:
            return []
        return [
            s for s in self.for_room(home_id, room_id) if s.sent < read and s.span.active(read_at)
        ]

    async def async_send(
        self,
        rooms: Sequence[tuple[str, int]],
        start: datetime,
        end: datetime,
        delta: int,
        kind: Kind,
    ) -> list[DerogationResult]:
        """One POST derogations per local day of [start, end), every room in each."""
        results = []
        for window in windows(start, end, self.time_zone):
            result = await self._client.set_derogations(
                [window.derogation(home_id, room_id, delta) for home_id, room_id in rooms]
            )
            results.append(result)
            sent = order()
            first, last = window.start(self.time_zone), window.end(self.time_zone)
            self.scheduled.extend(
                Scheduled(
                    home_id,
                    room_id,
                    delta,
                    first,
                    last,
                    kind,
                    result.start_trigger,
                    result.end_trigger,
                    sent,
                )
                for home_id, room_id in rooms
            )
            self.last_call = Call(first, last, result.start_trigger, result.end_trigger, len(rooms))
            await self._async_save()
        if self._changed is not None:
            self._changed({home_id for home_id, _ in rooms})
        self._schedule_boundary()
        return results

    async def async_set_target(
        self,
        home_id: str,
        room_id: int,
        target: float,
        schedule: float,
        end: datetime | None,
        duration: timedelta,
        *,
        keep_end: bool = False,
    ) -> None:
        """Bring a room to `target` from now (5-minute step) until `end`, or for `duration`.

        With `keep_end`, a room already under a derogation from Home Assistant keeps its end.
        """
        now = dt_util.utcnow()
        start = floor_to_step(now, self.time_zone)
        active = self.active(home_id, room_id, now)
        if end is not None:
            end = floor_to_step(end, self.time_zone)
        elif keep_end and active:
            end = max(s.end for s in active)
        else:
            end = after(start, duration, self.time_zone)
        if not timedelta(0) < elapsed(start, end) <= MAX_DURATION:
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="invalid_end")
        existing = [s.span for s in self.for_room(home_id, room_id) if s.end > start]
        try:
            spans = plan_target(start, end, target_delta(target, schedule), existing)
        except ValueError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="delta_out_of_range",
                translation_placeholders={"error": str(err)},
            ) from err
        for span in spans:
            await self.async_send(
                [(home_id, room_id)], span.start, span.end, span.delta, Kind.COMFORT
            )

    async def _async_save(self) -> None:
        horizon = dt_util.utcnow() - KEEP_ENDED
        self.scheduled = [s for s in self.scheduled if s.end > horizon]
        await self._store.async_save(
            {
                "scheduled": [s.as_dict() for s in self.scheduled],
                "last_call": self.last_call.as_dict() if self.last_call else None,
            }
        )
