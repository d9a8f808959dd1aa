"""Typed answers of the MClimate API.

Readers are lenient where the vendor's document is loose: unknown fields are
ignored, optional fields may be missing or null, numbers may arrive as
strings, and IR commands may be flat or nested in `send_ir_code_options`.
A missing required field or a value of the wrong type raises
`CloudResponseError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Self

from ..reader import JsonObject

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


# -- reading ---------------------------------------------------------------------------


class _Json(JsonObject):
    """The MClimate dialect: loose booleans, numbers as text, "" as missing."""

    LOOSE_FLAGS = True
    BLANK_IS_MISSING = True
    NUMBERS_AS_TEXT = True


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
        read = _Json(data, "user")
        return cls(
            user_id=read.integer("user_id"),
            username=read.opt_text("username"),
            firstname=read.opt_text("firstname"),
            lastname=read.opt_text("lastname"),
            phone=read.opt_text("phone"),
            role=read.opt_text("role"),
            country_id=read.opt_integer("country_id"),
            created=read.opt_text("created"),
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
        outer = _Json(data, where)
        read = outer.opt_object(IR_OPTIONS) or outer
        return cls(
            state=read.enum("state", MelissaState),
            mode=read.enum("mode", MelissaMode),
            temp=read.integer("temp"),
            fan=read.enum("fan", MelissaFan),
            created=outer.opt_text("created"),
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
        read = _Json(data, "controller._relation.melissa")
        return cls(
            id=read.opt_integer("id"),
            controller_id=read.opt_integer("controller_id"),
            codeset_id=read.opt_integer("codeset_id"),
            led_state=read.opt_integer("led_state"),
            temperature_offset=read.opt_number("temperature_offset"),
            humidity_offset=read.opt_number("humidity_offset"),
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
        read = _Json(data, "controller")
        serial = read.text("serial_number")
        relation = read.get("_relation")
        melissa = relation.get("melissa") if isinstance(relation, Mapping) else None
        log = read.array("command_log", required=False)
        return cls(
            serial_number=serial,
            type=read.text("type"),
            id=read.opt_integer("id"),
            user_id=read.opt_integer("user_id"),
            mac=read.opt_text("mac"),
            firmware_version=read.opt_text("firmware_version"),
            name=read.opt_text("name"),
            room_id=read.opt_integer("room_id"),
            online=read.opt_flag("online"),
            brand_id=read.opt_integer("brand_id"),
            created=read.opt_text("created"),
            # PHP-style servers send an empty object as [].
            melissa=MelissaRelation.from_dict(melissa) if melissa not in (None, []) else None,
            command_log=tuple(
                IrCommand.from_dict(entry, f"controller {serial} command_log")
                for entry in log
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
        read = _Json(data, "melissa provider")
        return cls(
            temperature=read.number("temp"),
            humidity=read.opt_number("humidity"),
            raw_temperature=read.opt_integer("raw_temperature"),
            raw_humidity=read.opt_integer("raw_humidity"),
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
        read = _Json(data, "bobbie provider")
        return cls(
            relay_on=read.flag("relay_state"),
            cold=read.opt_number("cold"),
            hot=read.opt_number("hot"),
            home=read.opt_number("home"),
            energy=read.opt_number("energy"),
            voltage=read.opt_number("voltage"),
            current=read.opt_number("current"),
            load=read.opt_flag("load"),
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
        read = _Json(data, "vicki provider")
        return cls(
            target_temperature=read.integer("displayDigits"),
            temperature=read.opt_number("temperature"),
            humidity=read.opt_number("humidity"),
            motor_range=read.opt_integer("motorRange"),
            motor_position=read.opt_integer("motorPosition"),
            battery_voltage=read.opt_number("batteryVoltage"),
            mac=read.opt_text("mac"),
            version=read.opt_text("version"),
            uptime=read.opt_integer("uptime"),
            ip=read.opt_text("ip"),
            port=read.opt_integer("port"),
        )


@dataclass(frozen=True, slots=True)
class SmartPlugData:
    """State of a smart plug: `power` is "on" or "off"."""

    power_on: bool
    online: bool | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the `provider` member of a fetch or a switch."""
        read = _Json(data, "smart_plug provider")
        return cls(power_on=read.flag("power"), online=read.opt_flag("online"))


type ProviderData = MelissaData | BobbieData | VickiData | SmartPlugData

PROVIDER_MODELS: dict[ControllerType, type[ProviderData]] = {
    ControllerType.MELISSA: MelissaData,
    ControllerType.BOBBIE: BobbieData,
    ControllerType.VICKI: VickiData,
    ControllerType.SMART_PLUG: SmartPlugData,
}
