"""How far the last derogation sent through Home Assistant was delivered (`POST report`).

Followed from the call until `FOLLOW_AFTER_END` after its end trigger, once a
minute; then the last answer stays and no request is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from ..clients.homesmartlink import HomeSmartLinkClient, Report
from ..const import LOGGER
from ..helpers import update_errors
from .scheduled import Call, DerogationManager

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

REPORT_INTERVAL: Final = timedelta(minutes=1)
FOLLOW_AFTER_END: Final = timedelta(minutes=15)
"""Messages of the end trigger go out at its time; a quarter of an hour sees them acknowledged."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """The last call and the reports of its start and (once due) end triggers."""

    call: Call
    start: Report
    end: Report | None = None

    @property
    def ratio(self) -> float | None:
        """Percentage of targeted homes that acknowledged the start message."""
        summary = self.start.summary
        if not summary.requested:
            return None
        return round(100 * summary.received / summary.requested, 1)


class DeliveryCoordinator(DataUpdateCoordinator[Delivery | None]):
    """Reads the reports of the last call while they can still change."""

    config_entry: SmartLinkMClimateConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartLinkMClimateConfigEntry,
        client: HomeSmartLinkClient,
        derogations: DerogationManager,
    ) -> None:
        """Follow the last call remembered by `derogations`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name="Home SmartLink derogation delivery",
            update_interval=REPORT_INTERVAL,
        )
        self.client = client
        self._derogations = derogations

    async def _async_update_data(self) -> Delivery | None:
        """The reports of the last call, or the previous answer once it is settled."""
        call = self._derogations.last_call
        if call is None:
            return None
        now = dt_util.utcnow()
        previous = self.data
        if previous is not None and previous.call == call and now > call.end + FOLLOW_AFTER_END:
            return previous
        with update_errors():
            start = await self.client.get_report(call.start_trigger)
            end = await self.client.get_report(call.end_trigger) if now >= call.end else None
        return Delivery(call, start, end)
