"""The fault matrix: every way a cloud fails, while polling, for both clouds.

One home (Home SmartLink) or one controller (MClimate, a Melissa) is hit,
unless the fault is the account's (a refused connection, MClimate's token or
request budget, the controller list). The test checks what a user would see
and what the log says: the affected entities unavailable and the others as
they were, one line when it goes and one when it comes back, recovery at the
next poll without a reload, re-authentication for a 401 and no poll before
the Retry-After of a 429.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate.const import DOMAIN
from simulator import Scenario, Simulator
from simulator.scenario import HomeSmartLinkScenario
from tests.components.mclimate.helpers import next_cycle, next_listing

from . import faults
from .cases import ROWS, Expect, Spec
from .conftest import assert_no_traceback, entity_ids, our_records

CONFIG = "POST /partners/1/config"
FETCH = "POST /v1/provider/fetch"
CONTROLLERS = "GET /v1/controllers"
# Home entities fed by the diagnosis store, not by polling: they keep their state.
STORED = ("diagnosis", "last_diagnosis")
EDITS: dict[str, Any] = {
    "add_unknown": lambda _: faults.add_unknown,
    "empty_list": faults.empty_list,
    "as_text": faults.as_text,
    "set_member": lambda args: faults.set_member(*args),
}


@pytest.fixture
def scenario() -> Scenario:
    """Two small homes; one MClimate device of each type."""
    base = Scenario.demo()
    base.homesmartlink = HomeSmartLinkScenario(homes=2, rooms_per_home=2)
    return base


def _cells(cloud: str) -> list[Any]:
    return [
        pytest.param(getattr(row, cloud), id=row.name, marks=pytest.mark.matrix(row.name, cloud))
        for row in ROWS
        if getattr(row, cloud) is not None
    ]


class Target:
    """Where a fault is aimed and which entities it should affect."""

    def __init__(
        self, hass: HomeAssistant, simulator: Simulator, entry: MockConfigEntry, cloud: str
    ) -> None:
        """Pick the first home's or the Melissa's entities."""
        registry = er.async_get(hass)
        self._hass = hass
        self.entry = entry
        self.cloud = cloud
        if cloud == "homesmartlink":
            self.home_id = simulator.homesmartlink.home_ids[0]
            subentry = next(s for s in entry.subentries.values() if s.unique_id == self.home_id)
            self.route, self.body = CONFIG, ("homeId", self.home_id)
            belongs = lambda e: e.config_subentry_id == subentry.subentry_id  # noqa: E731
            device_level = lambda e: e.config_subentry_id is not None  # noqa: E731
        else:
            (serial,) = simulator.mclimate.serials("melissa")
            serials = set(simulator.mclimate.controllers)
            self.route, self.body = FETCH, ("serial_number", serial)
            belongs = lambda e: e.unique_id.startswith(f"{serial}_")  # noqa: E731
            device_level = lambda e: e.unique_id.split("_")[0] in serials  # noqa: E731
        ids = set(entity_ids(hass, entry))
        entities = list(er.async_entries_for_config_entry(registry, entry.entry_id))
        self.own = {
            e.entity_id for e in entities if belongs(e) and e.entity_id in ids and not _stored(e)
        }
        # Account-level sensors (request budget, delivery) change every cycle: not compared.
        self.devices = {e.entity_id for e in entities if device_level(e) and e.entity_id in ids}
        assert self.own
        assert self.devices - self.own

    def affected(self, spec: Spec) -> set[str]:
        """The entities this fault should make unavailable."""
        if spec.account_wide:
            return {e for e in self.devices if not self._stored(e)}
        return self.own

    def _stored(self, entity_id: str) -> bool:
        entity = er.async_get(self._hass).async_get(entity_id)
        return entity is not None and _stored(entity)

    def coordinators(self, spec: Spec) -> list[object]:
        """The coordinators the fault fails: each logs once when it goes, once when back."""
        data = self.entry.runtime_data
        if self.cloud == "mclimate":
            return [data.coordinator]
        return list(data.homes.values()) if spec.account_wide else [data.home(self.home_id)]

    def add(self, simulator: Simulator, spec: Spec) -> None:
        """Put the fault in the simulator's plan."""
        custom = None
        if spec.kind == "cut":
            custom = faults.CutConnection()
        elif spec.edit is not None:
            name, argument = spec.edit
            custom = faults.Edit(EDITS[name](argument))
        kind = "status" if spec.kind == "cut" else spec.kind
        if spec.listing:
            faults.aimed(simulator, kind, CONTROLLERS, custom=custom, **spec.options)
        else:
            faults.aimed(simulator, kind, self.route, self.body, custom, **spec.options)

    def polled(self, simulator: Simulator) -> int:
        """How many times the aimed route was asked for the target."""
        method, path = self.route.split(" ")
        key, value = self.body
        return sum(
            1
            for request in simulator.recorder.matching(method, path)
            if isinstance(request.json, dict) and request.json.get(key) == value
        )


def _stored(entity: er.RegistryEntry) -> bool:
    """Whether a home entity shows the diagnosis store rather than what is polled."""
    return entity.unique_id.split("_", 1)[-1] in STORED


def states(hass: HomeAssistant, entity_ids: set[str]) -> dict[str, str | None]:
    """The state of each entity (None: it is gone)."""
    return {
        entity_id: state.state if (state := hass.states.get(entity_id)) else None
        for entity_id in sorted(entity_ids)
    }


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # heater readings included
@pytest.mark.parametrize("spec", _cells("homesmartlink"))
async def test_homesmartlink(
    hass: HomeAssistant,
    simulator: Simulator,
    init_homesmartlink: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    spec: Spec,
) -> None:
    await _run(hass, simulator, init_homesmartlink, caplog, "homesmartlink", spec)


@pytest.mark.parametrize("spec", _cells("mclimate"))
async def test_mclimate(
    hass: HomeAssistant,
    simulator: Simulator,
    init_mclimate: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    spec: Spec,
) -> None:
    await _run(hass, simulator, init_mclimate, caplog, "mclimate", spec)


async def _run(
    hass: HomeAssistant,
    simulator: Simulator,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    cloud: str,
    spec: Spec,
) -> None:
    """Steady state, the fault, then the fault cleared."""
    await next_cycle(hass)  # a steady state: every entity read twice
    target = Target(hass, simulator, entry, cloud)
    before = states(hass, target.devices)
    assert STATE_UNAVAILABLE not in before.values()
    coordinators = _coordinators(entry)
    caplog.clear()

    # The fault.
    if spec.kind == "refused":
        await simulator.stop()
    else:
        target.add(simulator, spec)
    await cycle(hass, spec)
    during = states(hass, target.devices)
    went = our_records(caplog)
    affected = target.affected(spec)
    others = {k: v for k, v in before.items() if k not in affected}
    if spec.expect is Expect.TOLERATED:
        assert during == before
        assert went == []
    elif spec.expect is Expect.UNKNOWN:
        changed = {k for k, v in during.items() if v != before[k]}
        assert changed
        assert changed <= affected
        assert {during[k] for k in changed} == {STATE_UNKNOWN}
        assert went == []
    else:
        shown = {entity_id: during[entity_id] for entity_id in affected}
        if spec.expect is Expect.KEPT:  # the unlisted devices' entities, not the home's own
            shown = {k: v for k, v in shown.items() if v != before[k]}
            assert shown
        assert shown == dict.fromkeys(sorted(shown), STATE_UNAVAILABLE)
        assert {k: v for k, v in during.items() if k not in affected} == others
        assert len(went) == len(target.coordinators(spec)), went

    # The fault clears.
    caplog.clear()
    simulator.faults.clear()
    if spec.kind == "refused":
        await simulator.start()
    polled = target.polled(simulator)
    await cycle(hass, spec)
    if spec.expect is Expect.REAUTH:
        flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
        assert target.polled(simulator) == polled  # no more polls with a refused credential
        assert states(hass, affected) == dict.fromkeys(sorted(affected), STATE_UNAVAILABLE)
    else:
        if spec.expect is Expect.SLOWER:
            assert target.polled(simulator) == polled  # not before the Retry-After
            await next_cycle(hass, timedelta(seconds=301))
        assert states(hass, target.devices) == before
        came_back = our_records(caplog)
        quiet = spec.expect in (Expect.TOLERATED, Expect.UNKNOWN)
        assert len(came_back) == (0 if quiet else len(target.coordinators(spec))), came_back
    assert entry.state is ConfigEntryState.LOADED
    assert _coordinators(entry) == coordinators  # recovered in place, never reloaded
    assert_no_traceback(caplog)


async def cycle(hass: HomeAssistant, spec: Spec) -> None:
    """One poll of what the fault aims at (the controller list is read less often)."""
    await (next_listing(hass) if spec.listing else next_cycle(hass))


def _coordinators(entry: MockConfigEntry) -> list[int]:
    data = entry.runtime_data
    if hasattr(data, "homes"):
        return [id(home) for home in data.homes.values()]
    return [id(data.coordinator)]
