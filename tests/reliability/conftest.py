"""Fixtures of the reliability tests, and the hooks that write their results.

Every test here is counted; those of the fault matrix carry a
`matrix(row, column)` mark naming their cell. After a run that included all of
them, the README's reliability section is rewritten from their outcomes, so it
says what the tests proved (`results.py`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
import logging
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.clients.http import JsonHttpClient
from custom_components.smartlink_mclimate.const import CONF_TIME_ZONE
from simulator import Simulator
from tests.components.conftest import (  # the entries and set-up of the entity tests
    auto_enable_custom_integrations,
    entity_registry_enabled_by_default,
    init_homesmartlink,
    init_mclimate,
    mclimate_entry,
    mclimate_implementation,
    platforms,
)
from tests.components.homesmartlink.common import partner_entry

from .results import Results

__all__ = [
    "auto_enable_custom_integrations",
    "entity_registry_enabled_by_default",
    "init_homesmartlink",
    "init_mclimate",
    "mclimate_entry",
    "mclimate_implementation",
    "platforms",
]
PACKAGE = "custom_components.smartlink_mclimate"
REQUEST_TIMEOUT = 0.4
RESULTS = Results(Path(__file__).parents[2] / "README.md")


def pytest_configure(config: pytest.Config) -> None:
    """Register the mark that puts a test's outcome in the table."""
    config.addinivalue_line("markers", "matrix(row, column): a cell of the results table")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember the outcome of each test (a failed set-up or teardown counts)."""
    report = yield
    if report.when == "call" or report.failed or report.skipped:
        mark = item.get_closest_marker("matrix")
        cell = (mark.args[0], mark.args[1]) if mark is not None else None
        RESULTS.record(item.nodeid, item.path.stem, cell, passed=report.passed)
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the README's section when every reliability test this run held ran."""
    here = Path(__file__).parent
    RESULTS.write_if_complete({i.nodeid for i in session.items if i.path.is_relative_to(here)})


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests give up quickly, so "latency beyond the timeout" takes a second, not 15."""
    monkeypatch.setattr(JsonHttpClient, "request_timeout", REQUEST_TIMEOUT)


@pytest.fixture
def homesmartlink_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The partner account with every simulated home, in the homes' time zone."""
    return partner_entry(hass, simulator, options={CONF_TIME_ZONE: "Europe/Paris"})


def our_records(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    """Messages the integration logged at `level` or above."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(PACKAGE) and record.levelno >= level
    ]


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing was raised unhandled: no record carries a traceback or says so."""
    for record in caplog.records:
        message = record.getMessage()
        assert record.exc_info is None, f"{record.name}: {message}"
        assert "Traceback" not in message
        assert "Unexpected error" not in message
        assert "Exception" not in message or record.name.startswith(PACKAGE), message
        assert record.levelno < logging.CRITICAL, message


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The entry's entities that have a state."""
    return [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if hass.states.get(entity.entity_id) is not None
    ]


@pytest.fixture
def log_debug(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture everything, DEBUG included."""
    with caplog.at_level(logging.DEBUG):
        yield caplog
