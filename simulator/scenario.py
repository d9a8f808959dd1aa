"""What the simulated clouds contain: accounts, homes, heaters and devices.

A scenario is plain data, deterministic for its seed, readable from JSON or YAML
and from CLI options, so tests, the demo and the benchmark describe worlds the
same way. Home SmartLink homes are either generated from counts or described
one by one in `layout` (room names, device categories and modes, gateway).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
import json
from pathlib import Path
from typing import Any, Self

# The partner API document's vocabulary: DeviceDTO categories and modes.
CATEGORIES = ("None", "Heater", "TowelDryier", "Fireplace", "Gateway", "Module", "Furnace")
MODES = ("Stop", "Antifreeze", "Manual", "Prog")
GATEWAY_STATES = ("online", "offline", "none")
# MClimate's documented controller types.
CONTROLLER_TYPES = ("melissa", "bobbie", "vicki", "smart_plug")


@dataclass
class DeviceSpec:
    """One device of a laid-out room.

    A "Gateway" entry is the home's gateway listed among the devices (its
    `online` follows the gateway, `mode` and `comfort` are not used); every other
    category heats and reports mode and setpoint.
    """

    category: str = "Heater"
    mode: str | None = "Prog"  # None: Prog or Manual, drawn from the seed
    online: bool = True
    comfort: float | None = None  # Manual setpoint or Prog comfort; None: drawn from the seed

    def __post_init__(self) -> None:
        """Refuse what the document does not know."""
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}; expected one of {CATEGORIES}")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; expected one of {MODES}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data, refusing unknown options."""
        return _from_dict(cls, data)


@dataclass
class RoomSpec:
    """One room of a laid-out home."""

    name: str
    devices: list[DeviceSpec] = field(default_factory=lambda: [DeviceSpec()])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data; `devices` holds device options."""
        data = dict(data)
        devices = [DeviceSpec.from_dict(item) for item in data.pop("devices", [{}])]
        return _from_dict(cls, {**data, "devices": devices})


@dataclass
class HomeSpec:
    """One laid-out home: its rooms (ids 1, 2, ... in order) and its gateway."""

    rooms: list[RoomSpec]
    gateway: str = "online"  # "online", "offline" (for days) or "none" (a home without one)

    def __post_init__(self) -> None:
        """Refuse contradictions: a Gateway entry needs a gateway, and only one exists."""
        if self.gateway not in GATEWAY_STATES:
            raise ValueError(f"unknown gateway {self.gateway!r}; expected one of {GATEWAY_STATES}")
        entries = sum(d.category == "Gateway" for room in self.rooms for d in room.devices)
        if entries > 1 or (entries and self.gateway == "none"):
            raise ValueError("a home lists at most one Gateway device, and only if it has one")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data; `rooms` holds room options."""
        data = dict(data)
        rooms = [RoomSpec.from_dict(item) for item in data.pop("rooms", [])]
        return _from_dict(cls, {**data, "rooms": rooms})


@dataclass
class HomeSmartLinkScenario:
    """The partner account and the homes it may see."""

    client_id: str = "demo-partner"
    client_secret: str = "demo-partner-secret"
    # Generated homes (used when `layout` is empty): French room names, a heater
    # (a towel dryer in bathrooms) in Prog or Manual mode.
    homes: int = 2
    rooms_per_home: int = 3
    heaters_per_room: int = 1
    offline_heaters: int = 0  # per home, taken from the last rooms
    gateway_online: bool = True
    homes_without_gateway: int = 0  # the last homes have no gateway at all
    # Homes described one by one; when given, replaces the six settings above.
    layout: list[HomeSpec] = field(default_factory=list)
    # False: GET /partners/1/users answers 404, as partner APIs before 0.3.3 do.
    users_endpoint: bool = True
    timezone: str = "Europe/Paris"  # derogation times and dates are local to the homes
    diagnosis_delay: float = 300.0  # seconds before a diagnosis result is ready
    ack_delay: float = 2.0  # seconds before a gateway acknowledges a derogation message

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from plain data, refusing unknown options."""
        data = dict(data)
        layout = [HomeSpec.from_dict(item) for item in data.pop("layout", None) or []]
        return _from_dict(cls, {**data, "layout": layout})


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
    # One controller per listed type the document does not know (e.g. "thermostat_x").
    unknown_types: list[str] = field(default_factory=list)
    # Names by type, in creation order, e.g. {"melissa": ["Bedroom AC"]}; others
    # are named "<Label> <first six characters of the serial>".
    names: dict[str, list[str]] = field(default_factory=dict)
    offline_devices: int = 0  # the last devices of the list are offline
    token_lifetime: int = 3600  # seconds
    # Inventions, off by default because the document has none of them:
    refresh_tokens: bool = False  # the token endpoint also issues and takes refresh tokens
    vicki_flags: bool = False  # Vicki fetch answers carry openWindow and childLock

    def __post_init__(self) -> None:
        """An unknown type must not shadow a documented one."""
        known = [kind for kind in self.unknown_types if kind in CONTROLLER_TYPES]
        if known:
            raise ValueError(f"unknown_types lists documented types: {known}")

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
        """The demo world: every category, mode and gateway state; one device of each type."""
        return cls(
            homesmartlink=HomeSmartLinkScenario(layout=demo_layout()),
            mclimate=MClimateScenario(
                names={
                    "melissa": ["Bedroom AC"],
                    "bobbie": ["Water heater"],
                    "vicki": ["Living room valve"],
                    "smart_plug": ["Plug"],
                },
            ),
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


def demo_layout() -> list[HomeSpec]:
    """Two homes holding every documented category and mode, one gateway offline.

    The first home's living room has two heaters and the gateway listed as a
    device; the second home's gateway has been offline for days and its
    bathroom towel dryer is silent.
    """
    return [
        HomeSpec(
            rooms=[
                RoomSpec(
                    "Living room",
                    [
                        DeviceSpec("Heater", "Prog"),
                        DeviceSpec("Fireplace", "Manual", comfort=21.0),
                        DeviceSpec("Gateway"),
                    ],
                ),
                RoomSpec("Kitchen", [DeviceSpec("Module", "Stop")]),
                RoomSpec("Bedroom", [DeviceSpec("Heater", "Prog")]),
                RoomSpec("Bathroom", [DeviceSpec("TowelDryier", "Prog")]),
            ]
        ),
        HomeSpec(
            gateway="offline",
            rooms=[
                RoomSpec("Living room", [DeviceSpec("Furnace", "Antifreeze")]),
                RoomSpec("Kitchen", [DeviceSpec("Heater", "Manual", comfort=19.5)]),
                RoomSpec("Bedroom", [DeviceSpec("None", "Prog")]),
                RoomSpec("Bathroom", [DeviceSpec("TowelDryier", "Prog", online=False)]),
            ],
        ),
    ]


def _from_dict[T](cls: type[T], data: dict[str, Any]) -> T:
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} option(s): {sorted(unknown)}")
    return cls(**data)
