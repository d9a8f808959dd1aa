"""The benchmark's simulator, in its own process: both clouds plus a small control API.

Its own process keeps the simulator's CPU time, memory and event loop out of
what the benchmark measures in Home Assistant. The world is frozen in time
(so an idle poll reads exactly what the previous one read) and every cloud
request waits `--latency` seconds before it is answered. `/_bench/*` tells
the benchmark what it needs: credentials, counts of requests received, and
when each arrived.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
import contextlib
import json
import os
import signal
import sys
import time
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from simulator import Clock, Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario, MClimateScenario

CONTROL = "/_bench"
TYPES = ("melissa", "bobbie", "vicki", "smart_plug")


def scenario(homes: int, controllers: int, latency: float) -> Scenario:
    """N homes of 3 rooms x 2 heaters; M controllers of the four types, a tenth offline."""
    per_type = {kind: controllers // len(TYPES) for kind in TYPES}
    for kind in TYPES[: controllers % len(TYPES)]:
        per_type[kind] += 1
    faults = [
        {"kind": "latency", "route": route, "delay": latency}
        for route in ("* /partners/*", "* /v1/*")
    ]
    return Scenario(
        homesmartlink=HomeSmartLinkScenario(homes=homes, rooms_per_home=3, heaters_per_room=2),
        mclimate=MClimateScenario(**per_type, offline_devices=controllers // 10),
        faults=faults,
    )


class Control:
    """Arrival times (wall clock, comparable across processes) and the control routes."""

    def __init__(self, sim: Simulator) -> None:
        """Hook into the simulator before it listens."""
        self.sim = sim
        self.arrivals: list[tuple[str, float]] = []
        sim.app.middlewares.insert(0, self.middleware)
        sim.app.router.add_get(f"{CONTROL}/info", self.info)
        sim.app.router.add_get(f"{CONTROL}/requests", self.requests)
        sim.app.router.add_post(f"{CONTROL}/reset", self.reset)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Note when each cloud request arrived, before any simulated latency."""
        if not request.path.startswith(CONTROL):
            self.arrivals.append((f"{request.method} {request.path}", time.time()))
        return await handler(request)

    async def info(self, _request: web.Request) -> web.Response:
        """What Home Assistant needs to reach both accounts."""
        mc = self.sim.mclimate
        return web.json_response(
            {
                "home_ids": self.sim.homesmartlink.home_ids,
                "token": mc.issue_token(),
                "user_id": mc.user.user_id,
                "online": sum(c.online is not False for c in mc.controllers.values()),
                "controllers": len(mc.controllers),
            }
        )

    async def requests(self, _request: web.Request) -> web.Response:
        """Cloud requests since the last reset: counts by route, and arrival times."""
        counts = Counter(route for route, _ in self.arrivals)
        return web.json_response({"counts": counts, "arrivals": self.arrivals})

    async def reset(self, _request: web.Request) -> web.Response:
        """Forget the requests received so far."""
        self.arrivals.clear()
        return web.json_response({})


async def serve(args: argparse.Namespace) -> None:
    """Listen until SIGTERM; print the port on the first line."""
    world = scenario(args.homes, args.controllers, args.latency)
    sim = Simulator(world, clock=Clock(frozen=True), port=0)
    Control(sim)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with sim:
        print(json.dumps({"url": sim.url, **_credentials(world)}), flush=True)
        await stop.wait()


def _credentials(world: Scenario) -> dict[str, Any]:
    hsl, mc = world.homesmartlink, world.mclimate
    return {
        "hsl_client_id": hsl.client_id,
        "hsl_client_secret": hsl.client_secret,
        "mc_client_id": mc.client_id,
        "mc_client_secret": mc.client_secret,
    }


def main() -> None:
    """Entry point: `python scripts/bench_sim.py --homes 10 --controllers 5 --latency 0.1`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--homes", type=int, required=True)
    parser.add_argument("--controllers", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.1)
    # In life the clouds run elsewhere: behind Home Assistant for the CPU, the
    # simulator's own work is less often counted as Home Assistant's stalls.
    os.nice(10)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
