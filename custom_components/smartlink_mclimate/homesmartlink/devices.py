"""The device registry side of a home: home (gateway) -> rooms -> heaters.

Devices are created here, before entities, because each one names its parent
by registry id (`via_device_id`). A heater or room no longer listed by POST
config is removed from the registry (its entities go with it) once it has been
missing from a few answers in a row (`missing.STALE_AFTER`).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from ..clients.homesmartlink import Device, DeviceCategory, HomeConfig
from ..const import DOMAIN, LOGGER
from ..missing import MissingDevices
from .rooms import gateway_entry, heaters, rooms

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

MANUFACTURER: Final = "Home SmartLink"
MODELS: Final[dict[str, str]] = {
    DeviceCategory.HEATER: "Heater",
    DeviceCategory.TOWEL_DRYER: "Towel dryer",
    DeviceCategory.FIREPLACE: "Fireplace",
    DeviceCategory.FURNACE: "Furnace",
    DeviceCategory.MODULE: "Module",
}


def room_identifier(home_id: str, room_id: int) -> tuple[str, str]:
    """The registry identifier of a room (room ids are only unique within a home)."""
    return (DOMAIN, f"{home_id}_room_{room_id}")


def heater_identifier(header: str) -> tuple[str, str]:
    """The registry identifier of a heating device."""
    return (DOMAIN, header)


def home_identifier(home_id: str, config: HomeConfig | None) -> tuple[str, str]:
    """The gateway's token, or the home id for a home without a gateway."""
    token = config.gateway.token if config and config.gateway else None
    return (DOMAIN, token or home_id)


class HomeDevices:
    """Keeps one home's devices in the registry in step with its config."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        subentry_id: str,
        home_id: str,
    ) -> None:
        """Devices of this home belong to its subentry."""
        self._hass = hass
        self._entry = entry
        self._subentry_id = subentry_id
        self._home_id = home_id
        self.home_device_id: str | None = None
        self.known_heaters: set[str] = set()
        self.heater_names: dict[str, str] = {}  # by header, as the devices are named
        # The registry ids of this home's devices (`subentry_devices` gives those kept
        # from before): finding them among every device of the account at each sync
        # would cost a partner of 500 homes 500 times more.
        self.device_ids: set[str] = set()
        self._listed: set[str] = set()  # the devices of the last answer
        self._missing = MissingDevices(f"Home {home_id}", LOGGER)
        self._removed_listeners: list[Callable[[set[tuple[str, str]]], None]] = []

    async def async_sync(self, config: HomeConfig) -> None:
        """Create or update every device of the home; remove those long unlisted.

        One device per turn of the loop: creating a home's ten devices at once held
        it for tens of milliseconds when hundreds of homes are read at set-up.
        """
        registry = dr.async_get(self._hass)
        home = self._sync_home(registry, config)
        wanted = {home.id}
        room_devices: dict[int, str] = {}
        for room in rooms(config, self.known_heaters).values():
            device = registry.async_get_or_create(
                config_entry_id=self._entry.entry_id,
                config_subentry_id=self._subentry_id,
                identifiers={room_identifier(self._home_id, room.room_id)},
                manufacturer=MANUFACTURER,
                model="Room",
                name=room.name,
                suggested_area=room.name,
                via_device_id=home.id,
            )
            room_devices[room.room_id] = device.id
            wanted.add(device.id)
            await asyncio.sleep(0)
        found = heaters(config, self.known_heaters)
        names = self.heater_names = heater_names(found)
        for header, heater in found.items():
            device = self._sync_heater(
                registry, heater, names[header], room_devices[heater.room_id]
            )
            wanted.add(device.id)
            await asyncio.sleep(0)
        self.known_heaters = set(found)
        self._listed = wanted
        self._count_missing(registry)

    @callback
    def unchanged(self) -> None:
        """An answer like the last one: devices it lacks are missing from one more."""
        if self._missing.answers:
            self._count_missing(dr.async_get(self._hass))

    @callback
    def async_on_removed(
        self, listener: Callable[[set[tuple[str, str]]], None]
    ) -> Callable[[], None]:
        """Call `listener` with the identifiers of devices removed as stale."""
        self._removed_listeners.append(listener)
        return partial(self._removed_listeners.remove, listener)

    def _count_missing(self, registry: dr.DeviceRegistry) -> None:
        missing = {d for d in self.device_ids - self._listed if registry.async_get(d)}
        stale = self._missing.stale(missing)
        removed: set[tuple[str, str]] = set()
        for device_id in stale:
            if device := registry.async_get(device_id):
                removed |= device.identifiers
                registry.async_remove_device(device_id)
        self.device_ids = self._listed | (missing - set(stale))
        if removed:
            for listener in list(self._removed_listeners):
                listener(removed)

    def _sync_home(self, registry: dr.DeviceRegistry, config: HomeConfig) -> dr.DeviceEntry:
        identifier = home_identifier(self._home_id, config)
        if self.home_device_id is not None:
            previous = registry.async_get(self.home_device_id)
            if previous is not None and identifier not in previous.identifiers:
                registry.async_update_device(previous.id, new_identifiers={identifier})
        gateway = config.gateway
        entry = gateway_entry(config)
        subentry = self._entry.subentries.get(self._subentry_id)
        device = registry.async_get_or_create(
            config_entry_id=self._entry.entry_id,
            config_subentry_id=self._subentry_id,
            identifiers={identifier},
            manufacturer=MANUFACTURER,
            model="Gateway" if gateway else None,
            name=subentry.title if subentry else f"Home {self._home_id[-6:]}",
            serial_number=gateway.token if gateway else None,
            sw_version=gateway.version if gateway else None,
            suggested_area=entry.room_name if entry else None,
        )
        self.home_device_id = device.id
        return device

    def _sync_heater(
        self, registry: dr.DeviceRegistry, heater: Device, name: str, room_device_id: str
    ) -> dr.DeviceEntry:
        return registry.async_get_or_create(
            config_entry_id=self._entry.entry_id,
            config_subentry_id=self._subentry_id,
            identifiers={heater_identifier(heater.header)},
            manufacturer=MANUFACTURER,
            model=heater_model(heater),
            name=name,
            serial_number=heater.header,
            sw_version=str(heater.software_version),
            via_device_id=room_device_id,
        )


def subentry_devices(
    hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry
) -> dict[str | None, set[str]]:
    """The registry ids of the account's devices, by home subentry, in one pass."""
    found: dict[str | None, set[str]] = {}
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        found.setdefault(device.config_subentry_id, set()).add(device.id)
    return found


def heater_model(heater: Device) -> str:
    """The model shown for a heating device: its category, in words."""
    return MODELS.get(heater.category, heater.category)


def heater_names(found: dict[str, Device]) -> dict[str, str]:
    """Room and model ("Kitchen Heater"); the header's end tells two alike in one room apart."""
    plain = {header: f"{d.room_name} {heater_model(d)}" for header, d in found.items()}
    counts = Counter(plain.values())
    return {
        header: name if counts[name] == 1 else f"{name} {header[-4:]}"
        for header, name in plain.items()
    }
