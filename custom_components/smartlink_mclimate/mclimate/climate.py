"""Thermostats: the air conditioner behind a Melissa, and Vicki radiator valves.

IR has no feedback: a Melissa's state is what was last sent. At start it is the
last command the cloud recorded (`controller_log`), else the state restored
from before the restart, else off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Final

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    FAN_AUTO,
    FAN_HIGH,
    FAN_LOW,
    FAN_MEDIUM,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, PRECISION_WHOLE, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from ..clients.mclimate import (
    ControllerType,
    IrCommand,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaState,
    VickiData,
)
from ..clients.mclimate.api import IR_TEMP_RANGE, VICKI_RANGE
from ..helpers import cloud_command
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import ControllerData, MClimateCoordinator
from .data import MClimateRuntimeData
from .entity import MClimateEntity, async_add_controller_entities

HVAC_MODES: Final = {
    MelissaMode.AUTO: HVACMode.HEAT_COOL,
    MelissaMode.FAN: HVACMode.FAN_ONLY,
    MelissaMode.HEAT: HVACMode.HEAT,
    MelissaMode.COOL: HVACMode.COOL,
    MelissaMode.DRY: HVACMode.DRY,
}
MELISSA_MODES: Final = {hvac: mode for mode, hvac in HVAC_MODES.items()}
FAN_MODES: Final = {
    MelissaFan.AUTO: FAN_AUTO,
    MelissaFan.LOW: FAN_LOW,
    MelissaFan.MEDIUM: FAN_MEDIUM,
    MelissaFan.HIGH: FAN_HIGH,
}
MELISSA_FANS: Final = {fan: speed for speed, fan in FAN_MODES.items()}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a thermostat per Melissa and per Vicki, as they appear."""

    def thermostats(
        coordinator: MClimateCoordinator, state: ControllerData
    ) -> Iterable[ClimateEntity]:
        serial = state.controller.serial_number
        match state.controller.type:
            case ControllerType.MELISSA:
                return [MelissaClimate(coordinator, serial)]
            case ControllerType.VICKI:
                return [VickiClimate(coordinator, serial)]
        return []

    async_add_controller_entities(data.coordinator, async_add_entities, thermostats)


class MelissaClimate(MClimateEntity, ClimateEntity, RestoreEntity):
    """The air conditioner a Melissa drives by IR, in the state last sent to it."""

    _attr_name = None
    _attr_translation_key = "melissa"
    _attr_assumed_state = True
    _attr_min_temp, _attr_max_temp = IR_TEMP_RANGE
    _attr_precision = PRECISION_WHOLE
    _attr_target_temperature_step = 1
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.FAN_MODE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(self, coordinator: MClimateCoordinator, serial: str) -> None:
        """The AC behind one Melissa."""
        super().__init__(coordinator, serial, "climate")
        self._attr_hvac_modes = [HVACMode.OFF, *MELISSA_MODES]
        self._attr_fan_modes = list(MELISSA_FANS)
        self._recorded = self._last_known.controller.last_ir_command

    async def async_added_to_hass(self) -> None:
        """Start from the cloud's last recorded command, else from before the restart."""
        await super().async_added_to_hass()
        if self._recorded is not None:
            self._assume(self._recorded)
        elif (last := await self.async_get_last_state()) is not None:
            self._assume(_restored(last.state, last.attributes, self._command))

    @property
    def _command(self) -> IrCommand:
        return self.coordinator.assumed_command(self.serial)

    def _assume(self, command: IrCommand) -> None:
        self.coordinator.assumed_ir[self.serial] = command

    @property
    def hvac_mode(self) -> HVACMode:
        """Off, or the mode last sent."""
        command = self._command
        return HVACMode.OFF if command.state == MelissaState.OFF else HVAC_MODES[command.mode]

    @property
    def fan_mode(self) -> str:
        """The fan speed last sent."""
        return FAN_MODES[self._command.fan]

    @property
    def target_temperature(self) -> float:
        """The setpoint last sent."""
        return float(self._command.temp)

    @property
    def current_temperature(self) -> float | None:
        """The room temperature Melissa measures."""
        data = self.provider
        return data.temperature if isinstance(data, MelissaData) else None

    @property
    def current_humidity(self) -> float | None:
        """The room humidity Melissa measures."""
        data = self.provider
        return data.humidity if isinstance(data, MelissaData) else None

    @callback
    def _handle_coordinator_update(self) -> None:
        """Follow a command recorded by the cloud since (sent from the vendor's app)."""
        state = self.coordinator.data.controllers.get(self.serial)
        recorded = state.controller.last_ir_command if state else None
        if recorded is not None and recorded != self._recorded:
            self._recorded = recorded
            self._assume(recorded)
        super()._handle_coordinator_update()

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Turn off, or on in this mode."""
        if hvac_mode == HVACMode.OFF:
            await self._async_send(state=MelissaState.OFF)
        else:
            await self._async_send(state=MelissaState.ON, mode=MELISSA_MODES[hvac_mode])

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the setpoint (whole degrees), turning the AC on as the vendor's app does."""
        changes: dict[str, Any] = {"state": MelissaState.ON}
        if (hvac_mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            if hvac_mode == HVACMode.OFF:
                changes["state"] = MelissaState.OFF
            else:
                changes["mode"] = MELISSA_MODES[hvac_mode]
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            changes["temp"] = round(temperature)
        await self._async_send(**changes)

    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Set the fan speed, turning the AC on."""
        await self._async_send(state=MelissaState.ON, fan=MELISSA_FANS[fan_mode])

    async def async_turn_on(self) -> None:
        """Turn on in the mode last sent."""
        await self._async_send(state=MelissaState.ON)

    async def async_turn_off(self) -> None:
        """Turn off."""
        await self._async_send(state=MelissaState.OFF)

    @cloud_command
    async def _async_send(self, /, **changes: Any) -> None:
        """Assume the new state at once, send it, and put the old one back if it fails."""
        previous = self._command
        command = replace(previous, **changes, created=None)
        self._assume(command)
        self.async_write_ha_state()
        try:
            await send_ir_command(self.coordinator, self.serial, command)
        except Exception:
            self._assume(previous)
            self.async_write_ha_state()
            raise
        await self.coordinator.async_refresh_controller(self.serial)


async def send_ir_command(
    coordinator: MClimateCoordinator, serial: str, command: IrCommand
) -> None:
    """Send an IR command to a Melissa (also used to resend the assumed state)."""
    await coordinator.client.send_ir_code(
        serial, state=command.state, mode=command.mode, temp=command.temp, fan=command.fan
    )


def _restored(state: str, attributes: Any, fallback: IrCommand) -> IrCommand:
    """The command a restored state stands for; what it does not say comes from `fallback`."""
    mode = MELISSA_MODES.get(HVACMode(state)) if state in HVACMode else None
    fan = MELISSA_FANS.get(attributes.get("fan_mode"))
    temperature = attributes.get(ATTR_TEMPERATURE)
    low, high = IR_TEMP_RANGE
    return replace(
        fallback,
        state=MelissaState.OFF if mode is None else MelissaState.ON,
        mode=fallback.mode if mode is None else mode,
        fan=fallback.fan if fan is None else fan,
        temp=(
            round(temperature)
            if isinstance(temperature, (int, float)) and low <= temperature <= high
            else fallback.temp
        ),
        created=None,
    )


class VickiClimate(MClimateEntity, ClimateEntity):
    """A radiator valve: heat only, its display is the target temperature."""

    _attr_name = None
    _attr_translation_key = "vicki"
    _attr_hvac_mode = HVACMode.HEAT
    _attr_min_temp, _attr_max_temp = VICKI_RANGE
    _attr_precision = PRECISION_WHOLE
    _attr_target_temperature_step = 1
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_supported_features = ClimateEntityFeature.TARGET_TEMPERATURE

    def __init__(self, coordinator: MClimateCoordinator, serial: str) -> None:
        """The valve of one Vicki."""
        super().__init__(coordinator, serial, "climate")
        self._attr_hvac_modes = [HVACMode.HEAT]
        self._optimistic: int | None = None

    @property
    def _data(self) -> VickiData | None:
        data = self.provider
        return data if isinstance(data, VickiData) else None

    @property
    def target_temperature(self) -> float | None:
        """What was just set, until the valve confirms it; else its display."""
        if self._optimistic is not None:
            return float(self._optimistic)
        return float(self._data.target_temperature) if self._data else None

    @property
    def current_temperature(self) -> float | None:
        """The room temperature at the valve."""
        return self._data.temperature if self._data else None

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """A valve only heats: nothing to change."""

    @cloud_command
    async def async_set_temperature(self, /, **kwargs: Any) -> None:
        """Move the valve's target (whole degrees)."""
        target = round(kwargs[ATTR_TEMPERATURE])
        self._optimistic = target
        self.async_write_ha_state()
        try:
            answer = await self.coordinator.client.set_motor_position(self.serial, target)
        except Exception:
            self._optimistic = None
            self.async_write_ha_state()
            raise
        await self.coordinator.async_refresh_controller(self.serial, answer)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fresh data replaces what was assumed."""
        self._optimistic = None
        super()._handle_coordinator_update()
