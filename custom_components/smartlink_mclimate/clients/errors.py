"""The one exception hierarchy both clients raise.

Messages carry what went wrong (status, endpoint path, the cloud's detail),
never a credential, a token or a request header. Errors raised for an HTTP
error answer also keep the cloud's own words from its RFC 7807 body, so Home
Assistant can show them: `detail` and, where MClimate sends it, `auth_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class CloudError(Exception):
    """Base class: anything that went wrong talking to a cloud.

    `status` is the HTTP status of an error answer (None when there was none),
    `detail` the answer's explanation ("" when it gave none) and `auth_errors`
    MClimate's `auth_errors` member (why a request was not authenticated).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        detail: str = "",
        auth_errors: Mapping[str, str] | None = None,
    ) -> None:
        """Keep what the cloud said along with the message."""
        super().__init__(message)
        self.status = status
        self.detail = detail
        self.auth_errors: Mapping[str, str] = MappingProxyType(dict(auth_errors or {}))


class CloudAuthenticationError(CloudError):
    """The credentials or token were refused (401/403): the user must sign in again."""


class CloudRateLimitedError(CloudError):
    """The cloud answered 429; `retry_after` is the wait in seconds it asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None, *, detail: str = "") -> None:
        """Keep the wait the cloud asked for."""
        super().__init__(message, status=429, detail=detail)
        self.retry_after = retry_after


class CloudConnectionError(CloudError):
    """The cloud could not be reached (DNS, refused connection, reset, TLS)."""


class CloudTimeoutError(CloudConnectionError):
    """The cloud did not answer in time."""


class CloudServerError(CloudError):
    """The cloud failed on its side (5xx); worth retrying later."""

    status: int

    def __init__(self, message: str, status: int, *, detail: str = "") -> None:
        """Keep the HTTP status."""
        super().__init__(message, status=status, detail=detail)


class CloudRequestError(CloudError):
    """The cloud rejected the request (4xx other than auth and rate limit)."""

    status: int

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        """Keep the HTTP status and the cloud's own explanation."""
        super().__init__(message, status=status, detail=detail)


class CloudResponseError(CloudError):
    """The cloud answered something we cannot read; the message says what was wrong."""
