"""Button entities of Home SmartLink: run a home's two-step diagnosis."""

from __future__ import annotations

from functools import partial

from homeassistant.components.button import ButtonEntity
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .entity import EntityFactories, HomeEntity, async_track_homes


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a diagnosis button per home that has a gateway to ask."""

    def build(home: HomeCoordinator) -> EntityFactories:
        if home.data.gateway is None:
            return {}
        return {"run_diagnosis": partial(RunDiagnosisButton, home, data)}

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.BUTTON)


class RunDiagnosisButton(HomeEntity, ButtonEntity):
    """Ask the home's gateway for a diagnosis; the result comes about five minutes later."""

    _attr_translation_key = "run_diagnosis"
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: HomeCoordinator, data: HomeSmartLinkRuntimeData) -> None:
        """One home's gateway."""
        super().__init__(coordinator, "run_diagnosis")
        self._diagnoses = data.diagnoses

    async def async_press(self) -> None:
        """Send the request (errors and a refusal are raised, translated)."""
        await self._diagnoses.async_request(self.home_id)
