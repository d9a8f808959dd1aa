"""Planning derogations: windows on the API's grid, deltas, and the two undocumented rules.

The partner API takes derogations as (date, start minute, end minute, delta)
for whole 5-minute steps of one local day. Everything here is pure: it turns
"this room at 21 degC from now for two hours" into the windows and deltas to
send, and tells what the heaters do while derogations are in force.

The document is silent on two rules; each is one constant here so a vendor
answer is a one-line change (the tests pin both behaviours):
- `SP_INCLUDES_ACTIVE_DEROGATIONS`: whether the `sp` reported by POST config
  already includes the derogations in force (the simulator says it does).
- `OVERLAPPING_DEROGATIONS_ADD_UP`: whether two derogations of one room in force
  at once add up, or the later one replaces the earlier (the simulator adds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
import math

from .models import DEROGATION_STEP, MAX_DELTA, MIN_DELTA, DerogationWindow

SP_INCLUDES_ACTIVE_DEROGATIONS = True
OVERLAPPING_DEROGATIONS_ADD_UP = True
MAX_DURATION = timedelta(hours=24)
STEP = timedelta(minutes=DEROGATION_STEP)


@dataclass(frozen=True, slots=True)
class Span:
    """A delta over [start, end), aware instants (not yet cut at midnight)."""

    start: datetime
    end: datetime
    delta: int

    def active(self, when: datetime) -> bool:
        """Whether the span is in force at this instant."""
        return self.start <= when < self.end


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from `start` to `end` (aware).

    Python subtracts two times of one zone as wall-clock times: on the night
    clocks go forward, 01:00 to 04:00 would be three hours instead of two.
    """
    return end.astimezone(UTC) - start.astimezone(UTC)


def after(start: datetime, duration: timedelta, time_zone: tzinfo) -> datetime:
    """The local time `duration` of real time after `start` (aware), across clock changes."""
    return (start.astimezone(UTC) + duration).astimezone(time_zone)


def floor_to_step(when: datetime, time_zone: tzinfo) -> datetime:
    """The instant rounded down to the API's 5-minute grid of the homes' local time."""
    local = when.astimezone(time_zone)
    minutes = (local.hour * 60 + local.minute) // DEROGATION_STEP * DEROGATION_STEP
    return local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)


def windows(start: datetime, end: datetime, time_zone: tzinfo) -> list[DerogationWindow]:
    """The API windows of [start, end): one per local day, so a midnight crossing is two.

    Both ends must be aware, on the 5-minute grid and at most 24 hours apart.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("derogation times must be aware")
    duration = elapsed(start, end)
    if duration <= timedelta(0):
        raise ValueError("a derogation must end after it starts")
    if duration > MAX_DURATION:
        raise ValueError("a derogation lasts at most 24 hours")
    for when in (start, end):
        if floor_to_step(when, time_zone) != when:
            raise ValueError("derogation times must be on 5-minute steps")
    local_start = start.astimezone(time_zone)
    midnight = datetime.combine(
        local_start.date() + timedelta(days=1), datetime.min.time(), tzinfo=time_zone
    )
    cuts = [start, end] if end <= midnight else [start, midnight, end]
    return [
        DerogationWindow.from_datetimes(first, last, time_zone=time_zone)
        for first, last in pairwise(cuts)
    ]


def in_force(deltas: Sequence[int]) -> int:
    """The delta heaters apply when these derogations (oldest first) are all in force."""
    if OVERLAPPING_DEROGATIONS_ADD_UP:
        return sum(deltas)
    return deltas[-1] if deltas else 0


def schedule_setpoint(reported: float, active_deltas: Sequence[int]) -> float:
    """The setpoint without derogations, from the reported `sp` and those in force."""
    if SP_INCLUDES_ACTIVE_DEROGATIONS:
        return reported - in_force(active_deltas)
    return reported


def effective_setpoint(schedule: float, active_deltas: Sequence[int]) -> float:
    """What the heaters aim at: the schedule's setpoint and the derogations in force now.

    From the schedule rather than the reported `sp`, so that a derogation that
    started or ended since the last read shows at once (the `sp` read then says
    nothing of it).
    """
    return schedule + in_force(active_deltas)


def target_delta(target: float, schedule: float) -> int:
    """The whole-degree delta that brings the schedule's setpoint to `target` (half up)."""
    return math.floor(target - schedule + 0.5)


def plan_target(start: datetime, end: datetime, delta: int, existing: Sequence[Span]) -> list[Span]:
    """The spans to send so that `delta` is in force over [start, end), whatever exists.

    When overlapping derogations add up, each stretch of the window gets the
    delta minus what the existing derogations there already apply (nothing is
    sent where that is zero); when the later one replaces, one span suffices.
    A needed delta outside -5..+5 raises ValueError.
    """
    if not OVERLAPPING_DEROGATIONS_ADD_UP:
        spans = [Span(start, end, delta)]
    else:
        edges = sorted(
            {start, end}
            | {when for span in existing for when in (span.start, span.end) if start < when < end}
        )
        spans = []
        for first, last in pairwise(edges):
            needed = delta - in_force([span.delta for span in existing if span.active(first)])
            if needed and spans and spans[-1].end == first and spans[-1].delta == needed:
                spans[-1] = Span(spans[-1].start, last, needed)
            elif needed:
                spans.append(Span(first, last, needed))
    for span in spans:
        if not MIN_DELTA <= span.delta <= MAX_DELTA:
            raise ValueError(f"a delta of {span.delta} is outside -5..+5")
    return spans
