"""`python -m simulator`: options become a scenario, and the server really serves."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import signal
import sys

import aiohttp
import pytest

from simulator import Scenario, Simulator
from simulator.__main__ import build_parser, describe, scenario_from_args, serve


def parse(*argv: str) -> Scenario:
    return scenario_from_args(build_parser().parse_args(list(argv)))


def test_default_and_demo_worlds() -> None:
    assert parse() == Scenario()
    assert parse("--demo") == Scenario.demo()
    assert parse("--demo").homesmartlink.layout  # the demo lays its homes out


def test_options_override_the_world() -> None:
    scenario = parse(
        "--demo",
        "--seed", "9",
        "--homes", "7",
        "--rooms", "2",
        "--heaters", "3",
        "--melissa", "0",
        "--bobbie", "4",
        "--vicki", "5",
        "--smart-plugs", "6",
        "--rate-limit", "100",
        "--fault", '{"kind": "status", "route": "POST /v1/*", "status": 503}',
    )  # fmt: skip
    hsl, mc = scenario.homesmartlink, scenario.mclimate
    assert (scenario.seed, scenario.rate_limit_requests) == (9, 100)
    assert (hsl.homes, hsl.rooms_per_home, hsl.heaters_per_room) == (7, 2, 3)
    assert hsl.layout == []  # counts replace the demo's laid-out homes
    assert (mc.melissa, mc.bobbie, mc.vicki, mc.smart_plug) == (0, 4, 5, 6)
    assert scenario.faults == [{"kind": "status", "route": "POST /v1/*", "status": 503}]


def test_options_for_the_coming_cases() -> None:
    scenario = parse(
        "--homes-without-gateway", "1",
        "--no-users-endpoint",
        "--unknown-type", "thermostat_x",
        "--unknown-type", "hub",
        "--refresh-tokens",
        "--vicki-flags",
    )  # fmt: skip
    hsl, mc = scenario.homesmartlink, scenario.mclimate
    assert (hsl.homes_without_gateway, hsl.users_endpoint) == (1, False)
    assert mc.unknown_types == ["thermostat_x", "hub"]
    assert (mc.refresh_tokens, mc.vicki_flags) == (True, True)
    untouched = parse("--demo", "--melissa", "2").homesmartlink
    assert (untouched.users_endpoint, bool(untouched.layout)) == (True, True)


def test_scenario_and_fault_files(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"homesmartlink": {"homes": 4}}))
    faults_yaml = tmp_path / "faults.yaml"
    faults_yaml.write_text("- {kind: latency, delay: 0.1}\n")
    faults_json = tmp_path / "faults.json"
    faults_json.write_text('[{"kind": "unauthorized"}]')
    scenario = parse("--scenario", str(world), "--faults", str(faults_yaml))
    assert scenario.homesmartlink.homes == 4
    assert scenario.faults == [{"kind": "latency", "delay": 0.1}]
    assert parse("--faults", str(faults_json)).faults == [{"kind": "unauthorized"}]


def test_bad_fault_plans_and_worlds_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        parse("--fault", '{"kind": "meltdown"}')
    with pytest.raises(ValueError, match="documented types"):
        parse("--unknown-type", "vicki")
    not_a_list = tmp_path / "faults.json"
    not_a_list.write_text('{"kind": "status"}')
    with pytest.raises(SystemExit, match="expected a list of faults"):
        parse("--faults", str(not_a_list))


def test_description_names_urls_and_credentials() -> None:
    sim = Simulator(Scenario(), port=8765)
    text = describe(sim)
    assert "http://127.0.0.1:8765/oauth/authorize" in text
    assert "demo-partner / demo-partner-secret" in text
    assert "demo@example.com / demo" in text


async def test_command_serves_until_interrupted(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--port", "0", "--homes", "1",
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert process.stdout is not None
    first = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    url = first.removeprefix("Simulator listening on ").strip()
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{url}/v1/users/me") as response,
    ):
        assert response.status == 401
    process.send_signal(signal.SIGINT)
    assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_serve_prints_where_to_connect_then_stops(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = Simulator(Scenario(), port=0)
    stop = asyncio.Event()
    server = asyncio.create_task(serve(sim, stop))
    await asyncio.sleep(0)  # let it start listening
    for _ in range(100):
        if sim.port:
            break
        await asyncio.sleep(0.01)  # the server offers no readiness event
    async with aiohttp.ClientSession() as session, session.get(f"{sim.url}/oauth/authorize") as r:
        assert r.status == 400
    stop.set()
    await server
    assert f"Simulator listening on {sim.url}" in capsys.readouterr().out
