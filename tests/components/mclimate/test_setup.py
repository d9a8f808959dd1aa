"""Set-up of an MClimate account: one discovery proves the token, then one fetch per device."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator


async def test_setup_sends_discovery_and_fetches_only(
    hass: HomeAssistant, simulator: Simulator, init_mclimate: MockConfigEntry
) -> None:
    assert init_mclimate.state is ConfigEntryState.LOADED
    sent = [(r.method, r.path) for r in simulator.recorder]
    assert sent[0] == ("GET", "/v1/controllers")
    assert sorted(sent[1:]) == [("POST", "/v1/provider/fetch")] * 4
    assert ("GET", "/v1/users/me") not in sent
