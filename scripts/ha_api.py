"""A small client of Home Assistant's own HTTP and websocket APIs (onboarding, flows, registries).

The demo is set up the way a person or the frontend would do it, through the public
APIs only: nothing here writes Home Assistant's private storage.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, field
import itertools
from typing import Any, Self

import aiohttp

JsonObject = dict[str, Any]


class HomeAssistantApiError(Exception):
    """Home Assistant refused a request."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """The message, and the HTTP status when there was one."""
        super().__init__(message)
        self.status = status


class LoginRefusedError(HomeAssistantApiError):
    """The username or password was refused."""


async def poll(check: Callable[[], Awaitable[bool]], seconds: float, failure: str) -> None:
    """Ask `check` again until it says yes (another process changes state: no event here)."""
    try:
        async with asyncio.timeout(seconds):
            while not await check():  # noqa: ASYNC110 - polling another process
                await asyncio.sleep(0.5)
    except TimeoutError as err:
        raise HomeAssistantApiError(f"{failure} (after {seconds:.0f} s)") from err


@dataclass
class HomeAssistantApi:
    """REST and websocket calls of one signed-in user."""

    session: aiohttp.ClientSession
    base_url: str
    access_token: str = ""
    _ws: aiohttp.ClientWebSocketResponse | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def client_id(self) -> str:
        """The OAuth client id Home Assistant's frontend uses: the base URL."""
        return f"{self.base_url}/"

    # -- REST --------------------------------------------------------------------------

    async def request(self, method: str, path: str, *, json: Any = None, auth: bool = True) -> Any:
        """Call a REST endpoint and return its JSON answer."""
        # The frontend names its own address: OAuth2 flows build their redirect URI from it.
        headers = {"HA-Frontend-Base": self.base_url}
        if auth:
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self.session.request(
            method, f"{self.base_url}{path}", json=json, headers=headers
        ) as response:
            if response.status >= 400:  # noqa: PLR2004 - HTTP error statuses
                text = await response.text()
                raise HomeAssistantApiError(
                    f"{method} {path}: {response.status} {text}", response.status
                )
            if response.content_type == "application/json":
                return await response.json()
            return await response.text()

    async def login(self, username: str, password: str) -> None:
        """Sign in through the login flow the frontend uses and keep the access token."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
            auth=False,
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={"client_id": self.client_id, "username": username, "password": password},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise LoginRefusedError(f"login refused: {result.get('errors')}")
        await self.exchange_code(result["result"])

    async def exchange_code(self, code: str) -> None:
        """Trade an authorization code for an access token."""
        async with self.session.post(
            f"{self.base_url}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        ) as response:
            if response.status != 200:  # noqa: PLR2004 - HTTP OK
                raise HomeAssistantApiError(f"token: {response.status} {await response.text()}")
            self.access_token = (await response.json())["access_token"]

    # -- websocket ---------------------------------------------------------------------

    async def command(self, command: str, **payload: Any) -> Any:
        """Send one websocket command and return its result."""
        async with self._lock:
            ws = await self._websocket()
            message_id = next(self._ids)
            await ws.send_json({"id": message_id, "type": command, **payload})
            while True:
                answer = await ws.receive_json()
                if answer.get("id") == message_id and answer.get("type") == "result":
                    break
        if not answer["success"]:
            raise HomeAssistantApiError(f"{command}: {answer['error']}")
        return answer["result"]

    async def _websocket(self) -> aiohttp.ClientWebSocketResponse:
        if self._ws is not None and not self._ws.closed:
            return self._ws
        ws = await self.session.ws_connect(f"{self.base_url}/api/websocket")
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": self.access_token})
        answer = await ws.receive_json()
        if answer.get("type") != "auth_ok":
            await ws.close()
            raise HomeAssistantApiError(f"websocket auth refused: {answer}")
        self._ws = ws
        return ws

    async def close(self) -> None:
        """Close the websocket (the HTTP session belongs to the caller)."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, base_url: str, access_token: str = "") -> AsyncIterator[Self]:
        """A client with its own HTTP session."""
        async with aiohttp.ClientSession() as session:
            api = cls(session, base_url.rstrip("/"), access_token)
            try:
                yield api
            finally:
                await api.close()

    # -- flows -------------------------------------------------------------------------

    async def flow(self, kind: str, flow_id: str, data: JsonObject | None = None) -> JsonObject:
        """Answer one step of a config or subentry flow (`kind`: "flow" or "subentries/flow")."""
        result: JsonObject = await self.request(
            "POST", f"/api/config/config_entries/{kind}/{flow_id}", json=data or {}
        )
        return result

    async def start_flow(self, kind: str, handler: Any) -> JsonObject:
        """Start a config flow (handler: a domain) or a subentry flow ([entry id, type])."""
        result: JsonObject = await self.request(
            "POST",
            f"/api/config/config_entries/{kind}",
            json={"handler": handler, "show_advanced_options": False},
        )
        return result

    async def delete_entry(self, entry_id: str) -> None:
        """Remove a config entry, as its "Delete" menu item does."""
        await self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")

    async def entries(self, domain: str | None = None) -> list[JsonObject]:
        """The config entries, of one domain or all."""
        query = f"?domain={domain}" if domain else ""
        result: list[JsonObject] = await self.request(
            "GET", f"/api/config/config_entries/entry{query}"
        )
        return result

    async def states(self) -> dict[str, JsonObject]:
        """Every entity's state, by entity id."""
        return {state["entity_id"]: state for state in await self.request("GET", "/api/states")}
