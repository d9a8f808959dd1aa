"""HAL answers of the controllers resource: filters, sort, fields, pages and links.

`total` is the number of entities in *this* answer, as the document defines
it. `self` is the URL as requested; `first` and `last` keep the request's
other parameters and end with `page=N`. A page past the last one, or a filter
that matches nothing, answers the entity shape with only a `self` link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import math
from typing import Any, Final
from urllib.parse import urlencode

from simulator.problems import ProblemError

from .requests import fields_param, positive_int, split

PAGE_SIZE: Final = 30
MAX_LIMIT: Final = 100
# Fields of the controllers resource. Scalars can filter and sort; a list can
# only be asked for in `fields`.
SCALAR_FIELDS: Final = (
    "user_id",
    "serial_number",
    "mac",
    "firmware_version",
    "name",
    "type",
    "id",
    "room_id",
    "online",
    "brand_id",
    "created",
)
LIST_FIELDS: Final = ("controller_log",)
COLLECTION_FIELDS: Final = (*SCALAR_FIELDS, *LIST_FIELDS, "_relation")
ENTITY_FIELDS: Final = COLLECTION_FIELDS
COLLECTION_PARAMS: Final = ("page", "limit", "fields", "sort")


def collection(
    items: list[dict[str, Any]], path: str, path_qs: str, query: Mapping[str, str]
) -> dict[str, Any]:
    """One page of controllers as the query asks for it."""
    filters = {k: v for k, v in query.items() if k not in COLLECTION_PARAMS}
    bad = sorted(name for name in filters if name not in SCALAR_FIELDS)
    if bad:
        raise ProblemError(400, f"Not a filterable field of controllers: {', '.join(bad)}")
    names = fields_param(query, COLLECTION_FIELDS)
    page = positive_int(query, "page", 1, None)
    limit = positive_int(query, "limit", PAGE_SIZE, MAX_LIMIT)
    items = [i for i in items if all(_matches(i[k], v) for k, v in filters.items())]
    items = _sorted(items, query.get("sort"))
    last = max(1, math.ceil(len(items) / limit))
    chunk = items[(page - 1) * limit : page * limit]
    if not chunk:
        return {"_links": {"self": {"href": path_qs}}}
    others = [(k, v) for k, v in query.items() if k != "page"]
    return {
        "_embedded": {"controller": [project(i, names) for i in chunk]},
        "total": len(chunk),
        "_links": {
            "self": {"href": path_qs},
            "first": {"href": _link(path, [*others, ("page", "1")])},
            "last": {"href": _link(path, [*others, ("page", str(last))])},
        },
    }


def project(resource: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    """Keep only the asked fields (and `_links`, which HAL requires)."""
    if names is None:
        return resource
    return {k: v for k, v in resource.items() if k in names or k == "_links"}


def _sorted(items: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Sort by each named field, the first one most significant; `-` descends."""
    keys = split(sort or "")
    bad = [key for key in keys if key.lstrip("-") not in SCALAR_FIELDS]
    if bad:
        raise ProblemError(400, f"Cannot sort controllers by: {', '.join(bad)}")
    for key in reversed(keys):
        items = sorted(items, key=_sort_key(key.lstrip("-")), reverse=key.startswith("-"))
    return items


def _sort_key(name: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    def key(item: dict[str, Any]) -> tuple[bool, Any]:
        value = item.get(name)
        return (value is not None, value if value is not None else 0)

    return key


def _matches(value: Any, wanted: str) -> bool:
    """Whether a field value equals a query string value (`online=true|false|1|0`)."""
    if isinstance(value, bool):
        return wanted.lower() in (("true", "1") if value else ("false", "0"))
    if value is None:
        return wanted.lower() in ("", "null")
    return str(value) == wanted


def _link(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}"
