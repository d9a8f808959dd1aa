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

# Home SmartLink homes are config subentries of the partner entry.
SUBENTRY_HOME: Final = "home"
CONF_HOME_ID: Final = "home_id"

# Home SmartLink options (options flow).
CONF_DEROGATION_DURATION: Final = "derogation_duration"  # minutes a target temperature lasts
DEFAULT_DEROGATION_DURATION: Final = 120
MIN_DEROGATION_DURATION: Final = 5  # the API's 5-minute step
MAX_DEROGATION_DURATION: Final = 1440  # one day
CONF_TIME_ZONE: Final = "time_zone"  # IANA name of the homes' zone; default: Home Assistant's
CONF_FOLLOW_CONSENTS: Final = "follow_consents"  # add homes of new consents by themselves
DEFAULT_FOLLOW_CONSENTS: Final = False
