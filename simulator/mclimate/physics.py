"""How simulated rooms and tanks move: a daily swing and first-order lags."""

from __future__ import annotations

from dataclasses import dataclass
import math


def diurnal(now: float, amplitude: float, peak_hour: float = 15.0) -> float:
    """A daily swing peaking at `peak_hour` UTC."""
    return amplitude * math.cos(2 * math.pi * (now / 86400 - peak_hour / 24))


@dataclass
class Lag:
    """A value pulled towards a goal with a first-order lag (no jumps on changes).

    `offset` is how far the value was from its free-running level at `since`;
    the offset then moves towards `goal - free` with time constant `tau`.
    """

    tau: float
    since: float
    offset: float = 0.0

    def value(self, free: float, goal: float | None, now: float) -> float:
        """The current value for this free-running level and goal."""
        target = 0.0 if goal is None else goal - free
        weight = math.exp(-max(0.0, now - self.since) / self.tau)
        return free + target + (self.offset - target) * weight

    def settle(self, free: float, goal: float | None, now: float) -> None:
        """Freeze the current value before the goal changes."""
        self.offset = self.value(free, goal, now) - free
        self.since = now
