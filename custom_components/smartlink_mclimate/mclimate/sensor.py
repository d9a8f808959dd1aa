"""Sensors of MClimate controllers, and the account's request budget."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from ..clients.budget import RequestBudget
from ..clients.mclimate import BobbieData, ControllerType, MelissaData, ProviderData, VickiData
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import ControllerData, MClimateCoordinator
from .data import MClimateRuntimeData
from .entity import MClimateEntity, account_device_info, async_add_controller_entities


@dataclass(frozen=True, kw_only=True)
class MClimateSensorEntityDescription(SensorEntityDescription):
    """A controller sensor: how to read its value from the controller's data."""

    value_fn: ValueFn


@dataclass(frozen=True, kw_only=True)
class BudgetSensorEntityDescription(SensorEntityDescription):
    """An account sensor read from the client's request budget."""

    value_fn: Callable[[RequestBudget], StateType]


type ValueFn = Callable[[ProviderData | None], StateType]


def _melissa(read: Callable[[MelissaData], StateType]) -> ValueFn:
    return lambda data: read(data) if isinstance(data, MelissaData) else None


def _bobbie(read: Callable[[BobbieData], StateType]) -> ValueFn:
    return lambda data: read(data) if isinstance(data, BobbieData) else None


def _vicki(read: Callable[[VickiData], StateType]) -> ValueFn:
    return lambda data: read(data) if isinstance(data, VickiData) else None


def valve_opening(data: VickiData) -> float | None:
    """How far the valve is open, in percent of the motor's range."""
    if data.motor_position is None or not data.motor_range:
        return None
    return round(100 * data.motor_position / data.motor_range)


def _temperature(key: str, value_fn: ValueFn) -> MClimateSensorEntityDescription:
    return MClimateSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        value_fn=value_fn,
    )


def _humidity(value_fn: ValueFn) -> MClimateSensorEntityDescription:
    return MClimateSensorEntityDescription(
        key="humidity",
        translation_key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=value_fn,
    )


SENSORS: Final[dict[ControllerType, tuple[MClimateSensorEntityDescription, ...]]] = {
    ControllerType.MELISSA: (
        _temperature("temperature", _melissa(lambda d: d.temperature)),
        _humidity(_melissa(lambda d: d.humidity)),
    ),
    ControllerType.BOBBIE: (
        _temperature("cold_pipe_temperature", _bobbie(lambda d: d.cold)),
        _temperature("hot_pipe_temperature", _bobbie(lambda d: d.hot)),
        _temperature("ambient_temperature", _bobbie(lambda d: d.home)),
        MClimateSensorEntityDescription(
            key="energy",
            translation_key="energy",
            device_class=SensorDeviceClass.ENERGY,
            state_class=SensorStateClass.TOTAL_INCREASING,
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=2,
            value_fn=_bobbie(lambda d: d.energy),
        ),
        MClimateSensorEntityDescription(
            key="voltage",
            translation_key="voltage",
            device_class=SensorDeviceClass.VOLTAGE,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfElectricPotential.VOLT,
            value_fn=_bobbie(lambda d: d.voltage),
        ),
        MClimateSensorEntityDescription(
            key="current",
            translation_key="current",
            device_class=SensorDeviceClass.CURRENT,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
            value_fn=_bobbie(lambda d: d.current),
        ),
    ),
    ControllerType.VICKI: (
        _temperature("temperature", _vicki(lambda d: d.temperature)),
        _humidity(_vicki(lambda d: d.humidity)),
        MClimateSensorEntityDescription(
            key="valve_opening",
            translation_key="valve_opening",
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=PERCENTAGE,
            value_fn=_vicki(valve_opening),
        ),
        MClimateSensorEntityDescription(
            key="battery_voltage",
            translation_key="battery_voltage",
            device_class=SensorDeviceClass.VOLTAGE,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=UnitOfElectricPotential.VOLT,
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=_vicki(lambda d: d.battery_voltage),
        ),
    ),
}

BUDGET_SENSORS: Final = (
    BudgetSensorEntityDescription(
        key="requests_last_minute",
        translation_key="requests_last_minute",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement="requests",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda budget: budget.sent,
    ),
    BudgetSensorEntityDescription(
        key="rate_limited",
        translation_key="rate_limited",
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement="answers",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda budget: budget.rate_limited,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's budget sensors and each controller's sensors, as they appear."""
    coordinator = data.coordinator
    async_add_entities(BudgetSensor(coordinator, description) for description in BUDGET_SENSORS)

    def sensors(coordinator: MClimateCoordinator, state: ControllerData) -> Iterable[SensorEntity]:
        kind = ControllerType(state.controller.type)
        serial = state.controller.serial_number
        return (ControllerSensor(coordinator, serial, d) for d in SENSORS.get(kind, ()))

    async_add_controller_entities(coordinator, async_add_entities, sensors)


class ControllerSensor(MClimateEntity, SensorEntity):
    """A value a controller measures."""

    entity_description: MClimateSensorEntityDescription

    def __init__(
        self,
        coordinator: MClimateCoordinator,
        serial: str,
        description: MClimateSensorEntityDescription,
    ) -> None:
        """Measure `description` on one controller."""
        super().__init__(coordinator, serial, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> StateType:
        """The value in the controller's last good data."""
        return self.entity_description.value_fn(self.provider)


class BudgetSensor(SensorEntity):
    """How many requests the account sent lately, or how often the cloud refused them.

    Polled once a minute (no request: the count is in memory), not written by each
    poll: the polls themselves move the count, and would write a state every cycle.
    """

    _attr_has_entity_name = True
    _attr_should_poll = True
    entity_description: BudgetSensorEntityDescription

    def __init__(
        self, coordinator: MClimateCoordinator, description: BudgetSensorEntityDescription
    ) -> None:
        """One budget figure of the account."""
        self.entity_description = description
        self._budget = coordinator.client.budget
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.unique_id or entry.entry_id}_{description.key}"
        self._attr_device_info = account_device_info(coordinator)

    @property
    def native_value(self) -> StateType:
        """The figure as of now (known even while the cloud refuses requests)."""
        return self.entity_description.value_fn(self._budget)
