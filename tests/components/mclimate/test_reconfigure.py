"""Reconfiguring an MClimate account: sign in again, same account only, as core watts does."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartlink_mclimate.config_flow import DEVELOPER_ENV
from custom_components.smartlink_mclimate.const import CONF_API_URL, CONF_AUTHORIZE_URL
from simulator import Simulator
from tests.components.test_config_flow import complete_oauth


@pytest.mark.usefixtures("current_request_with_host")
async def test_reconfigure_signs_in_again_and_reloads(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
) -> None:
    old_token = init_mclimate.data["token"]["access_token"]
    result = await init_mclimate.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert init_mclimate.data["token"]["access_token"] != old_token
    assert init_mclimate.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("current_request_with_host")
async def test_reconfigure_keeps_the_servers_of_the_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
) -> None:
    hass.config_entries.async_update_entry(
        mclimate_entry,
        data={**mclimate_entry.data, CONF_AUTHORIZE_URL: simulator.mclimate_authorize_url},
    )
    result = await mclimate_entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    assert result["reason"] == "reconfigure_successful"
    assert mclimate_entry.data[CONF_API_URL] == simulator.mclimate_api_url


@pytest.mark.usefixtures("current_request_with_host")
async def test_reconfigure_with_another_account_is_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
) -> None:
    hass.config_entries.async_update_entry(mclimate_entry, unique_id="mclimate:somebody-else")
    old_token = mclimate_entry.data["token"]["access_token"]
    result = await mclimate_entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mclimate_entry.data["token"]["access_token"] == old_token


@pytest.mark.usefixtures("current_request_with_host")
async def test_developers_may_pick_other_servers(
    hass: HomeAssistant,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DEVELOPER_ENV, "1")
    result = await mclimate_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "mclimate_server"
