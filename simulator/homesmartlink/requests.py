"""Reading the partner API's requests: JSON bodies and paging parameters, or a 400."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from simulator.problems import ProblemError


async def json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object, or a 400 problem."""
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise ProblemError(400, "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ProblemError(400, "The body must be a JSON object")
    return body


def string_member(body: dict[str, Any], name: str) -> str:
    """A required non-empty string member."""
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ProblemError(400, f"'{name}' is required and must be a non-empty string")
    return value


def positive_query(request: web.Request, name: str, default: int) -> int:
    """An optional query parameter that must be an integer >= 1."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ProblemError(400, f"'{name}' must be an integer >= 1") from None
    if value < 1:
        raise ProblemError(400, f"'{name}' must be an integer >= 1")
    return value


def is_int(value: Any) -> bool:
    """A JSON integer (not a boolean, not a float)."""
    return isinstance(value, int) and not isinstance(value, bool)
