"""The simulator's aiohttp application: both clouds behind one loopback port.

`Simulator` is the library entry point (tests start it on a free port); the
middleware records every request, lets the fired faults act around the
handlers (see `faults`), and turns errors into RFC 7807 problems. The clouds
only see it as a `CloudHost`.
"""

from __future__ import annotations

from http import HTTPStatus
import json
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from aiohttp.typedefs import Handler

from .clock import Clock
from .faults import FaultPlan, answer_before, damage
from .homesmartlink import HomeSmartLinkCloud
from .mclimate import MClimateCloud
from .problems import ProblemError, problem
from .ratelimit import RateLimiter
from .recorder import RecordedRequest, Recorder
from .scenario import Scenario


class Simulator:
    """Both simulated clouds, their state, the clock, the fault plan and the request log."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        faults: FaultPlan | None = None,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Build the state from the scenario; nothing listens until `start`."""
        self.scenario = scenario or Scenario()
        self.faults = faults or FaultPlan.from_list(self.scenario.faults, seed=self.scenario.seed)
        self.clock = clock or Clock()
        self.recorder = Recorder()
        self.rate_limiter = RateLimiter(
            self.clock, self.scenario.rate_limit_requests, self.scenario.rate_limit_window
        )
        self.host = host
        self.port = port
        self.homesmartlink = HomeSmartLinkCloud(self)
        self.mclimate = MClimateCloud(self)
        self.app = self._make_app()
        self._runner: web.AppRunner | None = None

    # -- addresses -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """Root URL of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def homesmartlink_url(self) -> str:
        """Home SmartLink partner API base URL (endpoints live under /partners/1/)."""
        return self.url

    @property
    def mclimate_api_url(self) -> str:
        """MClimate API root (endpoints such as /controllers live under it)."""
        return f"{self.url}/v1"

    @property
    def mclimate_authorize_url(self) -> str:
        """MClimate authorization page (the real one is auth.seemelissa.com/)."""
        return f"{self.url}/oauth/authorize"

    @property
    def mclimate_token_url(self) -> str:
        """MClimate token endpoint."""
        return f"{self.url}/v1/token"

    # -- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one, then `port` holds it)."""
        # Cancel handlers still hanging in a timeout fault when the simulator stops.
        runner = web.AppRunner(
            self.app, access_log=None, shutdown_timeout=0.1, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        for address in runner.addresses:
            self.port = address[1]
            break

    async def stop(self) -> None:
        """Stop listening and drop open connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start on entering an `async with`."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving an `async with`."""
        await self.stop()

    # -- helpers for the clouds ----------------------------------------------------

    def check_rate_limit(self, client_key: str) -> None:
        """Raise a 429 problem when this client spent its request budget."""
        retry_after = self.rate_limiter.hit(client_key)
        if retry_after is not None:
            raise ProblemError(
                429,
                "Rate limit exceeded",
                headers={"Retry-After": str(retry_after)},
            )

    # -- application ---------------------------------------------------------------

    def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.add_routes(self.homesmartlink.routes())
        app.add_routes(self.mclimate.routes())
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        self.recorder.record(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers=dict(request.headers),
                body=body,
                json=_decode(body),
                received_at=self.clock.now(),
            )
        )
        fired = self.faults.pick(request.method, request.path)
        answer = await answer_before(fired)
        if answer is not None:
            return answer
        try:
            response = await handler(request)
        except ProblemError as err:
            return err.response()
        except web.HTTPException as err:
            if err.status < HTTPStatus.BAD_REQUEST:
                raise
            keep = {k: v for k, v in err.headers.items() if k.lower() in ("allow", "retry-after")}
            return problem(err.status, err.reason, headers=keep)
        return damage(response, fired)


def _decode(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
