"""The two-step diagnosis: request now, result about five minutes later, across restarts."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smartlink_mclimate.const import DOMAIN
from simulator import Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario
from tests.conftest import START

from .common import REQUEST, partner_entry

BUTTON = "button.home_1_run_diagnosis"
EVENT = "event.home_1_diagnosis"
LAST = "sensor.home_1_last_diagnosis"


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's."""
    freezer.move_to(START)


@pytest.fixture
def platforms() -> list[Platform]:
    """The home's diagnosis entities."""
    return [Platform.BUTTON, Platform.EVENT, Platform.SENSOR]


@pytest.fixture
def scenario() -> Scenario:
    """One home of one room."""
    return Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, rooms_per_home=1))


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with its home."""
    return partner_entry(hass, simulator)


async def move(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    simulator.clock.advance(delta)
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def press(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: BUTTON}, blocking=True
    )


async def test_result_is_read_after_five_minutes(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    await press(hass)
    (request,) = simulator.recorder.matching("POST", REQUEST)
    assert request.json == {"homeId": simulator.homesmartlink.home_ids[0]}
    assert simulator.recorder.matching("PUT", REQUEST) == []
    assert hass.states.get(LAST).attributes["pending"] is True

    await move(hass, simulator, freezer, timedelta(minutes=4))
    assert simulator.recorder.matching("PUT", REQUEST) == []
    await move(hass, simulator, freezer, timedelta(minutes=1, seconds=1))

    (result,) = simulator.recorder.matching("PUT", REQUEST)
    message_id = result.json["messageId"]
    event = hass.states.get(EVENT)
    assert event.attributes["event_type"] == "acknowledged"
    assert event.attributes["message_id"] == message_id
    last = hass.states.get(LAST)
    assert last.state == "acknowledged"
    assert last.attributes["pending"] is False
    assert last.attributes["created_at"] == "2026-11-23T09:00:00+00:00"


async def test_pending_diagnosis_is_read_after_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    await press(hass)
    await move(hass, simulator, freezer, timedelta(minutes=2))
    assert await hass.config_entries.async_reload(init_homesmartlink.entry_id)
    await hass.async_block_till_done()
    await move(hass, simulator, freezer, timedelta(minutes=3, seconds=1))

    assert len(simulator.recorder.matching("PUT", REQUEST)) == 1
    assert hass.states.get(LAST).state == "acknowledged"


async def test_gateway_offline_is_refused_at_once(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    simulator.homesmartlink.set_gateway_online(simulator.homesmartlink.home_ids[0], False)
    with pytest.raises(HomeAssistantError) as err:
        await press(hass)
    assert (err.value.translation_domain, err.value.translation_key) == (
        DOMAIN,
        "diagnosis_refused",
    )
    assert hass.states.get(LAST).state == "failed"
    assert hass.states.get(EVENT).attributes["event_type"] == "failed"


async def test_run_diagnosis_action_returns_the_message_id(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    init_homesmartlink: MockConfigEntry,
) -> None:
    home = next(iter(init_homesmartlink.runtime_data.homes.values()))
    response = await hass.services.async_call(
        DOMAIN,
        "run_diagnosis",
        {"device_id": home.devices.home_device_id},
        blocking=True,
        return_response=True,
    )
    (request,) = simulator.recorder.matching("POST", REQUEST)
    assert request.json["homeId"] == home.home_id
    await move(hass, simulator, freezer, timedelta(minutes=5, seconds=1))
    (result,) = simulator.recorder.matching("PUT", REQUEST)
    assert response == {"message_id": result.json["messageId"]}
