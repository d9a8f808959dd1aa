"""What a simulated cloud may use of the server that hosts it.

The clouds depend on this small protocol, not on `server.Simulator`, so the
server imports the clouds and never the other way round, and a cloud can be
built for a test without a listening server.
"""

from __future__ import annotations

from typing import Protocol

from .clock import Clock
from .scenario import Scenario


class CloudHost(Protocol):
    """The world to build, the time to read, and the request budget to spend."""

    scenario: Scenario
    clock: Clock

    def check_rate_limit(self, client_key: str) -> None:
        """Raise a 429 problem when this client spent its request budget."""
