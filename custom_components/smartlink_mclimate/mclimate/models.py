"""Typed answers of the MClimate API.

Readers are lenient where the vendor's document is loose: unknown fields are
ignored, optional fields may be missing or null, numbers may arrive as
strings, and IR commands may be flat or nested in `send_ir_code_options`.
A missing required field or a value of the wrong type raises
`CloudResponseError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
import math
from typing import Any, Self

from ..cloud.errors import CloudResponseError

_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})
IR_FIELDS = ("state", "mode", "temp", "fan")
IR_OPTIONS = "send_ir_code_options"


class ControllerType(StrEnum):
    """The controller types the document describes."""

    MELISSA = "melissa"
    BOBBIE = "bobbie"
    VICKI = "vicki"
    SMART_PLUG = "smart_plug"


class MelissaState(IntEnum):
    """IR `state`: what the air conditioner should do."""

    OFF = 0
    ON = 1
    IDLE = 2


class MelissaMode(IntEnum):
    """IR `mode`."""

    AUTO = 0
    FAN = 1
    HEAT = 2
    COOL = 3
    DRY = 4


class MelissaFan(IntEnum):
    """IR `fan` speed."""

    AUTO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


# -- value readers ---------------------------------------------------------------------


def _wrong(where: str, name: str, expected: str, value: Any) -> CloudResponseError:
    return CloudResponseError(
        f"{where}: field {name!r} should be {expected}, got {type(value).__name__}"
    )


def _to_float(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool):
        raise _wrong(where, name, "a number", value)
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            raise _wrong(where, name, "a number", value) from None
    else:
        raise _wrong(where, name, "a number", value)
    if not math.isfinite(result):
        raise _wrong(where, name, "a finite number", value)
    return result


def _to_int(value: Any, where: str, name: str) -> int:
    number = _to_float(value, where, name)
    if not number.is_integer():
        raise _wrong(where, name, "an integer", value)
    return int(number)


def _to_str(value: Any, where: str, name: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _wrong(where, name, "a string", value)


def _to_bool(value: Any, where: str, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _wrong(where, name, "a boolean", value)


class _Reader:
    """Reads fields of one JSON object, naming the object in every error."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise CloudResponseError(f"{where}: expected an object, got {type(data).__name__}")
        self.data: Mapping[str, Any] = data
        self.where = where

    def _optional[T](self, name: str, convert: Callable[[Any, str, str], T]) -> T | None:
        """The converted value; None when missing, null, or an empty string for a non-string."""
        value = self.data.get(name)
        if value is None or (convert is not _to_str and value == ""):
            return None
        return convert(value, self.where, name)

    def _required[T](self, name: str, convert: Callable[[Any, str, str], T]) -> T:
        value = self._optional(name, convert)
        if value is None:
            raise CloudResponseError(f"{self.where}: required field {name!r} is missing")
        return value

    def get_int(self, name: str) -> int:
        """A required integer."""
        return self._required(name, _to_int)

    def get_float(self, name: str) -> float:
        """A required number."""
        return self._required(name, _to_float)

    def get_str(self, name: str) -> str:
        """A required string."""
        return self._required(name, _to_str)

    def get_bool(self, name: str) -> bool:
        """A required boolean (also 0/1, "on"/"off", "true"/"false")."""
        return self._required(name, _to_bool)

    def opt_int(self, name: str) -> int | None:
        """An optional integer."""
        return self._optional(name, _to_int)

    def opt_float(self, name: str) -> float | None:
        """An optional number."""
        return self._optional(name, _to_float)

    def opt_str(self, name: str) -> str | None:
        """An optional string."""
        return self._optional(name, _to_str)

    def opt_bool(self, name: str) -> bool | None:
        """An optional boolean."""
        return self._optional(name, _to_bool)

    def get_enum[E: IntEnum](self, name: str, enum: type[E]) -> E:
        """A required member of an integer enum."""
        value = self.get_int(name)
        try:
            return enum(value)
        except ValueError:
            raise CloudResponseError(
                f"{self.where}: field {name!r} has unknown {enum.__name__} value {value}"
            ) from None


# -- models ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in household account (users/me)."""

    user_id: int
    username: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    phone: str | None = None
    role: str | None = None
    country_id: int | None = None
    created: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `users` member of users/me."""
        read = _Reader(data, "user")
        return cls(
            user_id=read.get_int("user_id"),
            username=read.opt_str("username"),
            firstname=read.opt_str("firstname"),
            lastname=read.opt_str("lastname"),
            phone=read.opt_str("phone"),
            role=read.opt_str("role"),
            country_id=read.opt_int("country_id"),
            created=read.opt_str("created"),
        )


@dataclass(frozen=True, slots=True)
class IrCommand:
    """An IR command for the air conditioner behind a Melissa."""

    state: MelissaState
    mode: MelissaMode
    temp: int
    fan: MelissaFan
    created: str | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "IR command") -> Self:
        """Read the flat form or the `send_ir_code_options` nested form."""
        outer = _Reader(data, where)
        nested = outer.data.get(IR_OPTIONS)
        read = _Reader(nested, f"{where}.{IR_OPTIONS}") if nested is not None else outer
        return cls(
            state=read.get_enum("state", MelissaState),
            mode=read.get_enum("mode", MelissaMode),
            temp=read.get_int("temp"),
            fan=read.get_enum("fan", MelissaFan),
            created=outer.opt_str("created"),
        )

    @staticmethod
    def is_ir_command(data: Any) -> bool:
        """Whether a command log entry carries IR fields (other commands are skipped)."""
        if not isinstance(data, Mapping):
            return False
        return IR_OPTIONS in data or any(name in data for name in IR_FIELDS)


@dataclass(frozen=True, slots=True)
class MelissaRelation:
    """Melissa settings attached to a controller (`_relation.melissa`)."""

    id: int | None = None
    controller_id: int | None = None
    codeset_id: int | None = None
    led_state: int | None = None
    temperature_offset: float | None = None
    humidity_offset: float | None = None

    @property
    def led_on(self) -> bool | None:
        """Whether the LED is on, when known."""
        return None if self.led_state is None else self.led_state != 0

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read `_relation.melissa`."""
        read = _Reader(data, "controller._relation.melissa")
        return cls(
            id=read.opt_int("id"),
            controller_id=read.opt_int("controller_id"),
            codeset_id=read.opt_int("codeset_id"),
            led_state=read.opt_int("led_state"),
            temperature_offset=read.opt_float("temperature_offset"),
            humidity_offset=read.opt_float("humidity_offset"),
        )


@dataclass(frozen=True, slots=True)
class Controller:
    """One of the user's controllers, as listed or fetched by serial number."""

    serial_number: str
    type: str
    id: int | None = None
    user_id: int | None = None
    mac: str | None = None
    firmware_version: str | None = None
    name: str | None = None
    room_id: int | None = None
    online: bool | None = None
    brand_id: int | None = None
    created: str | None = None
    melissa: MelissaRelation | None = None
    command_log: tuple[IrCommand, ...] = ()

    @property
    def controller_type(self) -> ControllerType | None:
        """The documented type, or None for a type this client does not know."""
        try:
            return ControllerType(self.type)
        except ValueError:
            return None

    @property
    def last_ir_command(self) -> IrCommand | None:
        """The last IR command the cloud logged (IR has no feedback: it is a hint)."""
        return self.command_log[-1] if self.command_log else None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read a controller from a collection item or an entity answer."""
        read = _Reader(data, "controller")
        serial = read.get_str("serial_number")
        relation = read.data.get("_relation")
        melissa = relation.get("melissa") if isinstance(relation, Mapping) else None
        log = read.data.get("command_log")
        if log is not None and not isinstance(log, list):
            raise _wrong(f"controller {serial}", "command_log", "a list", log)
        return cls(
            serial_number=serial,
            type=read.get_str("type"),
            id=read.opt_int("id"),
            user_id=read.opt_int("user_id"),
            mac=read.opt_str("mac"),
            firmware_version=read.opt_str("firmware_version"),
            name=read.opt_str("name"),
            room_id=read.opt_int("room_id"),
            online=read.opt_bool("online"),
            brand_id=read.opt_int("brand_id"),
            created=read.opt_str("created"),
            # PHP-style servers send an empty object as [].
            melissa=MelissaRelation.from_dict(melissa) if melissa not in (None, []) else None,
            command_log=tuple(
                IrCommand.from_dict(entry, f"controller {serial} command_log")
                for entry in log or ()
                if IrCommand.is_ir_command(entry)
            ),
        )


@dataclass(frozen=True, slots=True)
class MelissaData:
    """Sensor data of a Melissa."""

    temperature: float
    humidity: float | None = None
    raw_temperature: int | None = None
    raw_humidity: int | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `provider` member of a fetch."""
        read = _Reader(data, "melissa provider")
        return cls(
            temperature=read.get_float("temp"),
            humidity=read.opt_float("humidity"),
            raw_temperature=read.opt_int("raw_temperature"),
            raw_humidity=read.opt_int("raw_humidity"),
        )


@dataclass(frozen=True, slots=True)
class BobbieData:
    """Sensor data of a Bobbie water-heater relay."""

    relay_on: bool
    cold: float | None = None
    hot: float | None = None
    home: float | None = None
    energy: float | None = None
    voltage: float | None = None
    current: float | None = None
    load: bool | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `provider` member of a fetch or a switch."""
        read = _Reader(data, "bobbie provider")
        return cls(
            relay_on=read.get_bool("relay_state"),
            cold=read.opt_float("cold"),
            hot=read.opt_float("hot"),
            home=read.opt_float("home"),
            energy=read.opt_float("energy"),
            voltage=read.opt_float("voltage"),
            current=read.opt_float("current"),
            load=read.opt_bool("load"),
        )


@dataclass(frozen=True, slots=True)
class VickiData:
    """Data of a Vicki radiator valve; `target_temperature` is its display."""

    target_temperature: int
    temperature: float | None = None
    humidity: float | None = None
    motor_range: int | None = None
    motor_position: int | None = None
    battery_voltage: float | None = None
    mac: str | None = None
    version: str | None = None
    uptime: int | None = None
    ip: str | None = None
    port: int | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `provider` member of a fetch or a motor command."""
        read = _Reader(data, "vicki provider")
        return cls(
            target_temperature=read.get_int("displayDigits"),
            temperature=read.opt_float("temperature"),
            humidity=read.opt_float("humidity"),
            motor_range=read.opt_int("motorRange"),
            motor_position=read.opt_int("motorPosition"),
            battery_voltage=read.opt_float("batteryVoltage"),
            mac=read.opt_str("mac"),
            version=read.opt_str("version"),
            uptime=read.opt_int("uptime"),
            ip=read.opt_str("ip"),
            port=read.opt_int("port"),
        )


@dataclass(frozen=True, slots=True)
class SmartPlugData:
    """State of a smart plug: `power` is "on" or "off"."""

    power_on: bool
    online: bool | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `provider` member of a fetch or a switch."""
        read = _Reader(data, "smart_plug provider")
        return cls(power_on=read.get_bool("power"), online=read.opt_bool("online"))


type ProviderData = MelissaData | BobbieData | VickiData | SmartPlugData

PROVIDER_MODELS: dict[ControllerType, type[ProviderData]] = {
    ControllerType.MELISSA: MelissaData,
    ControllerType.BOBBIE: BobbieData,
    ControllerType.VICKI: VickiData,
    ControllerType.SMART_PLUG: SmartPlugData,
}
