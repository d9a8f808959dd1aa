"""What both cloud clients share: one error hierarchy, one JSON-over-HTTP core, one JSON reader.

Nothing here imports Home Assistant: the clients could be published unchanged.
"""

from .errors import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
)
from .http import JsonHttpClient
from .reader import JsonObject

__all__ = [
    "CloudAuthenticationError",
    "CloudConnectionError",
    "CloudError",
    "CloudRateLimitedError",
    "CloudRequestError",
    "CloudResponseError",
    "CloudServerError",
    "CloudTimeoutError",
    "JsonHttpClient",
    "JsonObject",
]
