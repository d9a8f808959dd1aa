"""A large partner account: polls spread within the request budget; commands shown at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import ATTR_TEMPERATURE, DOMAIN as CLIMATE_DOMAIN
from homeassistant.components.climate.const import SERVICE_SET_TEMPERATURE
from homeassistant.const import ATTR_ENTITY_ID, EVENT_STATE_CHANGED, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smartlink_mclimate.homesmartlink.coordinator import (
    POLLS_PER_MINUTE,
    REQUEST_BUDGET,
    home_interval,
)
from custom_components.smartlink_mclimate.homesmartlink.pacing import first_reads
from simulator import Scenario, Simulator
from simulator.recorder import RecordedRequest
from simulator.scenario import DeviceSpec, HomeSmartLinkScenario, HomeSpec, RoomSpec
from tests.conftest import START

from .common import CONFIG, DEROGATIONS, partner_entry

HOMES = 500
MINUTE = timedelta(seconds=60)


@pytest.fixture(autouse=True)
def now(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at the simulator's."""
    freezer.move_to(START)


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with every simulated home."""
    return partner_entry(hass, simulator)


def busiest_minute(requests: list[RecordedRequest]) -> int:
    """The most requests received within any 60 s window."""
    times = sorted(request.received_at for request in requests)
    return max(
        sum(1 for later in times[i:] if later < start + MINUTE) for i, start in enumerate(times)
    )


@pytest.mark.parametrize(
    "scenario", [Scenario(homesmartlink=HomeSmartLinkScenario(homes=HOMES, rooms_per_home=1))]
)
@pytest.mark.parametrize("platforms", [[]])
async def test_500_homes_are_polled_within_the_budget_in_every_minute(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    init_homesmartlink: MockConfigEntry,
) -> None:
    assert len(simulator.recorder.matching("POST", CONFIG)) == first_reads(HOMES) == 90
    interval = home_interval(HOMES)
    step = timedelta(seconds=1)
    elapsed = timedelta()
    while elapsed < 2 * interval:
        simulator.clock.advance(step)
        freezer.tick(step)
        elapsed += step
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)

    polls = simulator.recorder.matching("POST", CONFIG)
    assert busiest_minute(list(simulator.recorder)) <= REQUEST_BUDGET
    assert busiest_minute(polls) <= POLLS_PER_MINUTE + 2  # slots fire on whole-second steps
    by_home: dict[str, list[datetime]] = {}
    for poll in polls:
        by_home.setdefault(poll.json["homeId"], []).append(poll.received_at)
    assert len(by_home) == HOMES  # every home read within one interval and a minute
    gaps = [b - a for times in by_home.values() for a, b in pairwise(times)]
    assert min(gaps) >= MINUTE  # no home read twice in a minute
    # Homes read at set-up wait for the unread ones once: at most a minute more.
    assert max(gaps) <= interval + MINUTE + step


LIVING = "climate.home_1_living_room"


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(
            homesmartlink=HomeSmartLinkScenario(
                layout=[
                    HomeSpec(
                        rooms=[RoomSpec("Living room", [DeviceSpec("Heater", "Manual", 19.0)])]
                    )
                ]
            )
        )
    ],
)
@pytest.mark.parametrize("platforms", [[Platform.CLIMATE]])
async def test_a_target_is_shown_before_the_cloud_is_asked_and_taken_back_if_refused(
    hass: HomeAssistant, simulator: Simulator, init_homesmartlink: MockConfigEntry
) -> None:
    seen: list[tuple[float | None, int]] = []

    def note(event: Event) -> None:
        if event.data["entity_id"] == LIVING:
            target = event.data["new_state"].attributes.get(ATTR_TEMPERATURE)
            seen.append((target, len(simulator.recorder.matching("POST", DEROGATIONS))))

    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    simulator.faults.add("status", f"POST {DEROGATIONS}", status=503, times=1)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            CLIMATE_DOMAIN,
            SERVICE_SET_TEMPERATURE,
            {ATTR_ENTITY_ID: LIVING, ATTR_TEMPERATURE: 21},
            blocking=True,
        )
    await hass.async_block_till_done()
    assert seen == [(21, 0), (19, 1)]  # shown before the request, back once refused
