"""The simulator's shared machinery: clock, request log, fault plan, rate limit."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
from typing import Any

import aiohttp
import pytest

from simulator import Clock, Fault, FaultPlan, ProblemError, Scenario, Simulator
from simulator.faults import drop_keys, rename_keys
from tests.conftest import START

# -- clock -------------------------------------------------------------------------------


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


def test_naive_start_is_utc() -> None:
    assert Clock(START.replace(tzinfo=None), frozen=True).now() == START


# -- fault plan --------------------------------------------------------------------------


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


def test_faults_can_be_removed_or_cleared() -> None:
    plan = FaultPlan()
    first = plan.add("status")
    plan.add("unauthorized")
    plan.remove(first)
    assert [fault.kind for fault in plan.faults] == ["unauthorized"]
    plan.clear()
    assert plan.pick("GET", "/") == []


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


def test_damage_reaches_every_depth() -> None:
    answer = {"a": [{"a": 1, "b": [{"a": 2}]}], "c": "a"}
    assert drop_keys(answer, ("a",)) == {"c": "a"}
    assert drop_keys(answer["a"], ("a",)) == [{"b": [{}]}]
    assert rename_keys(answer, {"a": "z"}) == {"z": [{"z": 1, "b": [{"z": 2}]}], "c": "a"}


# -- faults over HTTP ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "headers"),
    [
        ({"kind": "status", "status": 502}, 502, {}),
        ({"kind": "rate_limit", "retry_after": 12}, 429, {"Retry-After": "12"}),
        ({"kind": "unauthorized"}, 401, {}),
        ({"kind": "latency", "delay": 0.01}, 404, {}),  # slow, then the normal answer
    ],
)
async def test_answering_faults_replace_the_answer(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    fault: dict[str, Any],
    status: int,
    headers: dict[str, str],
) -> None:
    simulator.faults.add(route="GET /nowhere", times=1, **fault)
    async with session.get(f"{simulator.url}/nowhere") as resp:
        assert resp.status == status
        assert resp.content_type == "application/problem+json"
        assert headers.items() <= resp.headers.items()
        problem = await resp.json(content_type=None)
    assert (problem["status"], problem["title"]) == (status, resp.reason)
    async with session.get(f"{simulator.url}/nowhere") as resp:
        assert resp.status == 404  # the fault is spent


async def test_timeout_holds_the_request_then_lets_it_through(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.faults.add("timeout", "GET /nowhere", delay=0.05, times=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with session.get(f"{simulator.url}/nowhere") as resp:
        assert resp.status == 404
    assert loop.time() - started >= 0.05


async def test_a_hanging_request_gives_up_on_the_client(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.faults.add("timeout", "GET /nowhere", times=1)  # one hour
    with pytest.raises(TimeoutError):
        await session.get(f"{simulator.url}/nowhere", timeout=aiohttp.ClientTimeout(total=0.1))


USER_FIELDS = {"user_id", "username", "firstname", "lastname", "phone", "role", "country_id"}


@pytest.mark.parametrize(
    ("fault", "fields"),
    [
        (
            {"kind": "drop_fields", "fields": ("username", "role")},
            USER_FIELDS - {"username", "role"} | {"created"},
        ),
        (
            {"kind": "rename_fields", "renames": {"username": "login"}},
            USER_FIELDS - {"username"} | {"login", "created"},
        ),
    ],
)
async def test_damage_faults_change_the_json_answer(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    fault: dict[str, Any],
    fields: set[str],
) -> None:
    simulator.faults.add(route="GET /v1/users/me", times=1, **fault)
    url = f"{simulator.mclimate_api_url}/users/me"
    headers = {"Authorization": f"Bearer {token}"}
    async with session.get(url, headers=headers) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        assert set((await resp.json())["users"]) == fields


async def test_malformed_answers_do_not_decode(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    simulator.faults.add("malformed", "GET /v1/users/me", times=1)
    simulator.faults.add("drop_fields", "GET /v1/users/me", fields=("users",), times=1)
    headers = {"Authorization": f"Bearer {token}"}
    async with session.get(f"{simulator.mclimate_api_url}/users/me", headers=headers) as resp:
        assert resp.status == 200
        text = await resp.text()
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        json.loads(text)


async def test_damage_spares_what_is_not_json_or_has_no_body(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    simulator.faults.add("drop_fields", "* /oauth/authorize", fields=("html",))
    params = {
        "response_type": "code",
        "client_id": scenario.client_id,
        "redirect_uri": "https://example.com/cb",
    }
    async with session.get(simulator.mclimate_authorize_url, params=params) as resp:
        assert resp.status == 200
        assert "<form" in await resp.text()
    form = {**params, "username": scenario.username, "password": scenario.password}
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 302  # a redirect has no body to damage
        assert resp.headers["Location"].startswith("https://example.com/cb?code=")


async def test_requests_are_recorded_before_faults_act(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.faults.add("status", "GET /nowhere", status=503, times=1)
    url = f"{simulator.url}/nowhere"
    async with session.get(url, params={"a": "1"}) as resp:
        assert resp.status == 503
    async with session.post(f"{simulator.mclimate_api_url}/users/me", json={"b": 2}) as resp:
        assert resp.status == 405
        assert resp.headers["Allow"] == "GET,HEAD"  # kept on the problem answer
    get, post = simulator.recorder
    assert (get.method, get.query, get.json, get.received_at) == ("GET", {"a": "1"}, None, START)
    assert (post.body, post.json) == (b'{"b": 2}', {"b": 2})
    assert simulator.recorder.matching("GET", "/nowhere") == [get]
    assert simulator.recorder.matching("post") == [post]
    assert len(simulator.recorder) == 2
    simulator.recorder.clear()
    assert list(simulator.recorder) == []


# -- rate limit ---------------------------------------------------------------------------


def test_rate_limit_budget_per_client() -> None:
    clock = Clock(START, frozen=True)
    sim = Simulator(Scenario(rate_limit_requests=2, rate_limit_window=60), clock=clock)
    sim.check_rate_limit("a")
    sim.check_rate_limit("a")
    sim.check_rate_limit("b")
    with pytest.raises(ProblemError, match="Rate limit") as err:
        sim.check_rate_limit("a")
    assert (err.value.status, err.value.headers) == (429, {"Retry-After": "60"})
    clock.advance(61)
    sim.check_rate_limit("a")
    sim.check_rate_limit("a")
    sim.rate_limiter.reset()
    sim.check_rate_limit("a")
