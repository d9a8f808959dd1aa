"""How loose JSON values read (the models' strategies), and how a failure is described."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import IntEnum
from typing import Any

from mashumaro.exceptions import InvalidFieldValue
import pytest

from custom_components.smartlink_mclimate.clients.homesmartlink import Derogation, HomeConfig
from custom_components.smartlink_mclimate.clients.model import MODEL_ERRORS, describe
from custom_components.smartlink_mclimate.clients.strategies import (
    Choice,
    Flag,
    Integer,
    LenientNumber,
    Number,
    Text,
    Timestamp,
    Unreadable,
    parse_datetime,
)

HUGE = 10**400  # an integer no float can hold
NOVEMBER_23 = datetime(2026, 11, 23, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Fails:
    """The strategy refuses the value with this message."""

    message: str


class Speed(IntEnum):
    """An integer enum to read."""

    SLOW = 0
    FAST = 1


# strategy, value, what it reads (or how it refuses it)
READS: list[tuple[Any, Any, Any]] = [
    (Integer(), 4, 4),
    (Integer(), 4.0, 4),
    (Integer(), " 4 ", 4),
    (Integer(), "20.0", 20),
    (Integer(), "2e1", 20),
    (Integer(), HUGE, HUGE),
    (Integer(), 4.5, Fails("expected an integer, got float")),
    (Integer(), "20,0", Fails("expected an integer, got str")),
    (Integer(decimal_comma=True), "20,0", 20),
    (Integer(), False, Fails("expected an integer, got bool")),
    (Integer(), None, Fails("required member is missing")),
    (Integer(), "inf", Fails("expected an integer, got str")),
    (Integer(minimum=0), -1, Fails("expected an integer of at least 0")),
    (Number(), " 19.5 ", 19.5),
    (Number(), 3, 3.0),
    (Number(), "19,5", Fails("expected a number, got str")),
    (Number(decimal_comma=True), "19,5", 19.5),
    (Number(), True, Fails("expected a number, got bool")),
    (Number(), "inf", Fails("expected a finite number, got str")),
    (Number(), HUGE, Fails("expected a finite number, got int")),
    (Number(), [1], Fails("expected a number, got list")),
    (LenientNumber(), "n/a", None),
    (LenientNumber(decimal_comma=True), "7,25", 7.25),
    (Flag(), True, True),
    (Flag(), 1, Fails("expected a boolean, got int")),
    (Flag(loose=True), 1, True),
    (Flag(loose=True), 0.0, False),
    (Flag(loose=True), " Off ", False),
    (Flag(loose=True), "yes", True),
    (Flag(loose=True), 2, Fails("expected a boolean, got int")),
    (Flag(loose=True), "maybe", Fails("expected a boolean, got str")),
    (Text(), "", ""),
    (Text(), 1, Fails("expected a string, got int")),
    (Text(numbers=True), 1.5, "1.5"),
    (Text(numbers=True), False, Fails("expected a string, got bool")),
    (Choice(Speed), "1", Speed.FAST),
    (Choice(Speed), 7, Fails("unknown Speed value 7")),
    (Timestamp(), "2026-11-23T09:00:00.000Z", NOVEMBER_23),
    (Timestamp(), "soon", None),
]


@pytest.mark.parametrize(("strategy", "value", "expected"), READS)
def test_strategies_read_loose_values(strategy: Any, value: Any, expected: Any) -> None:
    if isinstance(expected, Fails):
        with pytest.raises(Unreadable, match=expected.message) as err:
            strategy.deserialize(value)
        assert err.value.value is value
        return
    assert strategy.deserialize(value) == expected
    assert strategy.serialize(expected) is expected  # what is sent is already plain JSON


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-23T09:00:00.000Z", NOVEMBER_23),
        ("2026-11-23T10:00:00+01:00", NOVEMBER_23),
        ("2026-11-23T09:00:00", NOVEMBER_23),  # naive: UTC
        ("2026-11-23 09:00:00", NOVEMBER_23),  # as MClimate writes it
        (1795424400, NOVEMBER_23),  # epoch seconds
        (1795424400000, NOVEMBER_23),  # epoch milliseconds
        ("yesterday", None),
        (None, None),
        (True, None),
        (float("inf"), None),
        (10**20, None),
        ({"$date": 1}, None),
    ],
)
def test_dates_are_read_as_the_clouds_write_them(value: Any, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_failures_the_strategies_do_not_know_are_named_not_shown() -> None:
    """Mashumaro's own readers (here: a date) fail without our words: name the type only."""
    with pytest.raises(MODEL_ERRORS) as err:
        Derogation.from_dict(
            {
                "homeId": "h",
                "roomId": 1,
                "startTime": 0,
                "endTime": 5,
                "delta": 1,
                "date": "secret-ish",
            }
        )
    assert describe(err.value) == "date: unreadable (ValueError)"
    assert describe(KeyError("x")) == "unreadable (KeyError)"
    # An error mashumaro raised without a cause names the member all the same.
    bare = InvalidFieldValue("devices", tuple, [{"header": "A"}], HomeConfig)
    assert describe(bare) == "reponse: unreadable (InvalidFieldValue)"
    assert Derogation.from_dict(
        {"homeId": "h", "roomId": 1, "startTime": 0, "endTime": 5, "delta": 1, "date": "2026-11-23"}
    ).date == date(2026, 11, 23)
