"""Run the simulator: `python -m simulator --demo --port 8765`.

Options set the scenario (or read it from a JSON/YAML file, see
`simulator.scenario`) and the fault plan; the server runs until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
import signal
from typing import Any

from .faults import Fault, FaultPlan
from .scenario import Scenario
from .server import Simulator


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Local stand-in for the Home SmartLink partner API and the MClimate API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--scenario", type=Path, help="scenario file (JSON or YAML)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the demo world: two laid-out homes (every category and mode), four devices",
    )
    parser.add_argument("--seed", type=int, help="random seed of the world")
    world = parser.add_argument_group(
        "world (override the scenario; a Home SmartLink count replaces a layout)"
    )
    world.add_argument("--homes", type=int, help="generated Home SmartLink homes")
    world.add_argument("--rooms", type=int, help="rooms per generated home")
    world.add_argument("--heaters", type=int, help="heaters per generated room")
    world.add_argument(
        "--homes-without-gateway", type=int, metavar="N", help="the last N homes have no gateway"
    )
    world.add_argument(
        "--no-users-endpoint",
        dest="users_endpoint",
        action="store_false",
        default=None,
        help="GET /partners/1/users answers 404 (partner API before 0.3.3)",
    )
    world.add_argument("--melissa", type=int, help="Melissa AC controllers")
    world.add_argument("--bobbie", type=int, help="Bobbie water-heater relays")
    world.add_argument("--vicki", type=int, help="Vicki radiator valves")
    world.add_argument("--smart-plugs", type=int, help="smart plugs")
    world.add_argument(
        "--unknown-type",
        dest="unknown_types",
        action="append",
        metavar="TYPE",
        help="one more controller of an undocumented type (repeatable)",
    )
    inventions = parser.add_argument_group("inventions (beyond the MClimate document)")
    inventions.add_argument(
        "--refresh-tokens",
        action="store_true",
        default=None,
        help="issue refresh tokens and accept grant_type refresh_token",
    )
    inventions.add_argument(
        "--vicki-flags",
        action="store_true",
        default=None,
        help="Vicki fetch answers carry openWindow and childLock",
    )
    faults = parser.add_argument_group("faults")
    faults.add_argument(
        "--rate-limit", type=int, metavar="N", help="requests per client per minute before 429"
    )
    faults.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='one fault as JSON, e.g. {"kind": "status", "route": "POST /v1/*", "status": 503}',
    )
    faults.add_argument("--faults", type=Path, help="a JSON/YAML file holding a list of faults")
    return parser


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario the options describe."""
    if args.scenario:
        scenario = Scenario.from_file(args.scenario)
    elif args.demo:
        scenario = Scenario.demo()
    else:
        scenario = Scenario()
    generated: dict[str, Any] = {
        "homes": args.homes,
        "rooms_per_home": args.rooms,
        "heaters_per_room": args.heaters,
        "homes_without_gateway": args.homes_without_gateway,
    }
    overrides: dict[tuple[str, str], Any] = {
        **{("homesmartlink", name): value for name, value in generated.items()},
        ("homesmartlink", "users_endpoint"): args.users_endpoint,
        ("mclimate", "melissa"): args.melissa,
        ("mclimate", "bobbie"): args.bobbie,
        ("mclimate", "vicki"): args.vicki,
        ("mclimate", "smart_plug"): args.smart_plugs,
        ("mclimate", "unknown_types"): args.unknown_types,
        ("mclimate", "refresh_tokens"): args.refresh_tokens,
        ("mclimate", "vicki_flags"): args.vicki_flags,
    }
    for (section, name), value in overrides.items():
        if value is not None:
            setattr(getattr(scenario, section), name, value)
    if any(value is not None for value in generated.values()):
        scenario.homesmartlink.layout = []  # the counts describe the homes now
    if args.seed is not None:
        scenario.seed = args.seed
    if args.rate_limit is not None:
        scenario.rate_limit_requests = args.rate_limit
    if args.faults:
        scenario.faults.extend(_read_list(args.faults))
    scenario.faults.extend(json.loads(item) for item in args.fault)
    for item in scenario.faults:
        Fault.from_dict(item)  # refuse a bad plan before listening
    return Scenario.from_dict(scenario.as_dict())  # and run every check of the scenario


def _read_list(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml  # noqa: PLC0415 - only needed for YAML files

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a list of faults")
    return data


def describe(sim: Simulator) -> str:
    """What a developer needs to connect: URLs and the demo credentials."""
    hsl, mc = sim.scenario.homesmartlink, sim.scenario.mclimate
    return "\n".join(
        [
            f"Simulator listening on {sim.url}",
            f"  Home SmartLink base URL : {sim.homesmartlink_url}",
            f"    client id / secret    : {hsl.client_id} / {hsl.client_secret}",
            f"  MClimate API            : {sim.mclimate_api_url}",
            f"    authorize / token URL : {sim.mclimate_authorize_url} / {sim.mclimate_token_url}",
            f"    OAuth client id/secret: {mc.client_id} / {mc.client_secret}",
            f"    sign-in user/password : {mc.username} / {mc.password}",
        ]
    )


async def serve(sim: Simulator, stop: asyncio.Event) -> None:
    """Run until `stop` is set."""
    async with sim:
        print(describe(sim), flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m simulator`."""
    args = build_parser().parse_args(argv)
    scenario = scenario_from_args(args)
    sim = Simulator(
        scenario,
        faults=FaultPlan.from_list(scenario.faults, seed=scenario.seed),
        host=args.host,
        port=args.port,
    )

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve(sim, stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
