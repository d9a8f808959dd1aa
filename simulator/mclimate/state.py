"""What the MClimate cloud knows: the household account and its controllers."""

from __future__ import annotations

from dataclasses import dataclass, field
import math
from typing import Any, Final

from .physics import Lag, diurnal

TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
CONTROLLER_LOG_SIZE: Final = 20  # entries kept per controller, newest last

# Documented Melissa IR values: state 0 off, 1 on, 2 idle; mode 0 auto, 1 fan,
# 2 heat, 3 cool, 4 dry.
MELISSA_ON, MODE_AUTO, MODE_FAN, MODE_HEAT, MODE_COOL, MODE_DRY = 1, 0, 1, 2, 3, 4
VICKI_MIN, VICKI_MAX = 5, 30


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

    def free_temperature(self, now: float) -> float:
        """The room without the AC."""
        return self.base_temperature + diurnal(now, 1.5)

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
        value = self.base_humidity - diurnal(now, 4.0)
        if self.ac["state"] == MELISSA_ON and self.ac["mode"] == MODE_DRY:
            value -= 10.0
        return min(95.0, max(15.0, value))

    def set_ac(self, ac: dict[str, int], now: float) -> None:
        """Assume the AC received this IR command, keeping the room continuous."""
        self.room.settle(self.free_temperature(now), self.goal(now), now)
        self.ac = ac


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
    open_window: bool = False  # shown only with the scenario's `vicki_flags`
    child_lock: bool = False

    def motor_position(self) -> int:
        """The valve opening for the target, linear over the motor range."""
        return round(self.motor_range * (self.target - VICKI_MIN) / (VICKI_MAX - VICKI_MIN))

    def free_temperature(self, now: float) -> float:
        """The room without the radiator."""
        return self.base_temperature + diurnal(now, 0.8)

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


@dataclass
class UnknownState:
    """A controller of a type the document does not describe: it only runs."""

    booted_at: float


type DeviceState = MelissaState | BobbieState | VickiState | SmartPlugState | UnknownState


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

    def record(self, command: dict[str, Any], created: str) -> None:
        """Log an accepted command as received (without `serial_number`), newest last."""
        entry = {key: value for key, value in command.items() if key != "serial_number"}
        self.controller_log.append({**entry, "created": created})
        del self.controller_log[:-CONTROLLER_LOG_SIZE]

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
            "controller_log": [dict(entry) for entry in self.controller_log],
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
