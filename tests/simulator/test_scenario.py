"""Scenarios as plain data: dicts, JSON and YAML files, layouts, the demo world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator import Scenario
from simulator.scenario import DeviceSpec, HomeSpec, RoomSpec

LAYOUT_YAML = """
homesmartlink:
  users_endpoint: false
  layout:
    - gateway: offline
      rooms:
        - name: Living room
          devices:
            - {category: Heater, mode: Manual, comfort: 20.5}
            - {category: Gateway}
        - name: Attic
    - gateway: none
      rooms: [{name: Bathroom, devices: [{category: TowelDryier, online: false}]}]
mclimate:
  unknown_types: [thermostat_x]
  names: {melissa: [Bedroom AC]}
  refresh_tokens: true
  vicki_flags: true
"""


def test_scenario_from_dict_and_files(tmp_path: Path) -> None:
    data = {"seed": 7, "homesmartlink": {"homes": 5}, "mclimate": {"vicki": 3}}
    scenario = Scenario.from_dict(data)
    assert (scenario.seed, scenario.homesmartlink.homes, scenario.mclimate.vicki) == (7, 5, 3)
    yaml_file = tmp_path / "world.yaml"
    yaml_file.write_text("homesmartlink:\n  homes: 4\nrate_limit_requests: 3\n")
    assert Scenario.from_file(yaml_file).homesmartlink.homes == 4
    json_file = tmp_path / "world.json"
    json_file.write_text('{"mclimate": {"melissa": 0}}')
    assert Scenario.from_file(json_file).mclimate.melissa == 0
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    assert Scenario.from_file(empty) == Scenario()


def test_layout_and_knobs_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(LAYOUT_YAML)
    scenario = Scenario.from_file(path)
    hsl, mc = scenario.homesmartlink, scenario.mclimate
    assert hsl.users_endpoint is False
    assert hsl.layout == [
        HomeSpec(
            gateway="offline",
            rooms=[
                RoomSpec(
                    "Living room",
                    [DeviceSpec("Heater", "Manual", comfort=20.5), DeviceSpec("Gateway")],
                ),
                RoomSpec("Attic"),  # one Prog heater by default
            ],
        ),
        HomeSpec(
            gateway="none", rooms=[RoomSpec("Bathroom", [DeviceSpec("TowelDryier", online=False)])]
        ),
    ]
    assert (mc.unknown_types, mc.names) == (["thermostat_x"], {"melissa": ["Bedroom AC"]})
    assert (mc.refresh_tokens, mc.vicki_flags) == (True, True)


@pytest.mark.parametrize("scenario", [Scenario(), Scenario.demo()], ids=["default", "demo"])
def test_as_dict_is_the_inverse_of_from_dict(scenario: Scenario) -> None:
    assert Scenario.from_dict(scenario.as_dict()) == scenario


def with_device(device: dict[str, Any]) -> dict[str, Any]:
    """A scenario whose one home has one room with this device."""
    return {"homesmartlink": {"layout": [{"rooms": [{"name": "A", "devices": [device]}]}]}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"colour": "red"}, "unknown Scenario option"),
        ({"homesmartlink": {"castles": 1}}, "unknown HomeSmartLinkScenario option"),
        ({"mclimate": {"toasters": 1}}, "unknown MClimateScenario option"),
        ({"homesmartlink": {"layout": [{"rooms": [], "garden": 1}]}}, "unknown HomeSpec option"),
        ({"homesmartlink": {"layout": [{"rooms": [{"size": 3}]}]}}, "unknown RoomSpec option"),
        (with_device({"x": 1}), "unknown DeviceSpec option"),
        (with_device({"mode": "On"}), "unknown mode"),
        (with_device({"category": "Toaster"}), "unknown category"),
        ({"mclimate": {"unknown_types": ["melissa"]}}, "documented types"),
    ],
)
def test_unknown_options_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scenario.from_dict(data)
