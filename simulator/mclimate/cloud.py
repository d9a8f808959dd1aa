"""The MClimate API's routes, its state, and the helpers tests and the demo use."""

from __future__ import annotations

from typing import Any, Final

from aiohttp import web

from simulator.host import CloudHost
from simulator.problems import ProblemError
from simulator.scenario import MClimateScenario

from .commands import COMMANDS, require_online
from .hal import ENTITY_FIELDS, collection, project
from .oauth import OAuthServer
from .provider import provider_data
from .requests import fields_param, json_object, only_fields_param
from .state import TIME_FORMAT, SimController, VickiState
from .world import WorldBuilder

SEND_HREF: Final = "/v1/provider/send"
FETCH_HREF: Final = "/v1/provider/fetch"


class MClimateCloud:
    """Routes and state of the simulated MClimate cloud."""

    def __init__(self, host: CloudHost) -> None:
        """Build the user and controllers from the scenario and its seed."""
        self.host = host
        builder = WorldBuilder(self.config, host.scenario.seed, host.clock.timestamp())
        self.user = builder.user()
        self.controllers: dict[str, SimController] = builder.controllers(self.user.user_id)
        self.oauth = OAuthServer(host)

    @property
    def config(self) -> MClimateScenario:
        """The MClimate part of the scenario (read at each request)."""
        return self.host.scenario.mclimate

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes this cloud serves."""
        return [
            *self.oauth.routes(),
            web.get("/v1/users/me", self._users_me),
            web.get("/v1/controllers", self._controllers),
            web.get("/v1/controllers/{serial}", self._controller),
            web.get("/v1/controller/{serial}", self._controller),
            web.post("/v1/provider/fetch", self._fetch),
            web.post("/v1/provider/send", self._send),
            web.post("/v1/providers/send", self._send),
        ]

    # -- helpers for tests and the demo ----------------------------------------------

    def serials(self, type: str | None = None) -> list[str]:
        """Serial numbers in creation order, optionally of one controller type."""
        return [s for s, c in self.controllers.items() if type is None or c.type == type]

    def set_online(self, serial: str, online: bool) -> None:
        """Take a controller off the network or bring it back."""
        self.controllers[serial].online = online

    def set_vicki_flags(
        self, serial: str, *, open_window: bool | None = None, child_lock: bool | None = None
    ) -> None:
        """Open a window near a Vicki or lock its buttons (seen with `vicki_flags` only)."""
        device = self.controllers[serial].device
        if not isinstance(device, VickiState):
            raise TypeError(f"{serial} is not a Vicki")
        if open_window is not None:
            device.open_window = open_window
        if child_lock is not None:
            device.child_lock = child_lock

    def provider(self, serial: str) -> dict[str, Any]:
        """What /provider/fetch would answer now (ignoring `online`)."""
        now = self.host.clock.timestamp()
        return provider_data(self.controllers[serial], now, vicki_flags=self.config.vicki_flags)

    def issue_code(self, redirect_uri: str | None = None) -> str:
        """An authorization code, as if the user had just signed in."""
        return self.oauth.issue_code(redirect_uri)

    def issue_token(self, client_id: str | None = None) -> str:
        """A valid access token, as the token endpoint would issue it."""
        return self.oauth.issue_token(client_id)

    def issue_refresh_token(self, client_id: str | None = None) -> str:
        """A valid refresh token (the token endpoint takes it with `refresh_tokens` on)."""
        return self.oauth.issue_refresh_token(client_id)

    def revoke_tokens(self) -> None:
        """Revoke every issued token (the user removed the app's access)."""
        self.oauth.revoke_tokens()

    def expire_tokens(self) -> None:
        """Make every issued access token expire now."""
        self.oauth.expire_tokens()

    # -- resources ---------------------------------------------------------------------

    async def _users_me(self, request: web.Request) -> web.Response:
        self.oauth.authenticate(request)
        only_fields_param(request.query)
        names = fields_param(request.query, tuple(self.user.resource()))
        return web.json_response(
            {
                "users": project(self.user.resource(), names),
                "_links": {
                    "self": {"href": "/v1/users"},
                    "controller": {"href": "/v1/controller/{serial_number}", "templated": True},
                },
            }
        )

    async def _controllers(self, request: web.Request) -> web.Response:
        self.oauth.authenticate(request)
        items = [
            {**c.resource(), "_links": {"self": {"href": c.href()}}}
            for c in self.controllers.values()
        ]
        return web.json_response(collection(items, request.path, request.path_qs, request.query))

    async def _controller(self, request: web.Request) -> web.Response:
        self.oauth.authenticate(request)
        only_fields_param(request.query)
        names = fields_param(request.query, ENTITY_FIELDS)
        controller = self._find(request.match_info["serial"])
        return web.json_response(
            {
                "controller": project(controller.resource(), names),
                "_links": {"self": {"href": controller.href()}},
            }
        )

    def _find(self, serial: Any) -> SimController:
        if not isinstance(serial, str) or not serial:
            raise ProblemError(400, "serial_number is required")
        controller = self.controllers.get(serial)
        if controller is None:
            raise ProblemError(404, "Controller not found")
        return controller

    # -- provider ----------------------------------------------------------------------

    async def _fetch(self, request: web.Request) -> web.Response:
        self.oauth.authenticate(request)
        body = await json_object(request)
        controller = self._find(body.get("serial_number"))
        require_online(controller)
        return web.json_response(
            {
                "provider": self.provider(controller.serial_number),
                "_links": {"self": {"href": FETCH_HREF}},
            }
        )

    async def _send(self, request: web.Request) -> web.Response:
        self.oauth.authenticate(request)
        body = await json_object(request)
        controller = self._find(body.get("serial_number"))
        command = body.get("command")
        if not isinstance(command, str) or not command:
            raise ProblemError(400, "command is required")
        if command not in COMMANDS:
            raise ProblemError(400, f"Unknown command: {command}")
        types, handler = COMMANDS[command]
        if controller.type not in types:
            raise ProblemError(400, f"{command} is not a command of {controller.type} controllers")
        answer = handler(controller, body, self.host.clock.timestamp())
        controller.record(body, self.host.clock.now().strftime(TIME_FORMAT))
        provider = self.provider(controller.serial_number) if answer is None else answer
        return web.json_response({"provider": provider, "_links": {"self": {"href": SEND_HREF}}})
