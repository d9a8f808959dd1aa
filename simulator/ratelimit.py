"""Per-client request budget: past it, the clouds answer 429 with Retry-After."""

from __future__ import annotations

from collections import defaultdict, deque
import math

from .clock import Clock


class RateLimiter:
    """A sliding window of `requests` per `window` seconds for each client key."""

    def __init__(self, clock: Clock, requests: int | None = None, window: float = 60.0) -> None:
        """`requests=None` means no limit."""
        self.clock = clock
        self.requests = requests
        self.window = window
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str) -> int | None:
        """Count one request; return None if allowed, else the seconds to wait."""
        if self.requests is None:
            return None
        now = self.clock.timestamp()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.requests:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None

    def reset(self) -> None:
        """Forget every client's past requests."""
        self._hits.clear()
