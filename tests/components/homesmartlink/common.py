"""Helpers of the Home SmartLink entity tests: a partner entry holding the simulator's homes."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.const import CONF_HOME_ID, DOMAIN, SUBENTRY_HOME
from simulator import Scenario, Simulator
from simulator.scenario import (
    DeviceSpec,
    HomeSmartLinkScenario,
    HomeSpec,
    RoomSpec,
    demo_layout,
)
from tests.components.conftest import homesmartlink_data

CONFIG = "/partners/1/config"
USERS = "/partners/1/users"
DEROGATIONS = "/partners/1/derogations"
REPORT = "/partners/1/report"
REQUEST = "/partners/1/request"


def home_subentry(home_id: str, index: int) -> dict[str, Any]:
    """A home subentry as the flows create it."""
    return {
        "data": {CONF_HOME_ID: home_id},
        "subentry_type": SUBENTRY_HOME,
        "title": f"Home {index + 1}",
        "unique_id": home_id,
    }


def partner_entry(
    hass: HomeAssistant,
    simulator: Simulator,
    *,
    homes: int | None = None,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """The partner entry with the first `homes` simulated homes (all by default) as subentries."""
    home_ids = simulator.homesmartlink.home_ids[:homes]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home SmartLink (demo-partner)",
        unique_id=f"homesmartlink:{simulator.scenario.homesmartlink.client_id}",
        data=homesmartlink_data(simulator),
        options=options or {},
        subentries_data=[home_subentry(home_id, i) for i, home_id in enumerate(home_ids)],
    )
    entry.add_to_hass(hass)
    return entry


def world() -> Scenario:
    """Three homes: every category and mode, rooms of one and several heaters.

    Also an offline heater, a gateway offline for days and a home without any gateway.
    """
    layout = [
        *demo_layout(),
        HomeSpec(
            gateway="none",
            rooms=[RoomSpec("Office", [DeviceSpec("Heater", "Manual", comfort=20.0)])],
        ),
    ]
    return Scenario(homesmartlink=HomeSmartLinkScenario(layout=layout))
