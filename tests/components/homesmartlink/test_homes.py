"""Homes of a running account: failures stay local, homes and heaters come and go."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState, ConfigSubentry
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.setup import async_setup_component
from homeassistant.util import slugify
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smartlink_mclimate.const import (
    CONF_FOLLOW_CONSENTS,
    CONF_HOME_ID,
    DOMAIN,
    SUBENTRY_HOME,
)
from custom_components.smartlink_mclimate.homesmartlink.coordinator import (
    HOME_INTERVAL,
    HomeCoordinator,
    home_interval,
    signal_home_added,
)
from custom_components.smartlink_mclimate.missing import STALE_AFTER
from simulator import Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario
from tests.conftest import START

from .common import CONFIG, USERS, partner_entry

FIRST = "climate.home_1_salon"
SECOND = "climate.home_2_salon"


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's."""
    freezer.move_to(START)


@pytest.fixture
def platforms() -> list[Platform]:
    """The rooms are enough to see a home's state."""
    return [Platform.CLIMATE]


@pytest.fixture
def scenario() -> Scenario:
    """Three homes of one room; only the first two are added at first."""
    return Scenario(homesmartlink=HomeSmartLinkScenario(homes=3, rooms_per_home=1))


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with the first two homes."""
    return partner_entry(hass, simulator, homes=2)


def configs(simulator: Simulator, home_id: str) -> int:
    return sum(r.json == {"homeId": home_id} for r in simulator.recorder.matching("POST", CONFIG))


async def move(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    simulator.clock.advance(delta)
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.parametrize("platforms", [[Platform.SENSOR]])
async def test_the_budget_sensor_is_not_written_by_each_home_s_poll(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Hundreds of homes' polls would each write it: it is read on its own minute."""
    unique_id = f"{init_homesmartlink.unique_id}_request_budget"
    entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, unique_id)
    assert entity_id is not None
    shown = hass.states.get(entity_id).state
    data = init_homesmartlink.runtime_data
    for home in data.homes.values():
        await home.async_refresh()
    await hass.async_block_till_done()
    assert data.client.budget.sent > int(shown)
    assert hass.states.get(entity_id).state == shown

    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": entity_id}, blocking=True
    )
    assert hass.states.get(entity_id).state == str(data.client.budget.sent)


@pytest.mark.parametrize("platforms", [[Platform.BINARY_SENSOR]])
async def test_connectivity_turns_off_as_the_last_ping_ages(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """A poll that reads an unchanged config writes nothing: a timer turns it off."""
    connectivity = "binary_sensor.home_1_connectivity"
    assert hass.states.get(connectivity).state == "on"
    simulator.homesmartlink.set_gateway_online(simulator.homesmartlink.home_ids[0], False)
    await move(hass, simulator, freezer, timedelta(seconds=61))  # its last ping, read once
    init_homesmartlink.runtime_data.poller.stop()  # then no poll at all
    await move(hass, simulator, freezer, timedelta(minutes=8))
    assert hass.states.get(connectivity).state == "on"  # pinged less than 10 minutes ago
    await move(hass, simulator, freezer, timedelta(minutes=2))
    assert hass.states.get(connectivity).state == "off"


def test_polling_stretches_to_the_request_budget() -> None:
    assert home_interval(1) == HOME_INTERVAL
    assert home_interval(90) == HOME_INTERVAL
    assert home_interval(500) == timedelta(seconds=334)  # 500 homes in 90 requests a minute


async def test_one_home_failing_leaves_the_others(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    first = next(iter(init_homesmartlink.runtime_data.homes.values()))
    simulator.faults.add("status", f"POST {CONFIG}", status=503, times=1)
    await first.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(FIRST).state == STATE_UNAVAILABLE
    assert hass.states.get(SECOND).state != STATE_UNAVAILABLE

    await first.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(FIRST).state != STATE_UNAVAILABLE


async def test_rate_limit_waits_what_the_cloud_asks(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    first = next(iter(init_homesmartlink.runtime_data.homes.values()))
    simulator.faults.add("rate_limit", f"POST {CONFIG}", retry_after=300, times=1)
    await first.async_refresh()
    polled = configs(simulator, first.home_id)
    await move(hass, simulator, freezer, timedelta(seconds=61))
    assert configs(simulator, first.home_id) == polled
    await move(hass, simulator, freezer, timedelta(seconds=240))
    assert configs(simulator, first.home_id) == polled + 1
    assert hass.states.get(FIRST).state != STATE_UNAVAILABLE


async def test_refused_credentials_while_polling_start_reauth(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    first = next(iter(init_homesmartlink.runtime_data.homes.values()))
    simulator.faults.add("unauthorized", f"POST {CONFIG}", times=1)
    await first.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_home_added_and_removed_without_reload(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    third = simulator.homesmartlink.home_ids[2]
    simulator.recorder.clear()
    subentry = ConfigSubentry(
        data={CONF_HOME_ID: third}, subentry_type=SUBENTRY_HOME, title="Home 3", unique_id=third
    )
    hass.config_entries.async_add_subentry(init_homesmartlink, subentry)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert init_homesmartlink.state is ConfigEntryState.LOADED
    assert [(r.method, r.json) for r in simulator.recorder] == [("POST", {"homeId": third})]
    assert hass.states.get("climate.home_3_salon") is not None

    hass.config_entries.async_remove_subentry(init_homesmartlink, subentry.subentry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("climate.home_3_salon") is None
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{third}_room_1"), init_homesmartlink.entry_id
        )
        is None
    )
    await move(hass, simulator, freezer, timedelta(minutes=2))
    assert configs(simulator, third) == 1


@pytest.mark.parametrize("platforms", [[Platform.CLIMATE, Platform.SENSOR]])
async def test_a_home_updated_again_before_its_entities_are_built_gets_each_once(
    hass: HomeAssistant,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    caplog: pytest.LogCaptureFixture,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Entities are built a few per loop turn: an update meanwhile does not add them again."""
    third = simulator.homesmartlink.home_ids[2]

    @callback
    def updated_twice(home: HomeCoordinator) -> None:
        @callback
        def again() -> None:  # after the platforms' listeners, which scheduled the entities
            remove()
            home.async_update_listeners()

        remove = home.async_add_listener(again)

    async_dispatcher_connect(hass, signal_home_added(init_homesmartlink.entry_id), updated_twice)
    subentry = ConfigSubentry(
        data={CONF_HOME_ID: third}, subentry_type=SUBENTRY_HOME, title="Home 3", unique_id=third
    )
    hass.config_entries.async_add_subentry(init_homesmartlink, subentry)
    await hass.async_block_till_done(wait_background_tasks=True)

    added = [
        entry.unique_id
        for entry in er.async_entries_for_config_entry(entity_registry, init_homesmartlink.entry_id)
        if entry.config_subentry_id == subentry.subentry_id
    ]
    assert len(added) > 5  # the room, its heaters and the gateway
    assert hass.states.get("climate.home_3_salon") is not None
    assert "already exists" not in caplog.text  # Home Assistant's word for a second add


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # heater readings
@pytest.mark.parametrize("platforms", [[Platform.CLIMATE, Platform.SENSOR]])
async def test_heaters_appear_and_stale_ones_go(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """A heater no longer listed is kept, unavailable, for two more answers, then removed."""
    home = simulator.homesmartlink.homes[0]
    room = home.rooms[0]
    old = room.heaters[0]
    new = replace(old, header="ABCDEF012345")
    room.heaters[:] = [new]
    await move(hass, simulator, freezer, timedelta(seconds=61))

    entry_id = init_homesmartlink.entry_id
    added = device_registry.async_get_device_by_identifier((DOMAIN, new.header), entry_id)
    assert added is not None
    assert hass.states.get(FIRST).attributes["heaters"][0]["header"] == new.header
    kept = device_registry.async_get_device_by_identifier((DOMAIN, old.header), entry_id)
    assert kept is not None
    old_entities = er.async_entries_for_device(entity_registry, kept.id)
    assert old_entities
    for entity in old_entities:
        assert hass.states.get(entity.entity_id).state == STATE_UNAVAILABLE
    assert "no longer lists 1 device(s): unavailable" in caplog.text

    for _ in range(STALE_AFTER - 1):
        await move(hass, simulator, freezer, timedelta(seconds=61))
    assert device_registry.async_get_device_by_identifier((DOMAIN, old.header), entry_id) is None
    for entity in old_entities:
        assert hass.states.get(entity.entity_id) is None
    assert f"no longer lists 1 device(s) after {STALE_AFTER} answers: removed" in caplog.text


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # heater readings
@pytest.mark.parametrize("platforms", [[Platform.CLIMATE, Platform.SENSOR]])
async def test_a_heater_missing_from_one_answer_comes_back_as_it_was(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """A glitch keeps the user's device: same registry entry, same entities, no duplicate."""
    room = simulator.homesmartlink.homes[0].rooms[0]
    heater = room.heaters[0]
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, heater.header), init_homesmartlink.entry_id
    )
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Radiator by the window")
    before = {e.entity_id for e in er.async_entries_for_device(entity_registry, device.id)}

    room.heaters.remove(heater)
    await move(hass, simulator, freezer, timedelta(seconds=61))
    assert {hass.states.get(entity_id).state for entity_id in before} == {STATE_UNAVAILABLE}
    room.heaters.insert(0, heater)
    await move(hass, simulator, freezer, timedelta(seconds=61))

    back = device_registry.async_get(device.id)
    assert back is not None
    assert back.name_by_user == "Radiator by the window"
    assert {e.entity_id for e in er.async_entries_for_device(entity_registry, device.id)} == before
    assert STATE_UNAVAILABLE not in {hass.states.get(entity_id).state for entity_id in before}
    assert "lists all its devices again" in caplog.text
    assert "already exists" not in caplog.text


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(
            homesmartlink=HomeSmartLinkScenario(homes=2, rooms_per_home=1, users_endpoint=False)
        )
    ],
)
async def test_server_without_users_endpoint_still_loads(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    """API before 0.3.3: GET users is a 404, and the homes' config calls prove the account."""
    assert init_homesmartlink.state is ConfigEntryState.LOADED
    assert [r.path for r in simulator.recorder] == [USERS, CONFIG, CONFIG]
    assert hass.states.get(FIRST).state != STATE_UNAVAILABLE


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(
            homesmartlink=HomeSmartLinkScenario(homes=1, rooms_per_home=1, users_endpoint=False)
        )
    ],
)
async def test_without_users_endpoint_bad_credentials_still_need_reauth(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    simulator.faults.add("unauthorized", f"POST {CONFIG}")
    await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    await hass.async_block_till_done()
    assert homesmartlink_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_followed_consents_become_polled_homes(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """With the option on, the users refresh adds the new consenting home; it is polled at once."""
    entry = partner_entry(hass, simulator, homes=2, options={CONF_FOLLOW_CONSENTS: True})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    third = simulator.homesmartlink.home_ids[2]
    assert {home.home_id for home in entry.runtime_data.homes.values()} == set(
        simulator.homesmartlink.home_ids
    )
    assert configs(simulator, third) >= 1
    (subentry,) = (s for s in entry.subentries.values() if s.unique_id == third)
    assert hass.states.get(f"climate.{slugify(subentry.title)}_salon") is not None
