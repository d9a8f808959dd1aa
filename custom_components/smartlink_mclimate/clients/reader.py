"""Typed, lenient reading of the JSON objects both clouds answer with.

`JsonObject` wraps one decoded object and hands out its members as Python
types: numbers may arrive as text, null reads as missing, unknown members are
ignored. What cannot be read (a required member missing, a member of the wrong
type) raises `CloudResponseError` naming the member, so a drifted cloud fails
loudly.

The clouds are loose in different ways, so the class attributes of
`JsonObject` form a dialect: a client subclasses it to set what its cloud
needs (how loose booleans are, whether "" means missing, how errors read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from enum import IntEnum
import math
from typing import Any, ClassVar, Self

from .errors import CloudResponseError

_EPOCH_MS_THRESHOLD = 10**11  # larger epoch numbers are milliseconds
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})


def type_name(value: Any) -> str:
    """How errors name the type of a value ("null" for None)."""
    return "null" if value is None else type(value).__name__


def _parse_float(value: Any, *, decimal_comma: bool) -> float | None:
    """A number, possibly infinite or NaN, from a number or numeric text; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float
            return math.inf
    if not isinstance(value, str):
        return None
    text = value.strip()
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def as_float(value: Any, *, decimal_comma: bool = False) -> float | None:
    """A finite number from a number or numeric text ("19.5"; "19,5" with `decimal_comma`).

    None for anything else: booleans, other text, infinities and NaN.
    """
    number = _parse_float(value, decimal_comma=decimal_comma)
    return number if number is not None and math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """An integer from an int, an integral float or integer text (" 4"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        with suppress(ValueError):
            return int(value.strip())
    return None


def as_bool(value: Any, *, loose: bool = False) -> bool | None:
    """A boolean; `loose` also reads 0/1 and "1"/"0", "true"/"false", "on"/"off", "yes"/"no"."""
    if isinstance(value, bool):
        return value
    if not loose:
        return None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and (word := value.strip().lower()) in _TRUE | _FALSE:
        return word in _TRUE
    return None


def as_text(value: Any, *, numbers: bool = False) -> str | None:
    """Text as is; with `numbers` also a number, as Python writes it (1 -> "1")."""
    if isinstance(value, str):
        return value
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601 text or epoch seconds/milliseconds; None if unreadable.

    Naive values are taken as UTC, which is what the clouds write.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class JsonObject:
    """Typed access to the members of one JSON object; errors name the member.

    Null reads as missing: `opt_*` readers return None, required ones raise.
    The class attributes are the dialect; subclass to change them.
    """

    #: Booleans may also be 0/1 or words ("true"/"false", "on"/"off", "yes"/"no").
    LOOSE_FLAGS: ClassVar[bool] = False
    #: An empty string reads as missing, except in a member read as text.
    BLANK_IS_MISSING: ClassVar[bool] = False
    #: Text members may arrive as numbers (1 reads as "1"); `text(numbers=...)` overrides it.
    NUMBERS_AS_TEXT: ClassVar[bool] = False
    #: Numeric text may use a decimal comma ("19,5").
    DECIMAL_COMMA: ClassVar[bool] = False

    def __init__(self, data: Any, where: str) -> None:
        """Wrap `data`, which must be an object; `where` names it in errors."""
        if not isinstance(data, Mapping):
            raise CloudResponseError(f"{where}: expected an object, got {type_name(data)}")
        self.data: Mapping[str, Any] = data
        self.where = where

    # -- naming and errors

    def path(self, key: str) -> str:
        """The member's name in errors and in the names of nested objects."""
        return f"{self.where}.{key}"

    def missing(self, key: str) -> CloudResponseError:
        """The error for a required member that is missing."""
        return CloudResponseError(f"{self.path(key)}: required member is missing")

    def wrong(self, key: str, expected: str) -> CloudResponseError:
        """The error for a member that is not `expected` ("a string")."""
        got = type_name(self.data.get(key))
        return CloudResponseError(f"{self.path(key)}: expected {expected}, got {got}")

    # -- raw members

    def get(self, key: str) -> Any:
        """The raw member; None when missing or null (or "" under BLANK_IS_MISSING)."""
        value = self.data.get(key)
        return None if self.BLANK_IS_MISSING and value == "" else value

    def required(self, key: str) -> Any:
        """The raw member, which must be present."""
        value = self.get(key)
        if value is None:
            raise self.missing(key)
        return value

    # -- typed members

    def text(self, key: str, *, numbers: bool | None = None) -> str:
        """A required string ("" included); `numbers` (default NUMBERS_AS_TEXT) reads 1 as "1"."""
        value = self.data.get(key)
        if value is None:
            raise self.missing(key)
        result = as_text(value, numbers=self.NUMBERS_AS_TEXT if numbers is None else numbers)
        if result is None:
            raise self.wrong(key, "a string")
        return result

    def opt_text(self, key: str, *, numbers: bool | None = None) -> str | None:
        """An optional string, as `text`."""
        return None if self.data.get(key) is None else self.text(key, numbers=numbers)

    def integer(self, key: str) -> int:
        """A required integer: an int, or a whole number in any form (20.0, "20", "2e1")."""
        value = as_int(self.required(key))
        if value is None:
            number = _parse_float(self.data[key], decimal_comma=self.DECIMAL_COMMA)
            if number is not None and math.isfinite(number) and number.is_integer():
                value = int(number)
        if value is None:
            raise self.wrong(key, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        """An optional integer."""
        return None if self.get(key) is None else self.integer(key)

    def number(self, key: str) -> float:
        """A required finite number, from a number or numeric text."""
        value = _parse_float(self.required(key), decimal_comma=self.DECIMAL_COMMA)
        if value is None:
            raise self.wrong(key, "a number")
        if not math.isfinite(value):
            raise self.wrong(key, "a finite number")
        return value

    def opt_number(self, key: str, *, strict: bool = True) -> float | None:
        """An optional number; unless `strict`, an unreadable one reads as None, not an error."""
        if self.get(key) is None:
            return None
        if strict:
            return self.number(key)
        return as_float(self.data[key], decimal_comma=self.DECIMAL_COMMA)

    def flag(self, key: str) -> bool:
        """A required boolean (also 0/1 and words under LOOSE_FLAGS)."""
        value = as_bool(self.required(key), loose=self.LOOSE_FLAGS)
        if value is None:
            raise self.wrong(key, "a boolean")
        return value

    def opt_flag(self, key: str) -> bool | None:
        """An optional boolean."""
        return None if self.get(key) is None else self.flag(key)

    def array(self, key: str, *, required: bool = True) -> Sequence[Any]:
        """An array; unless `required`, a missing one reads as empty."""
        value = self.required(key) if required else self.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.wrong(key, "an array")
        return value

    def opt_object(self, key: str) -> Self | None:
        """An optional nested object, read in the same dialect and named by its path."""
        value = self.get(key)
        return None if value is None else type(self)(value, self.path(key))

    def enum[E: IntEnum](self, key: str, kind: type[E]) -> E:
        """A required member of an integer enum."""
        value = self.integer(key)
        try:
            return kind(value)
        except ValueError:
            raise CloudResponseError(
                f"{self.path(key)}: unknown {kind.__name__} value {value}"
            ) from None

    def when(self, key: str) -> datetime | None:
        """An optional date and time, read as `parse_datetime` does (unreadable: None)."""
        return parse_datetime(self.data.get(key))
