"""Planning derogations, under both readings of each rule the partner document leaves open.

The integration runs on one reading of each (the simulator's); if the vendor answers
otherwise, flipping the constant must give the other behaviour: both are pinned here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.smartlink_mclimate.clients.homesmartlink import derogations
from custom_components.smartlink_mclimate.clients.homesmartlink.derogations import (
    Span,
    effective_setpoint,
    in_force,
    plan_target,
    schedule_setpoint,
    target_delta,
    windows,
)

PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, minute: int = 0) -> datetime:
    """A time of 2026-11-23 in Paris."""
    return datetime(2026, 11, 23, hour, minute, tzinfo=PARIS)


@pytest.fixture
def replacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other reading: the later of two overlapping derogations replaces the earlier."""
    monkeypatch.setattr(derogations, "OVERLAPPING_DEROGATIONS_ADD_UP", False)


def test_overlapping_derogations_add_up() -> None:
    assert in_force([2, -1]) == 1
    assert in_force([]) == 0
    assert effective_setpoint(19, [2, 1]) == 22


@pytest.mark.usefixtures("replacing")
def test_or_the_later_one_replaces() -> None:
    assert in_force([2, -1]) == -1
    assert in_force([]) == 0
    assert effective_setpoint(19, [2, 1]) == 20


def test_the_reported_setpoint_includes_the_derogations_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert schedule_setpoint(21, [2]) == 19
    monkeypatch.setattr(derogations, "SP_INCLUDES_ACTIVE_DEROGATIONS", False)
    assert schedule_setpoint(21, [2]) == 21


def test_a_target_is_the_whole_degree_delta_rounded_half_up() -> None:
    assert target_delta(21.5, 19) == 3
    assert target_delta(20.4, 19) == 1
    assert target_delta(18.5, 19) == 0


def test_adding_up_sends_what_each_stretch_still_needs() -> None:
    """+3 from 10:00 to 12:00 over +2 from 10:30 to 11:30: +1 where the +2 is, +3 around it."""
    existing = [Span(at(10, 30), at(11), 2), Span(at(11), at(11, 30), 2)]
    assert plan_target(at(10), at(12), 3, existing) == [
        Span(at(10), at(10, 30), 3),
        Span(at(10, 30), at(11, 30), 1),  # two stretches alike, one span
        Span(at(11, 30), at(12), 3),
    ]
    # What is already in force everywhere needs nothing sent.
    assert plan_target(at(10), at(11), 2, [Span(at(9), at(12), 2)]) == []


def test_adding_up_refuses_a_stretch_beyond_five_degrees() -> None:
    with pytest.raises(ValueError, match="a delta of 6 is outside"):
        plan_target(at(10), at(12), 3, [Span(at(10), at(11), -3)])


@pytest.mark.usefixtures("replacing")
def test_replacing_sends_the_target_delta_once() -> None:
    existing = [Span(at(10, 30), at(11), 2)]
    assert plan_target(at(10), at(12), 3, existing) == [Span(at(10), at(12), 3)]
    with pytest.raises(ValueError, match="outside"):
        plan_target(at(10), at(12), 6, existing)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 11, 23, 10, 0), at(11), "aware"),  # noqa: DTZ001 - naive on purpose
        (at(11), at(10), "end after it starts"),
        (at(10, 2), at(11), "5-minute steps"),
        (at(10), at(10) + timedelta(hours=24, minutes=5), "at most 24 hours"),
    ],
)
def test_windows_refuse_what_the_api_cannot_take(
    start: datetime, end: datetime, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        windows(start, end, PARIS)


def test_windows_are_local_days_whatever_zone_the_times_are_given_in() -> None:
    start = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # 23:00 in Paris
    assert [
        (w.date.isoformat(), w.start_time, w.end_time)
        for w in windows(start, start + timedelta(hours=2), PARIS)
    ] == [("2026-11-23", 1380, 1440), ("2026-11-24", 0, 60)]
