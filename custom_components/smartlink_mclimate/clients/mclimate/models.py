"""Typed answers of the MClimate API: mashumaro dataclasses, read leniently.

Reading is lenient where the vendor's document is loose: unknown members are
ignored, optional ones may be missing, null or "" (and PHP's `[]` for an empty
object), numbers may arrive as text and text as numbers, booleans as 0/1 or
words, and IR commands may be flat or nested in `send_ir_code_options`. A
missing required member or a value of the wrong type fails the request,
naming the member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Final
from urllib.parse import parse_qs, urlsplit

from mashumaro import field_options
from mashumaro.config import BaseConfig
from mashumaro.types import Alias

from ..model import MODEL_ERRORS, Model, prepare_models
from ..strategies import (
    Choice,
    Flag,
    Integer,
    Number,
    Text,
    Timestamp,
    Unreadable,
)

IR_OPTIONS: Final = "send_ir_code_options"
IR_COMMAND: Final = "send_ir_code"


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


class MClimateModel(Model):
    """The MClimate dialect: loose booleans, numbers as text and text as numbers, "" as missing."""

    __slots__ = ()

    BLANKS_ARE_MISSING = True

    class Config(BaseConfig):
        """How members read."""

        serialization_strategy = {  # noqa: RUF012 - mashumaro's configuration
            int: Integer(),
            float: Number(),
            bool: Flag(loose=True),
            str: Text(numbers=True),
            datetime: Timestamp(),
            MelissaState: Choice(MelissaState),
            MelissaMode: Choice(MelissaMode),
            MelissaFan: Choice(MelissaFan),
        }


# -- account -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class User(MClimateModel):
    """The signed-in household account (the `users` member of users/me)."""

    user_id: int
    username: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    phone: str | None = None
    role: str | None = None
    country_id: int | None = None
    created: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class UserAnswer(MClimateModel):
    """The answer of GET users/me."""

    users: User


# -- controllers ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class IrCommand(MClimateModel):
    """An IR command for the air conditioner behind a Melissa; read flat or nested."""

    state: MelissaState
    mode: MelissaMode
    temp: int
    fan: MelissaFan
    created: datetime | None = None

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Lift the members of the nested form (`send_ir_code_options`) to the top."""
        d = super().__pre_deserialize__(d)
        options = d.get(IR_OPTIONS)
        return {**d, **options} if isinstance(options, Mapping) else d


def _ir_commands(log: Any) -> tuple[IrCommand, ...]:
    """The IR commands of a `controller_log`, in its order.

    The document describes no log entry, so entries that are not an IR command
    in one of the documented shapes (another command, anything unreadable) are
    skipped rather than failing the controller.
    """
    if not isinstance(log, list):
        return ()
    commands = []
    for entry in log:
        if not isinstance(entry, Mapping) or entry.get("command", IR_COMMAND) != IR_COMMAND:
            continue
        try:
            commands.append(IrCommand.from_dict(entry))
        except MODEL_ERRORS:
            continue
    return tuple(commands)


@dataclass(frozen=True, kw_only=True, slots=True)
class MelissaRelation(MClimateModel):
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


@dataclass(frozen=True, kw_only=True, slots=True)
class ControllerRelations(MClimateModel):
    """What the cloud attaches to a controller (`_relation`)."""

    melissa: MelissaRelation | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Controller(MClimateModel):
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
    created: datetime | None = None
    relations: Annotated[ControllerRelations | None, Alias("_relation")] = None
    #: The IR commands of the controller's log (other entries are skipped).
    controller_log: tuple[IrCommand, ...] = field(
        default=(), metadata=field_options(deserialize=_ir_commands)
    )

    @property
    def controller_type(self) -> ControllerType | None:
        """The documented type, or None for a type this client does not know."""
        try:
            return ControllerType(self.type)
        except ValueError:
            return None

    @property
    def melissa(self) -> MelissaRelation | None:
        """The Melissa settings, on a Melissa."""
        return self.relations.melissa if self.relations is not None else None

    @property
    def last_ir_command(self) -> IrCommand | None:
        """The last IR command the cloud logged (IR has no feedback: it is a hint)."""
        return self.controller_log[-1] if self.controller_log else None


@dataclass(frozen=True, kw_only=True, slots=True)
class ControllerAnswer(MClimateModel):
    """The answer of GET controllers/{serial_number}."""

    controller: Controller


def _page_number(href: Any) -> int:
    """The `page` of a link's query (1 when it names none)."""
    href = Text().deserialize(href)
    pages = parse_qs(urlsplit(href).query).get("page")
    if not pages:
        return 1
    try:
        return max(1, int(pages[-1]))
    except ValueError:
        raise Unreadable("expected a link with a page number", href) from None


@dataclass(frozen=True, kw_only=True, slots=True)
class PageLink(MClimateModel):
    """A pagination link, read as the page number it points to."""

    page: Annotated[int, Alias("href")] = field(
        default=1, metadata=field_options(deserialize=_page_number)
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class PageLinks(MClimateModel):
    """The `_links` of a collection; only `last` tells how many pages there are."""

    last: PageLink | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Embedded(MClimateModel):
    """The `_embedded` controllers of a collection (one object stands for a list of one)."""

    controller: tuple[Controller, ...]

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """A null list is an empty one; a missing one is a drifted answer, not an empty one."""
        if isinstance(d, Mapping) and "controller" in d:
            items = d["controller"]
            d = {**d, "controller": [items] if isinstance(items, Mapping) else items or []}
        return super().__pre_deserialize__(d)


@dataclass(frozen=True, kw_only=True, slots=True)
class ControllerPage(MClimateModel):
    """One page of GET controllers; an empty collection answers the entity shape."""

    embedded: Annotated[Embedded | None, Alias("_embedded")] = None
    links: Annotated[PageLinks | None, Alias("_links")] = None

    @property
    def controllers(self) -> tuple[Controller, ...]:
        """The controllers on this page."""
        return self.embedded.controller if self.embedded is not None else ()

    @property
    def last_page(self) -> int:
        """The number of the last page (1 when the answer names none)."""
        last = self.links.last if self.links is not None else None
        return last.page if last is not None else 1


# -- provider data -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class MelissaData(MClimateModel):
    """Sensor data of a Melissa."""

    temperature: Annotated[float, Alias("temp")]
    humidity: float | None = None
    raw_temperature: int | None = None
    raw_humidity: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class BobbieData(MClimateModel):
    """Sensor data of a Bobbie water-heater relay."""

    relay_on: Annotated[bool, Alias("relay_state")]
    cold: float | None = None
    hot: float | None = None
    home: float | None = None
    energy: float | None = None
    voltage: float | None = None
    current: float | None = None
    load: bool | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class VickiData(MClimateModel):
    """Data of a Vicki radiator valve; `target_temperature` is its display."""

    target_temperature: Annotated[int, Alias("displayDigits")]
    temperature: float | None = None
    humidity: float | None = None
    motor_range: Annotated[int | None, Alias("motorRange")] = None
    motor_position: Annotated[int | None, Alias("motorPosition")] = None
    battery_voltage: Annotated[float | None, Alias("batteryVoltage")] = None
    mac: str | None = None
    version: str | None = None
    uptime: int | None = None
    ip: str | None = None
    port: int | None = None
    # Not in the document's field list: read when a valve reports them (the simulator's
    # `vicki_flags`), so their entities exist only on valves that do.
    open_window: Annotated[bool | None, Alias("openWindow")] = None
    child_lock: Annotated[bool | None, Alias("childLock")] = None


@dataclass(frozen=True, kw_only=True, slots=True)
class SmartPlugData(MClimateModel):
    """State of a smart plug: `power` is "on" or "off"."""

    power_on: Annotated[bool, Alias("power")]
    online: bool | None = None


type ProviderData = MelissaData | BobbieData | VickiData | SmartPlugData


@dataclass(frozen=True, kw_only=True, slots=True)
class ProviderAnswer[T](MClimateModel):
    """The answer of POST provider/fetch or provider/send: data under `provider`."""

    provider: T


class MelissaAnswer(ProviderAnswer[MelissaData]):
    """A Melissa's data."""


class BobbieAnswer(ProviderAnswer[BobbieData]):
    """A Bobbie's data."""


class VickiAnswer(ProviderAnswer[VickiData]):
    """A Vicki's data."""


class SmartPlugAnswer(ProviderAnswer[SmartPlugData]):
    """A smart plug's data."""


PROVIDER_ANSWERS: Final[dict[ControllerType, type[ProviderAnswer[Any]]]] = {
    ControllerType.MELISSA: MelissaAnswer,
    ControllerType.BOBBIE: BobbieAnswer,
    ControllerType.VICKI: VickiAnswer,
    ControllerType.SMART_PLUG: SmartPlugAnswer,
}


prepare_models()
