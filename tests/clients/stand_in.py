"""A stand-in cloud answering exactly what a test tells it to, and the document fixtures."""

from __future__ import annotations

from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any, NamedTuple

from aiohttp import web

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    """A JSON fixture: an answer copied from a vendor document or built from its schemas."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class Received(NamedTuple):
    """A request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    json: Any


@dataclass
class Answer:
    """What the stand-in answers to one method and path."""

    status: int = 200
    body: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        """The aiohttp response."""
        if self.text is not None:
            return web.Response(status=self.status, text=self.text, headers=self.headers)
        if self.body is None:
            return web.Response(status=self.status, headers=self.headers)
        return web.json_response(self.body, status=self.status, headers=self.headers)


class StandIn:
    """A loopback server: every request is recorded and gets the answer set for its route."""

    def __init__(self, url: str) -> None:
        """Answer 404 until told otherwise."""
        self.url = url
        self.received: list[Received] = []
        self._answers: dict[tuple[str, str], list[Answer]] = {}

    def answer(self, method: str, path: str, *answers: Answer | Any) -> None:
        """Answer `method path` with these answers in turn (the last one repeats).

        A plain value is a 200 JSON answer.
        """
        self._answers[method, path] = [
            item if isinstance(item, Answer) else Answer(body=item) for item in answers
        ]

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request and answer it."""
        body = await request.read()
        data = json.loads(body) if body else None
        self.received.append(Received(request.method, request.path, dict(request.query), data))
        queue = self._answers.get((request.method, request.path))
        if not queue:
            return web.json_response({"title": "Not Found"}, status=404)
        return (queue.pop(0) if len(queue) > 1 else queue[0]).response()
