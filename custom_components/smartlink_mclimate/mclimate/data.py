"""What a loaded MClimate account keeps at hand (its config entry's runtime data)."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

from ..clients.mclimate import MClimateClient


@dataclass(slots=True)
class MClimateRuntimeData:
    """A household account: its API client and the OAuth2 session that feeds it tokens."""

    client: MClimateClient
    oauth_session: OAuth2Session
