"""A Vicki's open-window and child-lock flags: entities only for valves that report them."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Scenario, Simulator

from .helpers import next_cycle


@pytest.fixture
def platforms() -> list[Platform]:
    """Only binary sensors."""
    return [Platform.BINARY_SENSOR]


def _flag_entities(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> dict[str, str]:
    return {
        entity.translation_key or "": entity.entity_id
        for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if entity.translation_key in ("open_window", "child_lock")
    }


@pytest.mark.parametrize("scenario", [Scenario.demo()])
async def test_valves_without_flags_get_no_flag_entities(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, init_mclimate: MockConfigEntry
) -> None:
    assert _flag_entities(entity_registry, init_mclimate) == {}


@pytest.fixture
def scenario() -> Scenario:
    """The demo household, its valve reporting the flags."""
    demo = Scenario.demo()
    return replace(demo, mclimate=replace(demo.mclimate, vicki_flags=True))


async def test_flags_follow_the_valve(
    hass: HomeAssistant,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    init_mclimate: MockConfigEntry,
) -> None:
    entities = _flag_entities(entity_registry, init_mclimate)
    assert set(entities) == {"open_window", "child_lock"}
    assert hass.states.get(entities["open_window"]).state == STATE_OFF  # type: ignore[union-attr]

    (vicki,) = simulator.mclimate.serials("vicki")
    simulator.mclimate.set_vicki_flags(vicki, open_window=True, child_lock=True)
    await next_cycle(hass)

    for entity_id in entities.values():
        assert hass.states.get(entity_id).state == STATE_ON  # type: ignore[union-attr]
