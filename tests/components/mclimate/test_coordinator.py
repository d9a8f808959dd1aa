"""Polling one account: a fetch per device each cycle, the list every ten, failures per device."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
import logging

from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smartlink_mclimate.const import DOMAIN
from custom_components.smartlink_mclimate.mclimate.coordinator import DISCOVERY_EVERY
from custom_components.smartlink_mclimate.mclimate.data import MClimateRuntimeData
from custom_components.smartlink_mclimate.missing import STALE_AFTER
from simulator import MClimateScenario, Scenario, Simulator

from .helpers import next_cycle, next_listing


@pytest.fixture
def platforms() -> list[Platform]:
    """Switches show availability well enough: every device type but Vicki has one."""
    return [Platform.SWITCH]


def switch_states(hass: HomeAssistant) -> dict[str, str]:
    """Every switch's state, by entity id."""
    return {state.entity_id: state.state for state in hass.states.async_all("switch")}


async def test_a_cycle_costs_one_fetch_per_online_device_and_the_list_every_ten(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
) -> None:
    simulator.mclimate.set_online(simulator.mclimate.serials("vicki")[0], False)
    await next_listing(hass)  # learns that the Vicki is offline
    simulator.recorder.clear()
    for _ in range(DISCOVERY_EVERY):
        await next_cycle(hass)

    requests = [(r.method, r.path) for r in simulator.recorder]
    assert requests.count(("POST", "/v1/provider/fetch")) == 3 * DISCOVERY_EVERY
    assert requests.count(("GET", "/v1/controllers")) == 1
    fetched = {r.json["serial_number"] for r in simulator.recorder.matching("POST")}
    assert simulator.mclimate.serials("vicki")[0] not in fetched


async def test_devices(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
    init_mclimate: MockConfigEntry,
) -> None:
    devices = dr.async_entries_for_config_entry(device_registry, init_mclimate.entry_id)
    assert sorted(devices, key=lambda d: d.name or "") == snapshot


@pytest.mark.parametrize(
    "scenario",
    [Scenario(mclimate=MClimateScenario(melissa=0, bobbie=0, vicki=0, smart_plug=65))],
)
async def test_every_page_is_read(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    pages = simulator.recorder.matching("GET", "/v1/controllers")
    assert [r.query.get("page") for r in pages] == [None, "2", "3"]
    assert len(switch_states(hass)) == 65


async def test_a_failing_device_is_unavailable_alone_and_recovers(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = switch_states(hass)
    simulator.faults.add("status", "POST /v1/provider/fetch", status=500, times=1)
    caplog.set_level(logging.INFO)

    await next_cycle(hass)
    during = switch_states(hass)
    failed = [entity for entity, state in during.items() if state == STATE_UNAVAILABLE]
    assert len(failed) in (1, 2)  # the Melissa LED, or a Bobbie or plug relay
    assert all(during[e] == before[e] for e in during if e not in failed)

    await next_cycle(hass)
    await next_cycle(hass)
    assert STATE_UNAVAILABLE not in switch_states(hass).values()
    messages = [r.getMessage() for r in caplog.records if "MClimate controller" in r.message]
    assert len(messages) == 2
    assert "is unavailable: " in messages[0]
    assert messages[1].endswith("is available again")


async def test_an_offline_device_follows_the_documented_flag(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
) -> None:
    plug = simulator.mclimate.serials("smart_plug")[0]
    simulator.mclimate.set_online(plug, False)
    await next_cycle(hass)
    assert hass.states.get("switch.smart_plug_" + plug[:6].lower()).state == STATE_UNAVAILABLE

    simulator.mclimate.set_online(plug, True)
    await next_cycle(hass)
    assert hass.states.get("switch.smart_plug_" + plug[:6].lower()).state != STATE_UNAVAILABLE


async def test_rate_limit_waits_what_the_cloud_asks(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
) -> None:
    coordinator = init_mclimate.runtime_data.coordinator
    simulator.faults.add("rate_limit", "POST /v1/provider/fetch", retry_after=300, times=1)
    await next_cycle(hass)
    assert not coordinator.last_update_success
    assert set(switch_states(hass).values()) == {STATE_UNAVAILABLE}
    assert init_mclimate.runtime_data.client.budget.rate_limited == 1

    simulator.recorder.clear()
    await next_cycle(hass, timedelta(seconds=240))
    assert len(simulator.recorder) == 0  # still waiting
    await next_cycle(hass, timedelta(seconds=301))
    assert coordinator.last_update_success
    assert STATE_UNAVAILABLE not in switch_states(hass).values()


async def test_devices_come_and_go_without_reload(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    controllers = simulator.mclimate.controllers
    plug = controllers[simulator.mclimate.serials("smart_plug")[0]]
    controllers["NEWPLUG0001"] = replace(
        plug, serial_number="NEWPLUG0001", mac="84F3EB000001", name="Garage plug"
    )
    await next_listing(hass)
    assert hass.states.get("switch.garage_plug") is not None
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "NEWPLUG0001"), init_mclimate.entry_id
        )
        is not None
    )

    del controllers["NEWPLUG0001"]
    await next_listing(hass)  # kept, unavailable: one listing may be a glitch
    assert hass.states.get("switch.garage_plug").state == STATE_UNAVAILABLE
    for _ in range(STALE_AFTER - 1):
        await next_listing(hass)
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "NEWPLUG0001"), init_mclimate.entry_id
        )
        is None
    )
    assert hass.states.get("switch.garage_plug") is None
    assert isinstance(init_mclimate.runtime_data, MClimateRuntimeData)

    controllers["NEWPLUG0001"] = replace(plug, serial_number="NEWPLUG0001", name="Garage plug")
    await next_listing(hass)
    assert hass.states.get("switch.garage_plug") is not None
    # On a device made anew, not on the one removed.
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "NEWPLUG0001"), init_mclimate.entry_id
    )
    assert device is not None
    entity = entity_registry.async_get("switch.garage_plug")
    assert entity is not None
    assert entity.device_id == device.id


async def test_stale_devices_are_removed_at_start(
    hass: HomeAssistant,
    mclimate_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
) -> None:
    device_registry.async_get_or_create(
        config_entry_id=mclimate_entry.entry_id, identifiers={(DOMAIN, "GONE0000001")}
    )
    assert await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(STALE_AFTER - 1):
        assert device_registry.async_get_device_by_identifier(
            (DOMAIN, "GONE0000001"), mclimate_entry.entry_id
        )
        await next_listing(hass)
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "GONE0000001"), mclimate_entry.entry_id
        )
        is None
    )


async def test_a_controller_missing_from_one_listing_comes_back_as_it_was(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A glitch keeps the user's device and entities: no duplicate when it is listed again."""
    controllers = simulator.mclimate.controllers
    serial = simulator.mclimate.serials("smart_plug")[0]
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, serial), init_mclimate.entry_id
    )
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Kettle")
    before = switch_states(hass)

    plug = controllers.pop(serial)
    await next_listing(hass)
    assert "no longer lists 1 device(s): unavailable" in caplog.text
    controllers[serial] = plug
    await next_listing(hass)

    back = device_registry.async_get(device.id)
    assert back is not None
    assert back.name_by_user == "Kettle"
    assert switch_states(hass) == before
    assert "lists all its devices again" in caplog.text
    assert "already exists" not in caplog.text


@pytest.mark.parametrize(
    "scenario", [Scenario(mclimate=MClimateScenario(unknown_types=["thermostat_x"]))]
)
async def test_an_unknown_type_raises_one_issue_and_nothing_breaks(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    await next_cycle(hass)
    await next_cycle(hass)
    issues = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert len(issues) == 1
    assert issues[0].translation_key == "unknown_controller_type"
    assert issues[0].translation_placeholders == {"type": "thermostat_x"}
    assert len(switch_states(hass)) == 3

    unknown = next(s for s, c in simulator.mclimate.controllers.items() if c.type == "thermostat_x")
    del simulator.mclimate.controllers[unknown]
    await next_listing(hass)
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]


async def test_rate_limit_on_a_fetch_is_the_account_s(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    simulator.faults.add("rate_limit", "POST /v1/provider/fetch", retry_after=120, times=1)
    await next_cycle(hass)
    assert not init_mclimate.runtime_data.coordinator.last_update_success


@pytest.mark.parametrize("platforms", [[Platform.SENSOR]])
async def test_budget_sensors_are_read_once_a_minute_not_written_by_each_poll(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A poll moves the count but writes no state; the minute's update shows it."""
    (entity_id,) = (
        e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, init_mclimate.entry_id)
        if e.unique_id.endswith("_requests_last_minute")
    )
    shown = int(hass.states.get(entity_id).state)
    budget = init_mclimate.runtime_data.client.budget

    await init_mclimate.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert budget.sent > shown
    assert int(hass.states.get(entity_id).state) == shown

    sent = budget.sent
    await next_cycle(hass)
    assert int(hass.states.get(entity_id).state) >= sent


@pytest.mark.parametrize("platforms", [[Platform.SENSOR]])
async def test_the_account_is_a_service_device_with_a_model(
    hass: HomeAssistant,
    init_mclimate: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    (account,) = (
        d
        for d in dr.async_entries_for_config_entry(device_registry, init_mclimate.entry_id)
        if d.entry_type is dr.DeviceEntryType.SERVICE
    )
    assert (account.name, account.model) == ("MClimate", "Cloud account")


async def test_a_poll_writes_the_entities_of_changed_controllers_only(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    state_writes: list[str],
) -> None:
    """An unchanged answer writes nothing; a controller going offline writes its own."""
    coordinator = init_mclimate.runtime_data.coordinator
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert state_writes == []

    bobbie = simulator.mclimate.serials("bobbie")[0]
    simulator.mclimate.set_online(bobbie, False)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    owners = {entity_registry.async_get(e).unique_id.split("_")[0] for e in state_writes}
    assert owners == {bobbie}, state_writes
    assert all(hass.states.get(e).state == STATE_UNAVAILABLE for e in state_writes)
