"""The one exception hierarchy both clients raise.

Messages carry what went wrong (status, endpoint path, the cloud's detail),
never a credential, a token or a request header.
"""

from __future__ import annotations


class CloudError(Exception):
    """Base class: anything that went wrong talking to a cloud."""


class CloudAuthenticationError(CloudError):
    """The credentials or token were refused (401/403): the user must sign in again."""


class CloudRateLimitedError(CloudError):
    """The cloud answered 429; `retry_after` is the wait in seconds it asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the wait the cloud asked for."""
        super().__init__(message)
        self.retry_after = retry_after


class CloudConnectionError(CloudError):
    """The cloud could not be reached (DNS, refused connection, reset, TLS)."""


class CloudTimeoutError(CloudConnectionError):
    """The cloud did not answer in time."""


class CloudServerError(CloudError):
    """The cloud failed on its side (5xx); worth retrying later."""

    def __init__(self, message: str, status: int) -> None:
        """Keep the HTTP status."""
        super().__init__(message)
        self.status = status


class CloudRequestError(CloudError):
    """The cloud rejected the request (4xx other than auth and rate limit)."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        """Keep the HTTP status and the cloud's own explanation."""
        super().__init__(message)
        self.status = status
        self.detail = detail


class CloudResponseError(CloudError):
    """The cloud answered something we cannot read; the message says what was wrong."""
