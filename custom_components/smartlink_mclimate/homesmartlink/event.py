"""Event entities of Home SmartLink: the outcome of each home's diagnosis."""

from __future__ import annotations

from functools import partial

from homeassistant.components.event import EventEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from ..runtime import SmartLinkMClimateConfigEntry
from .coordinator import HomeCoordinator
from .data import HomeSmartLinkRuntimeData
from .diagnosis import Outcome, Result
from .entity import EntityFactories, HomeEntity, async_track_homes


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartLinkMClimateConfigEntry,
    data: HomeSmartLinkRuntimeData,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a diagnosis event entity per home."""

    def build(home: HomeCoordinator) -> EntityFactories:
        return {"diagnosis": partial(DiagnosisEvent, home, data)}

    async_track_homes(hass, entry, data, async_add_entities, build, Platform.EVENT)


class DiagnosisEvent(HomeEntity, EventEntity):
    """Fires when a diagnosis of the home ends: acknowledged, not acknowledged or failed."""

    _attr_translation_key = "diagnosis"

    def __init__(self, coordinator: HomeCoordinator, data: HomeSmartLinkRuntimeData) -> None:
        """Follow the account's diagnoses of this home."""
        super().__init__(coordinator, "diagnosis")
        self._diagnoses = data.diagnoses
        self._attr_event_types = [outcome.value for outcome in Outcome]

    @property
    def available(self) -> bool:
        """Results arrive whether or not the home's last poll succeeded."""
        return True

    async def async_added_to_hass(self) -> None:
        """Listen for results."""
        await super().async_added_to_hass()
        self.async_on_remove(self._diagnoses.async_listen(self.home_id, self._result))

    @callback
    def _result(self, result: Result | None) -> None:
        if result is None:  # a request was sent; its result comes later
            return
        self._trigger_event(
            result.outcome, {"message_id": result.message_id, "created_at": result.created_at}
        )
        self.async_write_ha_state()
