"""The typed config entry: one account of either service, with that service's runtime data."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry

from .homesmartlink.data import HomeSmartLinkRuntimeData
from .mclimate.data import MClimateRuntimeData

type SmartLinkMClimateConfigEntry = ConfigEntry[HomeSmartLinkRuntimeData | MClimateRuntimeData]
