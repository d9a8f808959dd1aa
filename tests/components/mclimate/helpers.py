"""Small helpers of the MClimate tests: move time, read what the simulator received."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.smartlink_mclimate.mclimate.coordinator import DISCOVERY_EVERY
from simulator import Simulator

CYCLE = timedelta(seconds=61)


async def next_cycle(hass: HomeAssistant, delta: timedelta = CYCLE) -> None:
    """Fire the timers due within `delta` and wait for what they do.

    Time itself is not frozen: the requests to the simulator are real, and a
    frozen clock that jumps would time them out.
    """
    async_fire_time_changed(hass, dt_util.utcnow() + delta)
    await hass.async_block_till_done(wait_background_tasks=True)


async def next_listing(hass: HomeAssistant) -> None:
    """Run cycles until the next one that reads the controller list (ten minutes)."""
    for _ in range(DISCOVERY_EVERY):
        await next_cycle(hass)


def sent(simulator: Simulator, path: str = "/v1/provider/send") -> list[Any]:
    """The JSON bodies the simulator received on a path, oldest first."""
    return [request.json for request in simulator.recorder.matching("POST", path)]
