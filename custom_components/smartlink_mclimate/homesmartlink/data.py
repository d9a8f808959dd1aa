"""What a loaded Home SmartLink account keeps at hand (its config entry's runtime data)."""

from __future__ import annotations

from dataclasses import dataclass

from ..clients.homesmartlink import HomeSmartLinkClient


@dataclass(slots=True)
class HomeSmartLinkRuntimeData:
    """A partner account: its API client."""

    client: HomeSmartLinkClient
