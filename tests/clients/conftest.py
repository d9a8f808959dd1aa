"""Client test fixtures: a stand-in cloud answering exactly what a test tells it to."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.amber import AmberSnapshotExtension

from tests.clients.stand_in import StandIn


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Syrupy's own snapshots (in `__snapshots__/`), which name every model's class.

    Home Assistant's extension would flatten the dataclasses to plain dicts; the
    clients know nothing of Home Assistant, and neither do their snapshots.
    """
    return snapshot.use_extension(AmberSnapshotExtension)


@pytest.fixture
async def stand_in(socket_enabled: None) -> AsyncIterator[StandIn]:
    """A stand-in cloud on a free loopback port."""
    app = web.Application()
    server = TestServer(app, host="127.0.0.1")
    stand = StandIn("")
    app.router.add_route("*", "/{tail:.*}", stand.handle)
    await server.start_server()
    stand.url = str(server.make_url("")).rstrip("/")
    yield stand
    await server.close()
