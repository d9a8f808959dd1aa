"""How loosely written JSON values become Python values: mashumaro strategies.

The clouds' documents are loose (numbers sent as text, "19,5" with a decimal
comma, booleans as 0/1 or words, dates in several forms), so the models read
members through these strategies instead of mashumaro's defaults, which would
turn `True` into 1 or `1.5` into 1 without a word. A value that cannot be read
raises `Unreadable`, whose message says what was expected; the request path
adds the endpoint and the member.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime
from enum import IntEnum
import math
from typing import Any

from mashumaro.types import SerializationStrategy

_EPOCH_MS_THRESHOLD = 10**11  # larger epoch numbers are milliseconds
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})


class Unreadable(ValueError):
    """A member's value is not what the model needs; `value` is the offending value.

    The message never shows the value itself (it may be personal or secret),
    only what was expected and the type that came instead.
    """

    def __init__(self, message: str, value: Any) -> None:
        """Keep the message and the value (to find the member in the answer)."""
        super().__init__(message)
        self.value = value


def type_name(value: Any) -> str:
    """How errors name the type of a JSON value ("null" for None)."""
    return "null" if value is None else type(value).__name__


def expected(what: str, value: Any) -> Unreadable:
    """The error for `value` where `what` ("a string") belongs; null reads as missing."""
    if value is None:
        return Unreadable("required member is missing", value)
    return Unreadable(f"expected {what}, got {type_name(value)}", value)


class _Reading(SerializationStrategy):
    """A strategy that only reads: what the models send is already plain JSON."""

    def serialize(self, value: Any) -> Any:
        """Send the value as it is."""
        return value


def _float(value: Any, *, decimal_comma: bool) -> float | None:
    """A number, possibly infinite, from a number or numeric text; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float
            return math.inf
    if not isinstance(value, str):
        return None
    text = value.strip().replace(",", ".") if decimal_comma else value.strip()
    try:
        return float(text)
    except ValueError:
        return None


class Number(_Reading):
    """A finite number, from a number or numeric text (with a decimal comma if allowed)."""

    def __init__(self, *, decimal_comma: bool = False) -> None:
        """Whether "19,5" reads as 19.5."""
        self.decimal_comma = decimal_comma

    def deserialize(self, value: Any) -> float:
        """The number, or `Unreadable`."""
        number = _float(value, decimal_comma=self.decimal_comma)
        if number is None:
            raise expected("a number", value)
        if not math.isfinite(number):
            raise expected("a finite number", value)
        return number


class LenientNumber(Number):
    """A number where a cloud is known to write anything: unreadable reads as unknown."""

    def deserialize(self, value: Any) -> float | None:  # type: ignore[override]
        """The number, or None."""
        try:
            return super().deserialize(value)
        except Unreadable:
            return None


class Integer(_Reading):
    """A whole number in any form (20, 20.0, "20", "2e1"), never a boolean."""

    def __init__(self, *, decimal_comma: bool = False, minimum: int | None = None) -> None:
        """Whether "20,0" reads as 20, and the smallest value allowed."""
        self.decimal_comma = decimal_comma
        self.minimum = minimum

    def deserialize(self, value: Any) -> int:
        """The integer, or `Unreadable`."""
        result: int | None = value if type(value) is int else None
        if isinstance(value, str):
            with suppress(ValueError):
                result = int(value.strip())
        if result is None:
            number = _float(value, decimal_comma=self.decimal_comma)
            if number is not None and math.isfinite(number) and number.is_integer():
                result = int(number)
        if result is None:
            raise expected("an integer", value)
        if self.minimum is not None and result < self.minimum:
            raise Unreadable(f"expected an integer of at least {self.minimum}", value)
        return result


class Choice(_Reading):
    """A member of an integer enum, from any form `Integer` reads."""

    def __init__(self, kind: type[IntEnum]) -> None:
        """The enum to read."""
        self.kind = kind

    def deserialize(self, value: Any) -> IntEnum:
        """The enum member, or an error naming the unknown value."""
        number = Integer().deserialize(value)
        try:
            return self.kind(number)
        except ValueError:
            raise Unreadable(f"unknown {self.kind.__name__} value {number}", value) from None


class Flag(_Reading):
    """A boolean; `loose` also reads 0/1 and "1"/"0", "true"/"false", "on"/"off", "yes"/"no"."""

    def __init__(self, *, loose: bool = False) -> None:
        """Whether the loose forms are accepted."""
        self.loose = loose

    def deserialize(self, value: Any) -> bool:
        """The boolean, or `Unreadable`."""
        if isinstance(value, bool):
            return value
        if self.loose and isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if self.loose and isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE | _FALSE:
                return word in _TRUE
        raise expected("a boolean", value)


class Text(_Reading):
    """Text as is; with `numbers`, a number as Python writes it (69003 -> "69003")."""

    def __init__(self, *, numbers: bool = False) -> None:
        """Whether numbers are read as text."""
        self.numbers = numbers

    def deserialize(self, value: Any) -> str:
        """The text, or `Unreadable`."""
        if isinstance(value, str):
            return value
        if self.numbers and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise expected("a string", value)


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601 text or epoch seconds/milliseconds; None if unreadable.

    "Z" and milliseconds are read; naive values are taken as UTC, which is what
    the clouds write.
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


class Timestamp(_Reading):
    """A date and time as the clouds write them; an unreadable one reads as unknown."""

    def deserialize(self, value: Any) -> datetime | None:
        """The aware datetime, or None."""
        return parse_datetime(value)
