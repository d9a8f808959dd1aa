"""Every command: the documented body reaches the simulator, the state shows at once."""

from __future__ import annotations

from typing import Any

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.climate import (
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache

from simulator import Scenario, Simulator

from .helpers import next_cycle, next_listing, sent

AC = "climate.bedroom_ac"
VALVE = "climate.living_room_valve"


@pytest.fixture
def scenario() -> Scenario:
    """One named device of each type."""
    return Scenario.demo()


def serial(simulator: Simulator, kind: str) -> str:
    """The serial number of the household's only device of this type."""
    (only,) = simulator.mclimate.serials(kind)
    return only


async def call(hass: HomeAssistant, domain: str, service: str, entity: str, **data: Any) -> None:
    """Call an entity service and wait for it."""
    await hass.services.async_call(domain, service, {ATTR_ENTITY_ID: entity, **data}, blocking=True)


@pytest.mark.parametrize(
    ("entity", "kind", "service", "state", "body"),
    [
        (
            "switch.water_heater",
            "bobbie",
            SERVICE_TURN_ON,
            "on",
            {"command": "switch_on_off", "state": "on"},
        ),
        (
            "switch.water_heater",
            "bobbie",
            SERVICE_TURN_OFF,
            "off",
            {"command": "switch_on_off", "state": "off"},
        ),
        (
            "switch.plug",
            "smart_plug",
            SERVICE_TURN_ON,
            "on",
            {"command": "switch_on_off", "state": "on"},
        ),
        (
            "switch.plug",
            "smart_plug",
            SERVICE_TURN_OFF,
            "off",
            {"command": "switch_on_off", "state": "off"},
        ),
        ("switch.bedroom_ac_led", "melissa", SERVICE_TURN_OFF, "off", {"command": "turn_led_off"}),
        ("switch.bedroom_ac_led", "melissa", SERVICE_TURN_ON, "on", {"command": "reset_color"}),
    ],
)
async def test_switches(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    entity: str,
    kind: str,
    service: str,
    state: str,
    body: dict[str, Any],
) -> None:
    if service == SERVICE_TURN_ON:  # start from the other state
        await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, entity)
    simulator.recorder.clear()
    await call(hass, SWITCH_DOMAIN, service, entity)

    assert sent(simulator) == [{"serial_number": serial(simulator, kind), **body}]
    assert hass.states.get(entity).state == state
    # Confirmed by a refresh of that controller alone.
    refreshed = [(r.method, r.path) for r in simulator.recorder][1:]
    assert ("GET", "/v1/controllers") not in refreshed
    assert all(
        r.json["serial_number"] == serial(simulator, kind)
        for r in simulator.recorder.matching("POST")
    )


async def test_a_command_writes_the_states_of_its_own_controller_only(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    state_writes: list[str],
) -> None:
    """Switching the water heater rewrites none of the other controllers' entities."""
    await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, "switch.water_heater")
    await hass.async_block_till_done()

    bobbie = serial(simulator, "bobbie")
    registry = er.async_get(hass)
    owners = {registry.async_get(entity_id).unique_id.split("_")[0] for entity_id in state_writes}
    assert "switch.water_heater" in state_writes
    assert owners == {bobbie}, state_writes


async def test_a_refused_command_puts_the_state_back(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    before = hass.states.get("switch.water_heater").state
    simulator.faults.add("status", "POST /v1/provider/send", status=503, times=1)
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            SWITCH_DOMAIN,
            SERVICE_TURN_ON if before == "off" else SERVICE_TURN_OFF,
            "switch.water_heater",
        )
    assert err.value.translation_key == "server_error"
    assert hass.states.get("switch.water_heater").state == before


async def test_melissa_commands(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    melissa = serial(simulator, "melissa")
    assert hass.states.get(AC).state == "off"

    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, AC, **{ATTR_TEMPERATURE: 24})
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, AC, hvac_mode="cool")
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_FAN_MODE, AC, fan_mode="high")
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, AC, temperature=20, hvac_mode="dry")
    await call(hass, CLIMATE_DOMAIN, SERVICE_TURN_OFF, AC)
    await call(hass, CLIMATE_DOMAIN, SERVICE_TURN_ON, AC)
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, AC, hvac_mode="off")
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, AC, temperature=21, hvac_mode="off")

    ir = {"serial_number": melissa, "command": "send_ir_code"}
    assert sent(simulator) == [
        {**ir, "state": 1, "mode": 0, "temp": 24, "fan": 0},  # setting a temperature turns on
        {**ir, "state": 1, "mode": 3, "temp": 24, "fan": 0},
        {**ir, "state": 1, "mode": 3, "temp": 24, "fan": 3},
        {**ir, "state": 1, "mode": 4, "temp": 20, "fan": 3},
        {**ir, "state": 0, "mode": 4, "temp": 20, "fan": 3},
        {**ir, "state": 1, "mode": 4, "temp": 20, "fan": 3},
        {**ir, "state": 0, "mode": 4, "temp": 20, "fan": 3},
        {**ir, "state": 0, "mode": 4, "temp": 21, "fan": 3},
    ]
    state = hass.states.get(AC)
    assert state.state == "off"
    assert state.attributes["temperature"] == 21
    assert state.attributes["fan_mode"] == "high"
    assert state.attributes["assumed_state"] is True


async def test_melissa_failed_command_keeps_the_previous_state(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    simulator.faults.add("status", "POST /v1/provider/send", status=500, times=1)
    with pytest.raises(HomeAssistantError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, AC, hvac_mode="heat")
    assert hass.states.get(AC).state == "off"


async def test_resend_state_sends_the_assumed_state(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, AC, temperature=19, hvac_mode="heat")
    await call(hass, BUTTON_DOMAIN, SERVICE_PRESS, "button.bedroom_ac_resend_state")
    first, again = sent(simulator)
    assert (
        first
        == again
        == {
            "serial_number": serial(simulator, "melissa"),
            "command": "send_ir_code",
            "state": 1,
            "mode": 2,
            "temp": 19,
            "fan": 0,
        }
    )


async def test_vicki_target(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, VALVE, temperature=24)
    assert sent(simulator) == [
        {
            "serial_number": serial(simulator, "vicki"),
            "command": "set_motor_position",
            "position": 24,
        }
    ]
    assert hass.states.get(VALVE).attributes["temperature"] == 24
    assert hass.states.get("sensor.living_room_valve_valve_opening").state == "76"

    with pytest.raises(ServiceValidationError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, VALVE, temperature=31)


async def test_vicki_failed_target_is_put_back(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    before = hass.states.get(VALVE).attributes["temperature"]
    simulator.faults.add("status", "POST /v1/provider/send", status=500, times=1)
    with pytest.raises(HomeAssistantError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, VALVE, temperature=25)
    assert hass.states.get(VALVE).attributes["temperature"] == before


async def test_melissa_starts_from_the_recorded_command(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    controller = simulator.mclimate.controllers[serial(simulator, "melissa")]
    controller.controller_log.append(
        {
            "command": "send_ir_code",
            "send_ir_code_options": {"state": 1, "mode": 3, "temp": 23, "fan": 2},
        }
    )
    mock_restore_cache(hass, [State(AC, "heat", {"temperature": 28, "fan_mode": "low"})])
    assert await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(AC)
    assert (state.state, state.attributes["temperature"], state.attributes["fan_mode"]) == (
        "cool",
        23,
        "medium",
    )


async def test_melissa_restores_its_state_when_nothing_was_recorded(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    mock_restore_cache(hass, [State(AC, "heat", {"temperature": 28, "fan_mode": "low"})])
    assert await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    state = hass.states.get(AC)
    assert (state.state, state.attributes["temperature"], state.attributes["fan_mode"]) == (
        "heat",
        28,
        "low",
    )
    await call(hass, BUTTON_DOMAIN, SERVICE_PRESS, "button.bedroom_ac_resend_state")
    assert sent(simulator)[-1]["mode"] == 2


async def test_melissa_follows_a_command_recorded_later(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    controller = simulator.mclimate.controllers[serial(simulator, "melissa")]
    controller.controller_log.append(
        {
            "command": "send_ir_code",
            "state": 1,
            "mode": 1,
            "temp": 25,
            "fan": 1,
            "created": "2026-11-23 09:05:00",
        }
    )
    await next_cycle(hass)
    assert hass.states.get(AC).state != "fan_only"  # the log is in the list, read every 10 min
    await next_listing(hass)
    assert hass.states.get(AC).state == "fan_only"


async def test_a_failed_confirmation_marks_that_device_alone(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    simulator.faults.add("status", "GET /v1/controllers/*", status=500, times=1)
    await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, "switch.bedroom_ac_led")
    assert sent(simulator)[-1]["command"] == "turn_led_off"
    assert hass.states.get("switch.bedroom_ac_led").state == "unavailable"
    assert hass.states.get("switch.water_heater").state != "unavailable"

    await init_mclimate.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("switch.bedroom_ac_led").state == "off"
