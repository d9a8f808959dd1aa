"""What a loaded config entry keeps at hand (entry.runtime_data)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

from .clients.homesmartlink.api import HomeSmartLinkClient
from .clients.mclimate.api import MClimateClient


@dataclass(slots=True)
class HomeSmartLinkRuntimeData:
    """A partner account: its API client."""

    client: HomeSmartLinkClient


@dataclass(slots=True)
class MClimateRuntimeData:
    """A household account: its API client and the OAuth2 session that feeds it tokens."""

    client: MClimateClient
    oauth_session: OAuth2Session


type SmartLinkMClimateConfigEntry = ConfigEntry[HomeSmartLinkRuntimeData | MClimateRuntimeData]
