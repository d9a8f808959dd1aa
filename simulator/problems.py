"""RFC 7807 error answers, the shape both clouds use for failures."""

from __future__ import annotations

from http import HTTPStatus
import json
from typing import Any

from aiohttp import web

PROBLEM_TYPE = "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"


class ProblemError(Exception):
    """Raised by a handler to answer an RFC 7807 error instead of its result."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Remember what to answer; `extra` adds members such as `auth_errors`."""
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}

    def response(self) -> web.Response:
        """The aiohttp response for this problem."""
        return problem(self.status, self.detail, headers=self.headers, extra=self.extra)


def problem(
    status: int,
    detail: str = "",
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> web.Response:
    """An RFC 7807 body with the documented members (`type`, `status`, `title`, `detail`)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "status": status,
        "title": HTTPStatus(status).phrase,
        "detail": detail,
        **(extra or {}),
    }
    return web.Response(
        status=status,
        text=json.dumps(body),
        content_type="application/problem+json",
        headers=headers,
    )
