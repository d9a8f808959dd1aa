"""Constants of the Home SmartLink & MClimate integration."""

from __future__ import annotations

from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "smartlink_mclimate"
LOGGER = logging.getLogger(__package__)


class Service(StrEnum):
    """Which cloud a config entry talks to (stored in entry.data["service"])."""

    HOMESMARTLINK = "homesmartlink"
    MCLIMATE = "mclimate"


CONF_SERVICE: Final = "service"
CONF_BASE_URL: Final = "base_url"  # Home SmartLink: given to each partner on registration
CONF_API_URL: Final = "api_url"  # MClimate API root (the token URL is <API root>/token)
CONF_AUTHORIZE_URL: Final = "authorize_url"  # MClimate sign-in page
