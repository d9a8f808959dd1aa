"""The base of every Home SmartLink entity, and the dynamic adding of entities per home.

Entities of a home belong to its subentry and its devices (home, rooms,
heaters, created by `devices.HomeDevices`). Each platform describes which
entities a home's current config calls for; `async_track_homes` adds those
not yet there, at set-up, after every refresh and for homes added later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import cast

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import slugify

from ..clients.homesmartlink import Device, HomeConfig
from ..const import DOMAIN
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator, signal_home_added
from .data import HomeSmartLinkRuntimeData
from .devices import MANUFACTURER, heater_identifier, home_identifier, room_identifier
from .rooms import Room


def has_data(home: HomeCoordinator) -> bool:
    """Whether a home was read at least once (its data is None until then)."""
    return cast("HomeConfig | None", home.data) is not None


type EntityFactories = Mapping[str, Callable[[], HomeSmartLinkEntity]]

# An entity takes about half a millisecond to build, register and show on the
# benchmark's 2-core machine (`scripts/bench`): a few per turn of the loop keep
# each turn short. PENDING marks a key scheduled but not yet built.
ENTITIES_PER_TURN = 4
PENDING: frozenset[tuple[str, str]] = frozenset()


@callback
def async_track_homes(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[HomeCoordinator], EntityFactories],
    domain: Platform,
) -> None:
    """Add, per home, the entities `build` names (by key) that are not there yet."""
    watched: set[str] = set()

    @callback
    def watch(home: HomeCoordinator) -> None:
        if home.subentry_id in watched:
            return
        watched.add(home.subentry_id)
        # Each added key with its device (PENDING until built): a key is forgotten only
        # when that device is removed as stale, so an entity is never added twice.
        added: dict[str, frozenset[tuple[str, str]]] = {}

        @callback
        def add() -> None:
            if not has_data(home):
                return
            new = [(key, make) for key, make in build(home).items() if key not in added]
            for key, _ in new:
                added[key] = PENDING
            if new:  # not eagerly: add runs among the home's other listeners
                entry.async_create_task(hass, add_in_turns(new), eager_start=False)

        async def add_in_turns(new: list[tuple[str, Callable[[], HomeSmartLinkEntity]]]) -> None:
            """Build and add a few entities per turn of the loop.

            Home Assistant adds a batch without pausing, and a home has fifty
            entities: built and added at once, they would hold the loop for
            tens of milliseconds on a small board.
            """
            registry = er.async_get(hass)
            devices = dr.async_get(hass)
            for start in range(0, len(new), ENTITIES_PER_TURN):
                entities = []
                for key, make in new[start : start + ENTITIES_PER_TURN]:
                    entity = make()
                    if (
                        entity.unique_id is not None
                        # Only a new entity takes a suggestion: a registered one keeps its id.
                        and registry.async_get_entity_id(domain, DOMAIN, entity.unique_id) is None
                        and (object_id := entity.suggested_object_id_in_home())
                    ):
                        entity.entity_id = f"{domain}.{object_id}"
                    added[key] = entity.attach_to_device(devices)
                    entities.append(entity)
                async_add_entities(entities, config_subentry_id=home.subentry_id)
                await asyncio.sleep(0)

        @callback
        def forget(identifiers: set[tuple[str, str]]) -> None:
            for key in [key for key, device in added.items() if device & identifiers]:
                del added[key]

        add()
        entry.async_on_unload(home.async_add_listener(add))
        entry.async_on_unload(home.devices.async_on_removed(forget))

    async def watch_in_turns(homes: list[HomeCoordinator]) -> None:
        """One home per turn of the loop: hundreds at once would hold it."""
        for home in homes:
            watch(home)
            await asyncio.sleep(0)

    entry.async_on_unload(async_dispatcher_connect(hass, signal_home_added(entry.entry_id), watch))
    watching = entry.async_create_task(hass, watch_in_turns(list(data.homes.values())))

    @callback
    def stop_watching() -> None:
        watching.cancel()  # an unload while it runs: no listener added after it

    entry.async_on_unload(stop_watching)


def account_device_info(entry: SmartLinkMClimateConfigEntry) -> DeviceInfo:
    """The partner account itself, home of its request-budget and delivery sensors."""
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id or entry.entry_id))},
        manufacturer=MANUFACTURER,
        model="Partner API account",  # Home Assistant shows "<unknown>" without one
        name=entry.title,
        entry_type=DeviceEntryType.SERVICE,
    )


class HomeSmartLinkEntity(CoordinatorEntity[HomeCoordinator]):
    """An entity fed by one home's coordinator."""

    _attr_has_entity_name = True
    _shown_from: tuple[object, bool, int] | None = None
    device_identifier: tuple[str, str]

    @callback
    def attach_to_device(self, devices: dr.DeviceRegistry) -> frozenset[tuple[str, str]]:
        """Point the entity at its device, which `HomeDevices` created before it.

        Given a `device_info`, Home Assistant would look the device up and update
        it again for every one of a home's fifty entities: about a tenth of the
        CPU of adding a partner's homes. Returns the device's identifiers.
        """
        identifier = self.device_identifier
        device = devices.async_get_device_by_identifier(
            identifier, self.coordinator.config_entry.entry_id
        )
        if device is None:  # not created (yet): let Home Assistant create it
            self._attr_device_info = DeviceInfo(identifiers={identifier})
        else:
            self.device_entry = device
        return frozenset({identifier})

    def _shows(self) -> object:
        """What the entity's state is worked out from, in the home's config."""
        return self.coordinator.data

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only when what this entity is worked out from changed.

        A home's answer changes at most reads (its heaters report every few
        minutes), mostly in what few of its entities show: the others are left
        alone. Derogations sent, starting or ending count as a change for all.
        """
        home = self.coordinator
        shown = (self._shows(), home.last_update_success, home.derogation_changes)
        if shown == self._shown_from:
            return
        self._shown_from = shown
        super()._handle_coordinator_update()

    @property
    def home_id(self) -> str:
        """The home this entity belongs to."""
        return self.coordinator.home_id

    def suggested_object_id_in_home(self) -> str | None:
        """An object id (a slug) that names the home, for entities of rooms and heaters.

        Home Assistant would name them after their area and device ("salon_salon"),
        alike in every home of a partner ("salon_salon_347"), and find each free id
        by trying every number before it. None: Home Assistant's own suggestion.
        """
        return None

    def _in_home(self, device_name: str | None, key: str, *, of_home: bool = False) -> str | None:
        """The home's title, the device's name (none for the home's own), the feature."""
        subentry = self.coordinator.config_entry.subentries.get(self.coordinator.subentry_id)
        if subentry is None or (device_name is None and not of_home):
            return None
        main = hasattr(self, "_attr_name") and self._attr_name is None  # the device's own
        feature = None if main else (self.translation_key or self.device_class or key)
        slugs = (_slug(part) for part in (subentry.title, device_name, feature) if part)
        return "_".join(slug for slug in slugs if slug) or None


# A home's title and a room's name recur in each of their entities' ids: slugify
# each once (the joined slugs are the slug of the joined words).
_slug = lru_cache(maxsize=4096)(slugify)


class HomeEntity(HomeSmartLinkEntity):
    """An entity of the home device (the gateway)."""

    def __init__(self, coordinator: HomeCoordinator, key: str) -> None:
        """Name the entity after the home and `key`."""
        super().__init__(coordinator)
        self._key = key
        self._attr_unique_id = f"{coordinator.home_id}_{key}"
        self.device_identifier = home_identifier(coordinator.home_id, coordinator.data)

    def suggested_object_id_in_home(self) -> str | None:
        """Home and feature: `binary_sensor.dupont_connectivity`."""
        return self._in_home(None, self._key, of_home=True)

    def _shows(self) -> object:
        """The gateway as reported."""
        return self.coordinator.data.gateway if has_data(self.coordinator) else None


class RoomEntity(HomeSmartLinkEntity):
    """An entity of a room device."""

    def __init__(self, coordinator: HomeCoordinator, room_id: int, key: str) -> None:
        """Name the entity after the home, the room and `key`."""
        super().__init__(coordinator)
        self.room_id = room_id
        self._key = key
        self._attr_unique_id = f"{coordinator.home_id}_{room_id}_{key}"
        self.device_identifier = room_identifier(coordinator.home_id, room_id)

    def suggested_object_id_in_home(self) -> str | None:
        """Home, room and feature: `climate.dupont_salon`, `sensor.dupont_salon_derogation`."""
        room = self.room
        return self._in_home(room.name if room else None, self._key)

    def _shows(self) -> object:
        """The room's name and what its heaters report that a room shows (not report times)."""
        room = self.room
        if room is None:
            return None
        return room.name, tuple(
            (h.header, h.online, h.mode, h.setpoint, h.temperature, h.week_schedule)
            for h in room.heaters
        )

    @property
    def room(self) -> Room | None:
        """The room as last read (None once the home no longer lists it)."""
        if not has_data(self.coordinator):
            return None
        return self.coordinator.rooms.get(self.room_id)

    @property
    def available(self) -> bool:
        """Available while the home answers and lists the room."""
        return super().available and self.room is not None


class HeaterEntity(HomeSmartLinkEntity):
    """An entity of a heater device."""

    def __init__(self, coordinator: HomeCoordinator, header: str, key: str) -> None:
        """Name the entity after the heater's header and `key`."""
        super().__init__(coordinator)
        self.header = header
        self._key = key
        self._attr_unique_id = f"{header}_{key}"
        self.device_identifier = heater_identifier(header)

    def suggested_object_id_in_home(self) -> str | None:
        """Home, heater and feature: `sensor.dupont_salon_heater_mode`."""
        return self._in_home(self.coordinator.devices.heater_names.get(self.header), self._key)

    def _shows(self) -> object:
        """The heater as reported."""
        return self.heater

    @property
    def heater(self) -> Device | None:
        """The heater as last read (None once the home no longer lists it)."""
        if not has_data(self.coordinator):
            return None
        return self.coordinator.heaters.get(self.header)

    @property
    def available(self) -> bool:
        """Available while the home answers and lists the heater."""
        return super().available and self.heater is not None
