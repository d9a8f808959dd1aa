"""Snapshots of every MClimate platform against the simulator's household."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from simulator import Scenario


@pytest.fixture
def scenario() -> Scenario:
    """The demo household: one named device of each type."""
    return Scenario.demo()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platforms",
    [
        [Platform.BINARY_SENSOR],
        [Platform.BUTTON],
        [Platform.CLIMATE],
        [Platform.SENSOR],
        [Platform.SWITCH],
    ],
    ids=lambda platforms: str(platforms[0]),
)
async def test_platform(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_mclimate: MockConfigEntry,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_mclimate.entry_id)
