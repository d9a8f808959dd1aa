"""What the simulated clouds contain: accounts, homes, heaters and devices.

A scenario is plain data, deterministic for its seed, readable from JSON or YAML
and from CLI options, so tests, the demo and the benchmark describe worlds the
same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
import json
from pathlib import Path
from typing import Any, Self


@dataclass
class HomeSmartLinkScenario:
    """The partner account and the homes it may see."""

    client_id: str = "demo-partner"
    client_secret: str = "demo-partner-secret"
    homes: int = 2
    rooms_per_home: int = 3
    heaters_per_room: int = 1
    offline_heaters: int = 0  # per home, taken from the last rooms
    gateway_online: bool = True
    timezone: str = "Europe/Paris"  # derogation times and dates are local to the homes
    diagnosis_delay: float = 300.0  # seconds before a diagnosis result is ready
    ack_delay: float = 2.0  # seconds before a gateway acknowledges a derogation message

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data, refusing unknown options."""
        return _from_dict(cls, data)


@dataclass
class MClimateScenario:
    """The household account, its OAuth client and its devices."""

    client_id: str = "demo-mclimate-client"
    client_secret: str = "demo-mclimate-secret"
    username: str = "demo@example.com"
    password: str = "demo"
    melissa: int = 1
    bobbie: int = 1
    vicki: int = 1
    smart_plug: int = 1
    offline_devices: int = 0  # the last devices of the list are offline
    token_lifetime: int = 3600  # seconds

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data, refusing unknown options."""
        return _from_dict(cls, data)


@dataclass
class Scenario:
    """Both clouds, a seed, and the per-client request budget."""

    seed: int = 1
    homesmartlink: HomeSmartLinkScenario = field(default_factory=HomeSmartLinkScenario)
    mclimate: MClimateScenario = field(default_factory=MClimateScenario)
    rate_limit_requests: int | None = None  # per client and window; None: unlimited
    rate_limit_window: float = 60.0
    faults: list[dict[str, Any]] = field(default_factory=list)  # see simulator.faults.Fault

    @classmethod
    def demo(cls) -> Self:
        """A lively world for the demo: several homes and every kind of MClimate device."""
        return cls(
            homesmartlink=HomeSmartLinkScenario(homes=3, rooms_per_home=4, offline_heaters=1),
            mclimate=MClimateScenario(melissa=2, bobbie=1, vicki=2, smart_plug=1),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data (sections `homesmartlink` and `mclimate` are optional)."""
        data = dict(data)
        hsl = HomeSmartLinkScenario.from_dict(data.pop("homesmartlink", {}) or {})
        mc = MClimateScenario.from_dict(data.pop("mclimate", {}) or {})
        scenario = _from_dict(cls, data)
        scenario.homesmartlink, scenario.mclimate = hsl, mc
        return scenario

    @classmethod
    def from_file(cls, path: str | Path) -> Self:
        """Read a JSON or YAML scenario file."""
        text = Path(path).read_text(encoding="utf-8")
        if str(path).endswith((".yaml", ".yml")):
            import yaml  # noqa: PLC0415 - only needed for YAML files

            data = yaml.safe_load(text) or {}
        else:
            data = json.loads(text)
        return cls.from_dict(data)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, the inverse of `from_dict`."""
        return asdict(self)


def _from_dict[T](cls: type[T], data: dict[str, Any]) -> T:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} option(s): {sorted(unknown)}")
    return cls(**data)
