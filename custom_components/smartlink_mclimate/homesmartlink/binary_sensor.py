"""Binary sensor entities of Home SmartLink: the gateway's and each heater's connectivity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Final

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .entity import (
    EntityFactories,
    HeaterEntity,
    HomeEntity,
    HomeSmartLinkEntity,
    async_track_homes,
)

GATEWAY_PING_WINDOW: Final = timedelta(minutes=10)
"""A gateway is connected when its last ping (`lastPing`) is at most this old.

Gateways ping the MQTT server every minute or so; ten minutes tolerate a
missed ping or two and the home's own poll interval without flapping.
"""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each home's binary sensors as its config arrives."""

    def build(home: HomeCoordinator) -> EntityFactories:
        factories: dict[str, Callable[[], HomeSmartLinkEntity]] = {}
        if home.data.gateway is not None:
            factories["gateway"] = partial(GatewayConnectivity, home)
        for header in home.heaters:
            factories[header] = partial(HeaterOnline, home, header)
        return factories

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.BINARY_SENSOR)


class GatewayConnectivity(HomeEntity, BinarySensorEntity):
    """Whether the home's gateway pinged lately (`GATEWAY_PING_WINDOW`)."""

    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: HomeCoordinator) -> None:
        """The home's gateway."""
        super().__init__(coordinator, "connectivity")
        self._stale_timer: CALLBACK_TYPE | None = None

    @property
    def is_on(self) -> bool:
        """Connected when the last ping is recent enough."""
        return (expiry := self._ping_expiry()) is not None and dt_util.utcnow() <= expiry

    def _ping_expiry(self) -> datetime | None:
        gateway = self.coordinator.data.gateway
        if gateway is None or gateway.last_ping is None:
            return None
        return gateway.last_ping + GATEWAY_PING_WINDOW

    async def async_added_to_hass(self) -> None:
        """Follow the ping's age from the start."""
        await super().async_added_to_hass()
        self._time_the_ping()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the fresh ping, and time its ageing."""
        super()._handle_coordinator_update()
        self._time_the_ping()

    @callback
    def _time_the_ping(self) -> None:
        """Turn off by itself when the ping grows too old.

        A config that did not change writes nothing, so the ping ageing past the
        window has its own timer.
        """
        if self._stale_timer is not None:
            self._stale_timer()
            self._stale_timer = None
        expiry = self._ping_expiry()
        if expiry is not None and expiry >= dt_util.utcnow():
            self._stale_timer = async_track_point_in_utc_time(
                self.hass, self._ping_aged, expiry + timedelta(seconds=1)
            )

    @callback
    def _ping_aged(self, _now: datetime) -> None:
        self._stale_timer = None
        self.async_write_ha_state()

    async def async_will_remove_from_hass(self) -> None:
        """Stop the ping's timer."""
        if self._stale_timer is not None:
            self._stale_timer()
            self._stale_timer = None
        await super().async_will_remove_from_hass()


class HeaterOnline(HeaterEntity, BinarySensorEntity):
    """Whether a heater reported during the last three days (the API's `online`).

    A diagnostic, off by default: 500 homes must fit Home Assistant's
    10 000 enabled entities per entry, and the heater's last report says as much.
    """

    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False

    def __init__(self, coordinator: HomeCoordinator, header: str) -> None:
        """One heater."""
        super().__init__(coordinator, header, "online")

    @property
    def is_on(self) -> bool | None:
        """The API's `online` flag."""
        heater = self.heater
        return None if heater is None else heater.online
