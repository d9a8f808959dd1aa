"""The household a scenario describes, built deterministically for its seed.

Controllers are created in type order (Melissa, Bobbie, Vicki, smart plug,
then the scenario's unknown types), one creation date after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import math
import random
from typing import Final

from simulator.scenario import CONTROLLER_TYPES, MClimateScenario

from .physics import Lag
from .state import (
    TIME_FORMAT,
    BobbieState,
    DeviceState,
    MelissaState,
    SimController,
    SimUser,
    SmartPlugState,
    UnknownState,
    VickiState,
)

# Shares of the generated world.
NO_ROOM_SHARE, BOBBIE_ON_SHARE, PLUG_ON_SHARE = 0.2, 0.7, 0.5
SERIAL_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
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
UNKNOWN_FIRMWARE, UNKNOWN_MAC_PREFIX = "V0.9", "02CF00"  # a locally administered MAC


class WorldBuilder:
    """Builds the user and controllers from the scenario, deterministically for the seed."""

    def __init__(self, scenario: MClimateScenario, seed: int, now: float) -> None:
        """Draw everything from one generator seeded with the scenario seed."""
        self.scenario = scenario
        self.rng = random.Random(seed)
        self.now = now
        self.serials: set[str] = set()
        self.macs: set[str] = set()

    def user(self) -> SimUser:
        """The household account."""
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
        """Every controller by serial number, in creation order; the last ones offline."""
        sc = self.scenario
        counts = {"melissa": sc.melissa, "bobbie": sc.bobbie, "vicki": sc.vicki}
        counts["smart_plug"] = sc.smart_plug
        kinds = [kind for kind in CONTROLLER_TYPES for _ in range(max(0, counts[kind]))]
        kinds += sc.unknown_types
        first_id = self.rng.randint(500, 900)
        created = datetime(2018, 1, 1, 8, tzinfo=UTC)
        offline_from = len(kinds) - max(0, sc.offline_devices)
        seen: dict[str, int] = {}
        result: dict[str, SimController] = {}
        for index, kind in enumerate(kinds):
            created += timedelta(days=self.rng.randint(1, 20), seconds=self.rng.randint(0, 86399))
            controller = self.controller(kind, first_id + index, user_id, created)
            controller.online = index < offline_from
            nth = seen[kind] = seen.get(kind, -1) + 1
            names = sc.names.get(kind, [])
            if nth < len(names):
                controller.name = names[nth]
            result[controller.serial_number] = controller
        return result

    def controller(self, kind: str, ident: int, user_id: int, created: datetime) -> SimController:
        """One controller of this type."""
        rng = self.rng
        prefix = MAC_PREFIX.get(kind, UNKNOWN_MAC_PREFIX)
        serial = self._unique(self.serials, lambda: "".join(rng.choices(SERIAL_ALPHABET, k=11)))
        mac = self._unique(self.macs, lambda: prefix + f"{rng.randrange(16**6):06X}")
        label = LABELS.get(kind, kind.replace("_", " ").title())
        return SimController(
            id=ident,
            user_id=user_id,
            serial_number=serial,
            mac=mac,
            firmware_version=FIRMWARE.get(kind, UNKNOWN_FIRMWARE),
            name=f"{label} {serial[:6]}",
            type=kind,
            room_id=None if rng.random() < NO_ROOM_SHARE else rng.randint(1, 12),
            online=True,
            brand_id=rng.randint(1, 40) if kind == "melissa" else None,
            created=created.strftime(TIME_FORMAT),
            device=self.device(kind),
        )

    def device(self, kind: str) -> DeviceState:
        """The device state behind a controller of this type."""
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
        if kind == "smart_plug":
            return SmartPlugState(relay_on=rng.random() < PLUG_ON_SHARE)
        return UnknownState(booted_at=now - rng.randint(3600, 30 * 86400))

    @staticmethod
    def _unique(taken: set[str], make: Callable[[], str]) -> str:
        value = make()
        while value in taken:
            value = make()
        taken.add(value)
        return value
