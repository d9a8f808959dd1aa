"""Diagnostics of a partner account and its devices: useful, and without personal data."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.json import JSONEncoder
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from simulator import Scenario, Simulator
from tests.conftest import START

from .common import partner_entry, world


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's."""
    freezer.move_to(START)


@pytest.fixture
def platforms() -> list[Platform]:
    """No entity is needed."""
    return []


@pytest.fixture
def scenario() -> Scenario:
    """Every category and mode."""
    return world()


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with every simulated home."""
    return partner_entry(hass, simulator)


def assert_no_personal_data(simulator: Simulator, text: str) -> None:
    assert simulator.scenario.homesmartlink.client_secret not in text
    for home in simulator.homesmartlink.homes:
        assert home.home_id not in text
        assert home.user.email not in text
        assert home.user.last_name not in text
        assert home.user.prm_id not in text
        if home.gateway:
            assert home.gateway.token not in text


async def test_entry_diagnostics(
    hass: HomeAssistant,
    simulator: Simulator,
    snapshot: SnapshotAssertion,
    init_homesmartlink: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    report = await get_diagnostics_for_config_entry(hass, hass_client, init_homesmartlink)
    assert_no_personal_data(simulator, json.dumps(report, cls=JSONEncoder))
    assert report == snapshot(exclude=lambda prop, path: prop == "base_url")


async def test_device_diagnostics_list_every_device_of_its_home(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    init_homesmartlink: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    home = next(iter(init_homesmartlink.runtime_data.homes.values()))
    device = device_registry.async_get(home.devices.home_device_id)
    assert device is not None
    report = await get_diagnostics_for_device(hass, hass_client, init_homesmartlink, device)
    assert_no_personal_data(simulator, json.dumps(report, cls=JSONEncoder))
    (listed,) = report["homes"]
    assert listed["home_id"] == "home 1"
    categories = {item["category"] for item in listed["config"]["devices"]}
    assert "Gateway" in categories
