"""The JSON-over-HTTP core both clients share: error mapping and odd answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartlink_mclimate.clients import (
    CloudRequestError,
    CloudResponseError,
    JsonHttpClient,
)
from custom_components.smartlink_mclimate.clients.http import parse_retry_after
from simulator import Simulator


@pytest.fixture
async def odd_server(socket_enabled: None) -> AsyncIterator[str]:
    """A server answering the shapes the clouds should not send."""

    async def empty(request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def text_error(request: web.Request) -> web.Response:
        return web.Response(status=418, text="<html>teapot</html>")

    async def list_error(request: web.Request) -> web.Response:
        return web.json_response([1, 2], status=422)

    async def not_json(request: web.Request) -> web.Response:
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_get("/not-json", not_json)
    app.router.add_get("/empty", empty)
    app.router.add_get("/text-error", text_error)
    app.router.add_get("/list-error", list_error)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_empty_answer_is_none(odd_server: str, session: aiohttp.ClientSession) -> None:
    client = JsonHttpClient(session, f"{odd_server}/")
    assert await client._request("GET", "/empty") is None
    assert repr(client) == f"JsonHttpClient(base_url='{odd_server}')"


@pytest.mark.parametrize("path", ["/text-error", "/list-error"])
async def test_error_without_problem_body(
    odd_server: str, session: aiohttp.ClientSession, path: str
) -> None:
    client = JsonHttpClient(session, odd_server)
    with pytest.raises(CloudRequestError) as err:
        await client._request("GET", path)
    assert err.value.detail == ""
    assert str(err.value).startswith(f"GET {path}: HTTP ")


async def test_unknown_route_is_a_request_error_with_detail(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = JsonHttpClient(session, simulator.url)
    with pytest.raises(CloudRequestError) as err:
        await client._request("GET", "/nowhere", authenticated=False)
    assert (err.value.status, err.value.detail) == (404, "Not Found")


async def test_absolute_url_and_undecodable_body(
    odd_server: str, session: aiohttp.ClientSession
) -> None:
    client = JsonHttpClient(session, "http://unused.invalid")
    with pytest.raises(CloudResponseError, match="not valid JSON"):
        await client._request("GET", f"{odd_server}/not-json")


def test_retry_after_forms() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after(" 30 ") == 30.0
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("soon") is None
    later = datetime.now(UTC) + timedelta(seconds=120)
    assert 100 < (parse_retry_after(format_datetime(later, usegmt=True)) or 0) <= 120
    naive = format_datetime(later.replace(tzinfo=None))
    assert 100 < (parse_retry_after(naive) or 0) <= 120
    earlier = datetime.now(UTC) - timedelta(hours=1)
    assert parse_retry_after(format_datetime(earlier, usegmt=True)) == 0.0
