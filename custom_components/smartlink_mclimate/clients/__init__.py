"""What both cloud clients share: one error hierarchy, one JSON-over-HTTP core, lenient models.

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
]
