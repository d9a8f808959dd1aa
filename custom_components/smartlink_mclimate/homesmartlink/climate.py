"""Climate entities of Home SmartLink: one per room, because the API controls rooms.

The API cannot change a heater's mode or setpoint; it schedules derogations
(a delta for a window). So the entity offers only the mode and preset it is
in, and a new target temperature becomes a derogation from now for the
configured duration (see `scheduled.DerogationManager`).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import partial
from typing import Any, Final

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import PRESET_NONE, ClimateEntityFeature, HVACMode
from homeassistant.const import ATTR_TEMPERATURE, Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from ..clients.homesmartlink import HeaterMode
from ..clients.homesmartlink.derogations import effective_setpoint, schedule_setpoint
from ..const import CONF_DEROGATION_DURATION, DEFAULT_DEROGATION_DURATION, DOMAIN
from ..helpers import cloud_command
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .entity import EntityFactories, RoomEntity, async_track_homes
from .rooms import HEATING_MODES
from .scheduled import order

PRESET_FROST_PROTECTION: Final = "frost_protection"
DEROGATION_RANGE: Final = 5  # degrees either side of the schedule's setpoint
HVAC_MODES: Final = {
    HeaterMode.STOP: HVACMode.OFF,
    HeaterMode.PROG: HVACMode.AUTO,
    HeaterMode.MANUAL: HVACMode.HEAT,
    HeaterMode.ANTIFREEZE: HVACMode.HEAT,
}
DAYS_PER_WEEK: Final = 7


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a climate entity per room as each home's config arrives."""

    def build(home: HomeCoordinator) -> EntityFactories:
        return {str(room_id): partial(RoomClimate, home, room_id, data) for room_id in home.rooms}

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.CLIMATE)


def _refuse(key: str) -> ServiceValidationError:
    return ServiceValidationError(translation_domain=DOMAIN, translation_key=key)


class RoomClimate(RoomEntity, ClimateEntity):
    """A room's heating: what its heaters agree on, and derogations as target temperatures."""

    _attr_name = None
    _attr_translation_key = "room"
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 1.0
    _attr_precision = 0.1

    def __init__(
        self, coordinator: HomeCoordinator, room_id: int, data: HomeSmartLinkRuntimeData
    ) -> None:
        """One room of a home."""
        super().__init__(coordinator, room_id, "climate")
        self._data = data
        self._optimistic: float | None = None
        self._optimistic_since = 0  # on `scheduled.order`'s scale

    @callback
    def _handle_coordinator_update(self) -> None:
        """A config asked for after the target was set replaces the optimistic target."""
        if self.coordinator.read > self._optimistic_since:
            self._optimistic = None
        super()._handle_coordinator_update()

    def _shows(self) -> object:
        """The room, the derogations the last read reflects, and any optimistic target."""
        return super()._shows(), self._reflected(), self._optimistic

    def _reflected(self) -> tuple[int, ...]:
        """The deltas of the derogations the `sp` last read already includes."""
        home = self.coordinator
        reflected = self._data.derogations.read_in(
            self.home_id, self.room_id, home.read, home.read_at
        )
        return tuple(s.delta for s in reflected)

    @property
    def available(self) -> bool:
        """Unavailable when every heater of the room is offline."""
        room = self.room
        return super().available and room is not None and bool(room.online)

    def _deltas(self) -> list[int]:
        return [s.delta for s in self._data.derogations.active(self.home_id, self.room_id)]

    @property
    def _mode(self) -> str | None:
        room = self.room
        return room.mode if room else None

    @property
    def _heating(self) -> bool:
        return self._mode in HEATING_MODES

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """A target temperature only while the heaters follow a comfort setpoint."""
        features = ClimateEntityFeature.PRESET_MODE
        if self._heating:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE
        return features

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Stop -> off, Prog -> auto, Manual and Antifreeze -> heat."""
        mode = self._mode
        return HVAC_MODES.get(HeaterMode(mode)) if mode in HVAC_MODES else None

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """Only the mode the heaters are in: the API cannot change it."""
        mode = self.hvac_mode
        return [mode] if mode else [HVACMode.OFF]

    @property
    def preset_mode(self) -> str:
        """Frost protection while the heaters are in Antifreeze."""
        return PRESET_FROST_PROTECTION if self._mode == HeaterMode.ANTIFREEZE else PRESET_NONE

    @property
    def preset_modes(self) -> list[str]:
        """Only the current preset: the API cannot change it."""
        return [self.preset_mode]

    @property
    def current_temperature(self) -> float | None:
        """The mean of the online heaters' readings."""
        room = self.room
        return room.temperature if room else None

    @property
    def _schedule(self) -> float | None:
        """The setpoint the heaters' mode gives, without derogations."""
        room = self.room
        if room is None or room.setpoint is None or not self._heating:
            return None
        return schedule_setpoint(room.setpoint, self._reflected())

    @property
    def target_temperature(self) -> float | None:
        """What the heaters aim at now, derogations included."""
        if self._optimistic is not None:
            return self._optimistic
        schedule = self._schedule
        return None if schedule is None else effective_setpoint(schedule, self._deltas())

    @property
    def min_temp(self) -> float:
        """The lowest target a derogation can reach."""
        schedule = self._schedule
        return super().min_temp if schedule is None else schedule - DEROGATION_RANGE

    @property
    def max_temp(self) -> float:
        """The highest target a derogation can reach."""
        schedule = self._schedule
        return super().max_temp if schedule is None else schedule + DEROGATION_RANGE

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Each heater's mode and setpoint, for rooms whose heaters disagree."""
        room = self.room
        if room is None:
            return {}
        return {
            "heaters": [
                {
                    "header": heater.header,
                    "online": heater.online,
                    "mode": heater.mode,
                    "setpoint": heater.setpoint,
                    "temperature": heater.temperature,
                }
                for heater in room.heaters
            ],
            "heaters_agree": room.agrees,
        }

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Refuse: the partner API cannot change a heater's mode."""
        if hvac_mode != self.hvac_mode:
            raise _refuse("mode_not_supported")

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Refuse: the partner API cannot change a heater's mode."""
        if preset_mode != self.preset_mode:
            raise _refuse("preset_not_supported")

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Schedule a derogation from now for the configured duration."""
        await self.async_set_temperature_for(temperature=kwargs[ATTR_TEMPERATURE], keep_end=True)

    @property
    def default_duration(self) -> timedelta:
        """How long a target temperature lasts (option)."""
        minutes = self.coordinator.config_entry.options.get(
            CONF_DEROGATION_DURATION, DEFAULT_DEROGATION_DURATION
        )
        return timedelta(minutes=minutes)

    @property
    def time_zone(self) -> tzinfo:
        """The homes' zone (derogations and schedules are local times)."""
        return self._data.derogations.time_zone

    async def async_set_temperature_for(
        self,
        *,
        temperature: float,
        duration: timedelta | None = None,
        end: datetime | None = None,
        keep_end: bool = False,
    ) -> None:
        """Bring the room to `temperature` until `end` (or for `duration`).

        With `keep_end`, a derogation from Home Assistant already running keeps its end.
        """
        schedule = self._schedule
        if schedule is None:
            raise _refuse("room_not_heating")
        if not self.min_temp <= temperature <= self.max_temp:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="temperature_out_of_range",
                translation_placeholders={
                    "min": f"{self.min_temp:g}",
                    "max": f"{self.max_temp:g}",
                },
            )
        await self._async_send(
            temperature, schedule, end, duration or self.default_duration, keep_end
        )

    @cloud_command
    async def _async_send(
        self,
        temperature: float,
        schedule: float,
        end: datetime | None,
        duration: timedelta,
        keep_end: bool,
    ) -> None:
        # Shown at once (the cloud answers in its own time), taken back if it refuses.
        previous, previous_since = self._optimistic, self._optimistic_since
        self._optimistic = schedule + round(temperature - schedule)
        self._optimistic_since = order()
        self.async_write_ha_state()
        try:
            await self._data.derogations.async_set_target(
                self.home_id,
                self.room_id,
                temperature,
                schedule,
                end,
                duration,
                keep_end=keep_end,
            )
        except Exception:
            self._optimistic, self._optimistic_since = previous, previous_since
            self.async_write_ha_state()
            raise
        await self.coordinator.async_request_refresh()

    def next_schedule_change(self) -> datetime | None:
        """When the week schedule next switches between comfort and eco (Prog mode only)."""
        room = self.room
        if (
            room is None
            or self._mode != HeaterMode.PROG
            or len(room.week_schedule) != DAYS_PER_WEEK
        ):
            return None
        zone = self.time_zone
        now = dt_util.utcnow().astimezone(zone)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for day in range(8):
            ranges = room.week_schedule[(now.weekday() + day) % 7]
            for minute in sorted({m for r in ranges for m in (r.start, r.end)}):
                when = (midnight + timedelta(days=day, minutes=minute)).astimezone(zone)
                if when > now:
                    return when
        return None
