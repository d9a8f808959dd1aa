"""Bad input everywhere a user types: refused, translated, nothing stored, nothing sent.

Every field of every action and of every flow step gets values out of range,
of the wrong type, empty, oversized, non-ASCII and injection-looking. Each
must be refused before any request: the simulator records none.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.const import DOMAIN, SUBENTRY_HOME
from simulator import Simulator

from .translations import EXCEPTIONS, STRINGS

HUGE = "x" * 5000
INJECTIONS = ("'; DROP TABLE homes; --", "<script>alert(1)</script>", "../../etc/passwd")
NON_ASCII = "Ünïcødé客户"
CONFIG_ERRORS = set(STRINGS["config"]["error"])
HOME_ERRORS = set(STRINGS["config_subentries"]["home"]["error"])
OPTION_ERRORS = set(STRINGS["options"]["error"])


def refused(result: dict[str, Any], known: set[str]) -> None:
    """A form shown again with an error we translate."""
    assert result["type"] is FlowResultType.FORM
    assert result["errors"]
    assert set(result["errors"].values()) <= known, result["errors"]


async def configure(hass: HomeAssistant, manager: Any, flow_id: str, data: dict[str, Any]) -> Any:
    """Submit a form; a value the form's own schema refuses counts as refused."""
    try:
        return await manager.async_configure(flow_id, data)
    except InvalidData:
        return None


# -- the Home SmartLink account form, reconfigure and reauth -------------------------

PARTNER_CASES = [
    *({"base_url": url} for url in ("", "ftp://partner.example.com", "partner.example.com")),
    {"base_url": "http://partner.example.com"},  # plain HTTP off this machine
    {"base_url": "http://10.0.0.1:8080"},
    {"base_url": "https://" + HUGE},
    {"base_url": "https://exämple.com"},
    {"base_url": "https://user:secret@partner.example.com"},
    {"base_url": "http://[::1"},
    *({"base_url": "https://x.example/" + text} for text in INJECTIONS[:1]),
    {"base_url": "https://exa mple.com"},
    {"client_id": ""},
    {"client_id": HUGE},
    {"client_id": NON_ASCII},
    {"client_id": "partner:admin"},
    *({"client_id": text} for text in INJECTIONS),
    {"client_id": "tab\there"},
    {"client_secret": ""},
    {"client_secret": HUGE},
    {"client_secret": "line\nbreak"},
    {"client_secret": "\x00"},
]


def _partner(simulator: Simulator, case: dict[str, Any]) -> dict[str, Any]:
    """The simulator's own account with one field spoiled (unspoiled, it would be sent)."""
    scenario = simulator.scenario.homesmartlink
    return {
        "base_url": simulator.homesmartlink_url,
        "client_id": scenario.client_id,
        "client_secret": scenario.client_secret,
        **case,
    }


@pytest.mark.parametrize("case", PARTNER_CASES)
async def test_partner_form(
    hass: HomeAssistant, simulator: Simulator, case: dict[str, Any]
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "homesmartlink"}
    )
    answer = await configure(
        hass, hass.config_entries.flow, result["flow_id"], _partner(simulator, case)
    )
    if answer is not None:
        refused(answer, CONFIG_ERRORS)
    assert hass.config_entries.async_entries(DOMAIN) == []
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize("case", PARTNER_CASES)
async def test_reconfigure_form(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    case: dict[str, Any],
) -> None:
    before = dict(homesmartlink_entry.data)
    result = await homesmartlink_entry.start_reconfigure_flow(hass)
    answer = await configure(
        hass, hass.config_entries.flow, result["flow_id"], _partner(simulator, case)
    )
    if answer is not None:
        refused(answer, CONFIG_ERRORS)
    assert dict(homesmartlink_entry.data) == before
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize("secret", ["", HUGE, "line\nbreak", "\x00", 42, None])
async def test_reauth_form(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry, secret: Any
) -> None:
    before = dict(homesmartlink_entry.data)
    result = await homesmartlink_entry.start_reauth_flow(hass)
    answer = await configure(
        hass, hass.config_entries.flow, result["flow_id"], {"client_secret": secret}
    )
    if answer is not None:
        refused(answer, CONFIG_ERRORS)
    assert dict(homesmartlink_entry.data) == before
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(
    "case",
    [
        {"api_url": "http://api.example.com/v1"},
        {"authorize_url": "http://auth.example.com/"},
        {"api_url": ""},
        {"api_url": "https://" + HUGE},
        {"authorize_url": "javascript:alert(1)"},
        {"api_url": "https://exämple.com/v1"},
    ],
)
@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_mclimate_server_form(
    hass: HomeAssistant,
    simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    case: dict[str, Any],
) -> None:
    monkeypatch.setenv("SMARTLINK_MCLIMATE_DEVELOPER", "1")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mclimate_server"}
    )
    data = {
        "api_url": "https://developer-api.melissaclimate.com/v1",
        "authorize_url": "https://auth.seemelissa.com/",
        **case,
    }
    answer = await configure(hass, hass.config_entries.flow, result["flow_id"], data)
    if answer is not None:
        refused(answer, CONFIG_ERRORS)
        assert answer["step_id"] == "mclimate_server"
    assert len(simulator.recorder) == 0


# -- homes (subentries) and options --------------------------------------------------


async def _subentry_form(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_HOME), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    return str(result["flow_id"])


@pytest.mark.parametrize(
    ("step", "data"),
    [
        *(("home_id", {"home_id": value}) for value in ("", " ", HUGE, NON_ASCII, *INJECTIONS)),
        ("home_id", {"home_id": "abc\x00def"}),
        *(("email", {"email": value}) for value in ("", "not-an-email", HUGE + "@x.com")),
        *(("email", {"email": value}) for value in ("ü@exämple.com", *INJECTIONS[:2])),
        ("email", {"email": "a@b.com\r\nBcc: x@y.com"}),
    ],
)
async def test_home_forms(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    step: str,
    data: dict[str, Any],
) -> None:
    subentries = dict(init_homesmartlink.subentries)
    flow_id = await _subentry_form(hass, init_homesmartlink, step)
    simulator.recorder.clear()
    answer = await configure(hass, hass.config_entries.subentries, flow_id, data)
    if answer is not None:
        refused(answer, HOME_ERRORS)
    assert dict(init_homesmartlink.subentries) == subentries
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(
    "case",
    [
        {"derogation_duration": -5},
        {"derogation_duration": 0},
        {"derogation_duration": 3},
        {"derogation_duration": 10.5},
        {"derogation_duration": 100000},
        {"derogation_duration": "abc"},
        {"time_zone": ""},
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": "../../etc/passwd"},
        {"time_zone": HUGE},
        {"time_zone": NON_ASCII},
        {"derogation_duration": None},
    ],
)
async def test_options_form(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    case: dict[str, Any],
) -> None:
    options = dict(init_homesmartlink.options)
    result = await hass.config_entries.options.async_init(init_homesmartlink.entry_id)
    simulator.recorder.clear()
    data = {"derogation_duration": 120, "time_zone": "Europe/Paris", "follow_consents": False}
    answer = await configure(hass, hass.config_entries.options, result["flow_id"], data | case)
    if answer is not None:
        refused(answer, OPTION_ERRORS)
    assert dict(init_homesmartlink.options) == options
    assert len(simulator.recorder) == 0


# -- actions -------------------------------------------------------------------------


def _room(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        state = hass.states.get(entity.entity_id)
        if entity.domain == "climate" and state and state.attributes.get("temperature"):
            return entity.entity_id
    raise AssertionError("no heating room")


DEROGATION = {"delta": -2, "start_time": "18:00", "end_time": "20:00"}
ACTION_CASES: list[tuple[str, dict[str, Any]]] = [
    *(
        ("set_derogation", DEROGATION | {"delta": value})
        for value in (6, -6, 1.5, "abc", True, None, "", HUGE, "\u0665", INJECTIONS[0], [1])
    ),
    *(
        ("set_derogation", DEROGATION | {"start_time": value})
        for value in (
            "25:00",
            "18:03",
            "",
            HUGE,
            "\u0661\u0668:\u0660\u0660",
            1800,
            INJECTIONS[0],
            "18:00:30",
        )
    ),
    ("set_derogation", DEROGATION | {"end_time": "17:00"}),
    ("set_derogation", DEROGATION | {"end_time": "24:05"}),
    *(
        ("set_derogation", DEROGATION | {"date": value})
        for value in ("2026-13-01", "", HUGE, "2020-01-01", NON_ASCII, INJECTIONS[0], 20261201)
    ),
    *(
        ("set_temperature_for", {"temperature": value})
        for value in ("abc", 1e9, -1e9, "", None, NON_ASCII, INJECTIONS[0])
    ),
    ("set_temperature_for", {"temperature": 17, "duration": {"minutes": 3}}),
    ("set_temperature_for", {"temperature": 17, "duration": {"days": 3}}),
    ("set_temperature_for", {"temperature": 17, "duration": "-00:05:00"}),
    ("set_temperature_for", {"temperature": 17, "end_time": "25:99"}),
    ("set_temperature_for", {"temperature": 17, "end_time": "18:03"}),
    ("set_temperature_for", {"temperature": 17, "until_schedule_change": "perhaps"}),
    ("set_temperature_for", {"temperature": 17, "duration": {"hours": 1}, "end_time": "20:00"}),
    *(
        ("get_derogation_report", {"trigger": value})
        for value in ("", HUGE, NON_ASCII, *INJECTIONS, [1])
    ),
    ("get_derogation_report", {"config_entry_id": HUGE}),
    *(("run_diagnosis", {"device_id": value}) for value in ("", HUGE, NON_ASCII, INJECTIONS[0])),
]


@pytest.mark.parametrize(("action", "data"), ACTION_CASES)
async def test_action_fields(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    action: str,
    data: dict[str, Any],
) -> None:
    derogations = init_homesmartlink.runtime_data.derogations
    scheduled = list(derogations.scheduled)
    room = _room(hass, init_homesmartlink)
    if action in ("set_derogation", "set_temperature_for"):
        data = {ATTR_ENTITY_ID: room, **data}
    simulator.recorder.clear()
    with pytest.raises((ServiceValidationError, vol.Invalid)) as err:
        await hass.services.async_call(
            DOMAIN,
            action,
            data,
            blocking=True,
            return_response=action == "get_derogation_report",
        )
    if isinstance(err.value, ServiceValidationError):
        assert err.value.translation_key in EXCEPTIONS, err.value.translation_key
    assert derogations.scheduled == scheduled
    assert len(simulator.recorder) == 0
