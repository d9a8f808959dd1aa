"""Every request the simulated clouds receive, kept so tests can assert on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the cloud received it, before any fault was applied."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any
    received_at: datetime


@dataclass
class Recorder:
    """An append-only log of requests with small query helpers."""

    requests: list[RecordedRequest] = field(default_factory=list)

    def record(self, request: RecordedRequest) -> None:
        """Append one request."""
        self.requests.append(request)

    def clear(self) -> None:
        """Forget everything received so far."""
        self.requests.clear()

    def matching(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        """Requests with this method and/or exact path, oldest first."""
        return [
            req
            for req in self.requests
            if (method is None or req.method == method.upper())
            and (path is None or req.path == path)
        ]

    def __iter__(self) -> Iterator[RecordedRequest]:
        """Iterate over the requests, oldest first."""
        return iter(self.requests)

    def __len__(self) -> int:
        """How many requests were received."""
        return len(self.requests)
