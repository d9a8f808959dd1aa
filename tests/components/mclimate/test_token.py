"""The access token: a repair issue ahead of expiry, and a refresh when the server allows it."""

from __future__ import annotations

import time
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartlink_mclimate.const import DOMAIN
from simulator import MClimateScenario, Scenario, Simulator
from tests.components.test_config_flow import complete_oauth


def set_token(hass: HomeAssistant, entry: MockConfigEntry, **token: Any) -> None:
    """Change the stored token."""
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "token": {**entry.data["token"], **token}}
    )


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up, whatever the outcome."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def expiry_issue(issue_registry: ir.IssueRegistry, entry: MockConfigEntry) -> ir.IssueEntry | None:
    """The entry's token expiry issue, if raised."""
    return issue_registry.async_get_issue(DOMAIN, f"token_expiring_{entry.entry_id}")


@pytest.mark.usefixtures("current_request_with_host")
async def test_issue_ahead_of_expiry_goes_after_signing_in_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    set_token(hass, mclimate_entry, expires_in=7 * 86400, expires_at=time.time() + 3600)
    await setup(hass, mclimate_entry)
    issue = expiry_issue(issue_registry, mclimate_entry)
    assert issue is not None
    assert issue.translation_key == "token_expiring"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["account"] == mclimate_entry.title

    result = await mclimate_entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert expiry_issue(issue_registry, mclimate_entry) is None


async def test_short_lifetimes_warn_at_half(
    hass: HomeAssistant, mclimate_entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    set_token(hass, mclimate_entry, expires_in=3600, expires_at=time.time() + 2000)
    await setup(hass, mclimate_entry)
    assert expiry_issue(issue_registry, mclimate_entry) is None

    await hass.config_entries.async_unload(mclimate_entry.entry_id)
    set_token(hass, mclimate_entry, expires_at=time.time() + 1700)
    await setup(hass, mclimate_entry)
    assert expiry_issue(issue_registry, mclimate_entry) is not None


@pytest.mark.parametrize("scenario", [Scenario(mclimate=MClimateScenario(refresh_tokens=True))])
async def test_an_issued_refresh_token_is_used_as_json(
    hass: HomeAssistant,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    refresh = simulator.mclimate.issue_refresh_token()
    set_token(hass, mclimate_entry, refresh_token=refresh, expires_at=time.time() - 10)
    await setup(hass, mclimate_entry)

    assert mclimate_entry.state is ConfigEntryState.LOADED
    (request,) = simulator.recorder.matching("POST", "/v1/token")
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json["grant_type"] == "refresh_token"
    assert request.json["refresh_token"] == refresh
    assert request.json["client_id"] == simulator.scenario.mclimate.client_id
    assert mclimate_entry.data["token"]["expires_at"] > time.time()
    assert expiry_issue(issue_registry, mclimate_entry) is None


@pytest.mark.parametrize("scenario", [Scenario(mclimate=MClimateScenario(refresh_tokens=True))])
async def test_a_refused_refresh_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, mclimate_entry: MockConfigEntry
) -> None:
    set_token(hass, mclimate_entry, refresh_token="unknown", expires_at=time.time() - 10)
    await setup(hass, mclimate_entry)

    assert mclimate_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize("scenario", [Scenario(mclimate=MClimateScenario(refresh_tokens=True))])
@pytest.mark.parametrize(("fault", "options"), [("status", {"status": 503}), ("malformed", {})])
async def test_a_refresh_that_fails_on_the_way_is_retried(
    hass: HomeAssistant,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
    fault: str,
    options: dict[str, Any],
) -> None:
    simulator.faults.add(fault, "POST /v1/token", **options)  # type: ignore[arg-type]
    refresh = simulator.mclimate.issue_refresh_token()
    set_token(hass, mclimate_entry, refresh_token=refresh, expires_at=time.time() - 10)
    await setup(hass, mclimate_entry)
    assert mclimate_entry.state is ConfigEntryState.SETUP_RETRY
