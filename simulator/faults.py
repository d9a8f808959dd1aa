"""The fault plan: what goes wrong, on which route, how often.

A fault matches requests by a glob on "METHOD /path" (for example
"POST /partners/1/config" or "* /v1/provider/*"). Faults that act before the
handler (latency, timeout, status, rate_limit, unauthorized) delay or replace
the answer; faults that act after it (malformed, drop_fields, rename_fields)
damage the JSON the handler produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from fnmatch import fnmatchcase
import random
from typing import Any, Literal, get_args

FaultKind = Literal[
    "latency",  # sleep `delay` seconds, then answer normally
    "timeout",  # hang for `delay` seconds (default one hour): the client must time out
    "status",  # answer `status` (5xx or any) with an RFC 7807 body
    "rate_limit",  # answer 429 with Retry-After: `retry_after`
    "unauthorized",  # answer 401, as for an expired or revoked credential
    "malformed",  # answer a truncated, undecodable JSON body
    "drop_fields",  # remove the keys in `fields` wherever they appear in the answer
    "rename_fields",  # rename keys (drift): `renames` maps old name to new name
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
BEFORE_HANDLER = frozenset({"latency", "timeout", "status", "rate_limit", "unauthorized"})
# At most one of these answers a request; the next one waits for the next request,
# so "503 twice, then 429" is written as three faults in that order.
ANSWERING = frozenset({"timeout", "status", "rate_limit", "unauthorized"})


@dataclass
class Fault:
    """One rule of the plan."""

    kind: FaultKind
    route: str = "*"
    status: int = 500
    delay: float = 0.0
    retry_after: int = 30
    fields: tuple[str, ...] = ()
    renames: dict[str, str] = field(default_factory=dict)
    times: int | None = None
    probability: float = 1.0

    def __post_init__(self) -> None:
        """Reject unknown kinds early, where the plan is written."""
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        self.fields = tuple(self.fields)

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule covers the request (its remaining count is checked by the plan)."""
        route = self.route if " " in self.route else f"* {self.route}"
        want_method, want_path = route.split(" ", 1)
        return fnmatchcase(method.upper(), want_method.upper()) and fnmatchcase(path, want_path)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fault:
        """Build a fault from plain data (a scenario file or a CLI option)."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault option(s): {sorted(unknown)}")
        return cls(**data)


class FaultPlan:
    """An ordered list of faults, consumed as they fire; deterministic for a seed."""

    def __init__(self, faults: list[Fault] | None = None, *, seed: int = 0) -> None:
        """Start with these faults (none by default)."""
        self.faults: list[Fault] = list(faults or [])
        self._random = random.Random(seed)

    def add(self, kind: FaultKind, route: str = "*", **options: Any) -> Fault:
        """Append a fault and return it (so a test can inspect or remove it)."""
        fault = Fault(kind=kind, route=route, **options)
        self.faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Take one fault out of the plan."""
        self.faults.remove(fault)

    def clear(self) -> None:
        """Remove every fault: the clouds behave again."""
        self.faults.clear()

    def pick(self, method: str, path: str) -> list[Fault]:
        """The faults that fire for this request, in plan order; their counts are consumed.

        Every matching latency fault fires. Then the first matching fault that
        answers in place of the cloud fires alone; only when none does, the
        faults that damage the cloud's answer fire. A fault that does not act on
        this request keeps its count for the next one.
        """
        candidates = [
            fault
            for fault in self.faults
            if fault.matches(method, path)
            and (fault.probability >= 1.0 or self._random.random() < fault.probability)
        ]
        answering = next((f for f in candidates if f.kind in ANSWERING), None)
        fired = [
            fault
            for fault in candidates
            if fault.kind == "latency"
            or fault is answering
            or (answering is None and fault.kind not in BEFORE_HANDLER)
        ]
        for fault in fired:
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        return fired

    @classmethod
    def from_list(cls, data: list[dict[str, Any]], *, seed: int = 0) -> FaultPlan:
        """Build a plan from plain data."""
        return cls([Fault.from_dict(item) for item in data], seed=seed)


def drop_keys(value: Any, names: tuple[str, ...]) -> Any:
    """Remove keys named `names` at any depth of a JSON value."""
    if isinstance(value, dict):
        return {k: drop_keys(v, names) for k, v in value.items() if k not in names}
    if isinstance(value, list):
        return [drop_keys(v, names) for v in value]
    return value


def rename_keys(value: Any, renames: dict[str, str]) -> Any:
    """Rename keys at any depth of a JSON value."""
    if isinstance(value, dict):
        return {renames.get(k, k): rename_keys(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [rename_keys(v, renames) for v in value]
    return value
