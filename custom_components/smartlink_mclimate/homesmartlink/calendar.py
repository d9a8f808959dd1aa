"""Calendar entities of Home SmartLink: a room's comfort schedule and its derogations.

The week schedule (`weekSchedule`, Prog mode only) gives "Comfort" events in
the homes' local time; derogations scheduled through Home Assistant are
events with their delta.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .entity import EntityFactories, RoomEntity, async_track_homes

COMFORT = "Comfort"
LOOKAHEAD = timedelta(days=8)  # the next event is within a week and a day
NEAR = timedelta(days=1)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a calendar per room."""

    def build(home: HomeCoordinator) -> EntityFactories:
        return {str(room_id): partial(RoomCalendar, home, room_id, data) for room_id in home.rooms}

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.CALENDAR)


class RoomCalendar(RoomEntity, CalendarEntity):
    """The room's comfort periods and Home Assistant's derogations."""

    _attr_translation_key = "schedule"
    # Off by default: at most 10 000 entities per entry are enabled, and 500 homes
    # must fit; the room's climate entity already shows its schedule.
    _attr_entity_registry_enabled_default = False

    def __init__(
        self, coordinator: HomeCoordinator, room_id: int, data: HomeSmartLinkRuntimeData
    ) -> None:
        """One room of a home."""
        super().__init__(coordinator, room_id, "calendar")
        self._data = data

    @property
    def event(self) -> CalendarEvent | None:
        """The event in progress, or the next one."""
        now = dt_util.utcnow()
        # Each state write asks: look a day ahead first (a few events, not a week's).
        for horizon in (NEAR, LOOKAHEAD):
            upcoming = [event for event in self._events(now, now + horizon) if event.end > now]
            if upcoming:
                return min(upcoming, key=lambda event: event.start)
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The events overlapping [start_date, end_date)."""
        return self._events(start_date, end_date)

    def _events(self, start: datetime, end: datetime) -> list[CalendarEvent]:
        events = self._comfort(start, end)
        events.extend(
            CalendarEvent(
                start=scheduled.start,
                end=scheduled.end,
                summary=f"Derogation {scheduled.delta:+d} °C",
                description=scheduled.kind,
            )
            for scheduled in self._data.derogations.for_room(self.home_id, self.room_id)
            if scheduled.start < end and scheduled.end > start
        )
        return sorted(events, key=lambda event: event.start)

    def _comfort(self, start: datetime, end: datetime) -> list[CalendarEvent]:
        room = self.room
        if room is None or not room.week_schedule:
            return []
        zone = self._data.derogations.time_zone
        day = start.astimezone(zone).date() - timedelta(days=1)
        events = []
        while (midnight := datetime.combine(day, datetime.min.time(), tzinfo=zone)) < end:
            for comfort in room.week_schedule[day.weekday() % len(room.week_schedule)]:
                first = midnight + timedelta(minutes=comfort.start)
                last = midnight + timedelta(minutes=comfort.end)
                if first < end and last > start:
                    events.append(CalendarEvent(start=first, end=last, summary=COMFORT))
            day += timedelta(days=1)
        return events
