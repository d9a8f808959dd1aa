"""Setting up a partner account: what it asks the cloud, and how it fails."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario

from .common import CONFIG, USERS, partner_entry


@pytest.fixture
def scenario() -> Scenario:
    """Three homes of two rooms."""
    return Scenario(homesmartlink=HomeSmartLinkScenario(homes=3, rooms_per_home=2))


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with every simulated home."""
    return partner_entry(hass, simulator)


async def test_setup_sends_one_users_walk_and_one_config_per_home(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    assert init_homesmartlink.state is ConfigEntryState.LOADED
    paths = [(request.method, request.path) for request in simulator.recorder]
    assert sorted(paths) == sorted([("GET", USERS)] + [("POST", CONFIG)] * 3)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), init_homesmartlink.entry_id)
    assert len(devices) == 1 + 3 * (1 + 2 + 2)  # account, then home, rooms, heaters
