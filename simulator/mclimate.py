"""The simulated MClimate cloud: OAuth2 sign-in, token exchange and the HAL API.

Shapes follow the vendor's document (seeds/mclimate-api.txt). Where it is
silent or contradicts itself, this simulator decides as follows:

- Sign-in lives at /oauth/authorize (the real page is auth.seemelissa.com/).
  No redirect URI is registered for the simulated client, so `redirect_uri`
  is required there. Codes live ten minutes and work once. At the token
  endpoint `redirect_uri` stays optional, but when sent it must equal the
  authorize one. `grant_type` and the documented misspelling `grent_type` are
  both read; each one sent must be "authorization_code". Client errors carry an
  OAuth `error` member (invalid_request, invalid_client, invalid_grant,
  unsupported_grant_type) next to the RFC 7807 members.
- No refresh token is documented, so none is issued: an expired or revoked
  access token can only be replaced by signing in again.
- A missing Authorization header, and a bare "Bearer" without a token (the
  document's own sample call), answer the documented `missingHeader` body.
- `total` in a collection is the number of entities in *this* answer, as the
  document defines it. `self` is the URL as requested; `first` and `last`
  keep the request's other parameters and end with `page=N`. A page past the
  last one, or a filter that matches nothing, answers the entity HAL shape
  with no `_embedded`, no `total` and only a `self` link ("an empty response
  following the entity HAL format"). `limit` accepts 1 to 100.
- Filters, `sort` (comma separated, `-` for descending) and `fields` must
  name fields of the resource, else 400. Only `fields` is accepted on an
  entity. `online=true|false|1|0` filters booleans.
- `_relation` appears on Melissa controllers only. The entity answer adds
  `command_log`: the last IR command as received (flat or nested form, without
  `serial_number`) plus its `created` time. The `/v1/controller/{serial}` link
  template of users/me is served as an alias of `/v1/controllers/{serial}`.
- Fetching from or sending to an offline controller answers 409 "Controller
  offline": the cloud itself works, so a 5xx would be wrong, and a 200 with an
  empty `provider` would look like a device without sensors. A 4xx with its
  own status lets a client mark just that device unavailable.
- Provider values (deterministic for the seed and the simulated clock):
  rooms follow a daily cycle and drift towards what the devices do (an AC in
  heat or cool mode, a radiator valve's target) with a first-order lag. Melissa
  raw values are the SHT sensor encodings of the reported values. Vicki
  `uptime` is seconds since boot; `motorPosition` maps the target linearly
  onto `motorRange` (5 degC closed, 30 degC fully open). A smart plug answers
  `{"online": true, "power": "on"|"off"}`, mirroring its `switch_on_off` values.
- /v1/providers/send (the document's curl samples) is an alias of
  /v1/provider/send. `set_read_mode`, seen in one curl sample with meaningless
  values, is not a known command. Vicki has no documented command; the
  simulator serves `set_motor_position` with `position` (or `target`) 5 to 30.
  `switch_on_off` and `set_motor_position` answer the device's new data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import hmac
from html import escape
import json
import math
import random
import secrets
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from aiohttp import web
from yarl import URL

from .problems import ProblemError

if TYPE_CHECKING:
    from .scenario import MClimateScenario
    from .server import Simulator

CONTROLLER_TYPES: Final = ("melissa", "bobbie", "vicki", "smart_plug")
PAGE_SIZE: Final = 30
MAX_LIMIT: Final = 100
CODE_LIFETIME: Final = 600.0
TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S"

# Fields of the controllers resource: usable in filters and `sort`.
SCALAR_FIELDS: Final = (
    "user_id",
    "serial_number",
    "mac",
    "firmware_version",
    "name",
    "type",
    "id",
    "room_id",
    "online",
    "brand_id",
    "created",
)
LIST_FIELDS: Final = ("controller_log",)
COLLECTION_FIELDS: Final = (*SCALAR_FIELDS, *LIST_FIELDS, "_relation")
ENTITY_FIELDS: Final = (*COLLECTION_FIELDS, "command_log")
COLLECTION_PARAMS: Final = ("page", "limit", "fields", "sort")

# Documented Melissa IR ranges: state, mode, temp, fan.
IR_RANGES: Final = {"state": (0, 2), "mode": (0, 4), "temp": (16, 30), "fan": (0, 3)}
MELISSA_ON, MODE_AUTO, MODE_FAN, MODE_HEAT, MODE_COOL, MODE_DRY = 1, 0, 1, 2, 3, 4
VICKI_MIN, VICKI_MAX = 5, 30
AC_OFF: Final = {"state": 0, "mode": 0, "temp": 22, "fan": 0}
# Shares of the generated world.
NO_ROOM_SHARE, BOBBIE_ON_SHARE, PLUG_ON_SHARE = 0.2, 0.7, 0.5

FIRMWARE: Final = {
    "melissa": "V1SHTHF",
    "bobbie": "V1BOBBIE",
    "vicki": "V3.3",
    "smart_plug": "V1SP",
}
LABELS: Final = {
    "melissa": "Melissa",
    "bobbie": "Bobbie",
    "vicki": "Vicki",
    "smart_plug": "Smart Plug",
}
MAC_PREFIX: Final = {
    "melissa": "ACCF23",
    "bobbie": "5ECF7F",
    "vicki": "70B3D5",
    "smart_plug": "84F3EB",
}
SERIAL_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SEND_HREF: Final = "/v1/provider/send"
FETCH_HREF: Final = "/v1/provider/fetch"
OAUTH_ERROR_STATUS: Final = {"invalid_client": 401}


# -- physics -------------------------------------------------------------------------


def _diurnal(now: float, amplitude: float, peak_hour: float = 15.0) -> float:
    """A daily swing peaking at `peak_hour` UTC."""
    return amplitude * math.cos(2 * math.pi * (now / 86400 - peak_hour / 24))


@dataclass
class Lag:
    """A value pulled towards a goal with a first-order lag (no jumps on changes).

    `offset` is how far the value was from its free-running level at `since`;
    the offset then moves towards `goal - free` with time constant `tau`.
    """

    tau: float
    since: float
    offset: float = 0.0

    def value(self, free: float, goal: float | None, now: float) -> float:
        """The current value for this free-running level and goal."""
        target = 0.0 if goal is None else goal - free
        weight = math.exp(-max(0.0, now - self.since) / self.tau)
        return free + target + (self.offset - target) * weight

    def settle(self, free: float, goal: float | None, now: float) -> None:
        """Freeze the current value before the goal changes."""
        self.offset = self.value(free, goal, now) - free
        self.since = now


# -- state ---------------------------------------------------------------------------


@dataclass
class SimUser:
    """The household account (users/me)."""

    user_id: int
    username: str
    firstname: str
    lastname: str
    phone: str
    role: str
    country_id: int
    created: str

    def resource(self) -> dict[str, Any]:
        """The documented `users` member."""
        return {
            "user_id": self.user_id,
            "username": self.username,
            "firstname": self.firstname,
            "lastname": self.lastname,
            "phone": self.phone,
            "role": self.role,
            "country_id": self.country_id,
            "created": self.created,
        }


@dataclass
class MelissaState:
    """An IR air-conditioner controller, its room and the AC state it assumes."""

    relation_id: int
    codeset_id: int
    led_state: int
    temperature_offset: int
    humidity_offset: int
    base_temperature: float
    base_humidity: float
    room: Lag
    ac: dict[str, int] = field(
        default_factory=lambda: {"state": 0, "mode": 0, "temp": 22, "fan": 0}
    )
    command_log: list[dict[str, Any]] = field(default_factory=list)

    def free_temperature(self, now: float) -> float:
        """The room without the AC."""
        return self.base_temperature + _diurnal(now, 1.5)

    def goal(self, now: float) -> float | None:
        """Where the AC pulls the room, if it runs in a thermal mode."""
        if self.ac["state"] != MELISSA_ON:
            return None
        free, setpoint = self.free_temperature(now), float(self.ac["temp"])
        mode = self.ac["mode"]
        if mode == MODE_HEAT:
            return max(free, setpoint)
        if mode in (MODE_COOL, MODE_DRY):
            return min(free, setpoint)
        if mode == MODE_AUTO:
            return setpoint
        return None

    def temperature(self, now: float) -> float:
        """The room temperature the sensor reads."""
        return self.room.value(self.free_temperature(now), self.goal(now), now)

    def humidity(self, now: float) -> float:
        """Relative humidity: lower when warmer, lower still while drying."""
        value = self.base_humidity - _diurnal(now, 4.0)
        if self.ac["state"] == MELISSA_ON and self.ac["mode"] == MODE_DRY:
            value -= 10.0
        return min(95.0, max(15.0, value))


@dataclass
class BobbieState:
    """A water-heater relay with energy metering and three temperature probes."""

    relay_on: bool
    power_kw: float
    energy_kwh: float  # at `since`
    since: float
    base_cold: float
    base_home: float
    phase: float
    tank: Lag
    tank_start: float

    def hot_goal(self) -> float:
        """The heating element heats the tank to 60 degC; off, it cools towards 35."""
        return 60.0 if self.relay_on else 35.0

    def hot(self, now: float) -> float:
        """Hot pipe temperature."""
        return self.tank.value(self.tank_start, self.hot_goal(), now)

    def energy(self, now: float) -> float:
        """Metered energy: grows while the relay is on."""
        if not self.relay_on:
            return self.energy_kwh
        return self.energy_kwh + self.power_kw * max(0.0, now - self.since) / 3600

    def voltage(self, now: float) -> float:
        """Mains voltage wandering around 230 V."""
        return 230.0 + 3.0 * math.sin(2 * math.pi * now / 3600 + self.phase)

    def switch(self, on: bool, now: float) -> None:
        """Change the relay, keeping energy and temperature continuous."""
        self.tank.settle(self.tank_start, self.hot_goal(), now)
        self.energy_kwh = self.energy(now)
        self.since = now
        self.relay_on = on


@dataclass
class VickiState:
    """A radiator valve: a target on its display and a motor opening the valve."""

    target: int
    motor_range: int
    battery_voltage: float
    ip: str
    port: int
    booted_at: float
    base_temperature: float
    base_humidity: float
    room: Lag

    def motor_position(self) -> int:
        """The valve opening for the target, linear over the motor range."""
        return round(self.motor_range * (self.target - VICKI_MIN) / (VICKI_MAX - VICKI_MIN))

    def free_temperature(self, now: float) -> float:
        """The room without the radiator."""
        return self.base_temperature + _diurnal(now, 0.8)

    def temperature(self, now: float) -> float:
        """A radiator only heats: the room rises towards the target, never falls to it."""
        free = self.free_temperature(now)
        return self.room.value(free, max(free, float(self.target)), now)

    def set_target(self, target: int, now: float) -> None:
        """Change the target, keeping the room temperature continuous."""
        free = self.free_temperature(now)
        self.room.settle(free, max(free, float(self.target)), now)
        self.target = target


@dataclass
class SmartPlugState:
    """A relay and nothing else."""

    relay_on: bool


type DeviceState = MelissaState | BobbieState | VickiState | SmartPlugState
type CommandHandler = Callable[[SimController, dict[str, Any]], Any]


@dataclass
class SimController:
    """One controller of the household."""

    id: int
    user_id: int
    serial_number: str
    mac: str
    firmware_version: str
    name: str
    type: str
    room_id: int | None
    online: bool
    brand_id: int | None
    created: str
    device: DeviceState
    controller_log: list[dict[str, Any]] = field(default_factory=list)

    def resource(self) -> dict[str, Any]:
        """The controller as the API shows it (without `_links`)."""
        data: dict[str, Any] = {
            "user_id": self.user_id,
            "serial_number": self.serial_number,
            "mac": self.mac,
            "firmware_version": self.firmware_version,
            "name": self.name,
            "type": self.type,
            "id": self.id,
            "room_id": self.room_id,
            "online": self.online,
            "brand_id": self.brand_id,
            "controller_log": list(self.controller_log),
            "created": self.created,
        }
        if isinstance(self.device, MelissaState):
            data["_relation"] = {
                "melissa": {
                    "id": self.device.relation_id,
                    "controller_id": self.id,
                    "codeset_id": self.device.codeset_id,
                    "led_state": self.device.led_state,
                    "temperature_offset": self.device.temperature_offset,
                    "humidity_offset": self.device.humidity_offset,
                }
            }
        return data

    def href(self) -> str:
        """The controller's own link."""
        return f"/v1/controllers/{self.serial_number}"


@dataclass
class AuthCode:
    """An authorization code waiting for its one exchange."""

    client_id: str
    redirect_uri: str | None
    expires_at: float


@dataclass
class AccessToken:
    """An issued access token."""

    client_id: str
    expires_at: float
    revoked: bool = False


class _PageError(Exception):
    """A sign-in request the page must refuse (shown as HTML, not RFC 7807)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- world building ------------------------------------------------------------------


class _WorldBuilder:
    """Builds the user and controllers from the scenario, deterministically for the seed."""

    def __init__(self, scenario: MClimateScenario, seed: int, now: float) -> None:
        self.scenario = scenario
        self.rng = random.Random(seed)
        self.now = now
        self.serials: set[str] = set()
        self.macs: set[str] = set()

    def user(self) -> SimUser:
        rng = self.rng
        created = datetime(2017, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 10**8))
        return SimUser(
            user_id=rng.randint(100, 9999),
            username=self.scenario.username,
            firstname="Demo",
            lastname="Household",
            phone="",
            role="1",
            country_id=4308,
            created=created.strftime(TIME_FORMAT),
        )

    def controllers(self, user_id: int) -> dict[str, SimController]:
        sc = self.scenario
        counts = {"melissa": sc.melissa, "bobbie": sc.bobbie, "vicki": sc.vicki}
        counts["smart_plug"] = sc.smart_plug
        kinds = [kind for kind in CONTROLLER_TYPES for _ in range(max(0, counts[kind]))]
        first_id = self.rng.randint(500, 900)
        created = datetime(2018, 1, 1, 8, tzinfo=UTC)
        offline_from = len(kinds) - max(0, sc.offline_devices)
        result: dict[str, SimController] = {}
        for index, kind in enumerate(kinds):
            created += timedelta(days=self.rng.randint(1, 20), seconds=self.rng.randint(0, 86399))
            controller = self.controller(kind, first_id + index, user_id, created)
            controller.online = index < offline_from
            result[controller.serial_number] = controller
        return result

    def controller(self, kind: str, ident: int, user_id: int, created: datetime) -> SimController:
        rng = self.rng
        serial = self._unique(self.serials, lambda: "".join(rng.choices(SERIAL_ALPHABET, k=11)))
        mac = self._unique(self.macs, lambda: MAC_PREFIX[kind] + f"{rng.randrange(16**6):06X}")
        return SimController(
            id=ident,
            user_id=user_id,
            serial_number=serial,
            mac=mac,
            firmware_version=FIRMWARE[kind],
            name=f"{LABELS[kind]} {serial[:6]}",
            type=kind,
            room_id=None if rng.random() < NO_ROOM_SHARE else rng.randint(1, 12),
            online=True,
            brand_id=rng.randint(1, 40) if kind == "melissa" else None,
            created=created.strftime(TIME_FORMAT),
            device=self.device(kind),
        )

    def device(self, kind: str) -> DeviceState:
        rng, now = self.rng, self.now
        if kind == "melissa":
            return MelissaState(
                relation_id=rng.randint(20000, 40000),
                codeset_id=rng.randint(1, 400),
                led_state=1,
                temperature_offset=rng.randint(0, 20),
                humidity_offset=rng.randint(0, 20),
                base_temperature=round(rng.uniform(20.0, 24.0), 1),
                base_humidity=round(rng.uniform(40.0, 55.0), 1),
                room=Lag(tau=900.0, since=now),
            )
        if kind == "bobbie":
            return BobbieState(
                relay_on=rng.random() < BOBBIE_ON_SHARE,
                power_kw=rng.choice((1.5, 2.0, 2.4, 3.0)),
                energy_kwh=round(rng.uniform(120.0, 2400.0), 3),
                since=now,
                base_cold=round(rng.uniform(9.0, 14.0), 1),
                base_home=round(rng.uniform(16.0, 22.0), 1),
                phase=rng.uniform(0, 2 * math.pi),
                tank=Lag(tau=3600.0, since=now),
                tank_start=round(rng.uniform(45.0, 55.0), 1),
            )
        if kind == "vicki":
            return VickiState(
                target=rng.randint(18, 22),
                motor_range=rng.randint(450, 650),
                battery_voltage=round(rng.uniform(3.0, 3.6), 2),
                ip=f"192.168.{rng.randint(0, 5)}.{rng.randint(2, 254)}",
                port=rng.randint(40000, 60999),
                booted_at=now - rng.randint(3600, 30 * 86400),
                base_temperature=round(rng.uniform(17.0, 21.0), 1),
                base_humidity=round(rng.uniform(35.0, 55.0), 1),
                room=Lag(tau=7200.0, since=now),
            )
        return SmartPlugState(relay_on=rng.random() < PLUG_ON_SHARE)

    @staticmethod
    def _unique(taken: set[str], make: Callable[[], str]) -> str:
        value = make()
        while value in taken:
            value = make()
        taken.add(value)
        return value


# -- provider data -------------------------------------------------------------------


def provider_data(controller: SimController, now: float) -> dict[str, Any]:
    """What /provider/fetch answers for this controller at this instant."""
    device = controller.device
    if isinstance(device, MelissaState):
        temp, humidity = round(device.temperature(now), 1), round(device.humidity(now), 1)
        return {
            "temp": temp,
            "raw_temperature": round((temp + 45) * 65535 / 175),
            "humidity": humidity,
            "raw_humidity": round(humidity * 65535 / 100),
        }
    if isinstance(device, BobbieState):
        voltage = device.voltage(now)
        return {
            "cold": round(device.base_cold + _diurnal(now, 0.3), 1),
            "hot": round(device.hot(now), 1),
            "home": round(device.base_home + _diurnal(now, 1.0), 1),
            "energy": round(device.energy(now), 3),
            "voltage": round(voltage, 1),
            "current": round(device.power_kw * 1000 / voltage, 2) if device.relay_on else 0.0,
            "relay_state": 1 if device.relay_on else 0,
            "load": device.relay_on,
        }
    if isinstance(device, VickiState):
        humidity = min(95.0, max(15.0, device.base_humidity - _diurnal(now, 3.0)))
        return {
            "mac": controller.mac,
            "version": controller.firmware_version,
            "uptime": int(now - device.booted_at),
            "displayDigits": device.target,
            "temperature": round(device.temperature(now), 1),
            "humidity": round(humidity, 1),
            "motorRange": device.motor_range,
            "motorPosition": device.motor_position(),
            "batteryVoltage": device.battery_voltage,
            "ip": device.ip,
            "port": device.port,
        }
    return {"online": controller.online, "power": "on" if device.relay_on else "off"}


# -- request helpers -----------------------------------------------------------------


async def _json_object(request: web.Request) -> dict[str, Any]:
    """The JSON object body; the API consumes application/json only."""
    if request.content_type != "application/json":
        raise ProblemError(400, "The API consumes application/json only")
    try:
        data = json.loads(await request.read())
    except ValueError:
        raise ProblemError(400, "Malformed JSON body") from None
    if not isinstance(data, dict):
        raise ProblemError(400, "The JSON body must be an object")
    return data


def _int_value(value: Any) -> int | None:
    """An integer from JSON (21 or 21.0, never true/false), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _ranged(body: Mapping[str, Any], name: str, low: int, high: int) -> int:
    """A required integer field within [low, high], else 400."""
    if name not in body:
        raise ProblemError(400, f"{name} is required")
    value = _int_value(body[name])
    if value is None or not low <= value <= high:
        raise ProblemError(400, f"{name} must be an integer between {low} and {high}")
    return value


def _oauth_error(error: str, detail: str) -> ProblemError:
    """An OAuth error in an RFC 7807 body."""
    return ProblemError(OAUTH_ERROR_STATUS.get(error, 400), detail, extra={"error": error})


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="MClimate"'})


def _missing_header() -> ProblemError:
    """The documented answer when no token is sent."""
    return ProblemError(
        401,
        "",
        headers={"WWW-Authenticate": 'Bearer realm="MClimate"'},
        extra={"auth_errors": {"missingHeader": "Please provide Authorization header"}},
    )


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII input."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _link(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _matches(value: Any, wanted: str) -> bool:
    """Whether a field value equals a query string value."""
    if isinstance(value, bool):
        return wanted.lower() in (("true", "1") if value else ("false", "0"))
    if value is None:
        return wanted.lower() in ("", "null")
    return str(value) == wanted


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _project(resource: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    """Keep only the asked fields (and `_links`, which HAL requires)."""
    if names is None:
        return resource
    return {k: v for k, v in resource.items() if k in names or k == "_links"}


def _fields_param(query: Mapping[str, str], valid: tuple[str, ...]) -> list[str] | None:
    if "fields" not in query:
        return None
    names = _split(query["fields"])
    unknown = [name for name in names if name not in valid]
    if unknown:
        raise ProblemError(400, f"Unknown field(s) in fields: {', '.join(unknown)}")
    return names


def _positive_int(query: Mapping[str, str], name: str, default: int, high: int | None) -> int:
    if name not in query:
        return default
    try:
        value = int(query[name])
    except ValueError:
        raise ProblemError(400, f"{name} must be a positive integer") from None
    if value < 1 or (high is not None and value > high):
        limit = f" up to {high}" if high is not None else ""
        raise ProblemError(400, f"{name} must be a positive integer{limit}")
    return value


def _only_fields_param(query: Mapping[str, str]) -> None:
    """Entities take `fields` only: filters, sort and paging are for collections."""
    extra = sorted(set(query) - {"fields"})
    if extra:
        raise ProblemError(400, f"Not available on an entity: {', '.join(extra)}")


def _sort_key(name: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    def key(item: dict[str, Any]) -> tuple[bool, Any]:
        value = item.get(name)
        return (value is not None, value if value is not None else 0)

    return key


# -- the cloud -----------------------------------------------------------------------


class MClimateCloud:
    """Routes and state of the simulated MClimate cloud."""

    def __init__(self, sim: Simulator) -> None:
        """Build the user and controllers from the scenario and its seed."""
        self.sim = sim
        builder = _WorldBuilder(sim.scenario.mclimate, sim.scenario.seed, sim.clock.timestamp())
        self.user = builder.user()
        self.controllers: dict[str, SimController] = builder.controllers(self.user.user_id)
        self._codes: dict[str, AuthCode] = {}
        self._tokens: dict[str, AccessToken] = {}

    @property
    def config(self) -> MClimateScenario:
        """The MClimate part of the scenario."""
        return self.sim.scenario.mclimate

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes this cloud serves."""
        return [
            web.get("/oauth/authorize", self._authorize_page),
            web.post("/oauth/authorize", self._authorize_submit),
            web.post("/v1/token", self._token),
            web.get("/v1/users/me", self._users_me),
            web.get("/v1/controllers", self._controllers),
            web.get("/v1/controllers/{serial}", self._controller),
            web.get("/v1/controller/{serial}", self._controller),
            web.post("/v1/provider/fetch", self._fetch),
            web.post("/v1/provider/send", self._send),
            web.post("/v1/providers/send", self._send),
        ]

    # -- helpers for tests and the demo ----------------------------------------------

    def serials(self, type: str | None = None) -> list[str]:
        """Serial numbers in creation order, optionally of one controller type."""
        return [s for s, c in self.controllers.items() if type is None or c.type == type]

    def set_online(self, serial: str, online: bool) -> None:
        """Take a controller off the network or bring it back."""
        self.controllers[serial].online = online

    def provider(self, serial: str) -> dict[str, Any]:
        """What /provider/fetch would answer now (ignoring `online`)."""
        return provider_data(self.controllers[serial], self.sim.clock.timestamp())

    def issue_code(self, redirect_uri: str | None = None) -> str:
        """An authorization code, as if the user had just signed in."""
        code = secrets.token_urlsafe(24)
        expires_at = self.sim.clock.timestamp() + CODE_LIFETIME
        self._codes[code] = AuthCode(self.config.client_id, redirect_uri, expires_at)
        return code

    def issue_token(self, client_id: str | None = None) -> str:
        """A valid access token, as the token endpoint would issue it."""
        token = secrets.token_urlsafe(32)
        expires_at = self.sim.clock.timestamp() + self.config.token_lifetime
        self._tokens[token] = AccessToken(client_id or self.config.client_id, expires_at)
        return token

    def revoke_tokens(self) -> None:
        """Revoke every issued token (the user removed the app's access)."""
        for token in self._tokens.values():
            token.revoked = True

    def expire_tokens(self) -> None:
        """Make every issued token expire now."""
        now = self.sim.clock.timestamp()
        for token in self._tokens.values():
            token.expires_at = min(token.expires_at, now)

    # -- OAuth2 ------------------------------------------------------------------------

    def _authorize_request(self, params: Mapping[str, str]) -> tuple[str, str | None]:
        """Check the client and redirect URI; return (redirect_uri, state)."""
        if params.get("response_type") != "code":
            raise _PageError(400, "Unsupported response_type: only 'code' is supported.")
        if params.get("client_id") != self.config.client_id:
            raise _PageError(400, "Unknown client.")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri:
            raise _PageError(400, "redirect_uri is required: this client registered none.")
        url = URL(redirect_uri)
        if not url.absolute or url.scheme not in ("http", "https"):
            raise _PageError(400, "redirect_uri must be an absolute http(s) URI.")
        return redirect_uri, params.get("state")

    async def _authorize_page(self, request: web.Request) -> web.Response:
        try:
            self._authorize_request(request.query)
        except _PageError as err:
            return _page(err.status, _message_html(err.message))
        return _page(200, self._form_html(request.path, request.query))

    async def _authorize_submit(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        try:
            redirect_uri, state = self._authorize_request(form)
        except _PageError as err:
            return _page(err.status, _message_html(err.message))
        username_ok = _same(form.get("username", ""), self.config.username)
        password_ok = _same(form.get("password", ""), self.config.password)
        if not (username_ok and password_ok):
            error = "Wrong email or password."
            return _page(401, self._form_html(request.path, form, error=error))
        code = self.issue_code(redirect_uri)
        params = {"code": code} if state is None else {"code": code, "state": state}
        location = URL(redirect_uri).update_query(params)
        return web.Response(status=302, headers={"Location": str(location)})

    def _form_html(
        self, action: str, params: Mapping[str, str], *, error: str | None = None
    ) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{escape(params[name])}">'
            for name in ("response_type", "client_id", "state", "redirect_uri")
            if name in params
        )
        username = escape(params.get("username", ""))
        alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
        return (
            f"<h1>MClimate</h1><p>Sign in to let <strong>{escape(params['client_id'])}</strong>"
            f" access your MClimate devices.</p>{alert}"
            f'<form method="post" action="{escape(action)}">{hidden}'
            f'<label>Email <input name="username" value="{username}" autocomplete="username"'
            " required></label>"
            '<label>Password <input name="password" type="password"'
            ' autocomplete="current-password" required></label>'
            '<button type="submit">Sign in</button></form>'
            f'<p class="hint">Simulated account: {escape(self.config.username)}</p>'
        )

    async def _token(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        client_id, secret = body.get("client_id"), body.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(secret, str):
            raise _oauth_error("invalid_request", "client_id and client_secret are required")
        known = _same(client_id, self.config.client_id)
        if not (known and _same(secret, self.config.client_secret)):
            raise _oauth_error("invalid_client", "Client authentication failed")
        self.sim.check_rate_limit(client_id)
        grants = [body[key] for key in ("grant_type", "grent_type") if key in body]
        if not grants:
            raise _oauth_error("invalid_request", "grant_type is required")
        if any(grant != "authorization_code" for grant in grants):
            raise _oauth_error("unsupported_grant_type", "Only authorization_code is supported")
        code = body.get("code")
        if not isinstance(code, str) or not code:
            raise _oauth_error("invalid_request", "code is required")
        self._redeem(code, client_id, body.get("redirect_uri"))
        token = self.issue_token(client_id)
        return web.json_response({"access_token": token, "expires_in": self.config.token_lifetime})

    def _redeem(self, code: str, client_id: str, redirect_uri: Any) -> None:
        """Use up an authorization code, or refuse it."""
        grant = self._codes.get(code)
        now = self.sim.clock.timestamp()
        if grant is None or grant.expires_at <= now or grant.client_id != client_id:
            raise _oauth_error(
                "invalid_grant", "The authorization code is invalid, expired or already used"
            )
        if redirect_uri is not None and redirect_uri != grant.redirect_uri:
            raise _oauth_error(
                "invalid_grant", "redirect_uri does not match the authorization request"
            )
        del self._codes[code]

    def _authenticate(self, request: web.Request) -> None:
        """Check the Bearer token, then spend one request of its client's budget."""
        header = request.headers.get("Authorization", "").strip()
        scheme, _, value = header.partition(" ")
        if not header or (scheme.lower() == "bearer" and not value.strip()):
            raise _missing_header()
        if scheme.lower() != "bearer":
            raise _unauthorized("Authorization must be: Bearer {access_token}")
        token = self._tokens.get(value.strip())
        if token is None:
            raise _unauthorized("Invalid access token")
        if token.revoked:
            raise _unauthorized("The access token was revoked")
        if token.expires_at <= self.sim.clock.timestamp():
            raise _unauthorized("The access token expired")
        self.sim.check_rate_limit(token.client_id)

    # -- resources ---------------------------------------------------------------------

    async def _users_me(self, request: web.Request) -> web.Response:
        self._authenticate(request)
        _only_fields_param(request.query)
        names = _fields_param(request.query, tuple(self.user.resource()))
        return web.json_response(
            {
                "users": _project(self.user.resource(), names),
                "_links": {
                    "self": {"href": "/v1/users"},
                    "controller": {"href": "/v1/controller/{serial_number}", "templated": True},
                },
            }
        )

    async def _controllers(self, request: web.Request) -> web.Response:
        self._authenticate(request)
        query = request.query
        filters = {k: v for k, v in query.items() if k not in COLLECTION_PARAMS}
        bad = sorted(name for name in filters if name not in SCALAR_FIELDS)
        if bad:
            raise ProblemError(400, f"Not a filterable field of controllers: {', '.join(bad)}")
        names = _fields_param(query, COLLECTION_FIELDS)
        page = _positive_int(query, "page", 1, None)
        limit = _positive_int(query, "limit", PAGE_SIZE, MAX_LIMIT)
        items = [
            {**c.resource(), "_links": {"self": {"href": c.href()}}}
            for c in self.controllers.values()
        ]
        items = [i for i in items if all(_matches(i[k], v) for k, v in filters.items())]
        items = self._sorted(items, query.get("sort"))
        last = max(1, math.ceil(len(items) / limit))
        chunk = items[(page - 1) * limit : page * limit]
        if not chunk:
            return web.json_response({"_links": {"self": {"href": request.path_qs}}})
        others = [(k, v) for k, v in query.items() if k != "page"]
        return web.json_response(
            {
                "_embedded": {"controller": [_project(i, names) for i in chunk]},
                "total": len(chunk),
                "_links": {
                    "self": {"href": request.path_qs},
                    "first": {"href": _link(request.path, [*others, ("page", "1")])},
                    "last": {"href": _link(request.path, [*others, ("page", str(last))])},
                },
            }
        )

    @staticmethod
    def _sorted(items: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
        """Sort by each named field, the first one most significant; `-` descends."""
        keys = _split(sort or "")
        bad = [key for key in keys if key.lstrip("-") not in SCALAR_FIELDS]
        if bad:
            raise ProblemError(400, f"Cannot sort controllers by: {', '.join(bad)}")
        for key in reversed(keys):
            items = sorted(items, key=_sort_key(key.lstrip("-")), reverse=key.startswith("-"))
        return items

    async def _controller(self, request: web.Request) -> web.Response:
        self._authenticate(request)
        _only_fields_param(request.query)
        names = _fields_param(request.query, ENTITY_FIELDS)
        controller = self._find(request.match_info["serial"])
        resource = controller.resource()
        device = controller.device
        resource["command_log"] = (
            list(device.command_log[-1:]) if isinstance(device, MelissaState) else []
        )
        return web.json_response(
            {
                "controller": _project(resource, names),
                "_links": {"self": {"href": controller.href()}},
            }
        )

    def _find(self, serial: Any) -> SimController:
        if not isinstance(serial, str) or not serial:
            raise ProblemError(400, "serial_number is required")
        controller = self.controllers.get(serial)
        if controller is None:
            raise ProblemError(404, "Controller not found")
        return controller

    @staticmethod
    def _require_online(controller: SimController) -> None:
        if not controller.online:
            raise ProblemError(409, "Controller offline")

    # -- provider ----------------------------------------------------------------------

    async def _fetch(self, request: web.Request) -> web.Response:
        self._authenticate(request)
        body = await _json_object(request)
        controller = self._find(body.get("serial_number"))
        self._require_online(controller)
        data = provider_data(controller, self.sim.clock.timestamp())
        return web.json_response({"provider": data, "_links": {"self": {"href": FETCH_HREF}}})

    async def _send(self, request: web.Request) -> web.Response:
        self._authenticate(request)
        body = await _json_object(request)
        controller = self._find(body.get("serial_number"))
        command = body.get("command")
        if not isinstance(command, str) or not command:
            raise ProblemError(400, "command is required")
        handlers = self._commands()
        if command not in handlers:
            raise ProblemError(400, f"Unknown command: {command}")
        types, handler = handlers[command]
        if controller.type not in types:
            raise ProblemError(400, f"{command} is not a command of {controller.type} controllers")
        provider = handler(controller, body)
        return web.json_response({"provider": provider, "_links": {"self": {"href": SEND_HREF}}})

    def _commands(self) -> dict[str, tuple[tuple[str, ...], CommandHandler]]:
        """Each command: the controller types it applies to and its handler."""
        return {
            "send_ir_code": (("melissa",), self._send_ir_code),
            "turn_led_off": (("melissa",), self._led(0, [254, 6, 0, 0])),
            "reset_color": (("melissa",), self._led(1, [254, 7, 0, 0])),
            "switch_on_off": (("bobbie", "smart_plug"), self._switch_on_off),
            "set_motor_position": (("vicki",), self._set_motor_position),
        }

    def _send_ir_code(self, controller: SimController, body: dict[str, Any]) -> list[int]:
        options = body.get("send_ir_code_options", body)
        if not isinstance(options, dict):
            raise ProblemError(400, "send_ir_code_options must be an object")
        ac = {name: _ranged(options, name, *bounds) for name, bounds in IR_RANGES.items()}
        self._require_online(controller)
        device = controller.device
        assert isinstance(device, MelissaState)
        now = self.sim.clock.timestamp()
        device.room.settle(device.free_temperature(now), device.goal(now), now)
        device.ac = ac
        entry = {k: v for k, v in body.items() if k != "serial_number"}
        entry["created"] = self.sim.clock.now().strftime(TIME_FORMAT)
        device.command_log.append(entry)
        return [254, 2, 0, 0]

    def _led(self, state: int, answer: list[int]) -> CommandHandler:
        def handler(controller: SimController, body: dict[str, Any]) -> list[int]:
            self._require_online(controller)
            assert isinstance(controller.device, MelissaState)
            controller.device.led_state = state
            return list(answer)

        return handler

    def _switch_on_off(self, controller: SimController, body: dict[str, Any]) -> dict[str, Any]:
        state = body.get("state")
        if state not in ("on", "off"):
            raise ProblemError(400, 'state must be "on" or "off"')
        self._require_online(controller)
        now = self.sim.clock.timestamp()
        device = controller.device
        if isinstance(device, BobbieState):
            device.switch(state == "on", now)
        else:
            assert isinstance(device, SmartPlugState)
            device.relay_on = state == "on"
        return provider_data(controller, now)

    def _set_motor_position(self, controller: SimController, body: dict[str, Any]) -> Any:
        name = "position" if "position" in body or "target" not in body else "target"
        target = _ranged(body, name, VICKI_MIN, VICKI_MAX)
        self._require_online(controller)
        assert isinstance(controller.device, VickiState)
        now = self.sim.clock.timestamp()
        controller.device.set_target(target, now)
        return provider_data(controller, now)


# -- HTML ----------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f3f5f7;margin:0}"
    "main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;"
    "box-shadow:0 1px 4px #0002}label{display:block;margin:.8rem 0}"
    "input{display:block;width:100%;padding:.4rem;box-sizing:border-box}"
    "button{margin-top:1rem;padding:.5rem 1.5rem}.error{color:#b00020}.hint{color:#666}"
)


def _message_html(message: str) -> str:
    return f"<h1>MClimate</h1><p class='error'>{escape(message)}</p>"


def _page(status: int, content: str) -> web.Response:
    """A small self-contained HTML page."""
    return web.Response(
        status=status,
        content_type="text/html",
        text=(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>MClimate sign-in (simulated)</title>"
            f"<style>{_STYLE}</style></head><body><main>{content}</main></body></html>"
        ),
    )
