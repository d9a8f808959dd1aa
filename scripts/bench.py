"""Measure speed and scale: Home Assistant with the integration against the simulator.

Each size runs in its own process (clean memory, no leftovers): the
simulator in a second process with a simulated network latency, Home
Assistant from the test harness with both accounts, talking real HTTP.
Metrics P1..P6 are those of issue 10; the table prints ratios to each goal.
Usage: scripts/bench [--latency 0.1] [--sizes 10x5,100x50,500x200] [--json FILE]
BENCH_PROFILE=DIR also writes a cProfile file per measured set-up (CPU is then
inflated: read the profiles, not the ratios).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import cProfile
import gc
import json
import math
import os
from pathlib import Path
import platform
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

if TYPE_CHECKING:
    from bench_stalls import StallMonitor

DEFAULT_SIZES = "10x5,100x50,500x200"
# Unique-id ends of the accounts' request-budget sensors (polled once a minute).
BUDGET = ("_request_budget", "_requests_last_minute", "_rate_limited")
DEFAULT_JSON = ROOT / ".cache" / "bench.json"

# -- the measuring side (one size, in a worker process) -----------------------------


def rss_bytes() -> int:
    """Resident memory of this process."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Meter:
    """Wall time, CPU time (this process, every thread) and resident memory of a phase.

    The garbage collections that make memory comparable are the benchmark's own
    stalls: the monitor's `paused` keeps them out of P3, and they run before the
    phase starts and after it ends. The phase's own collection time (`gc`) is part
    of the CPU measured: a collection of the oldest objects walks the whole heap,
    so at 500 homes each phase pays about a second of it, more for a phase that
    runs later in a bigger heap.
    """

    def __init__(self, monitor: StallMonitor, name: str) -> None:
        """Start measuring now; with BENCH_PROFILE=DIR, profile the phase into DIR/name.prof."""
        self._monitor = monitor
        with monitor.paused():
            gc.collect()
        self._profiler: cProfile.Profile | None = None
        if directory := os.environ.get("BENCH_PROFILE"):
            self._profile = Path(directory) / f"{name}.prof"
            self._profiler = cProfile.Profile()
            self._profiler.enable()
        self.rss = rss_bytes()
        self.collecting = monitor.collecting
        self.cpu = time.process_time()
        self.loop_cpu = time.thread_time()
        self.wall = time.perf_counter()

    def done(self) -> dict[str, float]:
        """What the phase cost."""
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        loop_cpu = time.thread_time() - self.loop_cpu
        collecting = self._monitor.collecting - self.collecting
        if self._profiler is not None:
            self._profiler.disable()
            self._profile.parent.mkdir(parents=True, exist_ok=True)
            self._profiler.dump_stats(self._profile)
        with self._monitor.paused():
            gc.collect()
        return {
            "wall": wall,
            "cpu": cpu,
            # Of which the event loop's thread (the rest: executor threads, e.g. the
            # registries written to disk once they have changed).
            "loop_cpu": loop_cpu,
            "gc": collecting,
            "memory": max(0, rss_bytes() - self.rss),
        }


@contextlib.asynccontextmanager
async def simulator(homes: int, controllers: int, latency: float) -> AsyncIterator[dict[str, Any]]:
    """Start the simulator process; yield its URL and credentials."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "bench_sim.py"),
        f"--homes={homes}",
        f"--controllers={controllers}",
        f"--latency={latency}",
        stdout=asyncio.subprocess.PIPE,
    )
    line = await process.stdout.readline() if process.stdout else b""
    try:
        yield json.loads(line)
    finally:
        process.terminate()
        await process.wait()


async def run_size(homes: int, controllers: int, latency: float) -> dict[str, Any]:
    """Every metric for one size."""
    import aiohttp  # noqa: PLC0415
    from bench_reference import (  # noqa: PLC0415
        preload,
        reference_entry_ids,
        same_shape,
        shape_of,
        template_sensors,
    )
    from bench_stalls import StallMonitor  # noqa: PLC0415
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.const import (  # noqa: PLC0415
        CONF_CLIENT_ID,
        CONF_CLIENT_SECRET,
        EVENT_STATE_CHANGED,
    )
    from homeassistant.core import Event, callback  # noqa: PLC0415
    from homeassistant.helpers import (  # noqa: PLC0415
        config_entry_oauth2_flow,
        entity_registry as er,
    )
    from homeassistant.setup import async_setup_component  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    import custom_components.smartlink_mclimate  # noqa: F401, PLC0415
    from custom_components.smartlink_mclimate.application_credentials import (  # noqa: PLC0415
        MClimateOAuth2Implementation,
    )
    from custom_components.smartlink_mclimate.const import (  # noqa: PLC0415
        CONF_API_URL,
        CONF_BASE_URL,
        CONF_HOME_ID,
        CONF_SERVICE,
        DOMAIN,
        SUBENTRY_HOME,
        Service,
    )
    from custom_components.smartlink_mclimate.homesmartlink import (  # noqa: PLC0415
        PLATFORMS as HSL_PLATFORMS,
    )
    from custom_components.smartlink_mclimate.homesmartlink.coordinator import (  # noqa: PLC0415
        MAX_CONCURRENT_REQUESTS,
        POLLS_PER_MINUTE,
        REQUEST_BUDGET,
        home_interval,
    )
    from custom_components.smartlink_mclimate.mclimate import (  # noqa: PLC0415
        PLATFORMS as MC_PLATFORMS,
    )
    from custom_components.smartlink_mclimate.mclimate.coordinator import (  # noqa: PLC0415
        DISCOVERY_EVERY,
        FETCH_CONCURRENCY,
        UPDATE_INTERVAL,
    )

    result: dict[str, Any] = {"homes": homes, "controllers": controllers, "latency": latency}
    monitor = StallMonitor()
    async with (
        simulator(homes, controllers, latency) as sim,
        aiohttp.ClientSession() as control,
    ):
        url = sim["url"]

        async def requests() -> dict[str, Any]:
            async with control.get(f"{url}/_bench/requests") as answer:
                return dict(await answer.json())

        async def reset() -> None:
            async with control.post(f"{url}/_bench/reset"):
                pass

        async with control.get(f"{url}/_bench/info") as answer:
            info = await answer.json()
        online = info["online"]

        with tempfile.TemporaryDirectory() as config_dir:
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
                check(await async_setup_component(hass, "application_credentials", {}))
                await hass.async_block_till_done()
                changes: list[Event] = []

                # Listeners must be callbacks: anything else runs in the executor.
                @callback
                def note(event: Event) -> None:
                    changes.append(event)

                hass.bus.async_listen(EVENT_STATE_CHANGED, note)
                monitor.start()

                # -- P4 and P3: set-up of both accounts ------------------------------
                hsl = MockConfigEntry(
                    domain=DOMAIN,
                    title="Home SmartLink (bench)",
                    unique_id="homesmartlink:bench",
                    data={
                        CONF_SERVICE: Service.HOMESMARTLINK,
                        CONF_BASE_URL: url,
                        CONF_CLIENT_ID: sim["hsl_client_id"],
                        CONF_CLIENT_SECRET: sim["hsl_client_secret"],
                    },
                    subentries_data=[
                        {
                            "data": {CONF_HOME_ID: home_id},
                            "subentry_type": SUBENTRY_HOME,
                            "title": f"Home {i + 1}",
                            "unique_id": home_id,
                        }
                        for i, home_id in enumerate(info["home_ids"])
                    ],
                )
                config_entry_oauth2_flow.async_register_implementation(
                    hass,
                    DOMAIN,
                    MClimateOAuth2Implementation(
                        hass,
                        DOMAIN,
                        sim["mc_client_id"],
                        sim["mc_client_secret"],
                        f"{url}/oauth/authorize",
                        f"{url}/v1/token",
                    ),
                )
                mc = MockConfigEntry(
                    domain=DOMAIN,
                    title="MClimate",
                    unique_id=f"mclimate:{info['user_id']}",
                    data={
                        CONF_SERVICE: Service.MCLIMATE,
                        CONF_API_URL: f"{url}/v1",
                        "auth_implementation": DOMAIN,
                        "token": {
                            "access_token": info["token"],
                            "token_type": "Bearer",
                            "expires_in": 3600,
                            "expires_at": time.time() + 3600,
                        },
                    },
                )
                hsl.add_to_hass(hass)

                await preload(
                    hass,
                    {
                        DOMAIN: sorted({*HSL_PLATFORMS, *MC_PLATFORMS}),
                        "template": ["sensor"],
                    },
                )
                monitor.phase = "setup"
                meter = Meter(monitor, f"{homes}x{controllers}-setup")
                check(await hass.config_entries.async_setup(hsl.entry_id))
                await hass.async_block_till_done()
                loaded_hsl = time.perf_counter() - meter.wall
                mc.add_to_hass(hass)
                check(await hass.config_entries.async_setup(mc.entry_id))
                await hass.async_block_till_done()
                loaded = time.perf_counter() - meter.wall
                # Homes beyond one minute's share are read at their turn over the
                # interval; read them now so every entity's cost is counted. One
                # started per turn of the loop, as the poller starts them: starting
                # 440 in one callback was a 15 ms stall of the benchmark's making.
                late = [h for h in hsl.runtime_data.homes.values() if h.data is None]
                reads = []
                for home in late:
                    reads.append(hass.async_create_task(home.async_refresh()))
                    await asyncio.sleep(0)
                await asyncio.gather(*reads)
                await hass.async_block_till_done()
                ours = meter.done()
                registry = er.async_get(hass)
                registered = [
                    e
                    for entry in (hsl, mc)
                    for e in er.async_entries_for_config_entry(registry, entry.entry_id)
                ]
                ours_shape = shape_of(hass, [hsl.entry_id, mc.entry_id])
                entities, devices = ours_shape["shown"], ours_shape["devices"]
                # The request-budget sensors read the account's own request count on
                # their own one-minute timer: P6 counts what the polls write.
                clock_driven = {e.entity_id for e in registered if e.unique_id.endswith(BUDGET)}
                setup_requests = (await requests())["counts"]

                monitor.phase = "reference"
                meter = Meter(monitor, f"{homes}x{controllers}-template")
                check(await template_sensors(hass, entities))
                await hass.async_block_till_done()
                reference = meter.done()
                monitor.phase = "same_shape"
                meter = Meter(monitor, f"{homes}x{controllers}-same-shape")
                check(await same_shape(hass, entities, len(registered), devices))
                await hass.async_block_till_done()
                shape = meter.done()
                shape["shape"] = shape_of(hass, reference_entry_ids(hass))
                result["P4"] = {
                    "entities": entities,
                    "registered_entities": len(registered),
                    "devices": devices,
                    "loaded_s": {"homesmartlink": loaded_hsl, "both": loaded},
                    "first_reads_at_setup": homes - len(late),
                    "all_homes_read_by_design_within_s": home_interval(homes).total_seconds(),
                    "integration": ours,
                    "reference": {**reference, "platform": "template sensors with unique ids"},
                    "cpu_per_entity_ms": {
                        "integration": 1000 * ours["cpu"] / entities,
                        "reference": 1000 * reference["cpu"] / entities,
                    },
                    "memory_per_entity_kb": {
                        "integration": ours["memory"] / entities / 1024,
                        "reference": reference["memory"] / entities / 1024,
                    },
                    "cpu_ratio": ours["cpu"] / reference["cpu"],
                    # The reference registers one entity per entity shown, and no device.
                    "cpu_ratio_per_registered_entity": (ours["cpu"] / len(registered))
                    / (reference["cpu"] / entities),
                    "memory_ratio": ours["memory"] / max(1, reference["memory"]),
                    # Home Assistant's own cost of as many devices and entries (shown or
                    # not), from the cheapest platform: the entity model's floor.
                    "same_shape": {**shape, "platform": "constant sensors, same registry shape"},
                    "floor_cpu_ratio": shape["cpu"] / reference["cpu"],
                    "cpu_ratio_to_same_shape": ours["cpu"] / shape["cpu"],
                    "memory_ratio_to_same_shape": ours["memory"] / max(1, shape["memory"]),
                    "setup_requests": setup_requests,
                }

                # -- P1, P2, P6 and P3: idle poll cycles -----------------------------
                # The account's poller (tested in the suite) would add its own slot
                # polls to the counted cycles: each cycle here is every home once.
                hsl.runtime_data.poller.stop()
                monitor.phase = "polling"
                coordinator = mc.runtime_data.coordinator
                cycles: list[dict[str, Any]] = []
                for _ in range(2):
                    await reset()
                    changes.clear()
                    started = time.perf_counter()
                    await asyncio.gather(
                        *(home.async_refresh() for home in hsl.runtime_data.homes.values())
                    )
                    hsl_wall = time.perf_counter() - started
                    started = time.perf_counter()
                    await coordinator.async_refresh()
                    mc_wall = time.perf_counter() - started
                    await hass.async_block_till_done()
                    counts = (await requests())["counts"]
                    cycles.append(
                        {
                            "hsl_wall": hsl_wall,
                            "mc_wall": mc_wall,
                            "counts": counts,
                            "state_changed": sum(
                                1 for e in changes if e.data["entity_id"] not in clock_driven
                            ),
                            "clock_driven": sum(
                                1 for e in changes if e.data["entity_id"] in clock_driven
                            ),
                            "changed": sorted({e.data["entity_id"] for e in changes})[:10],
                        }
                    )
                best = min(cycles, key=lambda c: c["hsl_wall"] + c["mc_wall"])
                hsl_sent = sum(
                    v
                    for k, v in best["counts"].items()
                    if k.startswith(("GET /partners", "POST /partners"))
                )
                mc_sent = sum(
                    v for k, v in best["counts"].items() if k.startswith(("GET /v1", "POST /v1"))
                )
                pages = setup_requests.get("GET /v1/controllers", 0)
                result["P1"] = {
                    "homesmartlink": {
                        "requests": hsl_sent,
                        "minimum": homes,
                        "ratio": hsl_sent / homes,
                    },
                    "mclimate": {
                        "requests": mc_sent,
                        "minimum": online,
                        "ratio": mc_sent / online,
                        "list_pages_every_cycles": [pages, DISCOVERY_EVERY],
                        "ratio_over_10_min": (DISCOVERY_EVERY * mc_sent + pages)
                        / (DISCOVERY_EVERY * online + pages),
                    },
                }
                ideal_hsl = latency * math.ceil(homes / MAX_CONCURRENT_REQUESTS)
                ideal_mc = latency * math.ceil(online / FETCH_CONCURRENCY)
                result["P2"] = {
                    "homesmartlink": {
                        "wall_s": best["hsl_wall"],
                        "ideal_s": ideal_hsl,
                        "ratio": best["hsl_wall"] / ideal_hsl,
                        "concurrency": MAX_CONCURRENT_REQUESTS,
                        "poll_interval_s": home_interval(homes).total_seconds(),
                        "why_safe": (
                            f"polls are paced one slot at a time, {POLLS_PER_MINUTE:g}/min at most "
                            f"(of a {REQUEST_BUDGET}/min account budget); at most "
                            f"{MAX_CONCURRENT_REQUESTS} requests in flight for set-up's first reads"
                        ),
                    },
                    "mclimate": {
                        "wall_s": best["mc_wall"],
                        "ideal_s": ideal_mc,
                        "ratio": best["mc_wall"] / ideal_mc,
                        "concurrency": FETCH_CONCURRENCY,
                        "poll_interval_s": UPDATE_INTERVAL.total_seconds(),
                        "why_safe": (
                            f"{online} fetches a minute, {FETCH_CONCURRENCY} in flight: the "
                            "cloud limits requests per token, not connections"
                        ),
                    },
                }
                result["P6"] = {
                    "state_changed_per_idle_cycle": max(c["state_changed"] for c in cycles),
                    "budget_sensor_writes_per_cycle": [c["clock_driven"] for c in cycles],
                    "changed_entities": [c["changed"] for c in cycles],
                }

                # -- P5: commands ------------------------------------------------------
                monitor.phase = "commands"
                result["P5"] = {
                    "set_room_21": await command(
                        hass,
                        changes,
                        reset,
                        requests,
                        registry,
                        hsl.entry_id,
                        "climate",
                        "set_temperature",
                        {"temperature": 21},
                        lambda new, old: new.attributes.get("temperature")
                        != old.attributes.get("temperature"),
                        "POST /partners/1/derogations",
                        lambda e: True,
                    ),
                    "bobbie_off": await command(
                        hass,
                        changes,
                        reset,
                        requests,
                        registry,
                        mc.entry_id,
                        "switch",
                        "turn_off",
                        {},
                        lambda new, old: new.state == "off",
                        "POST /v1/provider/send",
                        lambda e: e.unique_id.endswith("_relay"),
                    ),
                }
                monitor.phase = "done"
                monitor.stop()
                for phase in ("setup", "reference", "polling", "commands"):
                    worst, worst_ours = monitor.worst(phase), monitor.worst_ours(phase)
                    computed = monitor.most_computed_ours(phase)
                    result.setdefault("P3", {})[phase] = {
                        "longest_ms": 1000 * worst.seconds if worst else 0.0,
                        "gc_ms_in_longest": 1000 * worst.collecting if worst else 0.0,
                        "cause": worst.cause if worst else None,
                        "longest_ours_ms": 1000 * worst_ours.seconds if worst_ours else 0.0,
                        # CPU the loop thread used in it: far below the stall, it waited
                        # (the GIL held by another thread, or the CPU by another process).
                        "longest_ours_cpu_ms": 1000 * worst_ours.cpu if worst_ours else 0.0,
                        "cause_ours": worst_ours.cause if worst_ours else None,
                        "stack_ours": worst_ours.stack if worst_ours else [],
                        # P3's goal: the most the loop thread computed in one of our stalls.
                        "most_computed_ours_cpu_ms": 1000 * computed.cpu if computed else 0.0,
                        "most_computed_ours_ms": 1000 * computed.seconds if computed else 0.0,
                        "most_computed_cause": computed.cause if computed else None,
                        "most_computed_stack": computed.stack if computed else [],
                        "stalls_over_10ms": len(monitor.stalls.get(phase, [])),
                        "ours_over_10ms": sum(s.ours for s in monitor.stalls.get(phase, [])),
                    }
                await hass.config_entries.async_unload(hsl.entry_id)
                await hass.config_entries.async_unload(mc.entry_id)
                await hass.async_block_till_done()
    return result


async def command(
    hass: Any,
    changes: list[Any],
    reset: Callable[[], Any],
    requests: Callable[[], Any],
    registry: Any,
    entry_id: str,
    domain: str,
    service: str,
    data: dict[str, Any],
    shown: Callable[[Any, Any], bool],
    route: str,
    pick: Callable[[Any], bool],
) -> dict[str, Any]:
    """Time one service call: to the state shown, to the cloud receiving it, to its answer."""
    from homeassistant.core import callback  # noqa: PLC0415
    from homeassistant.helpers import entity_registry as er  # noqa: PLC0415

    candidates = [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry_id)
        if e.domain == domain
        and pick(e)
        and hass.states.get(e.entity_id) is not None
        and hass.states.get(e.entity_id).state
        not in ("unavailable", "off" if service == "turn_off" else "")
        and _accepts(hass.states.get(e.entity_id), data)
    ]
    if not candidates:
        states = [
            (e.entity_id, getattr(hass.states.get(e.entity_id), "state", None))
            for e in er.async_entries_for_config_entry(registry, entry_id)
            if e.domain == domain
        ]
        raise RuntimeError(f"no {domain} entity to command: {states[:10]}")
    entity_id = candidates[0]
    await reset()
    changes.clear()
    started_wall, started = time.time(), time.perf_counter()
    shown_at: list[float] = []

    @callback
    def watch(event: Any) -> None:
        new, old = event.data.get("new_state"), event.data.get("old_state")
        if (
            not shown_at
            and event.data["entity_id"] == entity_id
            and new
            and old
            and shown(new, old)
        ):
            shown_at.append(time.perf_counter())

    unsub = hass.bus.async_listen("state_changed", watch)
    await hass.services.async_call(domain, service, {"entity_id": entity_id, **data}, blocking=True)
    answered = time.perf_counter()
    unsub()
    arrivals = (await requests())["arrivals"]
    received = [at for name, at in arrivals if name == route]
    return {
        "entity_id": entity_id,
        "to_state_ms": 1000 * (shown_at[0] - started) if shown_at else None,
        "to_cloud_received_ms": 1000 * (received[0] - started_wall) if received else None,
        "to_cloud_answer_ms": 1000 * (answered - started),
        "command_requests": len(received),
        "optimistic": bool(shown_at) and shown_at[0] < answered,
    }


def check(done: bool) -> None:
    """Stop when Home Assistant refused a set-up step."""
    if not done:
        raise RuntimeError("a set-up step failed; see the log above")


def _accepts(state: Any, data: dict[str, Any]) -> bool:
    """Whether a climate entity takes this target (a derogation is its schedule +-5 degC)."""
    target = data.get("temperature")
    low, high = state.attributes.get("min_temp"), state.attributes.get("max_temp")
    return target is None or low is None or low <= target <= high


def worker(homes: int, controllers: int, latency: float, out: Path) -> None:
    """Run one size and write its result."""
    result = asyncio.run(run_size(homes, controllers, latency))
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


# -- the driving side -----------------------------------------------------------------


def table(results: list[dict[str, Any]]) -> str:
    """One line per size: every metric, and its goal."""
    head = (
        f"{'size (N homes / M ctl)':<22} {'P1 HSL':>7} {'P1 MC':>6} {'P2 HSL':>15} {'P2 MC':>14} "
        f"{'P3 wall/ours/cpu ms':>19} {'P4 load s':>9} {'P4 cpu x':>8} {'P4 mem x':>8} "
        f"{'shown/registered':>16} {'floor/ours x':>12} "
        f"{'P5 state/cloud ms':>18} {'P6':>3}"
    )
    goal = (
        f"{'goal':<22} {'1.00':>7} {'1.00':>6} {'<=1.2x ideal':>15} {'<=1.2x ideal':>14} "
        f"{'cpu <=10':>19} {'<30':>9} {'<=1.5':>8} {'<=1.5':>8} {'':>16} {'':>12} "
        f"{'state<answer':>18} {'0':>3}"
    )
    lines = [head, goal, "-" * len(head)]
    for r in results:
        p1, p2, p3, p4, p5 = r["P1"], r["P2"], r["P3"], r["P4"], r["P5"]
        phases = ("setup", "polling", "commands")
        stall = max(p3[phase]["longest_ms"] for phase in phases)
        ours = max(p3[phase]["longest_ours_ms"] for phase in phases)
        computed = max(p3[phase]["most_computed_ours_cpu_ms"] for phase in phases)
        h, m = p2["homesmartlink"], p2["mclimate"]
        room, bobbie = p5["set_room_21"], p5["bobbie_off"]
        lines.append(
            f"{r['homes']:>4} / {r['controllers']:<15} {p1['homesmartlink']['ratio']:>7.2f} "
            f"{p1['mclimate']['ratio']:>6.2f} "
            f"{h['wall_s']:>5.2f}/{h['ideal_s']:<4.2f}={h['ratio']:.2f} "
            f"{m['wall_s']:>4.2f}/{m['ideal_s']:<4.2f}={m['ratio']:.2f} "
            f"{stall:>7.1f}/{ours:>5.1f}/{computed:<5.1f} "
            f"{p4['loaded_s']['both']:>9.2f} {p4['cpu_ratio']:>8.2f} "
            f"{p4['memory_ratio']:>8.2f} {p4['entities']:>7}/{p4['registered_entities']:<8} "
            f"{p4['floor_cpu_ratio']:>6.2f}/{p4['cpu_ratio_to_same_shape']:<5.2f} "
            f"{_ms(room['to_state_ms'])}/{_ms(room['to_cloud_received_ms'])} "
            f"{_ms(bobbie['to_state_ms'])}/{_ms(bobbie['to_cloud_received_ms'])} "
            f"{r['P6']['state_changed_per_idle_cycle']:>3}"
        )
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "platform": platform.platform(),
    }


def run_worker(homes: int, controllers: int, latency: float) -> dict[str, Any]:
    """One size in a fresh process (clean memory, no leftovers)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                __file__,
                f"--latency={latency}",
                "--worker",
                str(homes),
                str(controllers),
                out.name,
            ],
            check=True,
        )
        result: dict[str, Any] = json.loads(Path(out.name).read_text(encoding="utf-8"))
    return result


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median P4 CPU ratio (the higher of two middle ones), every run in `repeats`.

    CPU times on these shared machines vary from run to run (at 10 homes, 2.1x to
    3.7x in one set of three): one run can pass or miss a goal by luck. The worst
    stall and the most state writes of any run are kept beside it, so a median
    never hides a miss.
    """
    ordered = sorted(runs, key=lambda run: run["P4"]["cpu_ratio"])
    median = dict(ordered[len(ordered) // 2])
    median["repeats"] = {
        "runs": len(runs),
        "cpu_ratio": [run["P4"]["cpu_ratio"] for run in runs],
        "cpu_ratio_to_same_shape": [run["P4"]["cpu_ratio_to_same_shape"] for run in runs],
        "floor_cpu_ratio": [run["P4"]["floor_cpu_ratio"] for run in runs],
        "integration_cpu_s": [run["P4"]["integration"]["cpu"] for run in runs],
        "most_computed_ours_cpu_ms": max(
            phase["most_computed_ours_cpu_ms"] for run in runs for phase in run["P3"].values()
        ),
        "state_changed_per_idle_cycle": max(
            run["P6"]["state_changed_per_idle_cycle"] for run in runs
        ),
    }
    return median


def spread(results: list[dict[str, Any]]) -> str:
    """Under the table: how far apart the runs of each size were, and their worst."""
    lines = []
    for r in results:
        repeats = r["repeats"]
        low, high = min(repeats["cpu_ratio"]), max(repeats["cpu_ratio"])
        ours = repeats["cpu_ratio_to_same_shape"]
        lines.append(
            f"{r['homes']:>4} / {r['controllers']:<4} over {repeats['runs']} runs: P4 cpu x "
            f"{low:.2f} to {high:.2f}, ours x {min(ours):.2f} to {max(ours):.2f}; worst P3 "
            f"cpu {repeats['most_computed_ours_cpu_ms']:.1f} ms, "
            f"worst P6 {repeats['state_changed_per_idle_cycle']}"
        )
    return "\n".join(lines)


def main() -> None:
    """Run every size, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request (0.1)")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"NxM list ({DEFAULT_SIZES})")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="result file")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the table shows the median (1)"
    )
    parser.add_argument("--worker", nargs=3, metavar=("N", "M", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.worker:
        worker(int(args.worker[0]), int(args.worker[1]), args.latency, Path(args.worker[2]))
        return
    results = []
    for size in args.sizes.split(","):
        homes, controllers = (int(part) for part in size.split("x"))
        runs = []
        for number in range(1, args.repeat + 1):
            print(
                f"bench: {homes} homes, {controllers} controllers, run {number}/{args.repeat} ...",
                file=sys.stderr,
                flush=True,
            )
            runs.append(run_worker(homes, controllers, args.latency))
        results.append(median_run(runs))
    report = {"machine": machine(), "latency_s": args.latency, "sizes": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"latency {args.latency * 1000:.0f} ms; machine: {report['machine']['cpus']} CPUs, "
        f"{report['machine']['cpu']}; Home Assistant {report['machine']['home_assistant']}"
    )
    print(table(results))
    if args.repeat > 1:
        print(spread(results))
    print(f"full results: {args.json}")


if __name__ == "__main__":
    main()
