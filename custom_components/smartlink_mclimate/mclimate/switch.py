"""Switches of MClimate controllers: Bobbie relays, smart plugs and the Melissa LED."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.components.switch.const import SwitchDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..clients.mclimate import (
    BobbieData,
    ControllerType,
    MClimateClient,
    ProviderData,
    SmartPlugData,
)
from ..helpers import cloud_command
from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import ControllerData, MClimateCoordinator
from .data import MClimateRuntimeData
from .entity import MClimateEntity, async_add_controller_entities


@dataclass(frozen=True, kw_only=True)
class MClimateSwitchEntityDescription(SwitchEntityDescription):
    """A controller switch: how to read it and how to send it."""

    is_on_fn: Callable[[ControllerData], bool | None]
    send_fn: Callable[[MClimateClient, str, bool], Awaitable[ProviderData | None]]
    # The state lives in the controller resource (not its fetch): read it again after.
    relisted: bool = False


def _relay(state: ControllerData) -> bool | None:
    data = state.data
    return data.relay_on if isinstance(data, BobbieData) else None


def _plug(state: ControllerData) -> bool | None:
    data = state.data
    return data.power_on if isinstance(data, SmartPlugData) else None


def _led(state: ControllerData) -> bool | None:
    melissa = state.controller.melissa
    return melissa.led_on if melissa is not None else None


async def _send_led(client: MClimateClient, serial: str, on: bool) -> None:
    if on:
        await client.turn_led_on(serial)
    else:
        await client.turn_led_off(serial)


SWITCHES: Final[dict[ControllerType, tuple[MClimateSwitchEntityDescription, ...]]] = {
    ControllerType.BOBBIE: (
        # The device's main entity, named after it: "turn off the water heater".
        MClimateSwitchEntityDescription(
            key="relay",
            translation_key="relay",
            name=None,
            device_class=SwitchDeviceClass.SWITCH,
            is_on_fn=_relay,
            send_fn=lambda client, serial, on: client.switch(serial, ControllerType.BOBBIE, on),
        ),
    ),
    ControllerType.SMART_PLUG: (
        MClimateSwitchEntityDescription(
            key="plug",
            translation_key="plug",
            name=None,
            device_class=SwitchDeviceClass.OUTLET,
            is_on_fn=_plug,
            send_fn=lambda client, serial, on: client.switch(serial, ControllerType.SMART_PLUG, on),
        ),
    ),
    ControllerType.MELISSA: (
        MClimateSwitchEntityDescription(
            key="led",
            translation_key="led",
            entity_category=EntityCategory.CONFIG,
            is_on_fn=_led,
            send_fn=_send_led,
            relisted=True,
        ),
    ),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each controller's switches, as controllers appear."""

    def switches(coordinator: MClimateCoordinator, state: ControllerData) -> Iterable[SwitchEntity]:
        serial = state.controller.serial_number
        descriptions = SWITCHES.get(ControllerType(state.controller.type), ())
        return (ControllerSwitch(coordinator, serial, d) for d in descriptions)

    async_add_controller_entities(data.coordinator, async_add_entities, switches)


class ControllerSwitch(MClimateEntity, SwitchEntity):
    """A relay or setting of a controller, shown switched at once, then confirmed."""

    entity_description: MClimateSwitchEntityDescription

    def __init__(
        self,
        coordinator: MClimateCoordinator,
        serial: str,
        description: MClimateSwitchEntityDescription,
    ) -> None:
        """Switch `description` of one controller."""
        super().__init__(coordinator, serial, description.key)
        self.entity_description = description
        self._optimistic: bool | None = None

    @property
    def is_on(self) -> bool | None:
        """What was just sent, until the controller's data confirms it."""
        if self._optimistic is not None:
            return self._optimistic
        return self.entity_description.is_on_fn(self.state_of)

    @cloud_command
    async def async_turn_on(self, /, **kwargs: Any) -> None:
        """Switch on."""
        await self._async_switch(True)

    @cloud_command
    async def async_turn_off(self, /, **kwargs: Any) -> None:
        """Switch off."""
        await self._async_switch(False)

    async def _async_switch(self, on: bool) -> None:
        """Show the new state, send it, and confirm it from this controller alone."""
        self._optimistic = on
        self.async_write_ha_state()
        try:
            answer = await self.entity_description.send_fn(self.coordinator.client, self.serial, on)
        except Exception:
            self._optimistic = None
            self.async_write_ha_state()
            raise
        await self.coordinator.async_refresh_controller(
            self.serial, answer, relisted=self.entity_description.relisted
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fresh data replaces what was assumed."""
        self._optimistic = None
        super()._handle_coordinator_update()
