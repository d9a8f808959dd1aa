"""Setting up and unloading accounts of both services."""

from __future__ import annotations

import time
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.const import DOMAIN
from custom_components.smartlink_mclimate.homesmartlink.data import HomeSmartLinkRuntimeData
from custom_components.smartlink_mclimate.mclimate.data import MClimateRuntimeData
from simulator import Simulator


def reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Entry ids of the re-authentication flows in progress for this entry."""
    return [
        flow["context"]["entry_id"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
        and flow["context"]["entry_id"] == entry.entry_id
    ]


async def test_yaml_is_not_a_way_in(hass: HomeAssistant, simulator: Simulator) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.config_entries.async_entries(DOMAIN) == []


@pytest.mark.parametrize("service", ["tado", None])
async def test_unknown_service_is_an_error_not_a_guess(
    hass: HomeAssistant, simulator: Simulator, service: str | None
) -> None:
    data = {} if service is None else {"service": service}
    entry = MockConfigEntry(domain=DOMAIN, data=data)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "unknown_service"
    assert simulator.recorder.requests == []


async def test_homesmartlink_entry_loads_and_unloads(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    await hass.async_block_till_done()

    assert homesmartlink_entry.state is ConfigEntryState.LOADED
    assert isinstance(homesmartlink_entry.runtime_data, HomeSmartLinkRuntimeData)
    checks = simulator.recorder.matching("GET", "/partners/1/users")
    assert len(checks) == 1
    assert checks[0].headers["Authorization"].startswith("Basic ")

    assert await hass.config_entries.async_unload(homesmartlink_entry.entry_id)
    assert homesmartlink_entry.state is ConfigEntryState.NOT_LOADED


async def test_homesmartlink_refused_credentials_start_reauth(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    simulator.faults.add("unauthorized", "GET /partners/1/users")
    await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    await hass.async_block_till_done()

    assert homesmartlink_entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass, homesmartlink_entry) == [homesmartlink_entry.entry_id]


async def test_homesmartlink_cloud_down_retries_later(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    simulator.faults.add("status", "GET /partners/1/users", status=503)
    await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    await hass.async_block_till_done()

    assert homesmartlink_entry.state is ConfigEntryState.SETUP_RETRY
    assert homesmartlink_entry.error_reason_translation_key == "server_error"
    assert homesmartlink_entry.error_reason_translation_placeholders == {"status": "503"}
    assert reauth_flows(hass, homesmartlink_entry) == []


async def test_mclimate_entry_loads_and_unloads(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    assert mclimate_entry.state is ConfigEntryState.LOADED
    assert isinstance(mclimate_entry.runtime_data, MClimateRuntimeData)
    (check,) = simulator.recorder.matching("GET", "/v1/controllers")
    token = mclimate_entry.data["token"]["access_token"]
    assert check.headers["Authorization"] == f"Bearer {token}"

    assert await hass.config_entries.async_unload(mclimate_entry.entry_id)
    assert mclimate_entry.state is ConfigEntryState.NOT_LOADED


async def test_mclimate_revoked_token_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    simulator.mclimate.revoke_tokens()
    await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    assert mclimate_entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass, mclimate_entry) == [mclimate_entry.entry_id]


async def test_mclimate_expired_token_cannot_be_refreshed(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    """MClimate documents no refresh token: expiry means signing in again, not a retry."""
    token = {**mclimate_entry.data["token"], "expires_at": time.time() - 10}
    hass.config_entries.async_update_entry(
        mclimate_entry, data={**mclimate_entry.data, "token": token}
    )
    await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    assert mclimate_entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass, mclimate_entry) == [mclimate_entry.entry_id]
    assert simulator.recorder.matching(path="/v1/token") == []
    assert len(simulator.recorder) == 0


async def test_mclimate_cloud_down_retries_later(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    simulator.faults.add("status", "GET /v1/controllers", status=500)
    await hass.config_entries.async_setup(mclimate_entry.entry_id)
    await hass.async_block_till_done()

    assert mclimate_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize("service", ["homesmartlink", "mclimate", "tado"])
async def test_deleting_an_account_forgets_what_it_stored(
    hass: HomeAssistant, hass_storage: dict[str, Any], service: str
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={"service": service})
    entry.add_to_hass(hass)
    kept = [f"{DOMAIN}.{entry.entry_id}.derogations", f"{DOMAIN}.{entry.entry_id}.diagnoses"]
    for key in kept:
        hass_storage[key] = {"version": 1, "minor_version": 1, "key": key, "data": {}}

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    forgotten = service == "homesmartlink"
    assert [key in hass_storage for key in kept] == [not forgotten, not forgotten]
