"""Find event-loop stalls and the code that caused them.

Every callback the loop runs (`asyncio.Handle._run`, which also runs each
step of every task) is timed, and a one-shot timer armed for its run: when
it runs past `SAMPLE_AFTER`, the timer's signal interrupts the loop thread and
the handler takes the interrupted stack, so a stall is named by the code that
was running during it, not by the task it belonged to. Garbage-collector pauses are timed
apart (`gc.callbacks`) and left out: they stop the loop wherever it happens to
be, whoever made the garbage. Lighter than asyncio's debug mode, which would
slow everything it measures. What the monitor costs grows with the callbacks
it times (about 3 µs each), not with time: a watchdog thread waking every 2 ms
(it took the interpreter lock from the loop each time), or a timer signal every
3 ms (66 µs each on these machines), charged the integration's set-up, which
waits seconds for the simulated network, up to a quarter more CPU than the
references, over in a fraction of a second.
"""

# The monitor patches asyncio's private callback runner and reads the frames it interrupts:
# private by nature, and only ever run by the benchmark (from the main thread: signals).
# ruff: noqa: SLF001

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import contextlib
from dataclasses import dataclass, field
import gc
import signal
import time
import traceback
from types import FrameType
from typing import Any, ClassVar

THRESHOLD = 0.010  # seconds: a stall worth reporting
SAMPLE_AFTER = 0.006
OURS = "custom_components/smartlink_mclimate"


@dataclass
class Stall:
    """One callback that held the loop, and where."""

    seconds: float
    ours: bool
    cause: str
    stack: list[str] = field(default_factory=list)
    collecting: float = 0.0  # left out of both: Python's garbage collector (anyone's objects)
    cpu: float = 0.0  # CPU time the loop thread itself used during it, collections apart


@dataclass
class StallMonitor:
    """Longest stalls per phase; `phase` names what the benchmark is doing."""

    phase: str = "idle"
    stalls: dict[str, list[Stall]] = field(default_factory=dict)
    _current: int | None = None  # the sequence number of the callback running
    _sampled: dict[int, list[traceback.FrameSummary]] = field(default_factory=dict)
    _sequence: int = 0
    _gc_started: float = 0.0
    _gc_in_handle: float = 0.0
    collecting: float = 0.0  # seconds of garbage collection, every phase and the bench's
    _original: ClassVar[Any] = None

    def start(self) -> None:
        """Patch the loop's callback runner and catch the sampling timer's signal."""
        monitor = self
        original = asyncio.events.Handle._run
        StallMonitor._original = original

        def timed_run(handle: asyncio.Handle) -> None:
            monitor._sequence += 1
            number = monitor._sequence
            started = time.perf_counter()
            cpu_started = time.thread_time()
            monitor._current = number
            monitor._gc_in_handle = 0.0
            signal.setitimer(signal.ITIMER_REAL, SAMPLE_AFTER)
            try:
                original(handle)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                monitor._current = None
                elapsed = time.perf_counter() - started
                cpu = time.thread_time() - cpu_started
                stack = monitor._sampled.pop(number, None)
                if elapsed - monitor._gc_in_handle >= THRESHOLD:
                    monitor._record(elapsed, cpu, handle, stack)

        asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
        gc.callbacks.append(self._collecting)
        signal.signal(signal.SIGALRM, self._sample)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Keep what runs inside (the benchmark's own work) out of every phase."""
        phase, self.phase = self.phase, "bench"
        try:
            yield
        finally:
            self.phase = phase

    def stop(self) -> None:
        """Put the loop back as it was."""
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if self._collecting in gc.callbacks:
            gc.callbacks.remove(self._collecting)
        if StallMonitor._original is not None:
            asyncio.events.Handle._run = StallMonitor._original  # type: ignore[method-assign]

    def _collecting(self, step: str, _info: dict[str, int]) -> None:
        """Time the collector: its pauses are nobody's code in particular."""
        if step == "start":
            self._gc_started = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_started
            self._gc_in_handle += took
            self.collecting += took

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        """Take the stack of a callback that has run long (the frame it was interrupted in)."""
        current = self._current
        if current is None or frame is None:  # the timer fired as the callback ended
            return
        # Without reading source lines: the stall it looks at goes on meanwhile.
        self._sampled[current] = traceback.StackSummary.extract(
            traceback.walk_stack(frame), lookup_lines=False
        )[::-1]

    def _record(
        self,
        elapsed: float,
        cpu: float,
        handle: asyncio.Handle,
        stack: list[traceback.FrameSummary] | None,
    ) -> None:
        frames = [f for f in stack or [] if f.name != "_sample"]
        ours = [f for f in frames if OURS in f.filename]
        if ours:
            where = ours[-1]
            cause = f"{_short(where.filename)}:{where.lineno} {where.name}"
        elif frames:
            where = frames[-1]
            cause = f"{_short(where.filename)}:{where.lineno} {where.name} (not ours)"
        else:
            cause = f"{_describe(handle)} (no sample)"
        lines = [f"{_short(f.filename)}:{f.lineno} {f.name}" for f in frames[-12:]]
        collecting = self._gc_in_handle
        # The collector runs on this thread: its CPU is no more the callback's than its wall time.
        computed = max(cpu - collecting, 0.0)
        stall = Stall(elapsed - collecting, bool(ours), cause, lines, collecting, computed)
        self.stalls.setdefault(self.phase, []).append(stall)

    def worst(self, phase: str) -> Stall | None:
        """The longest stall of a phase."""
        stalls = self.stalls.get(phase, [])
        return max(stalls, key=lambda s: s.seconds) if stalls else None

    def worst_ours(self, phase: str) -> Stall | None:
        """The longest stall of a phase in which the integration's code was running."""
        stalls = [s for s in self.stalls.get(phase, []) if s.ours]
        return max(stalls, key=lambda s: s.seconds) if stalls else None

    def most_computed_ours(self, phase: str) -> Stall | None:
        """The stall of a phase in which the integration's code computed longest.

        What the loop thread computed is what the code caused; the rest of a
        stall it waited for a CPU that the simulator (another machine, in life)
        or a collection held.
        """
        stalls = [s for s in self.stalls.get(phase, []) if s.ours]
        return max(stalls, key=lambda s: s.cpu) if stalls else None


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _describe(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        return getattr(coro, "__qualname__", repr(coro))
    return getattr(callback, "__qualname__", repr(callback))
