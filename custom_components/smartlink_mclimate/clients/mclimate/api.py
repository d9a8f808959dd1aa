"""Async client of the MClimate API: one method per documented endpoint.

The token is a string or an async callable returning one, so Home Assistant's
OAuth2 session can hand a fresh token to every request. Commands are checked
locally before anything is sent: a value the document rules out raises
`ValueError` and no request leaves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import IntEnum
from http import HTTPStatus
import logging
from typing import Any, Final, Literal, overload
from urllib.parse import quote

import aiohttp

from ..budget import RequestBudget
from ..errors import CloudRequestError, CloudResponseError
from ..http import JsonHttpClient
from .models import (
    PROVIDER_ANSWERS,
    BobbieAnswer,
    BobbieData,
    Controller,
    ControllerAnswer,
    ControllerPage,
    ControllerType,
    IrCommand,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaState,
    ProviderAnswer,
    ProviderData,
    SmartPlugAnswer,
    SmartPlugData,
    User,
    UserAnswer,
    VickiAnswer,
    VickiData,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_API_URL: Final = "https://developer-api.seemelissa.com/v1"
SEND_PATH: Final = "/provider/send"  # documented; the curl samples use /providers/send
FETCH_PATH: Final = "/provider/fetch"
MAX_PAGES: Final = 100  # 3000 controllers at the default 30 a page: more is a broken answer
IR_TEMP_RANGE: Final = (16, 30)
VICKI_RANGE: Final = (5, 30)

type TokenSource = str | Callable[[], Awaitable[str]]
type SwitchType = Literal[ControllerType.BOBBIE, "bobbie", ControllerType.SMART_PLUG, "smart_plug"]

_SWITCH_ANSWERS: Final[dict[ControllerType, type[BobbieAnswer | SmartPlugAnswer]]] = {
    ControllerType.BOBBIE: BobbieAnswer,
    ControllerType.SMART_PLUG: SmartPlugAnswer,
}


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
        budget: RequestBudget | None = None,
    ) -> None:
        """Use the caller's session; `token` is a string or an async callable returning one."""
        super().__init__(session, base_url, budget=budget)
        self._token = token

    async def _auth_headers(self) -> dict[str, str]:
        """Bearer header, asking the callable for a (possibly refreshed) token each time."""
        token = self._token if isinstance(self._token, str) else await self._token()
        return {"Authorization": f"Bearer {token}"}

    # -- account and controllers -------------------------------------------------------

    async def get_user(self) -> User:
        """The signed-in account (GET /users/me)."""
        return (await self._call("GET", "/users/me", UserAnswer)).users

    async def get_controllers(self, **filters: str | int | bool) -> list[Controller]:
        """Every controller of the user, reading all pages; filters are field=value pairs.

        The page count comes from the `last` link of the first page (no `next`
        link is documented). A controller seen twice, because the list changed
        between pages, is kept once, with its latest data.
        """
        if "page" in filters:
            raise ValueError("get_controllers reads every page itself: do not pass page")
        params = {name: _query_value(value) for name, value in filters.items()}
        first = await self._call("GET", "/controllers", ControllerPage, params=params or None)
        if first.last_page > MAX_PAGES:
            raise CloudResponseError(
                f"GET /controllers: {first.last_page} pages is more than {MAX_PAGES}"
            )
        controllers = list(first.controllers)
        for page in range(2, first.last_page + 1):
            more = await self._call(
                "GET", "/controllers", ControllerPage, params={**params, "page": page}
            )
            if not more.controllers:
                break
            controllers.extend(more.controllers)
        # First position, latest copy: a dict keeps where a key was first inserted.
        return list({c.serial_number: c for c in controllers}.values())

    async def get_controller(self, serial_number: str) -> Controller:
        """One controller with its `_relation` and `controller_log`."""
        path = f"/controllers/{quote(serial_number, safe='')}"
        return (await self._call("GET", path, ControllerAnswer)).controller

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
        answer = PROVIDER_ANSWERS[ControllerType(device_type)]
        data: ProviderData = (
            await self._provider(FETCH_PATH, answer, {"serial_number": serial_number})
        ).provider
        return data

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

    @overload
    async def switch(
        self,
        serial_number: str,
        device_type: Literal[ControllerType.BOBBIE, "bobbie"],
        on: bool,
    ) -> BobbieData | None: ...
    @overload
    async def switch(
        self,
        serial_number: str,
        device_type: Literal[ControllerType.SMART_PLUG, "smart_plug"],
        on: bool,
    ) -> SmartPlugData | None: ...
    async def switch(
        self, serial_number: str, device_type: SwitchType, on: bool
    ) -> BobbieData | SmartPlugData | None:
        """Switch the relay of a Bobbie or a smart plug; return its new data.

        The answer is read as the controller's type documents it; None when it
        carries no readable data (the switch happened all the same: fetch to know more).
        """
        kind = ControllerType(device_type)
        if kind not in _SWITCH_ANSWERS:
            raise ValueError(f"a {kind} has no relay to switch")
        body = {"state": "on" if on else "off"}
        answer = await self._command_answer(
            _SWITCH_ANSWERS[kind], serial_number, "switch_on_off", body
        )
        return answer.provider if answer is not None else None

    async def set_motor_position(self, serial_number: str, position: int) -> VickiData | None:
        """Set a Vicki's target (5-30, shown on its display); return its new data.

        None when the answer carries no readable Vicki data.
        """
        value = _in_range(position, "position", VICKI_RANGE)
        body = {"position": value}
        answer = await self._command_answer(VickiAnswer, serial_number, "set_motor_position", body)
        return answer.provider if answer is not None else None

    # -- helpers -------------------------------------------------------------------------

    async def _command_answer[A: ProviderAnswer[Any]](
        self, answer: type[A], serial_number: str, command: str, fields: dict[str, Any]
    ) -> A | None:
        """Send a command whose answer may carry the device's new data (None if unreadable)."""
        body = {"serial_number": serial_number, "command": command, **fields}
        try:
            return await self._provider(SEND_PATH, answer, body)
        except CloudResponseError as err:
            # The command was taken (HTTP 200); only its answer is unreadable.
            _LOGGER.debug("%s answered without readable data: %s", command, err)
            return None

    async def _send(self, serial_number: str, command: str, **fields: Any) -> None:
        """Send a command whose answer carries nothing to read (Melissa's byte codes)."""
        body = {"serial_number": serial_number, "command": command, **fields}
        await self._offline_aware(self._request("POST", SEND_PATH, json_body=body))

    async def _provider[A: ProviderAnswer[Any]](
        self, path: str, answer: type[A], body: dict[str, Any]
    ) -> A:
        """POST to a provider endpoint and read its answer."""
        return await self._offline_aware(self._call("POST", path, answer, json_body=body))

    @staticmethod
    async def _offline_aware[R](call: Awaitable[R]) -> R:
        """The call's result; a 409 from a provider endpoint means the controller is offline."""
        try:
            return await call
        except CloudRequestError as err:
            if err.status == HTTPStatus.CONFLICT:
                raise ControllerOfflineError(str(err), err.status, err.detail) from err
            raise


def _query_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
