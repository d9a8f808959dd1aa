"""Diagnostics of the account and of each device: useful, and with nothing private in them."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.smartlink_mclimate.const import DOMAIN
from simulator import MClimateScenario, Scenario, Simulator


@pytest.fixture
def scenario() -> Scenario:
    """A household with a device of a type nobody documents."""
    return Scenario(mclimate=MClimateScenario(unknown_types=["thermostat_x"]))


async def test_entry_diagnostics(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_mclimate)
    assert result == snapshot(exclude=props("api_url", "expires_at", "sent_last_minute"))
    assert result["unknown_types"] == ["thermostat_x"]
    text = str(result)
    for serial in simulator.mclimate.serials():
        assert serial not in text
    assert init_mclimate.data["token"]["access_token"] not in text
    assert simulator.scenario.mclimate.username not in text


async def test_device_diagnostics(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    (vicki,) = simulator.mclimate.serials("vicki")
    device = device_registry.async_get_device_by_identifier((DOMAIN, vicki), init_mclimate.entry_id)
    assert device is not None
    result = await get_diagnostics_for_device(hass, hass_client, init_mclimate, device)
    assert result == snapshot
    assert result["data"]["ip"] == simulator.mclimate.provider(vicki)["ip"]
    assert vicki not in str(result)

    account = device_registry.async_get_device_by_identifier(
        (DOMAIN, str(init_mclimate.unique_id)), init_mclimate.entry_id
    )
    assert account is not None
    assert await get_diagnostics_for_device(hass, hass_client, init_mclimate, account) == {
        "controller": None
    }
