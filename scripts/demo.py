"""The demo a newcomer runs: the simulator and a set-up Home Assistant, on loopback.

Run by scripts/develop (`.venv/bin/python -m scripts.demo`). On the first start of a
configuration folder it onboards Home Assistant through its own API (printed demo
credentials), confirms the HTTP settings Home Assistant puts on trial (loopback and the
port, so no dialog and no restart five minutes later), removes what onboarding adds and
the demo cannot use offline, then adds both accounts against the simulator and lays the
devices out in areas. `--fresh` starts again with no account. Options this script does not
know go to the simulator (`python -m simulator --help`). Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
import contextlib
import ctypes
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import IO

import aiohttp

from scripts import demo_accounts, demo_layout, demo_setup
from scripts.demo_accounts import DemoClouds
from scripts.demo_setup import DemoUser
from scripts.ha_api import HomeAssistantApi, LoginRefusedError
from simulator.__main__ import build_parser as simulator_parser, scenario_from_args
from simulator.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8123
DEFAULT_SIMULATOR_PORT = 8765
RESTART_EXIT_CODE = 100  # how `hass` says "start me again"
# What a configuration folder keeps when it starts over: the rest is runtime state.
KEEP = frozenset({"configuration.yaml", "custom_components"})
# The HTTP settings for Home Assistant's first start (see config/configuration.yaml).
FIRST_START_HTTP = Path("packages") / "first_start_http.yaml"
STARTUP_TIMEOUT = 300.0


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The demo's options, and the rest (for the simulator)."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="The simulator and Home Assistant with this integration, on loopback.",
        epilog="Other options go to the simulator, e.g. --homes 10 --rate-limit 100.",
    )
    start = parser.add_mutually_exclusive_group()
    start.add_argument(
        "--fresh", action="store_true", help="start over: onboarded, but no account added"
    )
    start.add_argument("--reset", action="store_true", help="start over with the full demo")
    parser.add_argument(
        "--port", type=int, help=f"Home Assistant's port (default {DEFAULT_PORT}, or as stored)"
    )
    parser.add_argument("--simulator-port", type=int, default=DEFAULT_SIMULATOR_PORT)
    parser.add_argument(
        "--simulator", metavar="URL", help="use a simulator already running (demo world) at URL"
    )
    parser.add_argument("--config", type=Path, default=ROOT / "config", help="configuration folder")
    args, rest = parser.parse_known_args(argv)
    if args.simulator and rest:
        parser.error(f"simulator options {rest} need the simulator this script starts")
    return args, rest


# -- processes -----------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child: receive SIGTERM if the launcher dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """A process of the demo, in its own session: only the launcher decides when it stops."""

    name: str
    command: list[str]
    output: Path | None = None
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it, its output going to its log file (or nowhere)."""
        stream: IO[bytes] | int = subprocess.DEVNULL
        if self.output is not None:
            stream = self.output.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            self.command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - nothing else runs in threads yet
        )
        if not isinstance(stream, int):
            stream.close()

    def exit_code(self) -> int | None:
        """Its exit code, or None while it runs."""
        return None if self.process is None else self.process.poll()

    def wait(self, timeout: float | None = None) -> int:
        """Wait for it to end (at once if it never started)."""
        return 0 if self.process is None else self.process.wait(timeout)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM, then SIGKILL if it lingers; wait until it is gone."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _stop_on_signals() -> None:
    """Ctrl-C, SIGTERM and SIGHUP (terminal closed) stop the demo.

    SIGINT too: a shell starting us in the background leaves it ignored.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def _wait_for_port(child: Child, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 1):
            return
        if child.exit_code() is not None:
            raise SystemExit(f"develop: the {child.name} exited (see its log)")
        if time.monotonic() > deadline:
            raise SystemExit(f"develop: the {child.name} does not answer on port {port}")
        time.sleep(0.2)


# -- the configuration folder ----------------------------------------------------------


def prepare_config(config: Path, *, wipe: bool, port: int) -> None:
    """The configuration folder: our YAML, the integration linked in, first-start HTTP."""
    config.mkdir(parents=True, exist_ok=True)
    if wipe:
        print(f"develop: starting over in {config} (its runtime state is erased)", flush=True)
        for item in config.iterdir():
            if item.name not in KEEP:
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item)
                else:
                    item.unlink()
    yaml = config / "configuration.yaml"
    if not yaml.exists():
        shutil.copyfile(ROOT / "config" / "configuration.yaml", yaml)
    # Home Assistant finds custom integrations in <config>/custom_components.
    link = config / "custom_components" / "smartlink_mclimate"
    link.parent.mkdir(exist_ok=True)
    target = os.path.relpath(ROOT / "custom_components" / "smartlink_mclimate", link.parent)
    if not link.is_symlink() or os.readlink(link) != target:
        link.unlink(missing_ok=True)
        link.symlink_to(target)
    package = config / FIRST_START_HTTP
    if stored_http(config) is None:
        # Home Assistant reads http: from YAML once, into its storage, on trial: loopback
        # from the very first second (no window where it listens on every interface).
        package.parent.mkdir(exist_ok=True)
        package.write_text(
            "# Written by scripts/develop for Home Assistant's first start only.\n"
            f"http:\n  server_host: {LOOPBACK}\n  server_port: {port}\n",
            encoding="utf-8",
        )
    else:
        package.unlink(missing_ok=True)  # stored already: YAML would only raise a repair


def stored_http(config: Path) -> tuple[str | None, int] | None:
    """The (host, port) Home Assistant's HTTP storage will apply, if it exists."""
    path = config / ".storage" / "http"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    slot = data["pending"] if data["pending"] and not data["pending"]["error"] else data["stable"]
    hosts = slot.get("server_host") or [None]
    return hosts[0], int(slot["server_port"])


# -- the demo ------------------------------------------------------------------------


@dataclass
class Demo:
    """The running demo: its processes, where they answer, and how to set it up."""

    args: argparse.Namespace
    config: Path
    clouds: DemoClouds
    hass: Child
    simulator: Child | None
    port: int  # where Home Assistant listens now
    wanted_port: int
    user: DemoUser

    @property
    def url(self) -> str:
        """Home Assistant's address."""
        return f"http://{LOOPBACK}:{self.port}"

    def start_hass(self) -> None:
        """Start Home Assistant and wait until it answers HTTP."""
        self.hass.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _answers(f"{self.url}/manifest.json"):
            if (code := self.hass.exit_code()) is not None:
                raise SystemExit(f"develop: Home Assistant exited ({code}); see {self.log}")
            if time.monotonic() > deadline:
                raise SystemExit(f"develop: Home Assistant did not start; see {self.log}")
            time.sleep(0.5)

    def restart_hass(self) -> None:
        """Wait for Home Assistant to exit for a restart, and start it again."""
        code = self.hass.wait(STARTUP_TIMEOUT)
        if code != RESTART_EXIT_CODE:
            raise SystemExit(f"develop: Home Assistant exited ({code}); see {self.log}")
        self.start_hass()

    @property
    def log(self) -> Path:
        """Home Assistant's log file."""
        return self.config / "home-assistant.log"

    async def set_up(self) -> bool:
        """Everything the API can do now; True when Home Assistant is restarting for more."""
        async with HomeAssistantApi.connect(self.url) as api:
            try:
                first_start = await demo_setup.onboard(api, self.user)
            except LoginRefusedError:
                print(
                    f"develop: cannot sign in as {self.user.username!r}: this configuration "
                    "has another owner; `scripts/develop --reset` starts a new demo",
                    flush=True,
                )
                return False
            await demo_setup.wait_until_running(api)
            await demo_setup.confirm_http(api)
            (self.config / FIRST_START_HTTP).unlink(missing_ok=True)
            if await demo_setup.change_http(api, LOOPBACK, self.wanted_port):
                self.port = self.wanted_port  # it restarts by itself onto the new settings
                return True
            if first_start:
                await demo_setup.remove_onboarding_integrations(api)
                if not self.args.fresh:
                    await self._add_accounts(api)
            else:
                await demo_accounts.sign_in_again(api, self.clouds)
            if await demo_setup.asks_for_restart(api):
                await demo_setup.restart(api)
                return True
            return False

    async def _add_accounts(self, api: HomeAssistantApi) -> None:
        hsl = await demo_accounts.add_homesmartlink(api, self.clouds)
        mclimate = await demo_accounts.add_mclimate(api, self.clouds)
        await demo_layout.wait_for_devices(api, hsl, mclimate, self.clouds.mclimate_devices)
        await demo_layout.lay_out(api, hsl, mclimate)

    def stop(self) -> None:
        """Stop Home Assistant, then the simulator."""
        self.hass.stop()
        if self.simulator is not None:
            self.simulator.stop()


def _answers(url: str) -> bool:
    async def probe() -> bool:
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response,
            ):
                return response.status == 200  # noqa: PLR2004 - HTTP OK
        except (aiohttp.ClientError, TimeoutError):
            return False

    return asyncio.run(probe())


def banner(demo: Demo) -> str:
    """What the visitor reads: where to go, what to type."""
    c, url = demo.clouds, demo.url
    logs = demo.config.relative_to(ROOT) if demo.config.is_relative_to(ROOT) else demo.config
    login = f"log in as {demo.user.username} / {demo.user.password}"
    lines = [f"Home Assistant is ready: {url}  ({login})", ""]
    if demo.args.fresh:
        lines += [
            "No account yet. Settings > Devices & services > Add integration >",
            '"Home SmartLink & MClimate", then:',
            '  "Home SmartLink (energy partner or installer)":',
            f"     API base URL {c.url}, Client ID {c.partner_id}, "
            f"Client secret {c.partner_secret}",
            '     then "Add every consenting home not added yet" (or pick one) > Submit',
            '  Add integration again > "MClimate on another server (developers)":',
            f"     API root URL {c.mclimate_api}, Sign-in page URL {c.authorize_url}",
            "     then Add application credentials: Name MClimate simulator,",
            f"       OAuth client ID {c.oauth_client_id}, "
            f"OAuth client secret {c.oauth_client_secret} > Add",
            "     (Home Assistant then starts the flow again: the same entry and URLs once more)",
            f"     > Open website > on the simulator's page: {c.username} / {c.password}",
        ]
    else:
        lines += [
            f"Overview: {url}/home/overview - both accounts are set up against the simulator:",
            f"  Home SmartLink partner {c.partner_id} (its consenting homes) and MClimate "
            f"{c.username}",
            'Assist (the speech bubble, top right): "set the living room to 21 degrees",',
            '  "what is the temperature in the living room", "turn off the water heater",',
            '  "turn on the air conditioning in the bedroom" (or in French: "règle le salon à',
            '  21 degrés", "éteins le chauffe-eau", "allume la climatisation dans la chambre").',
            "  Home SmartLink moves a room by whole degrees from its programme, 5 at most:",
            "  at night (eco) 21 °C can be out of reach, and Assist says it failed.",
        ]
    lines += [
        "",
        f"Simulator: {c.url}   Logs: {logs}/home-assistant.log, {logs}/simulator.log",
        "scripts/develop --fresh starts over with no account, --reset with the full demo.",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def make_demo(args: argparse.Namespace, simulator_args: list[str]) -> Demo:
    """The processes and settings the options describe."""
    python = str(ROOT / ".venv" / "bin" / "python")
    config: Path = args.config.resolve()
    args.config = config
    stored = None if args.fresh or args.reset else stored_http(config)
    port = stored[1] if stored else (args.port or DEFAULT_PORT)
    simulator = None
    if args.simulator:
        clouds = DemoClouds.of(args.simulator, Scenario.demo())
    else:
        # The simulator's own parser reads its options: the credentials follow them.
        options = ["--demo", "--refresh-tokens", *simulator_args]
        scenario = scenario_from_args(simulator_parser().parse_args(options))
        url = f"http://{LOOPBACK}:{args.simulator_port}"
        clouds = DemoClouds.of(url, scenario)
        simulator = Child(
            "simulator",
            [python, "-m", "simulator", "--host", LOOPBACK,
             "--port", str(args.simulator_port), *options],
            output=config / "simulator.log",
        )  # fmt: skip
    hass = Child(
        "Home Assistant",
        [str(ROOT / ".venv" / "bin" / "hass"), "--config", str(config), "--skip-pip"],
        # The developers' menu entry "MClimate on another server" reaches the simulator.
        env={**os.environ, "SMARTLINK_MCLIMATE_DEVELOPER": "1"},
    )
    return Demo(args, config, clouds, hass, simulator, port, args.port or port, DemoUser())


def run(demo: Demo) -> None:
    """Start, set up, print the banner, then keep Home Assistant running (restarts too)."""
    if demo.simulator is not None:
        demo.simulator.start()
        _wait_for_port(demo.simulator, demo.args.simulator_port)
    demo.start_hass()
    while asyncio.run(demo.set_up()):
        demo.restart_hass()
    print(banner(demo), flush=True)
    while (code := demo.hass.wait()) == RESTART_EXIT_CODE:  # restarted from the UI
        demo.start_hass()
    print(f"develop: Home Assistant exited ({code})", flush=True)


@contextlib.contextmanager
def _interrupted_quietly() -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        print("\ndevelop: stopping", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of scripts/develop."""
    args, simulator_args = parse_args(sys.argv[1:] if argv is None else argv)
    _stop_on_signals()
    demo = make_demo(args, simulator_args)
    prepare_config(args.config, wipe=args.fresh or args.reset, port=demo.port)
    with _interrupted_quietly():
        try:
            run(demo)
        finally:
            demo.stop()


if __name__ == "__main__":
    main()
