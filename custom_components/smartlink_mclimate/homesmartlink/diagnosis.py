"""The two-step diagnosis of a home: `POST request`, then `PUT request` about five minutes later.

Nothing waits for the gateway: the request returns a message id at once, a
timer reads the result later, and the pending id is kept in a `Store` so a
restart in between still reads it. The document's result has only
`_created_at` and `acknowledge`, so the outcome is built on those; any other
member a server adds (the simulator's status and diagnosis) is only shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..clients import CloudError
from ..clients.homesmartlink import HomeSmartLinkClient
from ..const import DOMAIN, LOGGER
from ..helpers import command_errors
from .storage import account_store

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

DIAGNOSIS_DELAY: Final = timedelta(minutes=5)
"""The document's recommended wait between the request and reading its result."""


class Outcome(StrEnum):
    """How a diagnosis ended (the event types of the home's diagnosis event entity)."""

    ACKNOWLEDGED = "acknowledged"  # the gateway confirmed the request
    NOT_ACKNOWLEDGED = "not_acknowledged"  # no confirmation by the time it was read
    FAILED = "failed"  # refused at request time (NOK) or the result could not be read


@dataclass(frozen=True, slots=True)
class Result:
    """The last diagnosis of a home."""

    message_id: str | None
    outcome: str
    requested_at: str
    read_at: str
    created_at: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class DiagnosisManager:
    """Requests diagnoses, reads them when due and tells the home's entities."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        client: HomeSmartLinkClient,
    ) -> None:
        """One store per account: pending ids and last results, by home id."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._store = account_store(hass, entry.entry_id, "diagnoses")
        self.pending: dict[str, dict[str, str]] = {}
        self.results: dict[str, Result] = {}
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._listeners: dict[str, list[Callable[[Result | None], None]]] = {}

    async def async_load(self) -> None:
        """Read what was pending before a restart and schedule reading it."""
        stored = await self._store.async_load() or {}
        self.pending = stored.get("pending", {})
        self.results = {home: Result(**data) for home, data in stored.get("results", {}).items()}
        for home_id, pending in self.pending.items():
            self._schedule(home_id, datetime.fromisoformat(pending["requested_at"]))

    @callback
    def async_shutdown(self) -> None:
        """Cancel the timers (the pending ids stay stored)."""
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()

    @callback
    def async_listen(
        self, home_id: str, listener: Callable[[Result | None], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with each new result of this home (None: a request is pending)."""
        listeners = self._listeners.setdefault(home_id, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    async def async_request(self, home_id: str) -> str:
        """Ask the home for a diagnosis; its result is read after `DIAGNOSIS_DELAY`."""
        now = dt_util.utcnow()
        with command_errors(self._hass, self._entry):
            request = await self._client.request_diagnosis(home_id)
        if not request.accepted or request.message_id is None:
            await self._async_finish(
                home_id,
                Result(request.message_id, Outcome.FAILED, now.isoformat(), now.isoformat()),
            )
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="diagnosis_refused")
        self.pending[home_id] = {"message_id": request.message_id, "requested_at": now.isoformat()}
        await self._async_save()
        self._schedule(home_id, now)
        self._notify(home_id, None)
        return request.message_id

    def _schedule(self, home_id: str, requested_at: datetime) -> None:
        if cancel := self._timers.pop(home_id, None):
            cancel()
        delay = max(0.0, (requested_at + DIAGNOSIS_DELAY - dt_util.utcnow()).total_seconds())

        @callback
        def due(_now: datetime) -> None:
            self._timers.pop(home_id, None)
            self._entry.async_create_background_task(
                self._hass, self._async_read(home_id), f"{DOMAIN} diagnosis {home_id[-6:]}"
            )

        self._timers[home_id] = async_call_later(self._hass, delay, due)

    async def _async_read(self, home_id: str) -> None:
        pending = self.pending.get(home_id)
        if pending is None:
            return
        message_id = pending["message_id"]
        now = dt_util.utcnow().isoformat()
        try:
            diagnosis = await self._client.get_diagnosis(message_id)
        except CloudError as err:
            LOGGER.warning("The diagnosis of a home could not be read: %s", err)
            result = Result(message_id, Outcome.FAILED, pending["requested_at"], now)
        else:
            outcome = Outcome.ACKNOWLEDGED if diagnosis.acknowledge else Outcome.NOT_ACKNOWLEDGED
            created = diagnosis.created_at.isoformat() if diagnosis.created_at else None
            details = dict(diagnosis.details)
            if diagnosis.status is not None:
                details["status"] = diagnosis.status
            result = Result(message_id, outcome, pending["requested_at"], now, created, details)
        self.pending.pop(home_id, None)
        await self._async_finish(home_id, result)

    async def _async_finish(self, home_id: str, result: Result) -> None:
        self.results[home_id] = result
        await self._async_save()
        self._notify(home_id, result)

    def _notify(self, home_id: str, result: Result | None) -> None:
        for listener in list(self._listeners.get(home_id, [])):
            listener(result)

    async def _async_save(self) -> None:
        await self._store.async_save(
            {
                "pending": self.pending,
                "results": {home: asdict(result) for home, result in self.results.items()},
            }
        )
