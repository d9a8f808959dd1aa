"""The shared JSON reader: its value helpers and the options of its dialect."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import pytest

from custom_components.smartlink_mclimate.clients import CloudResponseError
from custom_components.smartlink_mclimate.clients.reader import (
    JsonObject,
    as_bool,
    as_float,
    as_int,
    as_text,
)

HUGE = 10**400  # an integer no float can hold


class Loose(JsonObject):
    """Every option of the dialect turned the other way."""

    LOOSE_FLAGS = True
    BLANK_IS_MISSING = True
    NUMBERS_AS_TEXT = True
    DECIMAL_COMMA = True


class Speed(IntEnum):
    """An integer enum to read."""

    SLOW = 0
    FAST = 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [(" 19.5 ", 19.5), ("19,5", None), (3, 3.0), (True, None), ("inf", None), (HUGE, None)],
)
def test_as_float(value: Any, expected: float | None) -> None:
    assert as_float(value) == expected


def test_as_float_decimal_comma() -> None:
    assert as_float("19,5", decimal_comma=True) == 19.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, 4), (4.0, 4), (" 4 ", 4), ("4.0", None), (4.5, None), (False, None), (None, None)],
)
def test_as_int(value: Any, expected: int | None) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize(
    ("value", "strict", "loose"),
    [(True, True, True), (1, None, True), (0.0, None, False), (" Off ", None, False)],
)
def test_as_bool(value: Any, strict: bool | None, loose: bool | None) -> None:
    assert (as_bool(value), as_bool(value, loose=True)) == (strict, loose)
    assert as_bool("maybe", loose=True) is None


def test_as_text() -> None:
    assert (as_text(""), as_text(1), as_text(1, numbers=True)) == ("", None, "1")
    assert as_text(False, numbers=True) is None


def test_strict_dialect() -> None:
    read = JsonObject({"n": "", "big": HUGE, "flag": 1, "x": "20.0", "e": 7}, "obj")
    assert read.opt_text("n") == ""
    with pytest.raises(CloudResponseError, match=r"obj\.n: expected an integer, got str"):
        read.opt_integer("n")
    assert read.integer("x") == 20  # a whole number in any form
    with pytest.raises(CloudResponseError, match=r"obj\.big: expected a finite number, got int"):
        read.number("big")
    with pytest.raises(CloudResponseError, match=r"obj\.flag: expected a boolean, got int"):
        read.flag("flag")
    with pytest.raises(CloudResponseError, match=r"obj\.e: unknown Speed value 7"):
        read.enum("e", Speed)
    assert read.opt_number("x", strict=False) == 20.0
    assert read.opt_number("flag", strict=False) == 1.0


def test_loose_dialect() -> None:
    read = Loose({"n": "", "flag": "on", "x": "2e1", "t": 1.5, "a": {}, "e": "1"}, "obj")
    assert (read.opt_text("n"), read.opt_integer("n"), read.opt_flag("n")) == ("", None, None)
    assert (read.flag("flag"), read.integer("x"), read.text("t")) == (True, 20, "1.5")
    assert read.enum("e", Speed) is Speed.FAST
    with pytest.raises(CloudResponseError, match=r"obj\.n: required member is missing"):
        read.number("n")
    with pytest.raises(CloudResponseError, match=r"obj\.flag: expected an integer, got str"):
        read.integer("flag")
    with pytest.raises(CloudResponseError, match=r"obj\.a: expected an array, got dict"):
        read.array("a")
    assert read.array("n", required=False) == ()


def test_nested_objects_keep_the_dialect_and_the_path() -> None:
    read = Loose({"child": {"v": "yes"}, "none": None}, "obj")
    child = read.opt_object("child")
    assert isinstance(child, Loose)
    assert (child.where, child.flag("v"), read.opt_object("none")) == ("obj.child", True, None)
