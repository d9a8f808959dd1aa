"""Typed models of the Home SmartLink partner API: mashumaro dataclasses, read leniently.

The vendor's document is loose, so reading is forgiving: the result member may
be spelled `reponse` or `response`, `pv` and `deviceCount` may be text or
numbers ("19,5" with a decimal comma too), dates may be missing or odd, and
unknown members are ignored. What cannot be done without (a required member
missing, a member of the wrong type) fails the request, naming the member.

Personal data of users (names, address, email, PRM) is kept out of reprs,
so models can be logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Annotated, Any, Self

from mashumaro import field_options
from mashumaro.config import BaseConfig
from mashumaro.types import Alias

from ..model import Model, prepare_models
from ..strategies import Flag, Integer, LenientNumber, Number, Text, Timestamp

MINUTES_PER_DAY = 1440
DEROGATION_STEP = 5  # minutes
MIN_DELTA = -5
MAX_DELTA = 5


class DeviceCategory(StrEnum):
    """Documented device categories (the cloud may send others; they are kept as text)."""

    NONE = "None"
    HEATER = "Heater"
    TOWEL_DRYER = "TowelDryier"  # the cloud's spelling
    FIREPLACE = "Fireplace"
    GATEWAY = "Gateway"
    MODULE = "Module"
    FURNACE = "Furnace"


class HeaterMode(StrEnum):
    """Documented heater modes (others are kept as text)."""

    STOP = "Stop"
    ANTIFREEZE = "Antifreeze"
    MANUAL = "Manual"
    PROG = "Prog"


class DiagnosisStatus(StrEnum):
    """Documented status of a diagnosis request."""

    OK = "OK"
    NOK = "NOK"


class HomeSmartLinkModel(Model):
    """The Home SmartLink dialect: strict types, numbers also as text with a decimal comma."""

    __slots__ = ()

    class Config(BaseConfig):
        """How members read; what is sent uses the document's names."""

        serialization_strategy = {  # noqa: RUF012 - mashumaro's configuration
            int: Integer(decimal_comma=True),
            float: Number(decimal_comma=True),
            bool: Flag(),
            str: Text(),
            datetime: Timestamp(),
        }
        serialize_by_alias = True


_NUMBERS_AS_TEXT: Any = field_options(serialization_strategy=Text(numbers=True))


# -- config --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Authorisation(HomeSmartLinkModel):
    """Who the cloud thinks is calling (AuthDTO)."""

    type: str
    client: str


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeRange(HomeSmartLinkModel):
    """A comfort period of a day, in minutes since midnight (RangeDTO)."""

    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Device(HomeSmartLinkModel):
    """A device of a home (DeviceDTO); state members are None while it is offline.

    `setpoint` is the documented `sp` and `temperature` the documented `pv`
    (the last temperature the device read), both in degrees Celsius. `pv` is
    documented as a string: an unreadable one reads as unknown, not an error.
    """

    header: str
    room_id: Annotated[int, Alias("roomId")]
    room_name: Annotated[str, Alias("roomName")]
    software_version: Annotated[int, Alias("softwareVersion")]
    category: str
    online: bool
    mode: str | None = None
    setpoint: Annotated[float | None, Alias("sp")] = None
    temperature: Annotated[float | None, Alias("pv")] = field(
        default=None,
        metadata=field_options(serialization_strategy=LenientNumber(decimal_comma=True)),
    )
    last_update: Annotated[datetime | None, Alias("lastUpdate")] = None
    #: Seven days (Monday first) of comfort ranges; empty when not in Prog mode.
    week_schedule: Annotated[tuple[tuple[TimeRange, ...], ...], Alias("weekSchedule")] = ()

    @property
    def is_heater(self) -> bool:
        """Whether the device heats a room (heater, towel dryer, fireplace, furnace)."""
        return self.category in (
            DeviceCategory.HEATER,
            DeviceCategory.TOWEL_DRYER,
            DeviceCategory.FIREPLACE,
            DeviceCategory.FURNACE,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Gateway(HomeSmartLinkModel):
    """The home's gateway (GatewayResponseDTO: every member optional)."""

    token: str | None = None
    version: str | None = None
    last_ping: Annotated[datetime | None, Alias("lastPing")] = None
    installation_date: Annotated[datetime | None, Alias("installationDate")] = None


@dataclass(frozen=True, kw_only=True, slots=True)
class HomeConfig(HomeSmartLinkModel):
    """The answer of POST config: a home's devices and gateway."""

    devices: Annotated[tuple[Device, ...], Alias("reponse"), Alias("response")]
    gateway: Gateway | None = None
    authorisation: Authorisation | None = None


# -- invitations and users -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class InvitationRoom(HomeSmartLinkModel):
    """A room as listed in an invitation; `deviceCount` is documented as a string."""

    name: str | None = None
    room_number: Annotated[int, Alias("roomNumber")]
    device_count: Annotated[int, Alias("deviceCount")]
    accessories: tuple[str, ...] = ()

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Without a count, the room holds the accessories it lists."""
        d = super().__pre_deserialize__(d)
        if d.get("deviceCount") is None:
            d["deviceCount"] = len(d.get("accessories") or ())
        return d


@dataclass(frozen=True, kw_only=True, slots=True)
class Invitation(HomeSmartLinkModel):
    """A home a user has access to (InvitationDTO)."""

    home_id: Annotated[str, Alias("_id")]
    email: str | None = field(default=None, repr=False)
    creation_date: Annotated[datetime | None, Alias("creationDate")] = None
    role: int | None = None
    city: str | None = field(default=None, repr=False)
    gateway_enabled: Annotated[bool | None, Alias("gatewayEnabled")] = None
    has_gateway: Annotated[bool | None, Alias("hasGateway")] = None
    rooms: tuple[InvitationRoom, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Invitations(HomeSmartLinkModel):
    """The answer of POST invitations."""

    invitations: Annotated[tuple[Invitation, ...], Alias("reponse"), Alias("response")]


@dataclass(frozen=True, kw_only=True, slots=True)
class User(HomeSmartLinkModel):
    """A consenting user of a home (UserDTO); personal data stays out of repr.

    The document's second `consentDate` ("contact email") is read as `email`;
    zip codes and PRM ids may come as numbers.
    """

    home_id: Annotated[str, Alias("homeId")]
    first_name: Annotated[str | None, Alias("firstName")] = field(default=None, repr=False)
    last_name: Annotated[str | None, Alias("lastName")] = field(default=None, repr=False)
    address: str | None = field(default=None, repr=False)
    zip_code: Annotated[str | None, Alias("zipCode")] = field(
        default=None, repr=False, metadata=_NUMBERS_AS_TEXT
    )
    city: str | None = field(default=None, repr=False)
    prm_id: Annotated[str | None, Alias("prmId")] = field(
        default=None, repr=False, metadata=_NUMBERS_AS_TEXT
    )
    consent_date: Annotated[datetime | None, Alias("consentDate")] = None
    email: str | None = field(default=None, repr=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class Users(HomeSmartLinkModel):
    """The answer of GET users (one page)."""

    users: Annotated[tuple[User, ...], Alias("response"), Alias("reponse")]


# -- derogations ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class DerogationWindow:
    """When derogations apply: one local date, start and end in minutes since midnight."""

    date: date
    start_time: int
    end_time: int

    @classmethod
    def from_datetimes(
        cls, start: datetime, end: datetime, *, time_zone: tzinfo | None = None
    ) -> Self:
        """The window covering [start, end), widened to 5-minute steps.

        Aware datetimes are converted to `time_zone` (the homes' zone) when it
        is given; naive ones are taken as local wall-clock times. The window
        must stay within one day (ending at the next midnight is allowed).
        """
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ValueError("start and end must both be naive or both be aware")
        if time_zone is not None and start.tzinfo is not None:
            start, end = start.astimezone(time_zone), end.astimezone(time_zone)
        start = start.replace(tzinfo=None)
        end = end.replace(tzinfo=None)
        if end <= start:
            raise ValueError("a derogation must end after it starts")
        day = start.date()
        midnight = datetime.combine(day, datetime.min.time())
        step = timedelta(minutes=DEROGATION_STEP)
        start_minutes = (start - midnight) // step * DEROGATION_STEP
        end_minutes = -((midnight - end) // step) * DEROGATION_STEP
        if end_minutes > MINUTES_PER_DAY:
            raise ValueError("a derogation window must stay within one day")
        return cls(date=day, start_time=start_minutes, end_time=end_minutes)

    def derogation(self, home_id: str, room_id: int, delta: int) -> Derogation:
        """A derogation of one room over this window."""
        return Derogation(
            home_id=home_id,
            room_id=room_id,
            start_time=self.start_time,
            end_time=self.end_time,
            delta=delta,
            date=self.date,
        )

    def start(self, time_zone: tzinfo) -> datetime:
        """The start as an aware datetime in the homes' zone."""
        return _local(self.date, self.start_time, time_zone)

    def end(self, time_zone: tzinfo) -> datetime:
        """The end as an aware datetime in the homes' zone."""
        return _local(self.date, self.end_time, time_zone)


def _local(day: date, minutes: int, time_zone: tzinfo) -> datetime:
    wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=time_zone)


@dataclass(frozen=True, kw_only=True, slots=True)
class Derogation(HomeSmartLinkModel):
    """A temporary setpoint change of one room (DerogationDTO); `to_dict()` is what is sent.

    Plain data: check it with `validate` (or `validate_derogations` for a
    batch) before sending; the client does so.
    """

    home_id: Annotated[str, Alias("homeId")]
    room_id: Annotated[int, Alias("roomId")]
    start_time: Annotated[int, Alias("startTime")]
    end_time: Annotated[int, Alias("endTime")]
    delta: int
    date: date

    @property
    def window(self) -> DerogationWindow:
        """The date and times, which every derogation of one call must share."""
        return DerogationWindow(date=self.date, start_time=self.start_time, end_time=self.end_time)

    def validate(self, where: str = "derogation") -> None:
        """Raise ValueError naming the first rule of the document this breaks."""
        if not isinstance(self.home_id, str) or not self.home_id:
            raise ValueError(f"{where}: home_id must be a non-empty string")
        if not _strict_int(self.room_id):
            raise ValueError(f"{where}: room_id must be an integer")
        if not _strict_int(self.delta) or not MIN_DELTA <= self.delta <= MAX_DELTA:
            raise ValueError(f"{where}: delta must be an integer from -5 to 5, got {self.delta!r}")
        for name in ("start_time", "end_time"):
            value = getattr(self, name)
            if not _strict_int(value) or not 0 <= value <= MINUTES_PER_DAY:
                raise ValueError(
                    f"{where}: {name} must be an integer from 0 to 1440, got {value!r}"
                )
            if value % DEROGATION_STEP:
                raise ValueError(f"{where}: {name} must be a multiple of 5, got {value!r}")
        if self.end_time <= self.start_time:
            raise ValueError(f"{where}: end_time must be after start_time")
        if isinstance(self.date, datetime) or not isinstance(self.date, date):
            raise ValueError(f"{where}: date must be a datetime.date (not a datetime)")


def _strict_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_derogations(derogations: Sequence[Derogation]) -> None:
    """Check a batch as the cloud will: each valid, at least one, all on one window."""
    if not derogations:
        raise ValueError("at least one derogation is required")
    for index, derogation in enumerate(derogations):
        derogation.validate(f"derogations[{index}]")
    first = derogations[0].window
    for index, derogation in enumerate(derogations[1:], start=1):
        if derogation.window != first:
            raise ValueError(
                f"derogations[{index}]: all derogations of one call must share the same "
                "date, start_time and end_time"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class DerogationResult(HomeSmartLinkModel):
    """The answer of POST derogations: one id per derogation and the two triggers."""

    ids: Annotated[tuple[str, ...], Alias("response"), Alias("reponse")]
    start_trigger: Annotated[str, Alias("startTrigger")]
    end_trigger: Annotated[str, Alias("endTrigger")]
    authorisation: Authorisation | None = None


# -- report --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportDetail(HomeSmartLinkModel):
    """One MQTT message sent to a home (RequestReportDTO)."""

    home_id: Annotated[str, Alias("homeId")]
    acknowledge: bool = False
    sent_at: Annotated[datetime | None, Alias("sendAt")] = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportSummary(HomeSmartLinkModel):
    """Counts of a trigger's messages: targeted homes, sent, acknowledged."""

    requested: int
    sent: int
    received: int
    first: datetime | None = None
    last: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Report(HomeSmartLinkModel):
    """How far a trigger's delivery went (the `response` of POST report)."""

    summary: ReportSummary
    details: tuple[ReportDetail, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every targeted home acknowledged."""
        return self.summary.received >= self.summary.requested


# -- diagnosis -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class DiagnosisRequest(HomeSmartLinkModel):
    """Whether the home took a diagnosis request, and its id (the `response` of POST request).

    A refused request may come without an id.
    """

    status: str
    message_id: Annotated[str | None, Alias("messageId")] = None

    @property
    def accepted(self) -> bool:
        """Whether the cloud could send the request to the home's gateway."""
        return self.status.upper() == DiagnosisStatus.OK and self.message_id is not None


_DIAGNOSIS_MEMBERS = frozenset({"_created_at", "acknowledge", "status"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Diagnosis(HomeSmartLinkModel):
    """A diagnosis result (MessageResponseDTO, the `response` of PUT request).

    `details` holds every other member the cloud sends with it.
    """

    acknowledge: bool = False
    created_at: Annotated[datetime | None, Alias("_created_at")] = None
    status: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Gather the undocumented members under `details`."""
        d = super().__pre_deserialize__(d)
        rest = {key: value for key, value in d.items() if key not in _DIAGNOSIS_MEMBERS}
        return {key: d[key] for key in _DIAGNOSIS_MEMBERS & d.keys()} | {"details": rest}

    @property
    def ready(self) -> bool:
        """Whether the gateway answered: the result is complete."""
        return self.acknowledge

    @property
    def failed(self) -> bool:
        """Whether the cloud gave up on this request."""
        return (self.status or "").upper() == "FAILED"


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer[T](HomeSmartLinkModel):
    """An answer whose result is one object: `response` (or `reponse`)."""

    response: Annotated[T, Alias("response"), Alias("reponse")]
    authorisation: Authorisation | None = None


class ReportAnswer(Answer[Report]):
    """The answer of POST report."""


class DiagnosisRequestAnswer(Answer[DiagnosisRequest]):
    """The answer of POST request."""


class DiagnosisAnswer(Answer[Diagnosis]):
    """The answer of PUT request."""


prepare_models()
