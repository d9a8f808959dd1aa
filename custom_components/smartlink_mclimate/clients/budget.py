"""How many requests an account sent lately, and how often the cloud said "too many".

Neither cloud publishes its limit (MClimate's document says only that it limits
per application and per token), so the integration keeps its own budget per
account and shows this count: when a cloud starts limiting, users can see why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from http import HTTPStatus
import time

WINDOW = 60.0  # seconds: budgets are per minute


class RequestBudget:
    """Requests sent in the last minute against a limit, and the 429 answers seen."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        """Count against `limit` requests a minute; `clock` is monotonic seconds."""
        self.limit = limit
        self._clock = clock
        self._sent: deque[float] = deque()
        self.rate_limited = 0

    def record(self, status: int) -> None:
        """Count one answered request (a request that got no answer is counted too: 0)."""
        self._sent.append(self._clock())
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            self.rate_limited += 1
        self._forget()

    @property
    def sent(self) -> int:
        """Requests sent in the last minute."""
        self._forget()
        return len(self._sent)

    @property
    def remaining(self) -> int:
        """What is left of the budget this minute (never negative)."""
        return max(0, self.limit - self.sent)

    def _forget(self) -> None:
        horizon = self._clock() - WINDOW
        while self._sent and self._sent[0] <= horizon:
            self._sent.popleft()
