"""Placeholder: replaced by the full simulated cloud."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .server import Simulator


class MClimateCloud:
    """Routes and state of the simulated cloud."""

    def __init__(self, sim: Simulator) -> None:
        """Build the state from the scenario."""
        self.sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes this cloud serves."""
        return []
