"""What a loaded MClimate account keeps at hand (its config entry's runtime data)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

from ..clients.mclimate import MClimateClient
from .coordinator import MClimateCoordinator


@dataclass(slots=True)
class MClimateRuntimeData:
    """A household account: its API client, OAuth2 session and coordinator."""

    client: MClimateClient
    oauth_session: OAuth2Session
    coordinator: MClimateCoordinator
