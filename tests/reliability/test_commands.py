"""Faults during every command: a translated error, and the state shown put back.

Each command meets, in turn, every way its request can fail (one fault per
call); after each, the error the user sees must be one of our translated
ones and the entity must show what it showed before the call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from homeassistant.components.button import SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.const import DOMAIN
from simulator import Clock, Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario

from . import faults
from .conftest import assert_no_traceback
from .translations import EXCEPTIONS

# Every way one request can fail; the 401 last, as it also starts re-authentication.
# (An unreadable answer to a command that the cloud accepted is not among them: MClimate
# confirms a command by reading the device again, so that is not a failure there.)
COMMAND_FAULTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("latency", {"delay": 1.0}),
    ("cut", {}),
    ("status", {"status": 500}),
    ("status", {"status": 503}),
    ("status", {"status": 400}),
    ("rate_limit", {"retry_after": 30}),
    ("unauthorized", {}),
)

type Command = Callable[[HomeAssistant, str], Awaitable[Any]]


def service(domain: str, name: str, **data: Any) -> Command:
    """An entity service call."""

    async def send(hass: HomeAssistant, entity_id: str) -> Any:
        await hass.services.async_call(
            domain, name, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
        )

    return send


async def fail_every_way(
    hass: HomeAssistant,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    route: str,
    entity_id: str,
    command: Command,
) -> None:
    """Send `command` once per fault; each time a translated error, the state unchanged."""
    before = hass.states.get(entity_id)
    assert before is not None
    assert before.state != STATE_UNAVAILABLE
    sent = len(simulator.recorder.matching(*route.split(" ")))
    for kind, options in COMMAND_FAULTS:
        custom = faults.CutConnection() if kind == "cut" else None
        faults.aimed(
            simulator, "status" if custom else kind, route, custom=custom, times=1, **options
        )
        with pytest.raises(HomeAssistantError) as err:  # noqa: PT012
            await command(hass, entity_id)
            pytest.fail(f"{kind} {options} did not fail")
        await hass.async_block_till_done()
        assert err.value.translation_domain == DOMAIN, kind
        assert err.value.translation_key in EXCEPTIONS, kind
        after = hass.states.get(entity_id)
        assert (after.state, after.attributes) == (before.state, before.attributes), kind
    assert len(simulator.recorder.matching(*route.split(" "))) == sent + len(COMMAND_FAULTS)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert_no_traceback(caplog)


# -- MClimate ---------------------------------------------------------------------------

MCLIMATE_COMMANDS = {
    "bobbie_on": ("switch.water_heater", service("switch", "turn_on")),
    "bobbie_off": ("switch.water_heater", service("switch", "turn_off")),
    "plug_on": ("switch.plug", service("switch", "turn_on")),
    "led_off": ("switch.bedroom_ac_led", service("switch", "turn_off")),
    "melissa_mode": ("climate.bedroom_ac", service("climate", "set_hvac_mode", hvac_mode="cool")),
    "melissa_temperature": (
        "climate.bedroom_ac",
        service("climate", "set_temperature", temperature=25),
    ),
    "melissa_fan": ("climate.bedroom_ac", service("climate", "set_fan_mode", fan_mode="high")),
    "melissa_resend": ("climate.bedroom_ac", lambda hass, _: _resend(hass)),
    "vicki_temperature": (
        "climate.living_room_valve",
        service("climate", "set_temperature", temperature=26),
    ),
}


async def _resend(hass: HomeAssistant) -> None:
    """Press the Melissa's resend button (the button's own state is when it was pressed)."""
    await service("button", SERVICE_PRESS)(hass, "button.bedroom_ac_resend_state")


@pytest.mark.parametrize("name", list(MCLIMATE_COMMANDS))
async def test_mclimate_command(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    entity_id, command = MCLIMATE_COMMANDS[name]
    await fail_every_way(hass, simulator, caplog, "POST /v1/provider/send", entity_id, command)


# -- Home SmartLink -----------------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    """The wall clock: Home Assistant's time runs too (a frozen one would stop its timeouts)."""
    return Clock()


@pytest.fixture
def scenario() -> Scenario:
    """Two small homes that follow their schedules (Prog); one device of each MClimate type."""
    base = Scenario.demo()
    base.homesmartlink = HomeSmartLinkScenario(homes=2, rooms_per_home=2)
    return base


def _room(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """A room climate entity that takes a target temperature."""
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        state = hass.states.get(entity.entity_id)
        if entity.domain == "climate" and state and state.attributes.get("temperature"):
            return entity.entity_id
    raise AssertionError("no heating room")


async def _report(hass: HomeAssistant, entity_id: str) -> Any:
    await hass.services.async_call(
        DOMAIN, "get_derogation_report", {}, blocking=True, return_response=True
    )


async def _derogation(hass: HomeAssistant, entity_id: str) -> Any:
    await hass.services.async_call(
        DOMAIN,
        "set_derogation",
        {
            ATTR_ENTITY_ID: entity_id,
            "delta": -2,
            "start_time": "18:00",
            "end_time": "20:00",
            "date": (dt_util.now().date() + timedelta(days=1)).isoformat(),
        },
        blocking=True,
    )


async def _diagnosis(hass: HomeAssistant, entity_id: str) -> Any:
    device_id = er.async_get(hass).async_get(entity_id).device_id
    room = dr.async_get(hass).async_get(device_id)
    await hass.services.async_call(
        DOMAIN, "run_diagnosis", {"device_id": room.via_device_id}, blocking=True
    )


HOMESMARTLINK_COMMANDS: dict[str, tuple[str, Command]] = {
    "target_temperature": ("POST /partners/1/derogations", service("climate", "set_temperature")),
    "set_temperature_for": (
        "POST /partners/1/derogations",
        service(DOMAIN, "set_temperature_for", duration={"minutes": 30}),
    ),
    "set_derogation": ("POST /partners/1/derogations", _derogation),
    "get_derogation_report": ("POST /partners/1/report", _report),
    "run_diagnosis": ("POST /partners/1/request", _diagnosis),
}


@pytest.mark.parametrize("name", list(HOMESMARTLINK_COMMANDS))
async def test_homesmartlink_command(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    await hass.async_block_till_done()
    route, command = HOMESMARTLINK_COMMANDS[name]
    entity_id = _room(hass, homesmartlink_entry)
    if name == "get_derogation_report":
        await _derogation(hass, entity_id)  # the report of the last call
    elif name in ("target_temperature", "set_temperature_for"):
        target = hass.states.get(entity_id).attributes["temperature"] + 1
        command = service(
            "climate" if name == "target_temperature" else DOMAIN,
            "set_temperature" if name == "target_temperature" else "set_temperature_for",
            temperature=target,
            **({"duration": {"minutes": 30}} if name == "set_temperature_for" else {}),
        )
    stored = homesmartlink_entry.runtime_data.derogations.scheduled.copy()
    await fail_every_way(hass, simulator, caplog, route, entity_id, command)
    assert homesmartlink_entry.runtime_data.derogations.scheduled == stored  # nothing kept
