"""The simulator's shared machinery: clock, request log, fault plan, rate limit."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from simulator import Clock, Fault, FaultPlan, Scenario, Simulator
from tests.conftest import START


def test_frozen_clock_moves_only_when_told() -> None:
    clock = Clock(START, frozen=True)
    assert clock.now() == START
    clock.advance(300)
    assert clock.now() == START + timedelta(minutes=5)
    clock.set(START.replace(tzinfo=None))
    assert clock.now() == START


def test_running_clock_keeps_offset() -> None:
    clock = Clock(START)
    assert abs((clock.now() - START).total_seconds()) < 5
    clock.advance(timedelta(hours=1))
    assert clock.now() - START >= timedelta(minutes=59)
    clock.set(START)
    assert abs((clock.now() - START).total_seconds()) < 5
    assert not clock.frozen


def test_fault_route_globs_and_counts() -> None:
    plan = FaultPlan()
    fault = plan.add("status", "POST /partners/1/*", status=503, times=2)
    assert plan.pick("GET", "/partners/1/config") == []
    assert plan.pick("POST", "/partners/1/config") == [fault]
    assert plan.pick("post", "/partners/1/report") == [fault]
    assert plan.pick("POST", "/partners/1/config") == []


def test_answering_fault_spares_damage_faults_for_the_next_request() -> None:
    plan = FaultPlan()
    slow = plan.add("latency", "GET /x", delay=0.01)
    broken = plan.add("malformed", "GET /x", times=1)
    down = plan.add("status", "GET /x", status=503, times=1)
    limited = plan.add("rate_limit", "GET /x", times=1)
    assert plan.pick("GET", "/x") == [slow, down]
    assert plan.pick("GET", "/x") == [slow, limited]
    assert plan.pick("GET", "/x") == [slow, broken]
    assert plan.pick("GET", "/x") == [slow]


def test_fault_probability_is_seeded() -> None:
    def fired(seed: int) -> list[bool]:
        plan = FaultPlan(seed=seed)
        plan.add("status", probability=0.5)
        return [bool(plan.pick("GET", "/")) for _ in range(40)]

    assert fired(3) == fired(3)
    assert 5 < sum(fired(3)) < 35


def test_fault_plan_rejects_unknown_kinds_and_options() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown fault option"):
        FaultPlan.from_list([{"kind": "status", "colour": "red"}])


def test_scenario_from_dict_and_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = {"seed": 7, "homesmartlink": {"homes": 5}, "mclimate": {"vicki": 3}}
    scenario = Scenario.from_dict(data)
    assert (scenario.seed, scenario.homesmartlink.homes, scenario.mclimate.vicki) == (7, 5, 3)
    assert Scenario.from_dict(scenario.as_dict()) == scenario
    yaml_file = tmp_path / "world.yaml"
    yaml_file.write_text("homesmartlink:\n  homes: 4\nrate_limit_requests: 3\n")
    assert Scenario.from_file(yaml_file).homesmartlink.homes == 4
    json_file = tmp_path / "world.json"
    json_file.write_text('{"mclimate": {"melissa": 0}}')
    assert Scenario.from_file(json_file).mclimate.melissa == 0
    with pytest.raises(ValueError, match="unknown HomeSmartLinkScenario option"):
        Scenario.from_dict({"homesmartlink": {"castles": 1}})


async def test_faults_shape_answers_and_requests_are_recorded(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.faults.add("status", "GET /nowhere", status=502, times=1)
    simulator.faults.add("rate_limit", "GET /nowhere", retry_after=12, times=1)
    simulator.faults.add("unauthorized", "GET /nowhere", times=1)
    simulator.faults.add("latency", "GET /nowhere", delay=0.01, times=1)
    url = f"{simulator.url}/nowhere"
    async with session.get(url, params={"a": "1"}) as resp:
        assert resp.status == 502
        problem = await resp.json(content_type=None)
        assert problem["status"] == 502
        assert problem["title"] == "Bad Gateway"
    async with session.get(url) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "12"
    async with session.get(url) as resp:
        assert resp.status == 401
    async with session.get(url) as resp:
        assert resp.status == 404
    recorded = simulator.recorder.matching("GET", "/nowhere")
    assert len(recorded) == 4
    assert recorded[0].query == {"a": "1"}
    assert recorded[0].received_at == START
    assert len(simulator.recorder) == 4
    simulator.recorder.clear()
    assert list(simulator.recorder) == []


async def test_rate_limit_budget_per_client() -> None:
    clock = Clock(START, frozen=True)
    sim = Simulator(Scenario(rate_limit_requests=2, rate_limit_window=60), clock=clock)
    sim.check_rate_limit("a")
    sim.check_rate_limit("a")
    sim.check_rate_limit("b")
    with pytest.raises(Exception, match="Rate limit") as err:
        sim.check_rate_limit("a")
    assert err.value.headers == {"Retry-After": "60"}  # type: ignore[attr-defined]
    clock.advance(61)
    sim.check_rate_limit("a")
    sim.rate_limiter.reset()
