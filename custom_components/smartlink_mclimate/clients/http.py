"""JSON over HTTP with timeouts and error mapping, shared by both clients."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
import json
import logging
from typing import Any

import aiohttp

from .errors import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
)

_LOGGER = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 15.0


class JsonHttpClient:
    """Send JSON requests to one base URL and turn every failure into a `CloudError`.

    Subclasses supply the authorization header through `_auth_headers`; it is
    never logged nor put in an exception.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        request_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Use the caller's session (never closed here) and this base URL."""
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.request_timeout = request_timeout

    def __repr__(self) -> str:
        """Name the endpoint, never the credentials."""
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def _auth_headers(self) -> dict[str, str]:
        """Headers that authenticate a request (none by default)."""
        return {}

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
        authenticated: bool = True,
    ) -> Any:
        """Send one request; return the decoded JSON body (None when empty)."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        headers = {"Accept": "application/json"}
        if json_body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if authenticated:
            headers.update(await self._auth_headers())
        try:
            async with asyncio.timeout(self.request_timeout):
                async with self._session.request(
                    method,
                    url,
                    json=json_body,
                    params=params,
                    headers=headers,
                    allow_redirects=False,
                ) as response:
                    body = await response.read()
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
        except TimeoutError:
            raise CloudTimeoutError(
                f"{method} {path}: no answer within {self.request_timeout:g} s"
            ) from None
        except aiohttp.ClientError as err:
            raise CloudConnectionError(f"{method} {path}: {type(err).__name__}") from None
        _LOGGER.debug("%s %s -> %s", method, path, status)
        if status >= HTTPStatus.BAD_REQUEST:
            raise _error_for(method, path, status, body, retry_after)
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError:
            raise CloudResponseError(f"{method} {path}: the answer is not valid JSON") from None


def _problem_detail(body: bytes) -> str:
    """The `detail` (or `title`) of an RFC 7807 body, if there is one."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    detail = data.get("detail") or data.get("title") or data.get("message") or ""
    return str(detail)[:300]


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_for(
    method: str, path: str, status: int, body: bytes, retry_after: str | None
) -> Exception:
    detail = _problem_detail(body)
    where = f"{method} {path}: HTTP {status}" + (f" ({detail})" if detail else "")
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        return CloudAuthenticationError(where)
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return CloudRateLimitedError(where, parse_retry_after(retry_after))
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return CloudServerError(where, status)
    return CloudRequestError(where, status, detail)
