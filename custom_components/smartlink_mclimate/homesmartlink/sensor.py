"""Sensor entities of Home SmartLink: heaters, rooms' derogations, homes, and the account.

A partner with 500 homes gets thousands of heaters, so only what a household
looks at is enabled by default (a heater's temperature, a room's derogation,
the last diagnosis); setpoints, modes, report and ping times are there to be
switched on when investigating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from ..clients.homesmartlink import Device, HeaterMode, HomeConfig
from ..clients.homesmartlink.derogations import in_force
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .delivery import DeliveryCoordinator
from .diagnosis import Outcome, Result
from .entity import (
    EntityFactories,
    HeaterEntity,
    HomeEntity,
    HomeSmartLinkEntity,
    RoomEntity,
    account_device_info,
    async_track_homes,
)
from .scheduled import DerogationManager

MODE_OPTIONS = [mode.value.lower() for mode in HeaterMode]


@dataclass(frozen=True, kw_only=True)
class HeaterSensorDescription(SensorEntityDescription):
    """A heater reading; `value_fn` reads it from the device (online heaters only)."""

    value_fn: Callable[[Device], float | str | datetime | None]


HEATER_SENSORS: tuple[HeaterSensorDescription, ...] = (
    HeaterSensorDescription(
        key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        value_fn=lambda device: device.temperature,
        # The room's thermostat shows its heaters' mean temperature; "when does this boost
        # end?" (the derogation end) matters more, and Home Assistant enables at most
        # 10 000 entities per entry, which a partner of 500 homes must stay under.
        entity_registry_enabled_default=False,
    ),
    HeaterSensorDescription(
        key="setpoint",
        translation_key="setpoint",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda device: device.setpoint,
    ),
    HeaterSensorDescription(
        key="mode",
        translation_key="mode",
        device_class=SensorDeviceClass.ENUM,
        options=MODE_OPTIONS,
        entity_registry_enabled_default=False,
        value_fn=lambda device: device.mode.lower()
        if device.mode and device.mode.lower() in MODE_OPTIONS
        else None,
    ),
    HeaterSensorDescription(
        key="last_report",
        translation_key="last_report",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda device: device.last_update,
    ),
)


@dataclass(frozen=True, kw_only=True)
class HomeSensorDescription(SensorEntityDescription):
    """A reading of the home's gateway."""

    value_fn: Callable[[HomeConfig], datetime | None]


HOME_SENSORS: tuple[HomeSensorDescription, ...] = (
    HomeSensorDescription(
        key="last_ping",
        translation_key="last_ping",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda config: config.gateway.last_ping if config.gateway else None,
    ),
    HomeSensorDescription(
        key="installation_date",
        translation_key="installation_date",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda config: config.gateway.installation_date if config.gateway else None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's sensors, then each home's as its config arrives."""
    async_add_entities([RequestBudgetSensor(entry, data), DeliverySensor(entry, data.delivery)])

    def build(home: HomeCoordinator) -> EntityFactories:
        factories: dict[str, Callable[[], HomeSmartLinkEntity]] = {
            description.key: partial(HomeSensor, home, description) for description in HOME_SENSORS
        }
        factories["last_diagnosis"] = partial(LastDiagnosisSensor, home, data)
        for room_id in home.rooms:
            factories[f"{room_id}_derogation"] = partial(
                DerogationSensor, home, room_id, data.derogations
            )
            factories[f"{room_id}_derogation_end"] = partial(
                DerogationEnd, home, room_id, data.derogations
            )
        for header in home.heaters:
            for heater_description in HEATER_SENSORS:
                factories[f"{header}_{heater_description.key}"] = partial(
                    HeaterSensor, home, header, heater_description
                )
        return factories

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.SENSOR)


class HeaterSensor(HeaterEntity, SensorEntity):
    """A reading of one heater (unavailable while it is offline)."""

    entity_description: HeaterSensorDescription

    def __init__(
        self, coordinator: HomeCoordinator, header: str, description: HeaterSensorDescription
    ) -> None:
        """One description, one heater."""
        super().__init__(coordinator, header, description.key)
        self.entity_description = description

    @property
    def available(self) -> bool:
        """An offline heater reports nothing."""
        heater = self.heater
        return super().available and heater is not None and heater.online

    @property
    def native_value(self) -> float | str | datetime | None:
        """The reading."""
        heater = self.heater
        return None if heater is None else self.entity_description.value_fn(heater)


class HomeSensor(HomeEntity, SensorEntity):
    """A reading of the home's gateway."""

    entity_description: HomeSensorDescription

    def __init__(self, coordinator: HomeCoordinator, description: HomeSensorDescription) -> None:
        """One description, one home."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> datetime | None:
        """The reading."""
        return self.entity_description.value_fn(self.coordinator.data)


class LastDiagnosisSensor(HomeEntity, SensorEntity):
    """How the home's last diagnosis ended, with its times in attributes."""

    _attr_translation_key = "last_diagnosis"
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: HomeCoordinator, data: HomeSmartLinkRuntimeData) -> None:
        """Follow the account's diagnoses of this home."""
        super().__init__(coordinator, "last_diagnosis")
        self._attr_options = [outcome.value for outcome in Outcome]
        self._diagnoses = data.diagnoses

    async def async_added_to_hass(self) -> None:
        """Update when a result arrives."""
        await super().async_added_to_hass()
        self.async_on_remove(self._diagnoses.async_listen(self.home_id, self._result))

    @callback
    def _result(self, _result: Result | None) -> None:
        self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Known results stay readable while the home does not answer."""
        return True

    @property
    def native_value(self) -> str | None:
        """The outcome of the last diagnosis."""
        result = self._diagnoses.results.get(self.home_id)
        return result.outcome if result else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When it was asked, created and read, and any extra member the server sent."""
        result = self._diagnoses.results.get(self.home_id)
        pending = self._diagnoses.pending.get(self.home_id)
        attributes: dict[str, Any] = {"pending": pending is not None}
        if result is not None:
            attributes |= {
                "message_id": result.message_id,
                "requested_at": result.requested_at,
                "created_at": result.created_at,
                "read_at": result.read_at,
            }
            if result.details:
                attributes["details"] = result.details
        return attributes


class _DerogationBase(RoomEntity, SensorEntity):
    """A room's derogations from Home Assistant in force now."""

    def __init__(
        self, coordinator: HomeCoordinator, room_id: int, derogations: DerogationManager
    ) -> None:
        """Read the room's remembered derogations."""
        super().__init__(coordinator, room_id, self._key)
        self._derogations = derogations

    _key = ""

    def _active(self) -> list[Any]:
        return self._derogations.active(self.home_id, self.room_id, dt_util.utcnow())


class DerogationSensor(_DerogationBase):
    """The delta now in force in the room (0 without one), its kind in attributes."""

    _key = "derogation"
    _attr_translation_key = "derogation"
    _attr_native_unit_of_measurement = UnitOfTemperature.CELSIUS
    _attr_suggested_display_precision = 0

    @property
    def native_value(self) -> int:
        """The delta heaters apply now."""
        return in_force([s.delta for s in self._active()])

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """What kind of derogation is in force, and since when."""
        active = self._active()
        return {
            "kind": active[-1].kind if active else None,
            "start": active[0].start.isoformat() if active else None,
        }


class DerogationEnd(_DerogationBase):
    """When the derogations now in force in the room end (unknown without one)."""

    _key = "derogation_end"
    _attr_translation_key = "derogation_end"
    _attr_device_class = SensorDeviceClass.TIMESTAMP

    @property
    def native_value(self) -> datetime | None:
        """The latest end of the derogations in force."""
        return max((s.end for s in self._active()), default=None)


class RequestBudgetSensor(SensorEntity):
    """Requests the account sent in the last minute, against its budget.

    Polled once a minute (no request: the count is in memory), not written by each
    home's poll, which would write a state for every one of them.
    """

    _attr_has_entity_name = True
    _attr_translation_key = "request_budget"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = "requests"
    _attr_should_poll = True

    def __init__(self, entry: SmartLinkMClimateConfigEntry, data: HomeSmartLinkRuntimeData) -> None:
        """Read the client's budget."""
        self._budget = data.client.budget
        self._attr_unique_id = f"{entry.unique_id or entry.entry_id}_request_budget"
        self._attr_device_info = account_device_info(entry)

    @property
    def native_value(self) -> int:
        """Requests sent in the last minute."""
        return self._budget.sent

    @property
    def extra_state_attributes(self) -> dict[str, int]:
        """The limit, what is left and the 429 answers seen."""
        return {
            "limit": self._budget.limit,
            "remaining": self._budget.remaining,
            "rate_limited": self._budget.rate_limited,
        }


class DeliverySensor(CoordinatorEntity[DeliveryCoordinator], SensorEntity):
    """Share of targeted homes that acknowledged the last derogation sent from here."""

    _attr_has_entity_name = True
    _attr_translation_key = "delivery"
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(
        self, entry: SmartLinkMClimateConfigEntry, coordinator: DeliveryCoordinator
    ) -> None:
        """Follow the account's delivery coordinator."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{entry.unique_id or entry.entry_id}_delivery"
        self._attr_device_info = account_device_info(entry)

    @property
    def native_value(self) -> float | None:
        """Received / requested of the start trigger, in percent."""
        return self.coordinator.data.ratio if self.coordinator.data else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The call's triggers and the summaries of its reports."""
        delivery = self.coordinator.data
        if delivery is None:
            return {}
        summary = delivery.start.summary
        attributes: dict[str, Any] = {
            "start_trigger": delivery.call.start_trigger,
            "end_trigger": delivery.call.end_trigger,
            "start": delivery.call.start.isoformat(),
            "end": delivery.call.end.isoformat(),
            "requested": summary.requested,
            "sent": summary.sent,
            "received": summary.received,
            "first": summary.first.isoformat() if summary.first else None,
            "last": summary.last.isoformat() if summary.last else None,
        }
        if delivery.end is not None:
            attributes["end_received"] = delivery.end.summary.received
        return attributes
