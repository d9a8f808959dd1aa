"""Fixtures of the reliability tests, and the hook that writes their results table.

Tests of the fault matrix carry a `matrix(table, row, column)` mark; after a
run that included every one of them, `RESULTS.md` here is rewritten from their
outcomes, so the README's table is what the tests proved.
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

from .cases import CLOUDS, ROWS
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
RESULTS = Results(Path(__file__).with_name("RESULTS.md"))


def pytest_configure(config: pytest.Config) -> None:
    """Register the mark that puts a test's outcome in the table."""
    config.addinivalue_line("markers", "matrix(table, row, column): a cell of the results table")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember the outcome of each marked test (a failed set-up or teardown counts)."""
    report = yield
    mark = item.get_closest_marker("matrix")
    if mark is not None and (report.when == "call" or report.failed):
        RESULTS.record(*mark.args, passed=report.passed)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the table when every cell of it ran."""
    expected = {
        ("polling", row.name, cloud) for row in ROWS for cloud in CLOUDS if getattr(row, cloud)
    }
    RESULTS.write_if_complete(expected)


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
