"""Typed models of the Home SmartLink partner API, read leniently.

The vendor's document is loose, so reading is forgiving: the result member may
be spelled `reponse` or `response`, `pv` may be a string or a number, dates
may be missing or odd, and unknown members are ignored. What cannot be done
without (a required member missing, a member of the wrong type) raises
`CloudResponseError` naming the member, so a drifted cloud fails loudly.

Personal data of users (names, address, email, PRM) is kept out of reprs,
so models can be logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Self

from ..errors import CloudResponseError
from ..reader import (
    JsonObject,
    parse_datetime as parse_datetime,  # noqa: PLC0414 - re-exported: part of this API
    type_name,
)

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


# -- reading -----------------------------------------------------------------------


class _Json(JsonObject):
    """The Home SmartLink dialect: numeric text may use a decimal comma ("19,5")."""

    DECIMAL_COMMA = True


def _result(data: Any, where: str) -> Any:
    """The result member of an answer, under either documented spelling."""
    reader = _Json(data, where)
    for key in ("reponse", "response"):
        if reader.get(key) is not None:
            return reader.data[key]
    raise CloudResponseError(f"{where}: neither 'reponse' nor 'response' is present")


def _authorisation(reader: JsonObject) -> Authorisation | None:
    raw = reader.get("authorisation")
    return None if raw is None else Authorisation.from_dict(raw, reader.path("authorisation"))


def _items[T](values: Sequence[Any], where: str, parse: Callable[[Any, str], T]) -> tuple[T, ...]:
    return tuple(parse(value, f"{where}[{index}]") for index, value in enumerate(values))


# -- models ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Authorisation:
    """Who the cloud thinks is calling (AuthDTO)."""

    type: str
    client: str

    @classmethod
    def from_dict(cls, data: Any, where: str = "authorisation") -> Self:
        """Read an AuthDTO."""
        reader = _Json(data, where)
        return cls(type=reader.text("type"), client=reader.text("client"))


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A comfort period of a day, in minutes since midnight (RangeDTO)."""

    start: int
    end: int

    @classmethod
    def from_dict(cls, data: Any, where: str = "range") -> Self:
        """Read a RangeDTO."""
        reader = _Json(data, where)
        return cls(start=reader.integer("start"), end=reader.integer("end"))


@dataclass(frozen=True, slots=True)
class Device:
    """A device of a home (DeviceDTO); state members are None while it is offline.

    `setpoint` is the documented `sp` and `temperature` the documented `pv`
    (the last temperature the device read), both in degrees Celsius.
    """

    header: str
    room_id: int
    room_name: str
    software_version: int
    category: str
    online: bool
    mode: str | None = None
    setpoint: float | None = None
    temperature: float | None = None
    last_update: datetime | None = None
    week_schedule: tuple[tuple[TimeRange, ...], ...] = ()

    @classmethod
    def from_dict(cls, data: Any, where: str = "device") -> Self:
        """Read a DeviceDTO."""
        reader = _Json(data, where)
        return cls(
            header=reader.text("header"),
            room_id=reader.integer("roomId"),
            room_name=reader.text("roomName"),
            software_version=reader.integer("softwareVersion"),
            category=reader.text("category"),
            online=reader.flag("online"),
            mode=reader.opt_text("mode"),
            setpoint=reader.opt_number("sp"),
            temperature=reader.opt_number("pv", strict=False),
            last_update=reader.when("lastUpdate"),
            week_schedule=_week_schedule(reader),
        )

    @property
    def is_heater(self) -> bool:
        """Whether the device heats a room (heater, towel dryer, fireplace, furnace)."""
        return self.category in (
            DeviceCategory.HEATER,
            DeviceCategory.TOWEL_DRYER,
            DeviceCategory.FIREPLACE,
            DeviceCategory.FURNACE,
        )


def _week_schedule(reader: JsonObject) -> tuple[tuple[TimeRange, ...], ...]:
    """Seven days (Monday first) of comfort ranges; empty when not in Prog mode."""
    days = []
    for index, day in enumerate(reader.array("weekSchedule", required=False)):
        where = f"{reader.path('weekSchedule')}[{index}]"
        if not isinstance(day, list):
            raise CloudResponseError(f"{where}: expected an array, got {type_name(day)}")
        days.append(_items(day, where, TimeRange.from_dict))
    return tuple(days)


@dataclass(frozen=True, slots=True)
class Gateway:
    """The home's gateway (GatewayResponseDTO: every member optional)."""

    token: str | None = None
    version: str | None = None
    last_ping: datetime | None = None
    installation_date: datetime | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "gateway") -> Self:
        """Read a GatewayResponseDTO."""
        reader = _Json(data, where)
        return cls(
            token=reader.opt_text("token"),
            version=reader.opt_text("version"),
            last_ping=reader.when("lastPing"),
            installation_date=reader.when("installationDate"),
        )


@dataclass(frozen=True, slots=True)
class HomeConfig:
    """The answer of POST config: a home's devices and gateway."""

    devices: tuple[Device, ...]
    gateway: Gateway | None = None
    authorisation: Authorisation | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "config") -> Self:
        """Read the whole answer."""
        reader = _Json(data, where)
        devices = _result(data, where)
        if not isinstance(devices, list):
            raise CloudResponseError(
                f"{where}.reponse: expected an array, got {type_name(devices)}"
            )
        raw_gateway = reader.get("gateway")
        return cls(
            devices=_items(devices, f"{where}.reponse", Device.from_dict),
            gateway=None
            if raw_gateway is None
            else Gateway.from_dict(raw_gateway, reader.path("gateway")),
            authorisation=_authorisation(reader),
        )


@dataclass(frozen=True, slots=True)
class InvitationRoom:
    """A room as listed in an invitation."""

    name: str | None
    room_number: int
    device_count: int
    accessories: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Any, where: str = "room") -> Self:
        """Read one room; `deviceCount` is documented as a string."""
        reader = _Json(data, where)
        accessories = reader.array("accessories", required=False)
        count = reader.opt_integer("deviceCount")
        return cls(
            name=reader.opt_text("name"),
            room_number=reader.integer("roomNumber"),
            device_count=len(accessories) if count is None else count,
            accessories=tuple(str(item) for item in accessories),
        )


@dataclass(frozen=True, slots=True)
class Invitation:
    """A home a user has access to (InvitationDTO)."""

    home_id: str
    email: str | None = field(default=None, repr=False)
    creation_date: datetime | None = None
    role: int | None = None
    city: str | None = field(default=None, repr=False)
    gateway_enabled: bool | None = None
    has_gateway: bool | None = None
    rooms: tuple[InvitationRoom, ...] = ()

    @classmethod
    def from_dict(cls, data: Any, where: str = "invitation") -> Self:
        """Read an InvitationDTO."""
        reader = _Json(data, where)
        return cls(
            home_id=reader.text("_id"),
            email=reader.opt_text("email"),
            creation_date=reader.when("creationDate"),
            role=reader.opt_integer("role"),
            city=reader.opt_text("city"),
            gateway_enabled=reader.opt_flag("gatewayEnabled"),
            has_gateway=reader.opt_flag("hasGateway"),
            rooms=_items(
                reader.array("rooms", required=False), f"{where}.rooms", InvitationRoom.from_dict
            ),
        )


@dataclass(frozen=True, slots=True)
class User:
    """A consenting user of a home (UserDTO); personal data stays out of repr."""

    home_id: str
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    address: str | None = field(default=None, repr=False)
    zip_code: str | None = field(default=None, repr=False)
    city: str | None = field(default=None, repr=False)
    prm_id: str | None = field(default=None, repr=False)
    consent_date: datetime | None = None
    email: str | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, data: Any, where: str = "user") -> Self:
        """Read a UserDTO (the document's second `consentDate` is the contact `email`)."""
        reader = _Json(data, where)
        return cls(
            home_id=reader.text("homeId"),
            first_name=reader.opt_text("firstName"),
            last_name=reader.opt_text("lastName"),
            address=reader.opt_text("address"),
            zip_code=reader.opt_text("zipCode", numbers=True),
            city=reader.opt_text("city"),
            prm_id=reader.opt_text("prmId", numbers=True),
            consent_date=reader.when("consentDate"),
            email=reader.opt_text("email"),
        )


# -- derogations -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Derogation:
    """A temporary setpoint change of one room (DerogationDTO).

    Plain data: check it with `validate` (or `validate_derogations` for a
    batch) before sending; the client does so.
    """

    home_id: str
    room_id: int
    start_time: int
    end_time: int
    delta: int
    date: date

    @property
    def window(self) -> DerogationWindow:
        """The date and times, which every derogation of one call must share."""
        return DerogationWindow(self.date, self.start_time, self.end_time)

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

    def as_dict(self) -> dict[str, Any]:
        """The DerogationDTO to send."""
        return {
            "homeId": self.home_id,
            "roomId": self.room_id,
            "startTime": self.start_time,
            "endTime": self.end_time,
            "delta": self.delta,
            "date": self.date.isoformat(),
        }


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


@dataclass(frozen=True, slots=True)
class DerogationResult:
    """The answer of POST derogations: one id per derogation and the two triggers."""

    ids: tuple[str, ...]
    start_trigger: str
    end_trigger: str
    authorisation: Authorisation | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "derogations") -> Self:
        """Read the whole answer."""
        reader = _Json(data, where)
        ids = _result(data, where)
        if not isinstance(ids, list):
            raise CloudResponseError(f"{where}.response: expected an array, got {type_name(ids)}")
        return cls(
            ids=tuple(str(item) for item in ids),
            start_trigger=reader.text("startTrigger"),
            end_trigger=reader.text("endTrigger"),
            authorisation=_authorisation(reader),
        )


# -- report ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportDetail:
    """One MQTT message sent to a home (RequestReportDTO)."""

    home_id: str
    acknowledge: bool
    sent_at: datetime | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "detail") -> Self:
        """Read a RequestReportDTO."""
        reader = _Json(data, where)
        return cls(
            home_id=reader.text("homeId"),
            acknowledge=bool(reader.opt_flag("acknowledge")),
            sent_at=reader.when("sendAt"),
        )


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """Counts of a trigger's messages: targeted homes, sent, acknowledged."""

    requested: int
    sent: int
    received: int
    first: datetime | None = None
    last: datetime | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "summary") -> Self:
        """Read the summary."""
        reader = _Json(data, where)
        return cls(
            requested=reader.integer("requested"),
            sent=reader.integer("sent"),
            received=reader.integer("received"),
            first=reader.when("first"),
            last=reader.when("last"),
        )


@dataclass(frozen=True, slots=True)
class Report:
    """The answer of POST report: how far a trigger's delivery went."""

    summary: ReportSummary
    details: tuple[ReportDetail, ...] = ()

    @classmethod
    def from_dict(cls, data: Any, where: str = "report") -> Self:
        """Read the whole answer."""
        reader = _Json(_result(data, where), f"{where}.response")
        return cls(
            summary=ReportSummary.from_dict(reader.required("summary"), reader.path("summary")),
            details=_items(
                reader.array("details", required=False),
                reader.path("details"),
                ReportDetail.from_dict,
            ),
        )

    @property
    def complete(self) -> bool:
        """Whether every targeted home acknowledged."""
        return self.summary.received >= self.summary.requested


# -- diagnosis ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiagnosisRequest:
    """The answer of POST request: whether the home took the request, and its id."""

    status: str
    message_id: str | None

    @classmethod
    def from_dict(cls, data: Any, where: str = "request") -> Self:
        """Read the whole answer; a refused request may come without an id."""
        reader = _Json(_result(data, where), f"{where}.response")
        return cls(status=reader.text("status"), message_id=reader.opt_text("messageId"))

    @property
    def accepted(self) -> bool:
        """Whether the cloud could send the request to the home's gateway."""
        return self.status.upper() == DiagnosisStatus.OK and self.message_id is not None


_DIAGNOSIS_MEMBERS = frozenset({"_created_at", "acknowledge", "status"})


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The answer of PUT request (MessageResponseDTO); `details` holds everything else."""

    acknowledge: bool
    created_at: datetime | None = None
    status: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @classmethod
    def from_dict(cls, data: Any, where: str = "diagnosis") -> Self:
        """Read the whole answer."""
        reader = _Json(_result(data, where), f"{where}.response")
        return cls(
            acknowledge=bool(reader.opt_flag("acknowledge")),
            created_at=reader.when("_created_at"),
            status=reader.opt_text("status"),
            details={k: v for k, v in reader.data.items() if k not in _DIAGNOSIS_MEMBERS},
        )

    @property
    def ready(self) -> bool:
        """Whether the gateway answered: the result is complete."""
        return self.acknowledge

    @property
    def failed(self) -> bool:
        """Whether the cloud gave up on this request."""
        return (self.status or "").upper() == "FAILED"


def parse_users(data: Any, where: str = "users") -> list[User]:
    """Read the answer of GET users."""
    return list(_items(_list_result(data, where), f"{where}.response", User.from_dict))


def parse_invitations(data: Any, where: str = "invitations") -> list[Invitation]:
    """Read the answer of POST invitations."""
    return list(_items(_list_result(data, where), f"{where}.reponse", Invitation.from_dict))


def _list_result(data: Any, where: str) -> Sequence[Any]:
    result = _result(data, where)
    if not isinstance(result, list):
        raise CloudResponseError(f"{where}: expected an array result, got {type_name(result)}")
    return result
