"""What the partner API knows: homes, rooms, heaters, gateways, derogations, diagnoses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import random

PREFIX = "/partners/1"
ECO_OFFSET = 3.5
ANTIFREEZE_SETPOINT = 7.0
REPORT_PERIOD = 300  # seconds between two heater reports
SEND_SPACING = timedelta(milliseconds=100)
OFFLINE_FOR = timedelta(days=4)  # beyond the documented 3 days of silence
HEATING_MODES = frozenset({"Manual", "Prog"})

Range = tuple[int, int]
WeekSchedule = tuple[tuple[Range, ...], ...]  # seven days, Monday first


def iso(when: datetime) -> str:
    """A UTC instant as JavaScript's `toISOString` writes it."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass
class SimHeater:
    """One heating device in a room: heater, towel dryer, fireplace, furnace, module..."""

    home_id: str
    header: str
    room_id: int
    room_name: str
    category: str
    software_version: int
    mode: str
    comfort: float  # Manual setpoint, or Prog comfort setpoint
    schedule: WeekSchedule
    pv_bias: float
    report_offset: int  # seconds into each report period
    rssi: int
    online: bool = True
    offline_since: datetime | None = None

    def last_report(self, now: datetime) -> datetime:
        """When the heater last reported: every REPORT_PERIOD, at its own offset."""
        if not self.online and self.offline_since is not None:
            return self.offline_since
        stamp = now.timestamp() - self.report_offset
        stamp -= stamp % REPORT_PERIOD
        return datetime.fromtimestamp(stamp + self.report_offset, UTC)

    def base_setpoint(self, local: datetime) -> float:
        """The setpoint its mode gives at this local time, before derogations."""
        if self.mode == "Stop":
            return 0.0
        if self.mode == "Antifreeze":
            return ANTIFREEZE_SETPOINT
        if self.mode == "Manual":
            return self.comfort
        minute = local.hour * 60 + local.minute
        ranges = self.schedule[local.weekday()]
        if any(start <= minute < end for start, end in ranges):
            return self.comfort
        return self.comfort - ECO_OFFSET


@dataclass
class SimRoom:
    """A room and its heating devices."""

    room_id: int
    name: str
    heaters: list[SimHeater] = field(default_factory=list)


@dataclass(frozen=True)
class GatewayEntry:
    """The gateway as a "Gateway" item of the device list, in the room it sits in."""

    header: str
    room_id: int
    room_name: str
    software_version: int


@dataclass
class SimGateway:
    """The home's gateway; `history` lists (since, online) changes in time order."""

    token: str
    version: str
    installation_date: datetime
    history: list[tuple[datetime, bool]]
    entry: GatewayEntry | None = None  # listed among the devices, or not

    def online_at(self, when: datetime) -> bool:
        """Whether the gateway was (or will be) connected at this instant."""
        state = self.history[0][1]
        for since, online in self.history:
            if since > when:
                break
            state = online
        return state

    def last_ping(self, now: datetime) -> datetime:
        """Online: the last whole minute (it pings every minute); offline: when it left."""
        if self.online_at(now):
            return now.replace(second=0, microsecond=0)
        return max(
            (since for since, online in self.history if not online and since <= now),
            default=self.history[0][0],
        )

    def set_online(self, when: datetime, online: bool) -> None:
        """Record a change of connection at `when` (nothing if it is no change)."""
        if self.online_at(when) != online:
            self.history.append((when, online))
            self.history.sort(key=lambda item: item[0])


@dataclass
class SimUser:
    """The home's consenting user (personal data, fictitious)."""

    first_name: str
    last_name: str
    address: str
    zip_code: str
    city: str
    prm_id: str
    consent_date: datetime
    email: str


@dataclass
class SimHome:
    """A home shared with the partner; `gateway` is None for a home without one."""

    home_id: str
    created_at: datetime
    user: SimUser
    rooms: list[SimRoom]
    gateway: SimGateway | None

    @property
    def heaters(self) -> list[SimHeater]:
        """Every heating device of the home, room by room."""
        return [heater for room in self.rooms for heater in room.heaters]

    @property
    def devices(self) -> list[SimHeater | GatewayEntry]:
        """The device list as the API shows it: each room's heaters, then the gateway there."""
        entry = self.gateway.entry if self.gateway is not None else None
        devices: list[SimHeater | GatewayEntry] = []
        for room in self.rooms:
            devices.extend(room.heaters)
            if entry is not None and entry.room_id == room.room_id:
                devices.append(entry)
        return devices

    def room(self, room_id: int) -> SimRoom | None:
        """The room with this id, if the home has one."""
        return next((room for room in self.rooms if room.room_id == room_id), None)

    def gateway_online(self, when: datetime) -> bool:
        """Whether a gateway connects this home at this instant."""
        return self.gateway is not None and self.gateway.online_at(when)


@dataclass(frozen=True)
class StoredDerogation:
    """A derogation the cloud accepted, with its window as UTC instants."""

    derogation_id: str
    home_id: str
    room_id: int
    delta: int
    date: date
    start_time: int
    end_time: int
    starts_at: datetime
    ends_at: datetime
    start_trigger: str
    end_trigger: str

    def active(self, now: datetime) -> bool:
        """Whether `now` is inside the window."""
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class SimTrigger:
    """One scheduled fan-out of MQTT messages, one per targeted home."""

    trigger_id: str
    fires_at: datetime
    created_at: datetime
    home_ids: tuple[str, ...]

    def send_time(self, index: int) -> datetime:
        """When the message to the index-th home goes out (at once if already due)."""
        return max(self.fires_at, self.created_at) + index * SEND_SPACING


@dataclass(frozen=True)
class SimDiagnosis:
    """A diagnosis request and when its answer is due."""

    message_id: str
    home_id: str
    created_at: datetime
    ready_at: datetime
    accepted: bool


class ObjectIds:
    """ObjectIds like MongoDB makes them: timestamp, per-process random, counter."""

    def __init__(self, rng: random.Random) -> None:
        """Draw the per-process part and the counter start from the seeded generator."""
        self._random = rng.getrandbits(40)
        self._counter = rng.getrandbits(24)

    def object_id(self, when: datetime) -> str:
        """A fresh id stamped with `when`."""
        self._counter = (self._counter + 1) % (1 << 24)
        return f"{int(when.timestamp()):08x}{self._random:010x}{self._counter:06x}"
