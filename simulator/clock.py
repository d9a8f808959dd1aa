"""A clock the simulator reads instead of the wall clock, so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall clock plus an offset; optionally frozen at a fixed instant.

    Derogation windows, diagnosis delays, token expiry and rate-limit windows
    all read this clock, so a test can jump five minutes without sleeping.
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        """Start at `start` (UTC if naive) or now; frozen clocks move only when told."""
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self._frozen = frozen
        self._fixed = start or datetime.now(UTC)
        self._offset = timedelta() if frozen or start is None else start - datetime.now(UTC)

    @property
    def frozen(self) -> bool:
        """Whether time moves only through `advance` and `set`."""
        return self._frozen

    def now(self) -> datetime:
        """The simulated current time, timezone-aware UTC."""
        if self._frozen:
            return self._fixed
        return datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        """The simulated current time as a POSIX timestamp."""
        return self.now().timestamp()

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move time forward (or back, with a negative value) and return the new now."""
        delta = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
        if self._frozen:
            self._fixed += delta
        else:
            self._offset += delta
        return self.now()

    def set(self, when: datetime) -> None:
        """Jump to an absolute instant (UTC if naive)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if self._frozen:
            self._fixed = when
        else:
            self._offset = when - datetime.now(UTC)
