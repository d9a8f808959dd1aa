"""Binary sensors of MClimate controllers: a Bobbie heating its tank, a Vicki's flags."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..clients.mclimate import BobbieData, ControllerType, ProviderData, VickiData
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import ControllerData, MClimateCoordinator
from .data import MClimateRuntimeData
from .entity import MClimateEntity, async_add_controller_entities


@dataclass(frozen=True, kw_only=True)
class MClimateBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A controller flag: how to read it from the controller's data."""

    value_fn: Callable[[ProviderData | None], bool | None]
    # Whether the controller has this flag at all (some report it only on some models).
    exists_fn: Callable[[ProviderData | None], bool] = lambda _: True


def _load(data: ProviderData | None) -> bool | None:
    return data.load if isinstance(data, BobbieData) else None


def _open_window(data: ProviderData | None) -> bool | None:
    return data.open_window if isinstance(data, VickiData) else None


def _child_lock(data: ProviderData | None) -> bool | None:
    return data.child_lock if isinstance(data, VickiData) else None


BINARY_SENSORS: Final[dict[ControllerType, tuple[MClimateBinarySensorEntityDescription, ...]]] = {
    ControllerType.BOBBIE: (
        MClimateBinarySensorEntityDescription(
            key="load",
            translation_key="load",
            device_class=BinarySensorDeviceClass.HEAT,
            value_fn=_load,
        ),
    ),
    ControllerType.VICKI: (
        MClimateBinarySensorEntityDescription(
            key="open_window",
            translation_key="open_window",
            device_class=BinarySensorDeviceClass.WINDOW,
            value_fn=_open_window,
            exists_fn=lambda data: _open_window(data) is not None,
        ),
        MClimateBinarySensorEntityDescription(
            key="child_lock",
            translation_key="child_lock",
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=_child_lock,
            exists_fn=lambda data: _child_lock(data) is not None,
        ),
    ),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each controller's binary sensors, as controllers appear."""

    def sensors(
        coordinator: MClimateCoordinator, state: ControllerData
    ) -> Iterable[BinarySensorEntity]:
        serial = state.controller.serial_number
        descriptions = BINARY_SENSORS.get(ControllerType(state.controller.type), ())
        return (
            ControllerBinarySensor(coordinator, serial, description)
            for description in descriptions
            if description.exists_fn(state.data)
        )

    async_add_controller_entities(data.coordinator, async_add_entities, sensors)


class ControllerBinarySensor(MClimateEntity, BinarySensorEntity):
    """A flag a controller reports."""

    entity_description: MClimateBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: MClimateCoordinator,
        serial: str,
        description: MClimateBinarySensorEntityDescription,
    ) -> None:
        """Report `description` of one controller."""
        super().__init__(coordinator, serial, description.key)
        self.entity_description = description

    @property
    def is_on(self) -> bool | None:
        """The flag in the controller's last good data."""
        return self.entity_description.value_fn(self.provider)
