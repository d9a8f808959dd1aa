"""The benchmark still runs: its smallest size, every metric in the JSON (no timing asserted)."""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path
import signal
import subprocess
import sys
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def test_the_smallest_size_reports_every_metric(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes=10x5", f"--json={out}"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["machine"]["cpus"] >= 1
    (size,) = report["sizes"]
    assert {"P1", "P2", "P3", "P4", "P5", "P6"} <= set(size)
    assert set(size["P1"]) == set(size["P2"]) == {"homesmartlink", "mclimate"}
    assert set(size["P3"]) >= {"setup", "polling"}
    assert size["P4"]["entities"] > 0
    # Both references were set up beside the integration, the floor with its shape.
    assert size["P4"]["reference"]["cpu"] > 0
    # Collections are timed apart, as part of each phase's CPU.
    assert 0 <= size["P4"]["integration"]["gc"] <= size["P4"]["integration"]["cpu"]
    assert size["P4"]["same_shape"]["shape"] == {
        "devices": size["P4"]["devices"],
        "registered": size["P4"]["registered_entities"],
        "shown": size["P4"]["entities"],
    }
    assert all("most_computed_ours_cpu_ms" in phase for phase in size["P3"].values())
    assert set(size["P5"]) == {"set_room_21", "bobbie_off"}
    assert size["P1"]["homesmartlink"]["requests"] == 10  # one config per home, counted


def _run(cpu_ratio: float, stall_ms: float, writes: int) -> dict[str, Any]:
    """What one benchmark run reports, reduced to what `median_run` reads."""
    return {
        "P4": {
            "cpu_ratio": cpu_ratio,
            "cpu_ratio_to_same_shape": cpu_ratio / 1.25,
            "floor_cpu_ratio": 1.25,
            "integration": {"cpu": cpu_ratio / 10},
        },
        "P3": {
            "setup": {"most_computed_ours_cpu_ms": stall_ms},
            "polling": {"most_computed_ours_cpu_ms": 0.0},
        },
        "P6": {"state_changed_per_idle_cycle": writes},
    }


def test_repeated_runs_show_the_median_and_keep_the_worst() -> None:
    """`--repeat`: the table's run is the median one; a miss of any run is not hidden."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench import median_run  # noqa: PLC0415

    runs = [_run(2.4, 3.0, 0), _run(1.9, 12.0, 0), _run(2.1, 4.0, 2)]
    shown = median_run(runs)
    assert shown["P4"]["cpu_ratio"] == 2.1
    assert shown["P3"]["setup"]["most_computed_ours_cpu_ms"] == 4.0  # that run's own
    assert shown["repeats"]["runs"] == 3
    assert shown["repeats"]["cpu_ratio"] == [2.4, 1.9, 2.1]
    assert shown["repeats"]["most_computed_ours_cpu_ms"] == 12.0
    assert shown["repeats"]["state_changed_per_idle_cycle"] == 2
    assert "repeats" not in runs[2]  # the runs themselves are left as measured
    # Of two middle runs, the one further from the goal.
    assert median_run(runs[:2])["P4"]["cpu_ratio"] == 2.4


def test_the_stall_monitor_names_the_code_that_held_the_loop() -> None:
    """A 20 ms callback is reported with its own frame on the stack; a short one is not."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_stalls import StallMonitor  # noqa: PLC0415

    def hold_the_loop() -> None:
        # 20 ms of this thread's CPU, not of wall time: on a busy 2-core machine the
        # thread may wait for a CPU meanwhile, and then computed less than asserted.
        started = time.thread_time()
        while time.thread_time() - started < 0.02:
            pass

    async def run() -> StallMonitor:
        monitor = StallMonitor(phase="measured")
        monitor.start()
        try:
            loop = asyncio.get_running_loop()
            loop.call_soon(hold_the_loop)
            loop.call_soon(lambda: None)
            await asyncio.sleep(0.05)
        finally:
            monitor.stop()
        return monitor

    monitor = asyncio.run(run())
    (stall,) = monitor.stalls["measured"]
    assert stall.seconds >= 0.02
    assert stall.cause.endswith("hold_the_loop (not ours)")
    assert stall.cpu >= 0.015  # the loop thread computed it, it did not wait
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL  # put back as it was


def test_a_garbage_collection_is_left_out_of_a_stall_wall_and_cpu() -> None:
    """A collection during a callback is nobody's code: neither its time nor its CPU counts."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_stalls import StallMonitor  # noqa: PLC0415

    heap = [[] for _ in range(400_000)]  # containers for the collector to walk
    for item in heap:
        item.append(item)

    def compute_then_collect() -> None:
        started = time.thread_time()
        while time.thread_time() - started < 0.015:
            pass
        gc.collect()

    async def run() -> StallMonitor:
        monitor = StallMonitor(phase="measured")
        monitor.start()
        try:
            asyncio.get_running_loop().call_soon(compute_then_collect)
            await asyncio.sleep(0.05)
        finally:
            monitor.stop()
        return monitor

    monitor = asyncio.run(run())
    del heap
    (stall,) = monitor.stalls["measured"]
    assert stall.collecting >= 0.005
    assert 0.013 <= stall.cpu <= stall.seconds + 0.002  # the 15 ms computed, not the collection
