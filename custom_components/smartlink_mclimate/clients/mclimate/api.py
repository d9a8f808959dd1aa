"""Async client of the MClimate API: one method per documented endpoint.

The token is a string or an async callable returning one, so Home Assistant's
OAuth2 session can hand a fresh token to every request. Commands are checked
locally before anything is sent: a value the document rules out raises
`ValueError` and no request leaves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from enum import IntEnum
from http import HTTPStatus
from typing import Any, Final, Literal, overload
from urllib.parse import parse_qs, quote, urlsplit

import aiohttp

from ..errors import CloudRequestError, CloudResponseError
from ..http import DEFAULT_TIMEOUT, JsonHttpClient
from .models import (
    PROVIDER_MODELS,
    BobbieData,
    Controller,
    ControllerType,
    IrCommand,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaState,
    ProviderData,
    SmartPlugData,
    User,
    VickiData,
)

DEFAULT_API_URL: Final = "https://developer-api.seemelissa.com/v1"
SEND_PATH: Final = "/provider/send"  # documented; the curl samples use /providers/send
FETCH_PATH: Final = "/provider/fetch"
MAX_PAGES: Final = 100  # 3000 controllers at the default 30 a page: more is a broken answer
IR_TEMP_RANGE: Final = (16, 30)
VICKI_RANGE: Final = (5, 30)

type TokenSource = str | Callable[[], Awaitable[str]]


class ControllerOfflineError(CloudRequestError):
    """The cloud cannot reach this controller; other devices are fine.

    The document names no status for this; the simulator answers 409 Conflict
    "Controller offline", and this client maps any 409 from a provider call here.
    """


class MClimateClient(JsonHttpClient):
    """The MClimate API for one signed-in household."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: TokenSource,
        *,
        base_url: str = DEFAULT_API_URL,
        request_timeout: float = DEFAULT_TIMEOUT,
        send_path: str = SEND_PATH,
    ) -> None:
        """Use the caller's session; `token` is a string or an async callable returning one."""
        super().__init__(session, base_url, request_timeout=request_timeout)
        self._token = token
        self.send_path = send_path

    async def _auth_headers(self) -> dict[str, str]:
        """Bearer header, asking the callable for a (possibly refreshed) token each time."""
        token = self._token if isinstance(self._token, str) else await self._token()
        return {"Authorization": f"Bearer {token}"}

    # -- account and controllers -------------------------------------------------------

    async def get_user(self) -> User:
        """The signed-in account (GET /users/me)."""
        body = await self._request("GET", "/users/me")
        return User.from_dict(_member(body, "users", "GET /users/me"))

    async def get_controllers(self, **filters: str | int | bool) -> list[Controller]:
        """Every controller of the user, reading all pages; filters are field=value pairs.

        The page count comes from the `last` link of the first page (no `next`
        link is documented). A controller seen twice, because the list changed
        between pages, is kept once, with its latest data.
        """
        if "page" in filters:
            raise ValueError("get_controllers reads every page itself: do not pass page")
        params = {name: _query_value(value) for name, value in filters.items()}
        body = await self._request("GET", "/controllers", params=params or None)
        controllers, last = _read_page(body)
        if last > MAX_PAGES:
            raise CloudResponseError(f"GET /controllers: {last} pages is more than {MAX_PAGES}")
        for page in range(2, last + 1):
            body = await self._request("GET", "/controllers", params={**params, "page": page})
            more, _ = _read_page(body)
            if not more:
                break
            controllers.extend(more)
        # First position, latest copy: a dict keeps where a key was first inserted.
        return list({c.serial_number: c for c in controllers}.values())

    async def get_controller(self, serial_number: str) -> Controller:
        """One controller with its `_relation` and last IR command."""
        path = f"/controllers/{quote(serial_number, safe='')}"
        body = await self._request("GET", path)
        return Controller.from_dict(_member(body, "controller", f"GET {path}"))

    # -- sensor data ---------------------------------------------------------------------

    @overload
    async def fetch(
        self, serial_number: str, device_type: Literal[ControllerType.MELISSA, "melissa"]
    ) -> MelissaData: ...
    @overload
    async def fetch(
        self, serial_number: str, device_type: Literal[ControllerType.BOBBIE, "bobbie"]
    ) -> BobbieData: ...
    @overload
    async def fetch(
        self, serial_number: str, device_type: Literal[ControllerType.VICKI, "vicki"]
    ) -> VickiData: ...
    @overload
    async def fetch(
        self, serial_number: str, device_type: Literal[ControllerType.SMART_PLUG, "smart_plug"]
    ) -> SmartPlugData: ...
    @overload
    async def fetch(self, serial_number: str, device_type: str) -> ProviderData: ...
    async def fetch(self, serial_number: str, device_type: str) -> ProviderData:
        """Sensor data of one controller, read as its type documents it."""
        model = PROVIDER_MODELS[ControllerType(device_type)]
        provider = await self._provider(FETCH_PATH, {"serial_number": serial_number})
        return model.from_dict(provider)

    async def fetch_melissa(self, serial_number: str) -> MelissaData:
        """Temperature and humidity seen by a Melissa."""
        return await self.fetch(serial_number, ControllerType.MELISSA)

    async def fetch_bobbie(self, serial_number: str) -> BobbieData:
        """Temperatures, energy and relay of a Bobbie."""
        return await self.fetch(serial_number, ControllerType.BOBBIE)

    async def fetch_vicki(self, serial_number: str) -> VickiData:
        """Target, temperature, motor and battery of a Vicki."""
        return await self.fetch(serial_number, ControllerType.VICKI)

    async def fetch_smart_plug(self, serial_number: str) -> SmartPlugData:
        """Relay state of a smart plug."""
        return await self.fetch(serial_number, ControllerType.SMART_PLUG)

    # -- commands ------------------------------------------------------------------------

    async def send_ir_code(
        self,
        serial_number: str,
        *,
        state: MelissaState | int,
        mode: MelissaMode | int,
        temp: int,
        fan: MelissaFan | int,
    ) -> IrCommand:
        """Send one IR command (documented flat form); return what was sent.

        IR has no feedback: the caller keeps the returned command as the assumed state.
        """
        command = IrCommand(
            state=_enum(MelissaState, state, "state"),
            mode=_enum(MelissaMode, mode, "mode"),
            temp=_in_range(temp, "temp", IR_TEMP_RANGE),
            fan=_enum(MelissaFan, fan, "fan"),
        )
        await self._send(
            serial_number,
            "send_ir_code",
            state=int(command.state),
            mode=int(command.mode),
            temp=command.temp,
            fan=int(command.fan),
        )
        return command

    async def turn_led_off(self, serial_number: str) -> None:
        """Turn a Melissa's LED off."""
        await self._send(serial_number, "turn_led_off")

    async def turn_led_on(self, serial_number: str) -> None:
        """Turn a Melissa's LED back on (the API calls it reset_color)."""
        await self._send(serial_number, "reset_color")

    async def switch(self, serial_number: str, on: bool) -> BobbieData | SmartPlugData | None:
        """Switch a Bobbie or smart plug relay; return the new data when the cloud sends it."""
        provider = await self._send(serial_number, "switch_on_off", state="on" if on else "off")
        if isinstance(provider, Mapping) and "relay_state" in provider:
            return BobbieData.from_dict(provider)
        if isinstance(provider, Mapping) and "power" in provider:
            return SmartPlugData.from_dict(provider)
        return None

    async def set_motor_position(self, serial_number: str, position: int) -> VickiData | None:
        """Set a Vicki's target (5-30, shown on its display); return its new data if sent."""
        value = _in_range(position, "position", VICKI_RANGE)
        provider = await self._send(serial_number, "set_motor_position", position=value)
        if isinstance(provider, Mapping) and "displayDigits" in provider:
            return VickiData.from_dict(provider)
        return None

    # -- helpers -------------------------------------------------------------------------

    async def _send(self, serial_number: str, command: str, **fields: Any) -> Any:
        body = {"serial_number": serial_number, "command": command, **fields}
        return await self._provider(self.send_path, body)

    async def _provider(self, path: str, body: dict[str, Any]) -> Any:
        """POST to a provider endpoint and return its `provider` member."""
        try:
            answer = await self._request("POST", path, json_body=body)
        except CloudRequestError as err:
            if err.status == HTTPStatus.CONFLICT:
                raise ControllerOfflineError(str(err), err.status, err.detail) from err
            raise
        return _member(answer, "provider", f"POST {path}")


def _member(body: Any, key: str, where: str) -> Any:
    """The enveloped resource of a HAL answer."""
    if not isinstance(body, Mapping) or body.get(key) is None:
        raise CloudResponseError(f"{where}: the answer has no {key!r}")
    return body[key]


def _query_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_page(body: Any) -> tuple[list[Controller], int]:
    """The controllers of one collection page and the last page number it names."""
    if not isinstance(body, Mapping):
        raise CloudResponseError("GET /controllers: the answer is not an object")
    embedded = body.get("_embedded")
    if embedded is None:  # an empty collection answers the entity shape
        return [], 1
    if not isinstance(embedded, Mapping):
        raise CloudResponseError("GET /controllers: '_embedded' is not an object")
    if "controller" not in embedded:  # drifted: do not mistake it for "no controllers"
        raise CloudResponseError("GET /controllers: '_embedded' has no 'controller'")
    items = embedded["controller"] or []
    if isinstance(items, Mapping):
        items = [items]
    if not isinstance(items, list):
        raise CloudResponseError("GET /controllers: '_embedded.controller' is not a list")
    links = body.get("_links")
    last = links.get("last") if isinstance(links, Mapping) else None
    href = last.get("href") if isinstance(last, Mapping) else None
    return [Controller.from_dict(item) for item in items], _page_number(href)


def _page_number(href: Any) -> int:
    """The `page` of a link (1 when the link or its page is missing)."""
    if href is None:
        return 1
    if not isinstance(href, str):
        raise CloudResponseError("GET /controllers: the 'last' link is not a string")
    pages = parse_qs(urlsplit(href).query).get("page")
    if not pages:
        return 1
    try:
        return max(1, int(pages[-1]))
    except ValueError:
        raise CloudResponseError("GET /controllers: the 'last' link has no page number") from None


def _enum[E: IntEnum](kind: type[E], value: int, name: str) -> E:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer {kind.__name__}")
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(f"{m.value} ({m.name.lower()})" for m in kind)
        raise ValueError(f"{name} must be one of {allowed}, not {value}") from None


def _in_range(value: int, name: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return value
