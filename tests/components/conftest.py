"""Home Assistant fixtures: config entries that point at the simulator.

Entity tests load one account with `init_homesmartlink` or `init_mclimate`; a
module (or a parametrized test) narrows the platforms with the `platforms`
fixture, as `snapshot_platform` wants, and `entity_registry_enabled_by_default`
enables entities that users would have to switch on.
"""

from __future__ import annotations

from collections.abc import Iterator
import time
from typing import Any
from unittest.mock import PropertyMock, patch

from homeassistant.const import (
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Import our package before the `hass` fixture runs: phcc's testing config ships a
# `custom_components` package of its own, and Home Assistant would not find ours.
import custom_components.smartlink_mclimate  # noqa: F401
from custom_components.smartlink_mclimate import homesmartlink, mclimate
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
        title="MClimate",
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


@pytest.fixture
def platforms() -> list[Platform] | None:
    """The platforms to load (None: every platform of the service); override to narrow."""
    return None


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create every entity enabled, including those users would switch on themselves."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, package: Any, platforms: list[Platform] | None
) -> MockConfigEntry:
    with patch.object(package, "PLATFORMS", package.PLATFORMS if platforms is None else platforms):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    return entry


@pytest.fixture
async def init_homesmartlink(
    hass: HomeAssistant, homesmartlink_entry: MockConfigEntry, platforms: list[Platform] | None
) -> MockConfigEntry:
    """The partner account, loaded against the simulator."""
    return await _setup(hass, homesmartlink_entry, homesmartlink, platforms)


@pytest.fixture
async def init_mclimate(
    hass: HomeAssistant, mclimate_entry: MockConfigEntry, platforms: list[Platform] | None
) -> MockConfigEntry:
    """The household account, loaded against the simulator."""
    return await _setup(hass, mclimate_entry, mclimate, platforms)


@pytest.fixture
def state_writes(hass: HomeAssistant) -> list[str]:
    """The entity ids whose state is written from now on, changed or not, in order."""
    written: list[str] = []

    @callback
    def note(event: Event[Any]) -> None:
        written.append(event.data["entity_id"])

    @callback
    def every(_: Any) -> bool:
        return True

    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    hass.bus.async_listen(EVENT_STATE_REPORTED, note, event_filter=every)
    return written
