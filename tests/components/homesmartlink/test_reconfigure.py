"""Reconfiguring a partner account: another base URL or new credentials, same partner only."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate import homesmartlink
from custom_components.smartlink_mclimate.const import CONF_BASE_URL, CONF_SERVICE, DOMAIN
from simulator import Simulator
from tests.components.conftest import homesmartlink_data

OLD_URL = "http://127.0.0.1:9/old-root"


@pytest.fixture
def moved_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """A partner account whose server moved and whose secret was rotated."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home SmartLink (demo-partner)",
        unique_id="homesmartlink:demo-partner",
        data=homesmartlink_data(
            simulator, **{CONF_BASE_URL: OLD_URL, CONF_CLIENT_SECRET: "rotated-away"}
        ),
    )
    entry.add_to_hass(hass)
    return entry


def form(simulator: Simulator, **overrides: str) -> dict[str, Any]:
    data = homesmartlink_data(simulator)
    data.pop(CONF_SERVICE)
    return {**data, **overrides}


async def open_reconfigure(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_homesmartlink"
    return result


async def test_new_url_and_secret_are_saved_and_reloaded(
    hass: HomeAssistant, simulator: Simulator, moved_entry: MockConfigEntry
) -> None:
    result = await open_reconfigure(hass, moved_entry)
    shown = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert shown == {
        CONF_BASE_URL: OLD_URL,
        CONF_CLIENT_ID: "demo-partner",
        CONF_CLIENT_SECRET: None,
    }

    with patch.object(homesmartlink, "PLATFORMS", []):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            form(simulator, **{CONF_BASE_URL: f" {simulator.homesmartlink_url}/"}),
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert moved_entry.data == homesmartlink_data(simulator)
    assert moved_entry.state is ConfigEntryState.LOADED
    assert simulator.recorder.matching("GET", "/partners/1/users")


async def test_another_partner_is_refused_unsent(
    hass: HomeAssistant, simulator: Simulator, moved_entry: MockConfigEntry
) -> None:
    result = await open_reconfigure(hass, moved_entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator, **{CONF_CLIENT_ID: "another-partner"})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_partner"
    assert moved_entry.data[CONF_BASE_URL] == OLD_URL
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(
    ("changes", "errors", "sent"),
    [
        ({CONF_BASE_URL: "ftp://example.com"}, {CONF_BASE_URL: "invalid_url"}, False),
        ({CONF_CLIENT_SECRET: "still-wrong"}, {CONF_CLIENT_SECRET: "invalid_auth"}, True),
        ({CONF_BASE_URL: "http://127.0.0.1:9"}, {CONF_BASE_URL: "cannot_connect"}, False),
    ],
)
async def test_errors_keep_the_form_and_the_entry(
    hass: HomeAssistant,
    simulator: Simulator,
    moved_entry: MockConfigEntry,
    changes: dict[str, str],
    errors: dict[str, str],
    sent: bool,
) -> None:
    result = await open_reconfigure(hass, moved_entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert moved_entry.data[CONF_BASE_URL] == OLD_URL
    assert moved_entry.data[CONF_CLIENT_SECRET] == "rotated-away"
    assert bool(simulator.recorder.matching("GET", "/partners/1/users")) is sent

    with patch.object(homesmartlink, "PLATFORMS", []):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], form(simulator))
        await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"


async def test_an_entry_of_an_unknown_service_is_not_reconfigured(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_SERVICE: "retired-cloud"})
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_not_supported"
    assert len(simulator.recorder) == 0
