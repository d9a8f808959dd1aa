"""Raw HTTP helpers for the simulator's own tests: one per cloud, no client code."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import pytest

from simulator import Simulator

CLIENT_ID = "demo-partner"
SECRET = "demo-partner-secret"

type Answer = tuple[int, Any, dict[str, str]]


def basic(client_id: str = CLIENT_ID, secret: str = SECRET, scheme: str = "Basic") -> str:
    """An Authorization header for the partner API."""
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return f"{scheme} {token}"


class Partner(Protocol):
    """Send one request to a partner API endpoint; get the status and decoded body."""

    async def __call__(
        self,
        method: str,
        endpoint: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        authorization: str | None = ...,
        raw: bytes | None = None,
        sim: Simulator | None = None,
    ) -> tuple[int, Any]:
        """`endpoint` is relative to /partners/1/; `sim` defaults to the `simulator` fixture."""


@pytest.fixture
def partner(simulator: Simulator, session: aiohttp.ClientSession) -> Partner:
    """Raw partner API calls; every error must be an RFC 7807 problem."""

    async def send(
        method: str,
        endpoint: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        authorization: str | None = basic(),
        raw: bytes | None = None,
        sim: Simulator | None = None,
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if authorization is not None:
            headers["Authorization"] = authorization
        url = f"{(sim or simulator).url}/partners/1/{endpoint}"
        async with session.request(
            method,
            url,
            json=body if raw is None else None,
            data=raw,
            params=params,
            headers=headers,
        ) as resp:
            if resp.status >= 400:
                assert resp.content_type == "application/problem+json"
            return resp.status, await resp.json(content_type=None)

    return send


@dataclass
class MClimateApi:
    """Raw MClimate calls with one token; bodies decoded as JSON whatever their type."""

    simulator: Simulator
    session: aiohttp.ClientSession
    token: str | None

    async def call(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: Any = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> Answer:
        """One request to an absolute URL; `token` replaces the API's own."""
        all_headers = dict(headers or {})
        bearer = token or self.token
        if bearer is not None and "Authorization" not in all_headers:
            all_headers["Authorization"] = f"Bearer {bearer}"
        async with self.session.request(
            method,
            url,
            json=json,
            data=data,
            params=params,
            headers=all_headers,
            allow_redirects=False,
        ) as resp:
            return resp.status, await resp.json(content_type=None), dict(resp.headers)

    async def get(self, path: str, *, token: str | None = None, **params: str) -> Answer:
        """GET under /v1 with query parameters."""
        url = f"{self.simulator.mclimate_api_url}{path}"
        return await self.call("GET", url, params=params, token=token)

    async def post(self, path: str, body: Any) -> Answer:
        """POST a JSON body under /v1."""
        return await self.call("POST", f"{self.simulator.mclimate_api_url}{path}", json=body)

    async def fetch(self, serial: str) -> dict[str, Any]:
        """The `provider` member of a successful fetch."""
        status, body, _ = await self.post("/provider/fetch", {"serial_number": serial})
        assert status == 200, body
        return dict(body["provider"])

    async def send(self, body: dict[str, Any], path: str = "/provider/send") -> Answer:
        """POST a command."""
        return await self.post(path, body)

    async def controller(self, serial: str) -> dict[str, Any]:
        """The `controller` member of the entity answer."""
        status, body, _ = await self.get(f"/controllers/{serial}")
        assert status == 200, body
        return dict(body["controller"])


@pytest.fixture
def api(simulator: Simulator, session: aiohttp.ClientSession, token: str) -> MClimateApi:
    """MClimate calls with a valid token."""
    return MClimateApi(simulator, session, token)
