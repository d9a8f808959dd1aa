"""A home's rooms as Home Assistant shows them: heaters grouped by `roomId`, and their consensus.

The API controls rooms (a derogation names a home and a room) and reports
heaters; a room's state is what its online heaters agree on, by majority.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from statistics import fmean

from ..clients.homesmartlink import Device, DeviceCategory, HeaterMode, HomeConfig, TimeRange

HEATING_MODES = frozenset({HeaterMode.MANUAL, HeaterMode.PROG})


def is_heater(device: Device, known: Iterable[str] = ()) -> bool:
    """Whether a device heats a room: a heating category, or a Module reporting a mode.

    A Module already shown stays a heater while offline (it then reports no mode).
    """
    if device.is_heater:
        return True
    return device.category == DeviceCategory.MODULE and (
        device.mode is not None or device.header in known
    )


@dataclass(frozen=True)
class Room:
    """One room and its heating devices.

    A room is built once per config read, and every entity of it reads these
    figures several times per state: each is worked out once (`cached_property`).
    """

    room_id: int
    name: str
    heaters: tuple[Device, ...]

    @cached_property
    def online(self) -> tuple[Device, ...]:
        """The heaters that report."""
        return tuple(heater for heater in self.heaters if heater.online)

    @cached_property
    def mode(self) -> str | None:
        """The mode most online heaters are in (the first seen wins a tie)."""
        return _majority(heater.mode for heater in self.online)

    @cached_property
    def setpoint(self) -> float | None:
        """The setpoint most online heaters in the majority mode report."""
        mode = self.mode
        return _majority(heater.setpoint for heater in self.online if heater.mode == mode)

    @cached_property
    def temperature(self) -> float | None:
        """The mean temperature the online heaters read, to a tenth of a degree."""
        readings = [heater.temperature for heater in self.online if heater.temperature is not None]
        return round(fmean(readings), 1) if readings else None

    @cached_property
    def week_schedule(self) -> tuple[tuple[TimeRange, ...], ...]:
        """The comfort ranges of the first heater in Prog mode that reports them."""
        for heater in self.online:
            if heater.mode == HeaterMode.PROG and heater.week_schedule:
                return heater.week_schedule
        return ()

    @cached_property
    def agrees(self) -> bool:
        """Whether every online heater reports the same mode and setpoint."""
        return len({(heater.mode, heater.setpoint) for heater in self.online}) <= 1


def _majority[T](values: Iterable[T | None]) -> T | None:
    counts = Counter(value for value in values if value is not None)
    return counts.most_common(1)[0][0] if counts else None


def rooms(config: HomeConfig, known: Iterable[str] = ()) -> dict[int, Room]:
    """The rooms holding at least one heater, by room id, in the order the API lists them."""
    known = set(known)
    grouped: dict[int, list[Device]] = {}
    names: dict[int, str] = {}
    for device in config.devices:
        if is_heater(device, known):
            grouped.setdefault(device.room_id, []).append(device)
            names.setdefault(device.room_id, device.room_name)
    return {
        room_id: Room(room_id, names[room_id], tuple(heaters))
        for room_id, heaters in grouped.items()
    }


def heaters(config: HomeConfig, known: Iterable[str] = ()) -> dict[str, Device]:
    """The heating devices of a home, by header."""
    known = set(known)
    return {device.header: device for device in config.devices if is_heater(device, known)}


def gateway_entry(config: HomeConfig) -> Device | None:
    """The gateway as listed among the devices, if it is."""
    return next(
        (device for device in config.devices if device.category == DeviceCategory.GATEWAY), None
    )
