"""A room's target temperature as derogations: what reaches the cloud, what the room shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import ATTR_TEMPERATURE, DOMAIN as CLIMATE_DOMAIN
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_PRESET_MODE,
    PRESET_NONE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smartlink_mclimate.clients.homesmartlink import derogations as rules
from custom_components.smartlink_mclimate.const import CONF_TIME_ZONE
from custom_components.smartlink_mclimate.homesmartlink.climate import PRESET_FROST_PROTECTION
from simulator import Scenario, Simulator
from simulator.scenario import DeviceSpec, HomeSmartLinkScenario, HomeSpec, RoomSpec
from tests.conftest import START

from .common import CONFIG, DEROGATIONS, partner_entry

LIVING = "climate.home_1_living_room"
DELTA_SENSOR = "sensor.home_1_living_room_derogation"
END_SENSOR = "sensor.home_1_living_room_derogation_end"


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's (10:00 in Paris)."""
    freezer.move_to(START)


@pytest.fixture
def platforms() -> list[Platform]:
    """Rooms and their derogation sensors."""
    return [Platform.CLIMATE, Platform.SENSOR]


@pytest.fixture
def scenario() -> Scenario:
    """One home: a living room at 19 degC (Manual), a bedroom with two heaters."""
    home = HomeSpec(
        rooms=[
            RoomSpec("Living room", [DeviceSpec("Heater", "Manual", comfort=19.0)]),
            RoomSpec("Bedroom", [DeviceSpec("Heater", "Manual", comfort=18.0)] * 2),
        ]
    )
    return Scenario(homesmartlink=HomeSmartLinkScenario(layout=[home]))


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account, its homes in Paris."""
    return partner_entry(hass, simulator, options={CONF_TIME_ZONE: "Europe/Paris"})


async def set_temperature(hass: HomeAssistant, temperature: float) -> None:
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        {ATTR_ENTITY_ID: LIVING, ATTR_TEMPERATURE: temperature},
        blocking=True,
    )
    await hass.async_block_till_done()


async def move(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Both clocks forward, and Home Assistant's timers fire."""
    simulator.clock.advance(delta)
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def sent(simulator: Simulator) -> list[list[dict[str, object]]]:
    return [
        request.json["derogations"] for request in simulator.recorder.matching("POST", DEROGATIONS)
    ]


def test_the_two_undocumented_rules_are_the_simulators() -> None:
    """If the vendor answers otherwise, flip these and the tests below say what changes."""
    assert rules.SP_INCLUDES_ACTIVE_DEROGATIONS is True
    assert rules.OVERLAPPING_DEROGATIONS_ADD_UP is True


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the end sensor
async def test_target_is_a_derogation_shown_at_once_then_ends(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    home_id = simulator.homesmartlink.home_ids[0]
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 19

    await move(hass, simulator, freezer, timedelta(minutes=3))  # 10:03 -> from 10:00
    await set_temperature(hass, 21)

    assert sent(simulator) == [
        [
            {
                "homeId": home_id,
                "roomId": 1,
                "startTime": 600,
                "endTime": 720,
                "delta": 2,
                "date": "2026-11-23",
            }
        ]
    ]
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 21
    heater = simulator.homesmartlink.home(home_id).rooms[0].heaters[0]
    assert simulator.homesmartlink.setpoint(heater) == 21
    assert hass.states.get(DELTA_SENSOR).state == "2"
    assert hass.states.get(DELTA_SENSOR).attributes["kind"] == "comfort"
    assert hass.states.get(END_SENSOR).state == "2026-11-23T11:00:00+00:00"

    await move(hass, simulator, freezer, timedelta(hours=2))
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 19
    assert hass.states.get(DELTA_SENSOR).state == "0"


async def test_new_target_during_a_derogation_keeps_its_end(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Derogations add up: the second call brings the sum to the new target until the same end."""
    await set_temperature(hass, 21)
    await move(hass, simulator, freezer, timedelta(minutes=30))
    await set_temperature(hass, 20)

    second = sent(simulator)[1]
    assert [(d["startTime"], d["endTime"], d["delta"]) for d in second] == [(630, 720, -1)]
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 20
    assert hass.states.get(DELTA_SENSOR).state == "1"


async def test_window_across_midnight_is_two_calls(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    await move(hass, simulator, freezer, timedelta(hours=13, minutes=7))  # 23:07 in Paris
    await set_temperature(hass, 22)

    assert [
        [(d["date"], d["startTime"], d["endTime"], d["delta"]) for d in call]
        for call in sent(simulator)
    ] == [[("2026-11-23", 1385, 1440, 3)], [("2026-11-24", 0, 65, 3)]]
    await move(hass, simulator, freezer, timedelta(hours=1))  # past midnight, still 22
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 22


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the end sensor
async def test_two_hours_on_the_night_clocks_go_forward_are_two_real_hours(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """From 00:30 (CET) the default two hours end at 03:30 (CEST), not at a 02:30 that never is."""
    await move(hass, simulator, freezer, datetime(2027, 3, 27, 23, 33, tzinfo=UTC) - START)
    await set_temperature(hass, 22)  # 00:33 in Paris, clocks go from 02:00 to 03:00

    assert [
        [(d["date"], d["startTime"], d["endTime"], d["delta"]) for d in call]
        for call in sent(simulator)
    ] == [[("2027-03-28", 30, 210, 3)]]
    assert hass.states.get(END_SENSOR).state == "2027-03-28T01:30:00+00:00"
    await move(hass, simulator, freezer, timedelta(hours=1, minutes=56))  # 03:29 CEST
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 22
    await move(hass, simulator, freezer, timedelta(minutes=1))  # 03:30 CEST, two hours on
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 19


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # the end sensor
async def test_derogation_survives_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    await set_temperature(hass, 17)
    assert await hass.config_entries.async_reload(init_homesmartlink.entry_id)
    await hass.async_block_till_done()
    await move(hass, simulator, freezer, timedelta(minutes=30))

    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 17
    assert hass.states.get(DELTA_SENSOR).state == "-2"
    assert hass.states.get(END_SENSOR).state == "2026-11-23T11:00:00+00:00"


@pytest.mark.parametrize(
    ("service", "data"),
    [
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: HVACMode.AUTO}),
        (SERVICE_SET_PRESET_MODE, {ATTR_PRESET_MODE: PRESET_FROST_PROTECTION}),
    ],
)
async def test_modes_are_the_heaters_own_and_cannot_be_changed(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    service: str,
    data: dict[str, str],
) -> None:
    """The room offers only its heaters' mode (Manual: heat): another one is refused, unsent."""
    state = hass.states.get(LIVING)
    assert state.attributes["hvac_modes"] == [HVACMode.HEAT]
    assert state.attributes["preset_modes"] == [PRESET_NONE]
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            CLIMATE_DOMAIN, service, {ATTR_ENTITY_ID: LIVING, **data}, blocking=True
        )
    # The mode it is in is accepted, and sends nothing either.
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_HVAC_MODE,
        {ATTR_ENTITY_ID: LIVING, ATTR_HVAC_MODE: HVACMode.HEAT},
        blocking=True,
    )
    assert sent(simulator) == []
    assert hass.states.get(LIVING).state == HVACMode.HEAT


@pytest.mark.parametrize("temperature", [25, 13.9])
async def test_target_beyond_five_degrees_is_refused_unsent(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    temperature: float,
) -> None:
    """min_temp/max_temp are the schedule's setpoint (19) +- 5: Home Assistant refuses beyond."""
    state = hass.states.get(LIVING)
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (14, 24)
    with pytest.raises(ServiceValidationError):
        await set_temperature(hass, temperature)
    assert sent(simulator) == []


async def test_targets_in_quick_succession_each_reach_what_was_asked(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """Within the refresh cooldown the config is not re-read between commands.

    The room is at 19 °C. 21, then 22, then 20 in a row: the third is worked out
    from a config read before the second was sent, whose `sp` does not hold it
    yet. The room must end at 20, what was asked last.
    """
    for target in (21, 22, 20):
        await set_temperature(hass, target)
    await move(hass, simulator, freezer, timedelta(seconds=61))

    deltas = [d["delta"] for call in sent(simulator) for d in call]
    assert sum(deltas) == 1  # 19 + 1 = 20 in force over the window
    state = hass.states.get(LIVING)
    assert state.attributes[ATTR_TEMPERATURE] == 20


async def test_a_derogation_ends_on_time_without_waiting_for_a_poll(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    """A partner's home is polled every few minutes: the end shows at the end anyway."""
    await set_temperature(hass, 21)
    init_homesmartlink.runtime_data.poller.stop()  # no poll from here on
    polled = len(simulator.recorder.matching("POST", CONFIG))

    await move(hass, simulator, freezer, timedelta(hours=1, minutes=59))
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 21
    await move(hass, simulator, freezer, timedelta(minutes=1))  # 12:00, its end
    assert hass.states.get(LIVING).attributes[ATTR_TEMPERATURE] == 19
    assert hass.states.get(DELTA_SENSOR).state == "0"
    assert len(simulator.recorder.matching("POST", CONFIG)) == polled


async def test_a_poll_that_reads_the_same_config_writes_no_state(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
    state_writes: list[str],
) -> None:
    """Not even an unchanged state: hundreds of homes would write thousands per cycle."""
    await move(hass, simulator, freezer, timedelta(seconds=61))
    state_writes.clear()
    polled = len(simulator.recorder.matching("POST", CONFIG))
    home = next(iter(init_homesmartlink.runtime_data.homes.values()))
    await home.async_refresh()
    await hass.async_block_till_done()
    assert len(simulator.recorder.matching("POST", CONFIG)) == polled + 1
    assert state_writes == []


async def test_a_changed_config_rewrites_only_the_entities_it_changes(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
    state_writes: list[str],
) -> None:
    """The gateway's ping and the heaters' report times move at every read; rooms do not."""
    await move(hass, simulator, freezer, timedelta(seconds=61))
    home = next(iter(init_homesmartlink.runtime_data.homes.values()))
    before = home.data
    state_writes.clear()
    await move(hass, simulator, freezer, timedelta(seconds=61))
    assert home.data != before  # the answer did change
    assert LIVING not in state_writes
    assert DELTA_SENSOR not in state_writes

    heater = simulator.homesmartlink.home(home.home_id).rooms[0].heaters[0]
    simulator.homesmartlink.set_heater_online(heater.header, False)
    await move(hass, simulator, freezer, timedelta(seconds=61))
    assert LIVING in state_writes  # what the room shows changed: it is written
