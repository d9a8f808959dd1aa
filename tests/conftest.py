"""Fixtures shared by every test: a simulated world on a real loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
import pytest

from simulator import Clock, Scenario, Simulator

# A Monday morning in November, Paris time 10:00.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

type StartSimulator = Callable[[Scenario], Awaitable[Simulator]]


@pytest.fixture
def scenario() -> Scenario:
    """The world the simulator builds; override in a module (or parametrize) to change it."""
    return Scenario()


@pytest.fixture
def clock() -> Clock:
    """A frozen clock: time moves only when a test says so."""
    return Clock(START, frozen=True)


@pytest.fixture
async def simulator(
    scenario: Scenario, clock: Clock, socket_enabled: None
) -> AsyncIterator[Simulator]:
    """Both clouds, listening on a free loopback port (sockets stay loopback-only)."""
    async with Simulator(scenario, clock=clock) as sim:
        yield sim


@pytest.fixture
async def start_simulator(clock: Clock, socket_enabled: None) -> AsyncIterator[StartSimulator]:
    """Start more simulators, each with its own scenario, on the shared clock.

    For a test that needs a second world next to `simulator`, or one world per
    table row; every simulator started is stopped at the end.
    """
    started: list[Simulator] = []

    async def start(scenario: Scenario) -> Simulator:
        sim = Simulator(scenario, clock=clock)
        await sim.start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        await sim.stop()


@pytest.fixture
def token(simulator: Simulator) -> str:
    """A valid MClimate access token, as if the user had signed in."""
    return simulator.mclimate.issue_token()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session for client tests (Home Assistant tests use its own)."""
    async with aiohttp.ClientSession() as http:
        yield http
