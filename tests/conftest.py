"""Fixtures shared by every test: a simulated world on a real loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from simulator import Clock, Scenario, Simulator

# A Monday morning in November, Paris time 10:00.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def scenario() -> Scenario:
    """The world the simulator builds; override in a module to change it."""
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
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session for client tests (Home Assistant tests use its own)."""
    async with aiohttp.ClientSession() as http:
        yield http
