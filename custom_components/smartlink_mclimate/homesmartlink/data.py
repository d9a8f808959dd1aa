"""What a loaded Home SmartLink account keeps at hand (its config entry's runtime data)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..clients.homesmartlink import HomeSmartLinkClient

if TYPE_CHECKING:
    from .coordinator import AccountCoordinator, HomeCoordinator
    from .delivery import DeliveryCoordinator
    from .diagnosis import DiagnosisManager
    from .pacing import HomePoller
    from .scheduled import DerogationManager


@dataclass(slots=True)
class HomeSmartLinkRuntimeData:
    """A partner account: its client, its coordinators and what it scheduled."""

    client: HomeSmartLinkClient
    semaphore: asyncio.Semaphore
    account: AccountCoordinator
    derogations: DerogationManager
    diagnoses: DiagnosisManager
    delivery: DeliveryCoordinator
    poller: HomePoller
    homes: dict[str, HomeCoordinator] = field(default_factory=dict)  # by subentry id

    def home(self, home_id: str) -> HomeCoordinator | None:
        """The coordinator of a home of this account, by home id."""
        return next((home for home in self.homes.values() if home.home_id == home_id), None)
