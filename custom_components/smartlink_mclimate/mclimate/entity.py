"""The base of every MClimate entity: one device per controller, fed by the coordinator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
import re
from typing import Final

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import (
    CONNECTION_NETWORK_MAC,
    DeviceEntryType,
    DeviceInfo,
    format_mac,
)
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..clients.mclimate import Controller, ControllerType, ProviderData
from ..const import DOMAIN
from .coordinator import ControllerData, MClimateCoordinator

MANUFACTURER: Final = "MClimate"
MODELS: Final = {
    ControllerType.MELISSA: "Melissa",
    ControllerType.BOBBIE: "Bobbie",
    ControllerType.VICKI: "Vicki",
    ControllerType.SMART_PLUG: "Smart plug",
}
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")
MAC_DIGITS: Final = 12


def controller_device_info(controller: Controller) -> DeviceInfo:
    """The device of a controller: its name, model, firmware and MAC."""
    model = MODELS.get(ControllerType(controller.type), controller.type)
    info = DeviceInfo(
        identifiers={(DOMAIN, controller.serial_number)},
        manufacturer=MANUFACTURER,
        model=model,
        name=controller.name or f"{model} {controller.serial_number}",
        serial_number=controller.serial_number,
    )
    if controller.firmware_version:
        info["sw_version"] = controller.firmware_version
    # The document's own sample MAC carries stray quotes: keep the hex digits.
    mac = _NOT_HEX.sub("", controller.mac or "")
    if len(mac) == MAC_DIGITS:
        info["connections"] = {(CONNECTION_NETWORK_MAC, format_mac(mac))}
    return info


@callback
def controller_device(coordinator: MClimateCoordinator, controller: Controller) -> dr.DeviceEntry:
    """The controller's device, created or updated once per set-up for all its entities.

    Given a `device_info`, Home Assistant would look the device up and update it
    again for each of a controller's entities.
    """
    devices = coordinator.controller_devices
    device = devices.get(controller.serial_number)
    if device is None:
        device = devices[controller.serial_number] = dr.async_get(
            coordinator.hass
        ).async_get_or_create(
            config_entry_id=coordinator.config_entry.entry_id,
            **controller_device_info(controller),
        )
    return device


def account_device_info(coordinator: MClimateCoordinator) -> DeviceInfo:
    """The account itself, home of its request-budget sensors."""
    entry = coordinator.config_entry
    return DeviceInfo(
        identifiers={(DOMAIN, str(entry.unique_id or entry.entry_id))},
        manufacturer=MANUFACTURER,
        model="Cloud account",  # Home Assistant shows "<unknown>" without one
        name=entry.title,
        entry_type=DeviceEntryType.SERVICE,
    )


class MClimateEntity(CoordinatorEntity[MClimateCoordinator]):
    """An entity of one controller; unavailable when that controller is."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: MClimateCoordinator, serial: str, key: str) -> None:
        """Name the entity after its controller's serial number and its own key."""
        super().__init__(coordinator)
        self.serial = serial
        self._last_known = coordinator.data.controllers[serial]
        # What the entity shows was read from: its state when added, then each update.
        self._shown: tuple[ControllerData | None, bool] = (
            self._last_known,
            coordinator.last_update_success,
        )
        self._attr_unique_id = f"{serial}_{key}"
        self.device_entry = controller_device(coordinator, self._last_known.controller)

    @property
    def state_of(self) -> ControllerData:
        """The controller's current state (still the last one known after it left)."""
        return self.coordinator.data.controllers.get(self.serial, self._last_known)

    @property
    def provider(self) -> ProviderData | None:
        """The controller's last good sensor data."""
        return self.state_of.data

    @property
    def available(self) -> bool:
        """Available while the account polls and this controller answers."""
        return (
            super().available
            and self.serial in self.coordinator.data.controllers
            and self.state_of.available
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write a state only when this controller's data or the account's polling changed.

        A command refreshes one controller: the other controllers' entities (hundreds,
        for a large account) have nothing new to show, and are left alone.
        """
        current = self.coordinator.data.controllers.get(self.serial)
        shown = (current, self.coordinator.last_update_success)
        if shown == self._shown:
            return
        self._shown = shown
        if current is not None:  # remembered while listed (it may leave before removal)
            self._last_known = current
        super()._handle_coordinator_update()


type EntityFactory = Callable[[MClimateCoordinator, ControllerData], Iterable[Entity]]


@callback
def async_add_controller_entities(
    coordinator: MClimateCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: EntityFactory,
) -> None:
    """Add a platform's entities for every controller, now and when new ones appear."""

    entry = coordinator.config_entry

    @callback
    def add_one(serial: str) -> None:
        state = coordinator.data.controllers.get(serial)  # None: it left meanwhile
        if state is not None and (entities := list(factory(coordinator, state))):
            async_add_entities(entities)

    @callback
    def add(serials: list[str]) -> None:
        # One controller per turn of the loop: adding the entities of hundreds in one
        # callback would hold the loop for as long as they all take.
        for serial in serials:
            entry.async_on_unload(coordinator.hass.loop.call_soon(add_one, serial).cancel)

    entry.async_on_unload(coordinator.async_add_listener_for_new(add))
