"""The Home SmartLink actions: derogations for many rooms, timed targets, reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smartlink_mclimate.const import CONF_TIME_ZONE, DOMAIN
from simulator import Scenario, Simulator
from simulator.scenario import DeviceSpec, HomeSmartLinkScenario, HomeSpec, RoomSpec
from tests.conftest import START

from .common import DEROGATIONS, REPORT, partner_entry

LIVING = "climate.home_1_living_room"
KITCHEN = "climate.home_1_kitchen"
DELIVERY = "sensor.home_smartlink_demo_partner_derogation_delivery"


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's (Monday 10:00 in Paris)."""
    freezer.move_to(START)


@pytest.fixture
def platforms() -> list[Platform]:
    """Rooms and the account's sensors."""
    return [Platform.CLIMATE, Platform.SENSOR]


@pytest.fixture
def scenario() -> Scenario:
    """Two homes: a Prog living room and a Manual kitchen; a Manual office."""
    first = HomeSpec(
        rooms=[
            RoomSpec("Living room", [DeviceSpec("Heater", "Prog", comfort=20.0)]),
            RoomSpec("Kitchen", [DeviceSpec("Heater", "Manual", comfort=19.0)]),
        ]
    )
    second = HomeSpec(rooms=[RoomSpec("Office", [DeviceSpec("Heater", "Manual", comfort=18.0)])])
    return Scenario(homesmartlink=HomeSmartLinkScenario(layout=[first, second]))


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account, its homes in Paris."""
    return partner_entry(hass, simulator, options={CONF_TIME_ZONE: "Europe/Paris"})


async def call(hass: HomeAssistant, name: str, data: dict[str, Any], **kwargs: Any) -> Any:
    result = await hass.services.async_call(DOMAIN, name, data, blocking=True, **kwargs)
    await hass.async_block_till_done()
    return result


def sent(simulator: Simulator) -> list[list[dict[str, Any]]]:
    return [r.json["derogations"] for r in simulator.recorder.matching("POST", DEROGATIONS)]


async def move(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    simulator.clock.advance(delta)
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def shed_load(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Every room of the account 2 degC lower from 18:00 to 20:00; the action's response."""
    return await call(
        hass,
        "set_derogation",
        {
            "config_entry_id": entry.entry_id,
            "delta": -2,
            "start_time": "18:00",
            "end_time": "20:00",
        },
        return_response=True,
    )


async def test_load_shedding_over_a_whole_account_is_one_request(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    first, second = simulator.homesmartlink.home_ids
    response = await shed_load(hass, init_homesmartlink)

    (body,) = sent(simulator)
    assert sorted((d["homeId"], d["roomId"]) for d in body) == sorted(
        [(first, 1), (first, 2), (second, 1)]
    )
    assert {(d["startTime"], d["endTime"], d["delta"], d["date"]) for d in body} == {
        (1080, 1200, -2, "2026-11-23")
    }
    start = simulator.homesmartlink.derogations[0].start_trigger
    end = simulator.homesmartlink.derogations[0].end_trigger
    assert response["triggers"] == [{"start_trigger": start, "end_trigger": end}]
    assert len(response["rooms"]) == 3

    # The delivery sensor follows the start trigger's report once its messages go out.
    await move(hass, simulator, freezer, timedelta(hours=8, minutes=1))  # 18:01
    await move(hass, simulator, freezer, timedelta(minutes=1))
    assert hass.states.get(DELIVERY).state == "100.0"
    attributes = hass.states.get(DELIVERY).attributes
    assert (attributes["requested"], attributes["received"]) == (2, 2)
    assert simulator.recorder.matching("POST", REPORT)[-1].json == {"trigger": start}

    report = await call(hass, "get_derogation_report", {}, return_response=True)
    assert report["trigger"] == start
    assert report["summary"]["received"] == 2
    assert sorted(detail["home_id"] for detail in report["details"]) == sorted([first, second])


async def test_the_delivery_is_shown_at_once_after_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """The last call is remembered: its delivery is read at start, not a minute later."""
    await shed_load(hass, init_homesmartlink)
    await move(hass, simulator, freezer, timedelta(hours=8, minutes=1))  # 18:01
    await move(hass, simulator, freezer, timedelta(minutes=1))
    shown = hass.states.get(DELIVERY).state
    assert shown == "100.0"

    assert await hass.config_entries.async_unload(init_homesmartlink.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(init_homesmartlink.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(DELIVERY).state == shown


async def test_set_derogation_on_entities_and_tomorrow(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    await call(
        hass,
        "set_derogation",
        {
            ATTR_ENTITY_ID: [LIVING, KITCHEN],
            "delta": 3,
            "start_time": "06:00:00",
            "end_time": "24:00",
            "date": "2026-11-24",
        },
    )
    (body,) = sent(simulator)
    assert sorted((d["roomId"], d["startTime"], d["endTime"], d["date"]) for d in body) == [
        (1, 360, 1440, "2026-11-24"),
        (2, 360, 1440, "2026-11-24"),
    ]


SET_DEROGATION_ERRORS = [
    ({"delta": 6}, "invalid_delta"),
    ({"delta": -6}, "invalid_delta"),
    ({"delta": 1.5}, "invalid_delta"),
    ({"delta": "two"}, "invalid_delta"),
    ({"delta": True}, "invalid_delta"),
    ({"start_time": "18:02"}, "invalid_time"),
    ({"start_time": "25:00"}, "invalid_time"),
    ({"start_time": "18:00:30"}, "invalid_time"),
    ({"start_time": "six"}, "invalid_time"),
    ({"end_time": "24:05"}, "invalid_time"),
    ({"end_time": "17:00"}, "start_after_end"),
    ({"end_time": "18:00"}, "start_after_end"),
    ({"date": "23/11/2026"}, "invalid_date"),
    ({"date": "2026-11-22"}, "window_in_past"),
    ({ATTR_ENTITY_ID: "climate.nowhere"}, "no_rooms"),
    ({ATTR_ENTITY_ID: None, "config_entry_id": "nope"}, "unknown_account"),
]


@pytest.mark.parametrize(("change", "key"), SET_DEROGATION_ERRORS)
async def test_set_derogation_checks_everything_before_sending(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    change: dict[str, Any],
    key: str,
) -> None:
    data = {ATTR_ENTITY_ID: LIVING, "delta": 2, "start_time": "18:00", "end_time": "20:00"}
    data = {k: v for k, v in (data | change).items() if v is not None}
    simulator.recorder.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_derogation", data)
    assert (err.value.translation_domain, err.value.translation_key) == (DOMAIN, key)
    assert list(simulator.recorder) == []


async def test_set_temperature_for_a_duration(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    await call(
        hass,
        "set_temperature_for",
        {ATTR_ENTITY_ID: KITCHEN, "temperature": 22, "duration": "00:45:00"},
    )
    assert [(d["startTime"], d["endTime"], d["delta"]) for d in sent(simulator)[0]] == [
        (600, 645, 3)
    ]
    assert hass.states.get(KITCHEN).attributes["temperature"] == 22


async def test_set_temperature_until_a_time(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    """An end time already past today is tomorrow's: the window splits at midnight."""
    await call(
        hass,
        "set_temperature_for",
        {ATTR_ENTITY_ID: KITCHEN, "temperature": 18, "end_time": "09:00"},
    )
    assert [
        [(d["date"], d["startTime"], d["endTime"], d["delta"]) for d in body]
        for body in sent(simulator)
    ] == [[("2026-11-23", 600, 1440, -1)], [("2026-11-24", 0, 540, -1)]]


async def test_set_temperature_until_the_schedule_changes(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    heater = simulator.homesmartlink.home(simulator.homesmartlink.home_ids[0]).rooms[0].heaters[0]
    monday = sorted({m for start, end in heater.schedule[0] for m in (start, end) if m > 600})
    await call(
        hass,
        "set_temperature_for",
        {ATTR_ENTITY_ID: LIVING, "temperature": 19, "until_schedule_change": True},
    )
    (body,) = sent(simulator)
    assert (body[0]["startTime"], body[0]["endTime"]) == (600, monday[0])


@pytest.mark.parametrize(
    ("entity_id", "change", "key"),
    [
        (KITCHEN, {"duration": "00:02:00"}, "invalid_duration"),
        (KITCHEN, {"duration": "24:05:00"}, "invalid_duration"),
        (KITCHEN, {"duration": "00:07:00"}, "invalid_duration"),
        (KITCHEN, {"duration": "01:00:00", "end_time": "12:00"}, "one_end_only"),
        (KITCHEN, {"end_time": "12:03"}, "invalid_time"),
        (KITCHEN, {"until_schedule_change": True}, "no_schedule"),
        (KITCHEN, {"temperature": 30}, "temperature_out_of_range"),
    ],
)
async def test_set_temperature_for_checks_before_sending(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    entity_id: str,
    change: dict[str, Any],
    key: str,
) -> None:
    simulator.recorder.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "set_temperature_for", {ATTR_ENTITY_ID: entity_id, "temperature": 20} | change
        )
    assert (err.value.translation_domain, err.value.translation_key) == (DOMAIN, key)
    assert list(simulator.recorder) == []


async def test_report_without_any_derogation_is_refused(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    simulator.recorder.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "get_derogation_report", {}, return_response=True)
    assert err.value.translation_key == "no_derogation"
    assert list(simulator.recorder) == []
