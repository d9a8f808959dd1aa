"""JSON over HTTP with timeouts and error mapping, shared by both clients.

Every answer is read into a model here, so an answer that cannot be read
fails the same way for both clouds: a `CloudResponseError` naming the
endpoint and the member that was wrong.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
import json
import logging
from typing import Any

import aiohttp
from mashumaro import field_options
from mashumaro.config import BaseConfig

from .budget import RequestBudget
from .errors import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
)
from .model import MODEL_ERRORS, Model, describe, prepare_models
from .strategies import Integer, Text

_LOGGER = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 15.0
MAX_DETAIL = 300  # characters of a cloud's explanation kept in messages
DEFAULT_BUDGET = 120  # requests a minute, when the caller sets none


class JsonHttpClient:
    """Send JSON requests to one base URL and turn every failure into a `CloudError`.

    Subclasses supply the authorization header through `_auth_headers`; it is
    never logged nor put in an exception.
    """

    #: Seconds a request may take, answer included.
    request_timeout: float = DEFAULT_TIMEOUT

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        budget: RequestBudget | None = None,
    ) -> None:
        """Use the caller's session (never closed here) and this base URL.

        Every request sent is counted in `budget` (a fresh one unless shared).
        """
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.budget = budget or RequestBudget(DEFAULT_BUDGET)

    def __repr__(self) -> str:
        """Name the endpoint, never the credentials."""
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def _auth_headers(self) -> dict[str, str]:
        """Headers that authenticate a request (none by default)."""
        return {}

    async def _call[M: Model](
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> M:
        """Send one request and read its answer as `model`."""
        data = await self._request(method, path, json_body=json_body, params=params)
        if data is None:
            raise CloudResponseError(f"{method} {path}: the answer is empty")
        try:
            return model.from_dict(data)
        except MODEL_ERRORS as err:
            raise CloudResponseError(f"{method} {path}: {describe(err)}") from err

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        """Send one request; return the decoded JSON body (None when empty)."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        headers = {"Accept": "application/json"}
        if json_body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
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
            self.budget.record(0)
            raise CloudTimeoutError(
                f"{method} {path}: no answer within {self.request_timeout:g} s"
            ) from None
        except aiohttp.ClientError as err:
            self.budget.record(0)
            raise CloudConnectionError(f"{method} {path}: {type(err).__name__}") from None
        self.budget.record(status)
        _LOGGER.debug("%s %s -> %s", method, path, status)
        if status >= HTTPStatus.BAD_REQUEST:
            raise _error_for(method, path, status, body, retry_after)
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError:
            raise CloudResponseError(f"{method} {path}: the answer is not valid JSON") from None


def _texts(value: Any) -> dict[str, str]:
    """The members of an object that read as text (others are dropped)."""
    if not isinstance(value, Mapping):
        return {}
    read = Text(numbers=True)
    texts = {}
    for key, item in value.items():
        try:
            texts[str(key)] = read.deserialize(item)[:MAX_DETAIL]
        except ValueError:
            continue
    return texts


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem(Model):
    """An RFC 7807 error body; every member optional, as a failing server may skip any."""

    type: str | None = None
    status: int | None = None
    title: str | None = None
    detail: str | None = None
    message: str | None = None  # what some servers write instead of `detail`
    auth_errors: dict[str, str] = field(
        default_factory=dict, metadata=field_options(deserialize=_texts)
    )

    class Config(BaseConfig):
        """Numbers and text as written; anything else is not this member."""

        serialization_strategy = {str: Text(numbers=True), int: Integer()}  # noqa: RUF012

    @property
    def explanation(self) -> str:
        """The most specific explanation given ("" when none)."""
        return (self.detail or self.title or self.message or "")[:MAX_DETAIL]


def _problem(body: bytes) -> Problem:
    """The RFC 7807 body of an error answer; an empty one when it has none."""
    try:
        return Problem.from_dict(json.loads(body))
    except MODEL_ERRORS:
        return Problem()


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
    problem = _problem(body)
    detail = problem.explanation
    where = f"{method} {path}: HTTP {status}" + (f" ({detail})" if detail else "")
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        return CloudAuthenticationError(
            where, status=status, detail=detail, auth_errors=problem.auth_errors
        )
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return CloudRateLimitedError(where, parse_retry_after(retry_after), detail=detail)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return CloudServerError(where, status, detail=detail)
    return CloudRequestError(where, status, detail)


prepare_models()
