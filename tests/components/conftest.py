"""Home Assistant fixtures: config entries that point at the simulator."""

from __future__ import annotations

import time
from typing import Any

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Import our package before the `hass` fixture runs: phcc's testing config ships a
# `custom_components` package of its own, and Home Assistant would not find ours.
import custom_components.smartlink_mclimate  # noqa: F401
from custom_components.smartlink_mclimate.application_credentials import (
    MClimateOAuth2Implementation,
)
from custom_components.smartlink_mclimate.const import (
    CONF_API_URL,
    CONF_BASE_URL,
    CONF_SERVICE,
    DOMAIN,
    Service,
)
from simulator import Simulator


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom integrations in every test here."""


def homesmartlink_data(simulator: Simulator, **overrides: Any) -> dict[str, Any]:
    """Entry data of the simulator's partner account."""
    scenario = simulator.scenario.homesmartlink
    return {
        CONF_SERVICE: Service.HOMESMARTLINK,
        CONF_BASE_URL: simulator.homesmartlink_url,
        CONF_CLIENT_ID: scenario.client_id,
        CONF_CLIENT_SECRET: scenario.client_secret,
        **overrides,
    }


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """A Home SmartLink partner entry, added to Home Assistant but not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home SmartLink (demo-partner)",
        unique_id=f"homesmartlink:{simulator.scenario.homesmartlink.client_id}",
        data=homesmartlink_data(simulator),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def mclimate_implementation(
    hass: HomeAssistant, simulator: Simulator
) -> MClimateOAuth2Implementation:
    """Our production OAuth2 implementation, pointed at the simulator's auth server."""
    assert await async_setup_component(hass, "application_credentials", {})
    scenario = simulator.scenario.mclimate
    implementation = MClimateOAuth2Implementation(
        hass,
        DOMAIN,
        scenario.client_id,
        scenario.client_secret,
        simulator.mclimate_authorize_url,
        simulator.mclimate_token_url,
    )
    config_entry_oauth2_flow.async_register_implementation(hass, DOMAIN, implementation)
    return implementation


@pytest.fixture
async def mclimate_entry(
    hass: HomeAssistant,
    simulator: Simulator,
    mclimate_implementation: MClimateOAuth2Implementation,
) -> MockConfigEntry:
    """An MClimate entry holding a valid token issued by the simulator."""
    token = simulator.mclimate.issue_token()
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="MClimate (demo@example.com)",
        unique_id=f"mclimate:{simulator.mclimate.user.user_id}",
        data={
            CONF_SERVICE: Service.MCLIMATE,
            CONF_API_URL: simulator.mclimate_api_url,
            "auth_implementation": DOMAIN,
            "token": {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "expires_at": time.time() + 3600,
            },
        },
    )
    entry.add_to_hass(hass)
    return entry
