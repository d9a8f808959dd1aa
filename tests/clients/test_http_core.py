"""The request path both clients share: one error mapping, one way to read answers.

Every row runs against both clouds, through each client's public API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import socket
from typing import Any

import aiohttp
import pytest

from custom_components.smartlink_mclimate.clients import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
    JsonHttpClient,
)
from custom_components.smartlink_mclimate.clients.homesmartlink import HomeSmartLinkClient
from custom_components.smartlink_mclimate.clients.http import parse_retry_after
from custom_components.smartlink_mclimate.clients.mclimate import MClimateClient
from simulator import Scenario, Simulator
from tests.clients.stand_in import Answer, StandIn

SECRET = "demo-partner-secret"


@dataclass(frozen=True)
class Cloud:
    """One cloud as these tests use it: a client for a root URL, a cheap call and its route."""

    name: str
    client: Callable[[aiohttp.ClientSession, str, str], JsonHttpClient]
    call: Callable[[Any], Awaitable[Any]]
    method: str
    path: str  # as the client names it in errors
    prefix: str = ""  # what the server adds in front of it

    def simulated(self, simulator: Simulator, session: aiohttp.ClientSession) -> JsonHttpClient:
        """The client against the simulator, with valid credentials."""
        if self.name == "homesmartlink":
            return self.client(session, simulator.homesmartlink_url, SECRET)
        return self.client(session, simulator.url, simulator.mclimate.issue_token())

    @property
    def route(self) -> str:
        """The route as the simulator's fault plan names it."""
        return f"{self.method} {self.prefix}{self.path}"


CLOUDS = [
    Cloud(
        "homesmartlink",
        lambda session, url, secret: HomeSmartLinkClient(session, url, "demo-partner", secret),
        lambda client: client.get_users(),
        "GET",
        "/partners/1/users",
    ),
    Cloud(
        "mclimate",
        lambda session, url, token: MClimateClient(session, token, base_url=f"{url}/v1"),
        lambda client: client.get_user(),
        "GET",
        "/users/me",
        prefix="/v1",
    ),
]
each_cloud = pytest.mark.parametrize("cloud", CLOUDS, ids=[cloud.name for cloud in CLOUDS])


def assert_no_secret(error: CloudError, *secrets: str) -> None:
    for text in (str(error), repr(error)):
        for secret in (SECRET, *secrets):
            assert secret not in text


@each_cloud
@pytest.mark.parametrize(
    ("kind", "options", "error", "attributes"),
    [
        ("unauthorized", {}, CloudAuthenticationError, {"status": 401}),
        ("rate_limit", {"retry_after": 12}, CloudRateLimitedError, {"retry_after": 12}),
        ("status", {"status": 503}, CloudServerError, {"status": 503}),
        ("status", {"status": 418}, CloudRequestError, {"status": 418}),
        ("malformed", {}, CloudResponseError, {"status": None}),
    ],
)
async def test_faults_become_cloud_errors(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    cloud: Cloud,
    kind: str,
    options: dict[str, Any],
    error: type[CloudError],
    attributes: dict[str, Any],
) -> None:
    client = cloud.simulated(simulator, session)
    simulator.faults.add(kind, cloud.route, times=1, **options)  # type: ignore[arg-type]
    with pytest.raises(error) as err:
        await cloud.call(client)
    assert type(err.value) is error
    assert {name: getattr(err.value, name) for name in attributes} == attributes
    assert str(err.value).startswith(f"{cloud.method} {cloud.path}: ")
    assert_no_secret(err.value, simulator.recorder.requests[-1].headers["Authorization"])
    assert await cloud.call(client)  # the next request works again


@each_cloud
async def test_the_rate_limit_carries_the_clouds_wait(
    start_simulator: Callable[[Scenario], Awaitable[Simulator]],
    session: aiohttp.ClientSession,
    cloud: Cloud,
) -> None:
    simulator = await start_simulator(Scenario(rate_limit_requests=1))
    client = cloud.simulated(simulator, session)
    await cloud.call(client)
    with pytest.raises(CloudRateLimitedError) as err:
        await cloud.call(client)
    assert (err.value.retry_after, err.value.status) == (60, 429)


# The simulator keeps running the hung handler after the client gave up (aiohttp does
# not cancel handlers on disconnect by default); the test teardown cancels it.
@each_cloud
@pytest.mark.parametrize("expected_lingering_tasks", [True])
async def test_a_slow_cloud_times_out(
    simulator: Simulator, session: aiohttp.ClientSession, cloud: Cloud
) -> None:
    client = cloud.simulated(simulator, session)
    client.request_timeout = 0.2
    simulator.faults.add("timeout", cloud.route, delay=2, times=1)
    with pytest.raises(CloudTimeoutError, match=r"no answer within 0\.2 s"):
        await cloud.call(client)


@each_cloud
async def test_an_unreachable_cloud_is_a_connection_error(
    session: aiohttp.ClientSession, socket_enabled: None, cloud: Cloud
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CloudConnectionError) as err:
        await cloud.call(cloud.client(session, f"http://127.0.0.1:{port}", SECRET))
    assert not isinstance(err.value, CloudTimeoutError)
    assert_no_secret(err.value)


@each_cloud
@pytest.mark.parametrize(
    ("answer", "error", "detail", "message"),
    [
        (Answer(204), CloudResponseError, "", "the answer is empty"),
        (Answer(text="hello"), CloudResponseError, "", "the answer is not valid JSON"),
        (Answer(418, text="<html>teapot</html>"), CloudRequestError, "", "HTTP 418"),
        (Answer(422, [1, 2]), CloudRequestError, "", "HTTP 422"),
        (Answer(400, {"detail": 7}), CloudRequestError, "7", "HTTP 400 (7)"),
        (Answer(409, {"message": "busy"}), CloudRequestError, "busy", "HTTP 409 (busy)"),
        (Answer(500, {"detail": "x" * 400}), CloudServerError, "x" * 300, "HTTP 500"),
        (
            Answer(403, {"title": "Forbidden", "detail": {"why": "nested"}}),
            CloudAuthenticationError,
            "",  # a body that is not RFC 7807 is no explanation
            "HTTP 403",
        ),
    ],
)
async def test_odd_answers(
    stand_in: StandIn,
    session: aiohttp.ClientSession,
    cloud: Cloud,
    answer: Answer,
    error: type[CloudError],
    detail: str,
    message: str,
) -> None:
    stand_in.answer(cloud.method, f"{cloud.prefix}{cloud.path}", answer)
    with pytest.raises(error) as err:
        await cloud.call(cloud.client(session, stand_in.url, SECRET))
    assert err.value.detail == detail
    assert str(err.value).startswith(f"{cloud.method} {cloud.path}: {message}")


async def test_auth_errors_keep_only_their_text(
    stand_in: StandIn, session: aiohttp.ClientSession
) -> None:
    problem = {
        "status": "401",
        "title": "Unauthorized",
        "auth_errors": {"expired": "Token expired", "code": 42, "more": {"x": 1}, "flag": True},
    }
    stand_in.answer("GET", "/v1/users/me", Answer(401, problem))
    with pytest.raises(CloudAuthenticationError) as err:
        await MClimateClient(session, "t", base_url=f"{stand_in.url}/v1").get_user()
    assert dict(err.value.auth_errors) == {"expired": "Token expired", "code": "42"}
    stand_in.answer("GET", "/v1/users/me", Answer(401, problem | {"auth_errors": ["x"]}))
    with pytest.raises(CloudAuthenticationError) as err:
        await MClimateClient(session, "t", base_url=f"{stand_in.url}/v1").get_user()
    assert (err.value.detail, dict(err.value.auth_errors)) == ("Unauthorized", {})


async def test_unknown_route_of_the_simulator_has_a_detail(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    client = MClimateClient(session, "t", base_url=f"{simulator.url}/nowhere")
    with pytest.raises(CloudRequestError) as err:
        await client.get_user()
    assert (err.value.status, err.value.detail) == (404, "Not Found")


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


def test_errors_without_an_answer_carry_no_detail() -> None:
    error = CloudConnectionError("GET /x: ClientOSError")
    assert (error.status, error.detail, dict(error.auth_errors)) == (None, "", {})
