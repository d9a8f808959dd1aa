"""Fixtures of the demo tests: the simulator, demos started by `scripts/develop`, a browser.

Run through `scripts/e2e` (pytest -p no:homeassistant tests/e2e): these tests talk
to real processes over loopback, so pytest-homeassistant-custom-component's socket
guard (it blocks sockets outside its own tests' `hass`) must stay off.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
import os
from pathlib import Path
import shutil

from playwright.sync_api import Browser, sync_playwright
import pytest

from simulator import Clock, Simulator

from .browser import launch
from .harness import ROOT, BackgroundLoop, DemoRun, start_simulator

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / ".cache" / "e2e-screenshots"))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run with the socket guard on (it would break every connection here)."""
    if config.pluginmanager.has_plugin("homeassistant"):
        raise pytest.UsageError("run tests/e2e with scripts/e2e (pytest -p no:homeassistant)")


def pytest_report_header() -> str:
    """Say where the screenshots go."""
    return f"e2e screenshots: {SCREENSHOTS}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it again at the end, where people look."""
    terminalreporter.write_line(f"e2e screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """A new folder for this run's screenshots."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def loop() -> Iterator[BackgroundLoop]:
    """The background loop of the simulator and of API calls."""
    background = BackgroundLoop()
    yield background
    background.close()


# The living room's heaters stay at this setpoint whatever the time of day (see `clouds`).
LIVING_ROOM_SETPOINT = 19.0


def demo_world(loop: BackgroundLoop) -> Simulator:
    """The demo world, on a free port, on the wall clock.

    A Home SmartLink room takes a target temperature as a whole-degree derogation from
    its current setpoint, within 5 °C; in Prog mode that setpoint follows the week
    schedule (eco is comfort minus 3.5 °C), so "21 °C" is reachable at some hours only.
    The tests put the living room's programmed heater in Manual mode at 19 °C first,
    as its owner could: 21 °C is then always +2 °C.
    """
    sim = start_simulator(loop, Clock())
    for home in sim.homesmartlink.homes:
        for heater in home.heaters:
            if heater.room_name == "Living room" and heater.mode == "Prog":
                sim.homesmartlink.set_heater_mode(heater.header, "Manual", LIVING_ROOM_SETPOINT)
    return sim


@pytest.fixture(scope="session")
def clouds(loop: BackgroundLoop) -> Iterator[Simulator]:
    """The clouds of the full demo (`demo`)."""
    sim = demo_world(loop)
    yield sim
    loop.run(sim.stop())


@pytest.fixture(scope="session")
def fresh_clouds(loop: BackgroundLoop) -> Iterator[Simulator]:
    """The clouds of the fresh demo (`fresh_demo`): its own, so the two never meet."""
    sim = demo_world(loop)
    yield sim
    loop.run(sim.stop())


@pytest.fixture(scope="session")
def demo(
    loop: BackgroundLoop, clouds: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoRun]:
    """`scripts/develop`: the full demo, both accounts set up, against `clouds`."""
    run = DemoRun.start(loop, tmp_path_factory.mktemp("demo"), "--simulator", clouds.url)
    yield run
    run.interrupt()


@pytest.fixture(scope="session")
def fresh_demo(
    loop: BackgroundLoop, fresh_clouds: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoRun]:
    """`scripts/develop --fresh`: onboarded, no account, against `fresh_clouds`."""
    run = DemoRun.start(
        loop, tmp_path_factory.mktemp("fresh"), "--fresh", "--simulator", fresh_clouds.url
    )
    yield run
    run.interrupt()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, for fixtures that look at the outcome."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
