"""The demo as a developer runs it (`scripts/develop`), watched from outside.

The simulator runs in this process, on a background event loop, so tests read what
it received (`recorder`) and its devices' state; `scripts/develop --simulator URL`
then starts and sets up Home Assistant against it, in a configuration folder of its own,
on a free port. The same loop runs the tests' calls to Home Assistant's API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
import contextlib
from dataclasses import dataclass, field
import os
from pathlib import Path
import signal
import socket
import subprocess
import threading
import time
from typing import Any

import psutil  # type: ignore[import-untyped]

from scripts.demo_setup import DemoUser
from scripts.ha_api import HomeAssistantApi
from simulator import Clock, Scenario, Simulator
from simulator.mclimate.state import BobbieState

ROOT = Path(__file__).resolve().parents[2]
READY = "Home Assistant is ready"
START_TIMEOUT = 400.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def eventually(check: Callable[[], bool], timeout: float = 30) -> None:
    """Wait until `check` holds: the demo's processes change state on their own time."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.5)


class BackgroundLoop:
    """An event loop in a thread: the simulator lives there, and API calls run there."""

    def __init__(self) -> None:
        """Start the loop."""
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run[T](self, coroutine: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        """Run a coroutine there and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call[T](self, function: Callable[[], T]) -> T:
        """Call a function there (to read the simulator's state between its requests)."""

        async def wrapped() -> T:
            return function()

        return self.run(wrapped())

    def close(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


def start_simulator(loop: BackgroundLoop, clock: Clock) -> Simulator:
    """The demo world on a free loopback port."""
    sim = Simulator(Scenario.demo(), clock=clock)
    loop.run(sim.start())
    return sim


def living_room_setpoint(loop: BackgroundLoop, sim: Simulator) -> float:
    """What the first home's living room heater is set to now, in the cloud."""

    def read() -> float:
        cloud = sim.homesmartlink
        heater = next(h for h in cloud.homes[0].heaters if h.room_name == "Living room")
        return cloud.setpoint(heater)

    return loop.call(read)


def water_heater_on(loop: BackgroundLoop, sim: Simulator) -> bool:
    """Whether the Bobbie named "Water heater" has its relay on, in the cloud."""

    def read() -> bool:
        device = next(c for c in sim.mclimate.controllers.values() if c.name == "Water heater")
        assert isinstance(device.device, BobbieState)
        return device.device.relay_on

    return loop.call(read)


@dataclass
class DemoRun:
    """One `scripts/develop` process and what it printed."""

    process: subprocess.Popen[str]
    config: Path
    port: int
    loop: BackgroundLoop
    user: DemoUser = field(default_factory=DemoUser)
    lines: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, loop: BackgroundLoop, config: Path, *options: str) -> DemoRun:
        """Start `scripts/develop` in its own session (as a terminal would) and wait."""
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "scripts" / "develop"), "--config", str(config), "--port", str(port),
             *options],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )  # fmt: skip
        run = cls(process, config, port, loop)
        threading.Thread(target=run._read, daemon=True).start()
        run.wait_for(READY, START_TIMEOUT)
        return run

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        """Everything printed so far."""
        return "\n".join(self.lines)

    @property
    def url(self) -> str:
        """Home Assistant's address."""
        return f"http://127.0.0.1:{self.port}"

    def wait_for(self, text: str, timeout: float) -> None:
        """Wait until the output shows `text` (fail with the output if it ends first)."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.interrupt()
                raise AssertionError(f"scripts/develop never printed {text!r}:\n{self.output}")
            time.sleep(0.2)

    def processes(self) -> list[psutil.Process]:
        """The launcher and everything it started."""
        with contextlib.suppress(psutil.NoSuchProcess):
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        return []

    def hass_process(self) -> psutil.Process:
        """Home Assistant's process."""
        found = [p for p in self.processes() if any("hass" in arg for arg in p.cmdline()[1:2])]
        assert found, f"no Home Assistant process under {self.process.pid}"
        return found[0]

    def interrupt(self, timeout: float = 60) -> list[psutil.Process]:
        """Ctrl-C, as a terminal sends it to its foreground group; return what survived."""
        tree = self.processes()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        _, alive = psutil.wait_procs(tree, timeout=timeout)
        survivors: list[psutil.Process] = list(alive)
        for leftover in survivors:  # do not leave them behind for the next tests
            with contextlib.suppress(psutil.NoSuchProcess):
                leftover.kill()
        return survivors

    def api[T](self, call: Callable[[HomeAssistantApi], Awaitable[T]]) -> T:
        """Run `call` with a client signed in as the demo user."""

        async def signed_in() -> T:
            async with HomeAssistantApi.connect(self.url) as api:
                await api.login(self.user.username, self.user.password)
                return await call(api)

        return self.loop.run(signed_in())

    def log_lines(self) -> list[str]:
        """Home Assistant's log, every start of this folder (the oldest first)."""
        logs = [self.config / "home-assistant.log.1", self.config / "home-assistant.log"]
        return [line for log in logs if log.exists() for line in log.read_text().splitlines()]
