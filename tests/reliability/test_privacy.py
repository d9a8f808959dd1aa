"""Private data stays out of the log, and only HTTPS leaves the machine.

With DEBUG logging on, set-up, polling, every action, the config flows and
the failures of the matrix run; no record and no exception message may hold
a client secret, an access token, an e-mail, a name, an address or a `prmId`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import re
import traceback

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.config_flow import _url_error
from custom_components.smartlink_mclimate.const import CONF_FOLLOW_CONSENTS, DOMAIN, SUBENTRY_HOME
from simulator import Simulator
from tests.components.mclimate.helpers import next_cycle

PACKAGE = Path(__file__).parents[2] / "custom_components" / "smartlink_mclimate"


def private_values(simulator: Simulator, token: str) -> set[str]:
    """Everything personal or secret the simulated clouds hold for these accounts."""
    values = {simulator.scenario.homesmartlink.client_secret, token}
    values |= {simulator.scenario.mclimate.client_secret, simulator.scenario.mclimate.username}
    for home in simulator.homesmartlink.homes:
        user = home.user
        values |= {user.email, user.first_name, user.last_name, user.address, user.prm_id}
    return {value for value in values if value}


async def test_nothing_private_in_the_log(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    mclimate_entry: MockConfigEntry,
    log_debug: pytest.LogCaptureFixture,
) -> None:
    token = mclimate_entry.data["token"]["access_token"]
    errors: list[BaseException] = []
    hass.config_entries.async_update_entry(
        homesmartlink_entry, options={**homesmartlink_entry.options, CONF_FOLLOW_CONSENTS: True}
    )
    assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)  # both load
    await hass.async_block_till_done()
    assert mclimate_entry.state is ConfigEntryState.LOADED
    await next_cycle(hass)

    # Every action and command, first working, then failing every way.
    calls = [
        ("climate", "set_temperature", {ATTR_ENTITY_ID: "climate.bedroom_ac", "temperature": 20}),
        ("switch", "turn_on", {ATTR_ENTITY_ID: "switch.water_heater"}),
        ("button", "press", {ATTR_ENTITY_ID: "button.home_1_run_diagnosis"}),
        (
            DOMAIN,
            "set_derogation",
            {
                "config_entry_id": homesmartlink_entry.entry_id,
                "delta": -1,
                "start_time": "18:00",
                "end_time": "19:00",
                "date": (dt_util.now().date() + timedelta(days=1)).isoformat(),
            },
        ),
        (DOMAIN, "get_derogation_report", {}),
    ]
    for fault in ("status", "unauthorized", "malformed", "rate_limit", None):
        if fault:
            simulator.faults.add(fault, "*")  # type: ignore[arg-type]
        for domain, service, data in calls:
            try:
                await hass.services.async_call(
                    domain,
                    service,
                    data,
                    blocking=True,
                    return_response=service == "get_derogation_report",
                )
            except HomeAssistantError as err:
                errors.append(err)
        await next_cycle(hass)
        simulator.faults.clear()

    # The flows that read users' personal data: adding a home from the users or an e-mail.
    for step in ("pick_user", "email"):
        result = await hass.config_entries.subentries.async_init(
            (homesmartlink_entry.entry_id, SUBENTRY_HOME), context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"next_step_id": step}
        )
        if step == "email":
            user = simulator.homesmartlink.homes[0].user
            await hass.config_entries.subentries.async_configure(
                result["flow_id"], {"email": user.email}
            )

    secrets = private_values(simulator, token)
    texts = [record.getMessage() for record in log_debug.records]
    texts += [record.exc_text or "" for record in log_debug.records]
    for err in errors:
        texts.append("".join(traceback.format_exception(err)))
    assert log_debug.records
    assert errors
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} in {text[:200]!r}"


def test_certificate_verification_is_never_turned_off() -> None:
    """No module of the integration disables TLS checks."""
    forbidden = re.compile(r"verify_ssl\s*=\s*False|ssl\s*=\s*False|CERT_NONE|check_hostname")
    for path in PACKAGE.rglob("*.py"):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path


INSECURE = ["http://partner.example.com", "http://192.168.1.10:8080", "http://[2001:db8::1]/"]


@pytest.mark.parametrize("url", INSECURE)
async def test_plain_http_is_refused_in_the_partner_form(
    hass: HomeAssistant, simulator: Simulator, url: str
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "homesmartlink"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"base_url": url, "client_id": "partner", "client_secret": "secret"}
    )
    assert result["errors"] == {"base_url": "insecure_url"}
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize("url", INSECURE)
async def test_plain_http_is_refused_in_reconfigure(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry, url: str
) -> None:
    result = await homesmartlink_entry.start_reconfigure_flow(hass)
    scenario = simulator.scenario.homesmartlink
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"base_url": url, "client_id": scenario.client_id, "client_secret": "x"},
    )
    assert result["errors"] == {"base_url": "insecure_url"}
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize("field", ["api_url", "authorize_url"])
@pytest.mark.parametrize("url", INSECURE)
@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_plain_http_is_refused_for_another_mclimate_server(
    hass: HomeAssistant,
    simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    url: str,
) -> None:
    monkeypatch.setenv("SMARTLINK_MCLIMATE_DEVELOPER", "1")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mclimate_server"}
    )
    data = {
        "api_url": simulator.mclimate_api_url,
        "authorize_url": simulator.mclimate_authorize_url,
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {**data, field: url})
    assert result["errors"] == {field: "insecure_url"}


async def test_plain_http_on_loopback_is_accepted(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The simulator itself is plain HTTP on 127.0.0.1: its account is added."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "homesmartlink"}
    )
    scenario = simulator.scenario.homesmartlink
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "base_url": simulator.homesmartlink_url,
            "client_id": scenario.client_id,
            "client_secret": scenario.client_secret,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://localhost:8123", None),
        ("http://[::1]:80/api", None),
        ("http://127.8.9.10", None),
        ("https://partner.example.com/api", None),
        ("http://localhost.example.com", "insecure_url"),
        ("http://127.0.0.1.nip.io", "insecure_url"),
        ("http://[::ffff:10.0.0.1]", "insecure_url"),
    ],
)
def test_the_loopback_rule(url: str, error: str | None) -> None:
    assert _url_error(url) == error
