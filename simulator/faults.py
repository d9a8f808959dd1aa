"""The fault plan: what goes wrong, on which route, how often, and how it acts.

A fault matches requests by a glob on "METHOD /path" (for example
"POST /partners/1/config" or "* /v1/provider/*"). Each kind knows how it acts:
latency and timeout delay the request before the handler; status, rate_limit
and unauthorized answer in place of the cloud; malformed, drop_fields and
rename_fields damage the JSON the cloud answered. The server only asks the
plan which faults fire, then lets them act (`answer_before` and `damage`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, fields
from fnmatch import fnmatchcase
import json
import random
from typing import Any, ClassVar, Literal, get_args

from aiohttp import web

from .problems import problem

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
TIMEOUT_HANG = 3600.0


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

    @property
    def action(self) -> FaultAction:
        """How this fault's kind acts on a request."""
        return ACTIONS[self.kind]

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


# -- what each kind does ------------------------------------------------------------


class FaultAction:
    """How one kind of fault acts: `before` the handler, or `damage` on its answer."""

    # Acts before the handler (True) or on the cloud's answer (False).
    before_handler: ClassVar[bool] = True
    # Answers in place of the cloud: at most one such fault fires per request, the
    # next one waits for the next request ("503 twice, then 429" is three faults).
    answers: ClassVar[bool] = False

    async def before(self, fault: Fault) -> web.Response | None:
        """Act before the handler; an answer returned here replaces the cloud's."""
        raise NotImplementedError

    def damage(self, fault: Fault, text: str) -> str:
        """Change the JSON text the cloud answered."""
        raise NotImplementedError


class Latency(FaultAction):
    """Slow, then normal."""

    async def before(self, fault: Fault) -> None:
        """Sleep `delay` seconds."""
        await asyncio.sleep(fault.delay)


class Timeout(FaultAction):
    """Never answers in time: the client must give up."""

    answers = True

    async def before(self, fault: Fault) -> None:
        """Hang for `delay` seconds (one hour if 0); the handler runs only after that."""
        await asyncio.sleep(fault.delay or TIMEOUT_HANG)


class Status(FaultAction):
    """Any error status with an RFC 7807 body."""

    answers = True

    async def before(self, fault: Fault) -> web.Response:
        """Answer `status`."""
        return problem(fault.status, "Simulated failure")


class RateLimit(FaultAction):
    """A 429 the client must wait out."""

    answers = True

    async def before(self, fault: Fault) -> web.Response:
        """Answer 429 with Retry-After."""
        return problem(429, "Rate limit exceeded", headers={"Retry-After": str(fault.retry_after)})


class Unauthorized(FaultAction):
    """A credential refused as if expired or revoked."""

    answers = True

    async def before(self, fault: Fault) -> web.Response:
        """Answer 401."""
        return problem(401, "Token expired or revoked")


class JsonDamage(FaultAction):
    """A fault that edits the decoded answer; answers that are not JSON pass unchanged."""

    before_handler = False

    def damage(self, fault: Fault, text: str) -> str:
        """Decode, edit, encode again."""
        try:
            data = json.loads(text)
        except ValueError:
            return text
        return json.dumps(self.edit(fault, data))

    def edit(self, fault: Fault, data: Any) -> Any:
        """The changed JSON value."""
        raise NotImplementedError


class Malformed(FaultAction):
    """Half a body: undecodable JSON."""

    before_handler = False

    def damage(self, fault: Fault, text: str) -> str:
        """Keep the first half."""
        return text[: max(1, len(text) // 2)]


class DropFields(JsonDamage):
    """Members the client expects are missing."""

    def edit(self, fault: Fault, data: Any) -> Any:
        """Remove `fields` at any depth."""
        return drop_keys(data, fault.fields)


class RenameFields(JsonDamage):
    """The API drifted: members changed name."""

    def edit(self, fault: Fault, data: Any) -> Any:
        """Apply `renames` at any depth."""
        return rename_keys(data, fault.renames)


ACTIONS: dict[str, FaultAction] = {
    "latency": Latency(),
    "timeout": Timeout(),
    "status": Status(),
    "rate_limit": RateLimit(),
    "unauthorized": Unauthorized(),
    "malformed": Malformed(),
    "drop_fields": DropFields(),
    "rename_fields": RenameFields(),
}
assert set(ACTIONS) == set(FAULT_KINDS)


async def answer_before(fired: list[Fault]) -> web.Response | None:
    """Let the fired faults act before the handler; the answer that replaces the cloud's."""
    for fault in fired:
        if fault.action.before_handler:
            answer = await fault.action.before(fault)
            if answer is not None:
                return answer
    return None


def damage(response: web.StreamResponse, fired: list[Fault]) -> web.StreamResponse:
    """Let the fired faults damage the cloud's answer (only a complete body can be damaged)."""
    after = [fault for fault in fired if not fault.action.before_handler]
    if not after or not isinstance(response, web.Response) or response.body is None:
        return response
    assert isinstance(response.body, bytes)
    text = response.body.decode()
    for fault in after:
        text = fault.action.damage(fault, text)
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-type", "content-length")
    }
    return web.Response(
        status=response.status, text=text, content_type="application/json", headers=headers
    )


# -- the plan -------------------------------------------------------------------------


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
        answering = next((f for f in candidates if f.action.answers), None)
        fired = [
            fault
            for fault in candidates
            if fault is answering
            or (fault.action.before_handler and not fault.action.answers)
            or (answering is None and not fault.action.before_handler)
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
