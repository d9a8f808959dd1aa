"""The simulated Home SmartLink partner API, under `/partners/1/`.

The vendor's document (seeds/homesmartlink-partner-api.txt) gives the shapes;
this module answers with exactly those shapes, typos included: the result key
is `reponse` for config and invitations, `response` everywhere else; `pv` and
`deviceCount` are strings; the second `consentDate` of UserDTO (the contact
email) is emitted as `email`.

Choices where the document is silent:
- Ids: homes, derogations and triggers get 24-hex MongoDB ObjectIds (creation
  timestamp, one random value per simulator, a counter); heater headers are 12
  upper-case hex digits; gateway tokens 16 lower-case hex digits; diagnosis
  message ids UUIDs. All deterministic for the scenario seed, whatever the
  clock says at start, so a demo's configured home ids survive a restart.
- Dates are JavaScript ISO strings in UTC with milliseconds
  ("2026-11-23T09:00:00.000Z"), as a Node/MongoDB backend writes them.
- One consenting user per home, email `user{n}@example.com` (n from 1), so
  invitations for an email return that one home; emails match case-insensitively.
- Heaters are in Prog (with a week schedule) or Manual mode. In Prog mode the
  reported `sp` is the comfort setpoint inside a schedule range and comfort
  minus 3.5 degC (eco) outside, in the homes' local time. Stop reports sp 0 and
  Antifreeze sp 7; derogation deltas apply to heaters in Manual and Prog modes
  only (a stopped or frost-protected heater is not a comfort setpoint).
- `pv` is the effective setpoint plus a small fixed per-heater bias, as if the
  room had already reached it; heaters report every five minutes (`lastUpdate`).
- Derogation windows are local wall-clock times of their `date` in the
  scenario `timezone`; endTime 1440 is the next midnight. Windows in the past
  are accepted: their trigger messages go out at once. Overlapping derogations
  of one room add up.
- Each call to derogations makes one start trigger and one end trigger. A
  trigger sends one MQTT message per targeted home, 100 ms apart, when its time
  comes; a report lists only messages already sent (`first`/`last` are null
  before that). A message is acknowledged `ack_delay` seconds after sending if
  the home's gateway is online at that instant, otherwise never.
- GET users: page=1 and size=20 by default, no upper bound on size; values
  that are not integers >= 1 are a 400.
- Diagnosis: status NOK when the gateway is offline at request time; such a
  request stays FAILED. An accepted one is PENDING until `diagnosis_delay`
  seconds have passed, then DONE with a `diagnosis` member (gateway and device
  health as of that moment), or FAILED if the gateway was offline by then.
- Errors are RFC 7807 problems: 401 bad credentials, 400 malformed body or
  invalid derogation (the `detail` names the first violation, nothing is
  stored), 404 unknown home, trigger or message.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
import hmac
import json
import random
import re
from typing import TYPE_CHECKING, Any
import uuid
from zoneinfo import ZoneInfo

from aiohttp import web

from .problems import ProblemError

if TYPE_CHECKING:
    from .scenario import HomeSmartLinkScenario
    from .server import Simulator

PREFIX = "/partners/1"
MINUTES_PER_DAY = 1440
DEROGATION_STEP = 5
MAX_DELTA = 5
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the documented pattern
ECO_OFFSET = 3.5
ANTIFREEZE_SETPOINT = 7.0
REPORT_PERIOD = 300  # seconds between two heater reports
SEND_SPACING = timedelta(milliseconds=100)
OFFLINE_FOR = timedelta(days=4)  # beyond the documented 3 days of silence
# Ids and creation dates derive from this fixed instant, not from the clock, so a
# seed gives the same home ids at every start (a demo's configuration keeps working).
HISTORY_END = datetime(2025, 9, 1, tzinfo=UTC)
HEATING_MODES = frozenset({"Manual", "Prog"})
MODES = ("Stop", "Antifreeze", "Manual", "Prog")

ROOM_NAMES = (
    "Salon",
    "Cuisine",
    "Chambre 1",
    "Salle de bain",
    "Bureau",
    "Chambre 2",
    "Salle à manger",
    "Chambre 3",
    "Entrée",
    "Buanderie",
)
FIRST_NAMES = ("Camille", "Louis", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Arthur", "Inès")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")
STREETS = ("rue de la Paix", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Pasteur")
CITIES = (("Lyon", "69003"), ("Nantes", "44000"), ("Lille", "59000"), ("Rennes", "35000"))

Range = tuple[int, int]
WeekSchedule = tuple[tuple[Range, ...], ...]  # seven days, Monday first


def _week(weekday: tuple[Range, ...], weekend: tuple[Range, ...]) -> WeekSchedule:
    return (weekday,) * 5 + (weekend,) * 2


SCHEDULES: dict[str, WeekSchedule] = {
    "living": _week(((390, 480), (1050, 1320)), ((480, 1350),)),
    "bedroom": _week(((390, 450), (1140, 1350)), ((480, 600), (1140, 1380))),
    "bathroom": _week(((360, 480), (1140, 1260)), ((480, 660), (1140, 1260))),
    "office": _week(((480, 1080),), ()),
}


def iso(when: datetime) -> str:
    """A UTC instant as JavaScript's `toISOString` writes it."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


# -- state -------------------------------------------------------------------------


@dataclass
class SimHeater:
    """One heater (or towel dryer) in a room."""

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
    """A room and its heaters."""

    room_id: int
    name: str
    heaters: list[SimHeater] = field(default_factory=list)


@dataclass
class SimGateway:
    """The home's gateway; `history` lists (since, online) changes in time order."""

    token: str
    version: str
    installation_date: datetime
    history: list[tuple[datetime, bool]]

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
    """A home shared with the partner."""

    home_id: str
    created_at: datetime
    user: SimUser
    rooms: list[SimRoom]
    gateway: SimGateway

    @property
    def heaters(self) -> list[SimHeater]:
        """Every heater of the home, room by room."""
        return [heater for room in self.rooms for heater in room.heaters]

    def room(self, room_id: int) -> SimRoom | None:
        """The room with this id, if the home has one."""
        return next((room for room in self.rooms if room.room_id == room_id), None)


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


class _Ids:
    """ObjectIds like MongoDB makes them: timestamp, per-process random, counter."""

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.getrandbits(40)
        self._counter = rng.getrandbits(24)

    def object_id(self, when: datetime) -> str:
        self._counter = (self._counter + 1) % (1 << 24)
        return f"{int(when.timestamp()):08x}{self._random:010x}{self._counter:06x}"


# -- world building ----------------------------------------------------------------


def _room_kind(name: str) -> str:
    if name.startswith("Chambre"):
        return "bedroom"
    if name == "Salle de bain":
        return "bathroom"
    if name == "Bureau":
        return "office"
    return "living"


def _room_name(index: int) -> str:
    return ROOM_NAMES[index] if index < len(ROOM_NAMES) else f"Pièce {index + 1}"


def _build_heater(
    rng: random.Random, home_id: str, room: SimRoom, first_in_home: bool
) -> SimHeater:
    kind = _room_kind(room.name)
    mode = "Prog" if first_in_home else rng.choice(("Prog", "Prog", "Manual"))
    comfort = 22.0 if kind == "bathroom" else rng.choice((19.0, 19.5, 20.0, 20.5, 21.0))
    return SimHeater(
        home_id=home_id,
        header=f"{rng.getrandbits(48):012X}",
        room_id=room.room_id,
        room_name=room.name,
        category="TowelDryier" if kind == "bathroom" else "Heater",
        software_version=rng.choice((118, 121, 124)),
        mode=mode,
        comfort=comfort,
        schedule=SCHEDULES[kind],
        pv_bias=rng.choice((-0.5, -0.3, 0.0, 0.2, 0.4)),
        report_offset=rng.randrange(REPORT_PERIOD),
        rssi=-rng.randint(45, 85),
    )


def _build_home(
    config: HomeSmartLinkScenario, rng: random.Random, ids: _Ids, number: int, built_at: datetime
) -> SimHome:
    created_at = HISTORY_END - timedelta(days=rng.randint(0, 900), seconds=rng.randrange(86400))
    home_id = ids.object_id(created_at)
    city, zip_code = rng.choice(CITIES)
    user = SimUser(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        zip_code=zip_code,
        city=city,
        prm_id=f"{rng.randrange(10**13, 10**14):014d}",
        consent_date=created_at + timedelta(days=rng.randint(1, 30)),
        email=f"user{number}@example.com",
    )
    rooms = [
        SimRoom(room_id=index + 1, name=_room_name(index)) for index in range(config.rooms_per_home)
    ]
    for room in rooms:
        for _ in range(config.heaters_per_room):
            room.heaters.append(
                _build_heater(rng, home_id, room, first_in_home=not any(r.heaters for r in rooms))
            )
    heaters = [heater for room in rooms for heater in room.heaters]
    for heater in heaters[len(heaters) - min(config.offline_heaters, len(heaters)) :]:
        heater.online = False
        heater.offline_since = built_at - OFFLINE_FOR - timedelta(seconds=heater.report_offset)
    installed = created_at + timedelta(days=rng.randint(0, 10), seconds=rng.randrange(86400))
    since = built_at if config.gateway_online else built_at - OFFLINE_FOR
    gateway = SimGateway(
        token=f"{rng.getrandbits(64):016x}",
        version=rng.choice(("2.3.8", "2.4.1", "2.5.0")),
        installation_date=installed,
        history=[(since, config.gateway_online)],
    )
    return SimHome(home_id, created_at, user, rooms, gateway)


# -- request helpers ---------------------------------------------------------------


async def _json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object, or a 400 problem."""
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise ProblemError(400, "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ProblemError(400, "The body must be a JSON object")
    return body


def _string_member(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ProblemError(400, f"'{name}' is required and must be a non-empty string")
    return value


def _positive_query(request: web.Request, name: str, default: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ProblemError(400, f"'{name}' must be an integer >= 1") from None
    if value < 1:
        raise ProblemError(400, f"'{name}' must be an integer >= 1")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- the cloud ---------------------------------------------------------------------


class HomeSmartLinkCloud:
    """Routes and state of the simulated partner API."""

    def __init__(self, sim: Simulator) -> None:
        """Build the homes deterministically from the scenario and its seed."""
        self.sim = sim
        self.config = sim.scenario.homesmartlink
        self.timezone = ZoneInfo(self.config.timezone)
        rng = random.Random(sim.scenario.seed)
        self._rng = rng
        self._ids = _Ids(rng)
        built_at = sim.clock.now()
        self._homes: dict[str, SimHome] = {}
        for number in range(1, self.config.homes + 1):
            home = _build_home(self.config, rng, self._ids, number, built_at)
            self._homes[home.home_id] = home
        self._derogations: list[StoredDerogation] = []
        self._triggers: dict[str, SimTrigger] = {}
        self._diagnoses: dict[str, SimDiagnosis] = {}

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes this cloud serves."""
        return [
            web.post(f"{PREFIX}/config", self._handle_config),
            web.post(f"{PREFIX}/invitations", self._handle_invitations),
            web.post(f"{PREFIX}/derogations", self._handle_derogations),
            web.post(f"{PREFIX}/report", self._handle_report),
            web.get(f"{PREFIX}/users", self._handle_users),
            web.post(f"{PREFIX}/request", self._handle_diagnosis_request),
            web.put(f"{PREFIX}/request", self._handle_diagnosis_result),
        ]

    # -- helpers for tests and the demo ------------------------------------------

    @property
    def home_ids(self) -> list[str]:
        """The ids of every home, in scenario order (the home of user1 first)."""
        return list(self._homes)

    @property
    def homes(self) -> list[SimHome]:
        """Every home, in scenario order."""
        return list(self._homes.values())

    def home(self, home_id: str) -> SimHome:
        """One home; KeyError if unknown."""
        return self._homes[home_id]

    def heater(self, header: str) -> SimHeater:
        """One heater by its header, in any home; KeyError if unknown."""
        for home in self._homes.values():
            for heater in home.heaters:
                if heater.header == header:
                    return heater
        raise KeyError(header)

    @property
    def derogations(self) -> list[StoredDerogation]:
        """Every derogation accepted so far, oldest first."""
        return list(self._derogations)

    @property
    def triggers(self) -> dict[str, SimTrigger]:
        """Every trigger made so far, by id."""
        return dict(self._triggers)

    def set_gateway_online(self, home_id: str, online: bool) -> None:
        """Connect or disconnect a home's gateway from now on."""
        self._homes[home_id].gateway.set_online(self.sim.clock.now(), online)

    def set_heater_online(self, header: str, online: bool) -> None:
        """Make a heater report again, or fall silent from its last report."""
        heater = self.heater(header)
        if heater.online == online:
            return
        if not online:
            heater.offline_since = heater.last_report(self.sim.clock.now())
        heater.online = online

    def set_heater_mode(self, header: str, mode: str, comfort: float | None = None) -> None:
        """Change a heater's mode (as its owner would), and optionally its comfort setpoint."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
        heater = self.heater(header)
        heater.mode = mode
        if comfort is not None:
            heater.comfort = comfort

    def setpoint(self, heater: SimHeater, now: datetime | None = None) -> float:
        """The setpoint the heater reports: its mode's, plus the active derogations."""
        now = now or self.sim.clock.now()
        value = heater.base_setpoint(now.astimezone(self.timezone))
        if heater.mode in HEATING_MODES:
            value += sum(
                derogation.delta
                for derogation in self._derogations
                if derogation.home_id == heater.home_id
                and derogation.room_id == heater.room_id
                and derogation.active(now)
            )
        return value

    def temperature(self, heater: SimHeater, now: datetime | None = None) -> float:
        """The room temperature the heater reads: near its setpoint when heating."""
        if heater.mode in HEATING_MODES:
            base = self.setpoint(heater, now)
        else:
            base = 12.0 if heater.mode == "Antifreeze" else 15.0
        return round(base + heater.pv_bias, 1)

    # -- DTOs ---------------------------------------------------------------------

    def _device_dto(self, heater: SimHeater, now: datetime) -> dict[str, Any]:
        dto: dict[str, Any] = {
            "header": heater.header,
            "roomId": heater.room_id,
            "roomName": heater.room_name,
            "softwareVersion": heater.software_version,
            "category": heater.category,
            "online": heater.online,
        }
        if not heater.online:
            return dto
        dto["mode"] = heater.mode
        dto["sp"] = self.setpoint(heater, now)
        dto["pv"] = f"{self.temperature(heater, now):.1f}"
        dto["lastUpdate"] = iso(heater.last_report(now))
        if heater.mode == "Prog":
            dto["weekSchedule"] = [
                [{"start": start, "end": end} for start, end in day] for day in heater.schedule
            ]
        return dto

    @staticmethod
    def _gateway_dto(gateway: SimGateway, now: datetime) -> dict[str, Any]:
        return {
            "token": gateway.token,
            "version": gateway.version,
            "lastPing": iso(gateway.last_ping(now)),
            "installationDate": iso(gateway.installation_date),
        }

    def _invitation_dto(self, home: SimHome, now: datetime) -> dict[str, Any]:
        return {
            "_id": home.home_id,
            "email": home.user.email,
            "creationDate": iso(home.created_at),
            "role": 2,
            "city": home.user.city,
            "gatewayEnabled": home.gateway.online_at(now),
            "hasGateway": True,
            "rooms": [
                {
                    "name": room.name,
                    "roomNumber": room.room_id,
                    "deviceCount": str(len(room.heaters)),
                    "accessories": [heater.header for heater in room.heaters],
                }
                for room in home.rooms
            ],
        }

    @staticmethod
    def _user_dto(home: SimHome) -> dict[str, Any]:
        user = home.user
        return {
            "homeId": home.home_id,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "address": user.address,
            "zipCode": user.zip_code,
            "city": user.city,
            "prmId": user.prm_id,
            "consentDate": iso(user.consent_date),
            "email": user.email,
        }

    # -- authentication -----------------------------------------------------------

    def _authorise(self, request: web.Request) -> str:
        """Check HTTP Basic credentials, then spend one request of the client's budget."""
        client_id = self._basic_client(request.headers.get("Authorization", ""))
        if client_id is None:
            raise ProblemError(
                401,
                "Missing or invalid Basic credentials",
                headers={"WWW-Authenticate": 'Basic realm="partners"'},
            )
        self.sim.check_rate_limit(client_id)
        return client_id

    def _basic_client(self, header: str) -> str | None:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        expected_id, expected_secret = self.config.client_id, self.config.client_secret
        if not sep:
            return None
        id_ok = hmac.compare_digest(client_id.encode(), expected_id.encode())
        secret_ok = hmac.compare_digest(secret.encode(), expected_secret.encode())
        return client_id if id_ok and secret_ok else None

    @staticmethod
    def _answer(client_id: str, **members: Any) -> web.Response:
        return web.json_response(
            {"authorisation": {"type": "BASIC", "client": client_id}, **members}
        )

    def _known_home(self, home_id: str) -> SimHome:
        home = self._homes.get(home_id)
        if home is None:
            raise ProblemError(404, f"Home {home_id} not found or not shared with this partner")
        return home

    # -- endpoints ----------------------------------------------------------------

    async def _handle_config(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        home = self._known_home(_string_member(await _json_object(request), "homeId"))
        now = self.sim.clock.now()
        return self._answer(
            client_id,
            reponse=[self._device_dto(heater, now) for heater in home.heaters],
            gateway=self._gateway_dto(home.gateway, now),
        )

    async def _handle_invitations(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        email = _string_member(await _json_object(request), "email").casefold()
        now = self.sim.clock.now()
        homes = [home for home in self._homes.values() if home.user.email.casefold() == email]
        return self._answer(client_id, reponse=[self._invitation_dto(h, now) for h in homes])

    async def _handle_users(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        page = _positive_query(request, "page", 1)
        size = _positive_query(request, "size", 20)
        homes = list(self._homes.values())[(page - 1) * size : page * size]
        return self._answer(client_id, response=[self._user_dto(home) for home in homes])

    async def _handle_derogations(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        items = self._validate_derogations(await _json_object(request))
        now = self.sim.clock.now()
        first = items[0]
        day = date.fromisoformat(first["date"])
        starts_at = self._local_instant(day, first["startTime"])
        ends_at = self._local_instant(day, first["endTime"])
        home_ids = tuple(dict.fromkeys(item["homeId"] for item in items))
        start = SimTrigger(self._ids.object_id(now), starts_at, now, home_ids)
        end = SimTrigger(self._ids.object_id(now), ends_at, now, home_ids)
        self._triggers[start.trigger_id] = start
        self._triggers[end.trigger_id] = end
        stored = [
            StoredDerogation(
                derogation_id=self._ids.object_id(now),
                home_id=item["homeId"],
                room_id=int(item["roomId"]),
                delta=item["delta"],
                date=day,
                start_time=item["startTime"],
                end_time=item["endTime"],
                starts_at=starts_at,
                ends_at=ends_at,
                start_trigger=start.trigger_id,
                end_trigger=end.trigger_id,
            )
            for item in items
        ]
        self._derogations.extend(stored)
        return self._answer(
            client_id,
            response=[derogation.derogation_id for derogation in stored],
            startTrigger=start.trigger_id,
            endTrigger=end.trigger_id,
        )

    async def _handle_report(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        trigger_id = _string_member(await _json_object(request), "trigger")
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise ProblemError(404, f"Trigger {trigger_id} not found")
        return self._answer(client_id, response=self._report(trigger, self.sim.clock.now()))

    async def _handle_diagnosis_request(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        home = self._known_home(_string_member(await _json_object(request), "homeId"))
        now = self.sim.clock.now()
        diagnosis = SimDiagnosis(
            message_id=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            home_id=home.home_id,
            created_at=now,
            ready_at=now + timedelta(seconds=self.config.diagnosis_delay),
            accepted=home.gateway.online_at(now),
        )
        self._diagnoses[diagnosis.message_id] = diagnosis
        status = "OK" if diagnosis.accepted else "NOK"
        return self._answer(
            client_id, response={"status": status, "messageId": diagnosis.message_id}
        )

    async def _handle_diagnosis_result(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        message_id = _string_member(await _json_object(request), "messageId")
        diagnosis = self._diagnoses.get(message_id)
        if diagnosis is None:
            raise ProblemError(404, f"Message {message_id} not found")
        return self._answer(client_id, response=self._diagnosis_result(diagnosis))

    # -- derogations ---------------------------------------------------------------

    def _validate_derogations(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The derogations of a valid body; a 400 naming the first violation otherwise."""
        items = body.get("derogations")
        if not isinstance(items, list) or not items:
            raise ProblemError(400, "'derogations' must be a non-empty array")
        for index, item in enumerate(items):
            self._validate_derogation(f"derogations[{index}]", item)
        first = items[0]
        for index, item in enumerate(items[1:], start=1):
            for name in ("startTime", "endTime", "date"):
                if item[name] != first[name]:
                    raise ProblemError(
                        400,
                        f"derogations[{index}].{name}: all derogations must share the same "
                        "startTime, endTime and date",
                    )
        return items

    def _validate_derogation(self, where: str, item: Any) -> None:
        if not isinstance(item, dict):
            raise ProblemError(400, f"{where}: must be an object")
        for name in ("homeId", "roomId", "startTime", "endTime", "delta", "date"):
            if name not in item:
                raise ProblemError(400, f"{where}.{name} is required")
        home_id = item["homeId"]
        if not isinstance(home_id, str):
            raise ProblemError(400, f"{where}.homeId must be a string")
        home = self._homes.get(home_id)
        if home is None:
            raise ProblemError(400, f"{where}.homeId: unknown home {home_id}")
        room_id = item["roomId"]
        if isinstance(room_id, bool) or not isinstance(room_id, int | float):
            raise ProblemError(400, f"{where}.roomId must be a number")
        if room_id != int(room_id) or home.room(int(room_id)) is None:
            raise ProblemError(400, f"{where}.roomId: no room {room_id} in home {home_id}")
        delta = item["delta"]
        if not _is_int(delta) or not -MAX_DELTA <= delta <= MAX_DELTA:
            raise ProblemError(400, f"{where}.delta must be an integer from -5 to 5")
        for name in ("startTime", "endTime"):
            value = item[name]
            if not _is_int(value) or not 0 <= value <= MINUTES_PER_DAY:
                raise ProblemError(400, f"{where}.{name} must be an integer from 0 to 1440")
            if value % DEROGATION_STEP:
                raise ProblemError(400, f"{where}.{name} must be a multiple of 5")
        if item["endTime"] <= item["startTime"]:
            raise ProblemError(400, f"{where}.endTime must be after startTime")
        self._validate_date(where, item["date"])

    @staticmethod
    def _validate_date(where: str, value: Any) -> None:
        valid = isinstance(value, str) and FULL_DATE.fullmatch(value) is not None
        if valid:
            try:
                date.fromisoformat(value)
            except ValueError:
                valid = False
        if not valid:
            raise ProblemError(400, f"{where}.date must be an ISO 8601 full-date (YYYY-MM-DD)")

    def _local_instant(self, day: date, minutes: int) -> datetime:
        """A derogation time (minutes into a local day) as a UTC instant."""
        midnight = datetime.combine(day, time(0), tzinfo=self.timezone)
        return (midnight + timedelta(minutes=minutes)).astimezone(UTC)

    # -- report and diagnosis -------------------------------------------------------

    def _report(self, trigger: SimTrigger, now: datetime) -> dict[str, Any]:
        details: list[dict[str, Any]] = []
        sent_times: list[datetime] = []
        for index, home_id in enumerate(trigger.home_ids):
            sent_at = trigger.send_time(index)
            if sent_at > now:
                continue
            acked_at = sent_at + timedelta(seconds=self.config.ack_delay)
            gateway = self._homes[home_id].gateway
            acknowledged = acked_at <= now and gateway.online_at(acked_at)
            details.append({"acknowledge": acknowledged, "homeId": home_id, "sendAt": iso(sent_at)})
            sent_times.append(sent_at)
        return {
            "summary": {
                "requested": len(trigger.home_ids),
                "sent": len(details),
                "received": sum(1 for detail in details if detail["acknowledge"]),
                "first": iso(min(sent_times)) if sent_times else None,
                "last": iso(max(sent_times)) if sent_times else None,
            },
            "details": details,
        }

    def _diagnosis_result(self, diagnosis: SimDiagnosis) -> dict[str, Any]:
        now = self.sim.clock.now()
        result: dict[str, Any] = {"_created_at": iso(diagnosis.created_at), "acknowledge": False}
        home = self._homes[diagnosis.home_id]
        if not diagnosis.accepted:
            return {**result, "status": "FAILED"}
        if now < diagnosis.ready_at:
            return {**result, "status": "PENDING"}
        if not home.gateway.online_at(diagnosis.ready_at):
            return {**result, "status": "FAILED"}
        return {
            **result,
            "acknowledge": True,
            "status": "DONE",
            "diagnosis": self._diagnosis_body(home, diagnosis.ready_at),
        }

    def _diagnosis_body(self, home: SimHome, at: datetime) -> dict[str, Any]:
        gateway = home.gateway
        return {
            "homeId": home.home_id,
            "gateway": {**self._gateway_dto(gateway, at), "online": gateway.online_at(at)},
            "devices": [
                {
                    "header": heater.header,
                    "roomId": heater.room_id,
                    "roomName": heater.room_name,
                    "category": heater.category,
                    "softwareVersion": heater.software_version,
                    "online": heater.online,
                    "lastUpdate": iso(heater.last_report(at)),
                    "rssi": heater.rssi,
                }
                for heater in home.heaters
            ],
        }
