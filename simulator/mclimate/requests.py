"""Reading MClimate requests: JSON bodies, command values and collection parameters."""

from __future__ import annotations

from collections.abc import Mapping
import json
from typing import Any

from aiohttp import web

from simulator.problems import ProblemError


async def json_object(request: web.Request) -> dict[str, Any]:
    """The JSON object body; the API consumes application/json only."""
    if request.content_type != "application/json":
        raise ProblemError(400, "The API consumes application/json only")
    try:
        data = json.loads(await request.read())
    except ValueError:
        raise ProblemError(400, "Malformed JSON body") from None
    if not isinstance(data, dict):
        raise ProblemError(400, "The JSON body must be an object")
    return data


def int_value(value: Any) -> int | None:
    """An integer from JSON (21 or 21.0, never true/false), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def ranged(body: Mapping[str, Any], name: str, low: int, high: int) -> int:
    """A required integer field within [low, high], else 400."""
    if name not in body:
        raise ProblemError(400, f"{name} is required")
    value = int_value(body[name])
    if value is None or not low <= value <= high:
        raise ProblemError(400, f"{name} must be an integer between {low} and {high}")
    return value


def split(value: str) -> list[str]:
    """The items of a comma-separated parameter."""
    return [part.strip() for part in value.split(",") if part.strip()]


def fields_param(query: Mapping[str, str], valid: tuple[str, ...]) -> list[str] | None:
    """The names `fields` asks for (None: every field); unknown names are a 400."""
    if "fields" not in query:
        return None
    names = split(query["fields"])
    unknown = [name for name in names if name not in valid]
    if unknown:
        raise ProblemError(400, f"Unknown field(s) in fields: {', '.join(unknown)}")
    return names


def positive_int(query: Mapping[str, str], name: str, default: int, high: int | None) -> int:
    """An optional integer parameter from 1 (to `high`), else 400."""
    if name not in query:
        return default
    try:
        value = int(query[name])
    except ValueError:
        raise ProblemError(400, f"{name} must be a positive integer") from None
    if value < 1 or (high is not None and value > high):
        limit = f" up to {high}" if high is not None else ""
        raise ProblemError(400, f"{name} must be a positive integer{limit}")
    return value


def only_fields_param(query: Mapping[str, str]) -> None:
    """Entities take `fields` only: filters, sort and paging are for collections."""
    extra = sorted(set(query) - {"fields"})
    if extra:
        raise ProblemError(400, f"Not available on an entity: {', '.join(extra)}")
