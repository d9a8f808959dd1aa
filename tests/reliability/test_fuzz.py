"""Both clients' parsers, fuzzed over JSON shaped like the documents' answers.

Each answer starts from the document-shaped fixture of an endpoint; any
member may be dropped, replaced by any JSON value, or joined by an unknown
one, and whole answers may be any JSON at all. A client must return its
model or raise `CloudResponseError` - nothing else escapes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import json
from pathlib import Path
from typing import Any, cast

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.smartlink_mclimate.clients import CloudResponseError
from custom_components.smartlink_mclimate.clients.homesmartlink import HomeSmartLinkClient
from custom_components.smartlink_mclimate.clients.mclimate import MClimateClient

FIXTURES = Path(__file__).parents[1] / "clients" / "fixtures"
DROP = object()

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def mutated(value: Any) -> st.SearchStrategy[Any]:
    """The document's value, each part of it kept, changed or (for members) dropped."""
    if isinstance(value, dict):
        members = [
            st.tuples(st.just(key), st.one_of(mutated(item), st.just(DROP), ANY_JSON))
            for key, item in value.items()
        ]
        extra = st.dictionaries(st.text(max_size=8), ANY_JSON, max_size=2)
        return st.builds(
            lambda pairs, more: {**{k: v for k, v in pairs if v is not DROP}, **more},
            st.tuples(*members),
            extra,
        )
    if isinstance(value, list):
        items = [mutated(item) for item in value[:3]]
        return st.one_of(st.tuples(*items).map(list), st.just([]), st.lists(ANY_JSON, max_size=3))
    return st.one_of(st.just(value), SCALARS)


def fixture(cloud: str, name: str) -> Any:
    return json.loads((FIXTURES / cloud / f"{name}.json").read_text(encoding="utf-8"))


def answers(cloud: str, name: str) -> st.SearchStrategy[Any]:
    """Answers of one endpoint: the document's shape damaged, or any JSON."""
    return st.one_of(mutated(fixture(cloud, name)), ANY_JSON)


SESSION = cast("aiohttp.ClientSession", None)  # never used: `_request` answers instead
HSL: dict[str, tuple[str, Callable[[HomeSmartLinkClient], Awaitable[Any]]]] = {
    "config": ("config", lambda c: c.get_home_config("home")),
    "invitations": ("invitations", lambda c: c.get_invitations("a@example.com")),
    "report": ("report", lambda c: c.get_report("trigger")),
    "users": ("users", lambda c: c.get_users()),
    "request": ("request_post", lambda c: c.request_diagnosis("home")),
    "diagnosis": ("request_put", lambda c: c.get_diagnosis("message")),
}
MCLIMATE: dict[str, tuple[str, Callable[[MClimateClient], Awaitable[Any]]]] = {
    "user": ("users_me", lambda c: c.get_user()),
    "controllers": ("controllers", lambda c: c.get_controllers()),
    "controller": ("controller", lambda c: c.get_controller("SERIAL")),
    "melissa": ("fetch_melissa", lambda c: c.fetch("SERIAL", "melissa")),
    "bobbie": ("fetch_bobbie", lambda c: c.fetch("SERIAL", "bobbie")),
    "vicki": ("fetch_vicki", lambda c: c.fetch("SERIAL", "vicki")),
    "switch": ("fetch_bobbie", lambda c: c.switch("SERIAL", "bobbie", on=True)),
}


def read(client: Any, call: Callable[[Any], Awaitable[Any]], answer: Any) -> None:
    """Feed `answer` to the client as the cloud's decoded body; only its error may escape."""

    async def request(*args: Any, **kwargs: Any) -> Any:
        return answer

    client._request = request
    with contextlib.suppress(CloudResponseError):
        asyncio.run(call(client))


FUZZ = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("endpoint", list(HSL))
def test_homesmartlink_parsers(endpoint: str) -> None:
    name, call = HSL[endpoint]
    client = HomeSmartLinkClient(SESSION, "https://partner.invalid", "id", "secret")

    @FUZZ
    @given(answers("homesmartlink", name))
    def check(answer: Any) -> None:
        read(client, call, answer)

    check()


@pytest.mark.parametrize("endpoint", list(MCLIMATE))
def test_mclimate_parsers(endpoint: str) -> None:
    name, call = MCLIMATE[endpoint]
    client = MClimateClient(SESSION, "token", base_url="https://api.invalid/v1")

    @FUZZ
    @given(answers("mclimate", name))
    def check(answer: Any) -> None:
        read(client, call, answer)

    check()
