"""Buttons of MClimate controllers: resend a Melissa's assumed state.

IR commands get lost (the AC's own remote was used, something was in the
way); sending the assumed state again brings the AC back in line in one tap.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.components.button import ButtonEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..clients.mclimate import ControllerType
from ..helpers import cloud_command
from ..runtime import SmartLinkMClimateConfigEntry
from .climate import send_ir_command
from .coordinator import ControllerData, MClimateCoordinator
from .data import MClimateRuntimeData
from .entity import MClimateEntity, async_add_controller_entities


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: MClimateRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a "Resend state" button per Melissa, as they appear."""

    def buttons(coordinator: MClimateCoordinator, state: ControllerData) -> Iterable[ButtonEntity]:
        if state.controller.type == ControllerType.MELISSA:
            return [ResendStateButton(coordinator, state.controller.serial_number)]
        return []

    async_add_controller_entities(data.coordinator, async_add_entities, buttons)


class ResendStateButton(MClimateEntity, ButtonEntity):
    """Send the air conditioner the state it is assumed to be in."""

    _attr_translation_key = "resend_state"

    def __init__(self, coordinator: MClimateCoordinator, serial: str) -> None:
        """The button of one Melissa."""
        super().__init__(coordinator, serial, "resend_state")

    @cloud_command
    async def async_press(self) -> None:
        """Send the assumed state again."""
        await send_ir_command(
            self.coordinator, self.serial, self.coordinator.assumed_command(self.serial)
        )
