"""One schedule for every home of an account: polls one at a time, evenly spread.

Per-home timers that start together poll in one burst every interval. Here
the homes take turns instead: slot `j` falls at `origin + j * spacing` and
reads the next home in a fixed round, with `spacing = interval / homes`, so
any minute holds at most `POLLS_PER_MINUTE` polls. Set-up reads the first
homes at once (as many as one minute's share allows, `first_reads`); the
round then starts with the next home at the slot that is its own, at least
one minute later, and every home is read again one interval after its
previous read.
"""

from __future__ import annotations

from datetime import datetime
import math
from typing import TYPE_CHECKING, Final

from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_at
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from .coordinator import POLLS_PER_MINUTE, HomeCoordinator, home_interval

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

CATCH_UP: Final = 60.0
"""Slots missed while the loop was held up are run late, but only those of the last minute."""
JUMP: Final = 1.0
"""Seconds a timer may report ahead of the clock before it counts as a jump in time."""


def first_reads(homes: int) -> int:
    """How many homes set-up reads at once: one minute's share of polls at most."""
    return min(homes, math.floor(POLLS_PER_MINUTE))


class HomePoller:
    """Takes the account's homes in turn, one slot each, spread over the poll interval."""

    def __init__(self, hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> None:
        """Nothing is polled until `start`."""
        self._hass = hass
        self._entry = entry
        self._homes: list[HomeCoordinator] = []
        self._next = 0  # index in _homes of the home the next slot reads
        self._next_at = 0.0  # loop time of the next slot
        self._spacing = 0.0
        self._cancel: CALLBACK_TYPE | None = None
        self._job = HassJob(self._run, f"{DOMAIN} home polls", cancel_on_shutdown=True)

    @property
    def spacing(self) -> float:
        """Seconds between two polls of the account."""
        return self._spacing

    @callback
    def start(self, homes: list[HomeCoordinator], read: int) -> None:
        """Poll `homes` in this order; the first `read` of them were just read."""
        self.stop()
        self._homes = list(homes)
        if not self._homes:
            return
        self._spacing = home_interval(len(self._homes)).total_seconds() / len(self._homes)
        self._next = read % len(self._homes)
        self._next_at = self._hass.loop.time() + read * self._spacing
        self._schedule()

    @callback
    def update(self, homes: list[HomeCoordinator]) -> None:
        """Follow homes added (polled last in the round) or removed, keeping the turn."""
        if not self._homes:
            self.start(homes, first_reads(len(homes)))
            return
        upcoming = self._homes[self._next :] + self._homes[: self._next]
        kept = {id(home) for home in homes}
        order = [home for home in upcoming if id(home) in kept]
        known = {id(home) for home in order}
        order += [home for home in homes if id(home) not in known]
        self.stop()
        self._homes = order
        if not order:
            return
        self._next = 0
        self._spacing = home_interval(len(order)).total_seconds() / len(order)
        self._next_at = self._hass.loop.time() + self._spacing
        self._schedule()

    @callback
    def stop(self) -> None:
        """Cancel the next slot."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    @callback
    def _schedule(self) -> None:
        self._cancel = async_call_at(self._hass, self._job, self._next_at)

    @callback
    def _run(self, fired_at: datetime) -> None:
        """Read the home of every slot now due (those of the last minute), then wait."""
        self._cancel = None
        # The slot this timer was set for is due. A timer that reports a later time
        # than the clock's (Home Assistant's test harness moves time so) makes the
        # slots up to that time due too, and the round goes on from there.
        ahead = (fired_at - dt_util.utcnow()).total_seconds()
        ahead = ahead if ahead >= JUMP else 0.0
        now = max(self._hass.loop.time() + ahead, self._next_at)
        if (late := now - CATCH_UP - self._next_at) > 0:
            skipped = math.ceil(late / self._spacing)
            self._next = (self._next + skipped) % len(self._homes)
            self._next_at += skipped * self._spacing
        while self._next_at <= now:
            self._poll(self._homes[self._next], now)
            self._next = (self._next + 1) % len(self._homes)
            self._next_at += self._spacing
        self._next_at -= ahead
        self._schedule()

    @callback
    def _poll(self, home: HomeCoordinator, now: float) -> None:
        """Refresh one home unless polling is off, the cloud asked to wait, or reauth is due."""
        if (
            self._entry.pref_disable_polling
            or home.retry_at > now
            or isinstance(home.last_exception, ConfigEntryAuthFailed)
        ):
            return
        self._entry.async_create_background_task(
            self._hass, home.async_refresh(), f"{DOMAIN} poll of {home.name}"
        )
