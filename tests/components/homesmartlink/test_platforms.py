"""Snapshots of every Home SmartLink platform on a world of three unlike homes."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from simulator import Scenario, Simulator
from tests.conftest import START

from .common import partner_entry, world


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's."""
    freezer.move_to(START)


@pytest.fixture
def scenario() -> Scenario:
    """Every category and mode, an offline heater and gateway, a home without gateway."""
    return world()


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with every simulated home."""
    return partner_entry(hass, simulator)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platforms",
    [
        [Platform.BINARY_SENSOR],
        [Platform.BUTTON],
        [Platform.CALENDAR],
        [Platform.CLIMATE],
        [Platform.EVENT],
        [Platform.SENSOR],
    ],
    ids=lambda platforms: str(platforms[0]),
)
async def test_platform(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_homesmartlink: MockConfigEntry,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_homesmartlink.entry_id)


async def test_devices(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Home (gateway) -> rooms -> heaters, with models, versions and areas."""
    devices = dr.async_entries_for_config_entry(device_registry, init_homesmartlink.entry_id)
    by_id = {device.id: device for device in devices}
    tree = sorted(
        (
            device.name,
            device.model,
            device.sw_version,
            device.suggested_area,
            by_id[device.via_device_id].name if device.via_device_id else None,
        )
        for device in devices
    )
    assert tree == snapshot


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities_sit_on_their_devices(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Each home's, room's and heater's entities are on that device's page, none without."""

    def path(device_id: str | None) -> str:
        """The device's name after its parents' ("Home 1 / Kitchen / Kitchen Heater")."""
        device = device_registry.async_get(device_id) if device_id else None
        if device is None:
            return "(none)"
        parent = device.via_device_id
        return f"{path(parent)} / {device.name}" if parent else str(device.name)

    entities = er.async_entries_for_config_entry(entity_registry, init_homesmartlink.entry_id)
    by_device: dict[str, list[str]] = {}
    for entity in entities:
        by_device.setdefault(path(entity.device_id), []).append(entity.entity_id)
    assert "(none)" not in by_device
    assert {name: sorted(ids) for name, ids in sorted(by_device.items())} == snapshot
