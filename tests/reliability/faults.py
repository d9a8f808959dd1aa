"""Faults the simulator's plan has no kind for, built from its own parts.

The simulator answers per route; these add what the matrix needs on top: a
fault aimed at one home or one controller (by a member of the request body),
a connection cut in the middle of the answer, and JSON damage that adds an
unknown member, empties a list or gives a member another value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from simulator import Simulator
from simulator.faults import ACTIONS, Fault, FaultAction, JsonDamage


@dataclass
class AimedFault(Fault):
    """A fault of the plan that fires only for requests whose JSON body holds `body`.

    The simulator records a request just before it asks the plan which faults
    fire, with no wait in between, so the last recorded request is this one.
    """

    custom: FaultAction | None = None
    body: tuple[str, Any] | None = None
    simulator: Simulator | None = None

    @property
    def action(self) -> FaultAction:
        """The custom action, else the kind's own."""
        return self.custom or ACTIONS[self.kind]

    def matches(self, method: str, path: str) -> bool:
        """The route, and the body member when one is named."""
        if not super().matches(method, path):
            return False
        if self.body is None or self.simulator is None:
            return True
        last = self.simulator.recorder.requests[-1].json
        key, value = self.body
        return isinstance(last, dict) and last.get(key) == value


class _CutResponse(web.StreamResponse):
    """Headers promising a long body, a few bytes of it, then the connection closes."""

    async def prepare(self, request: web.BaseRequest) -> Any:
        """Send the start of the answer and drop the connection."""
        self.content_length = 4096
        self.content_type = "application/json"
        writer = await super().prepare(request)
        await self.write(b'{"reponse": [{"header": ')
        assert request.transport is not None
        request.transport.close()
        return writer

    async def write_eof(self, data: bytes = b"") -> None:
        """Nothing more: the connection is gone."""


class CutConnection(FaultAction):
    """The connection drops in the middle of the answer."""

    answers = True

    async def before(self, fault: Fault) -> web.StreamResponse:
        """Answer with a body that never ends."""
        return _CutResponse(status=200)


class Edit(JsonDamage):
    """Damage the answer with a function of its decoded JSON."""

    def __init__(self, edit: Callable[[Any], Any]) -> None:
        """`edit` takes the JSON value and returns the damaged one."""
        self._edit = edit

    def edit(self, fault: Fault, data: Any) -> Any:
        """Apply the function."""
        return self._edit(data)


def set_member(name: str, value: Any) -> Callable[[Any], Any]:
    """Give every member called `name`, at any depth, this value."""

    def edit(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: value if k == name else edit(v) for k, v in data.items()}
        if isinstance(data, list):
            return [edit(v) for v in data]
        return data

    return edit


def as_text(name: str) -> Callable[[Any], Any]:
    """Every member called `name`, at any depth, written as text."""

    def edit(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: str(v) if k == name else edit(v) for k, v in data.items()}
        if isinstance(data, list):
            return [edit(v) for v in data]
        return data

    return edit


def add_unknown(data: Any) -> Any:
    """An unknown member in every object, of every JSON type in turn."""
    if isinstance(data, dict):
        return {
            **{k: add_unknown(v) for k, v in data.items()},
            "x_unknown": {"nested": [1, "two", None, True]},
        }
    if isinstance(data, list):
        return [add_unknown(v) for v in data]
    return data


def empty_list(name: str) -> Callable[[Any], Any]:
    """The list called `name`, at any depth, answered empty."""

    def edit(data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: [] if k == name and isinstance(v, list) else edit(v) for k, v in data.items()
            }
        if isinstance(data, list):
            return [edit(v) for v in data]
        return data

    return edit


def aimed(
    simulator: Simulator,
    kind: str,
    route: str,
    body: tuple[str, Any] | None = None,
    custom: FaultAction | None = None,
    **options: Any,
) -> AimedFault:
    """Add an aimed fault to the simulator's plan and return it."""
    fault = AimedFault(
        kind=kind,  # type: ignore[arg-type]
        route=route,
        custom=custom,
        body=body,
        simulator=simulator,
        **options,
    )
    simulator.faults.faults.append(fault)
    return fault
