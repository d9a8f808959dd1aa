"""A faithful local stand-in for the Home SmartLink partner API and the MClimate API."""

from .clock import Clock
from .faults import Fault, FaultPlan
from .host import CloudHost
from .problems import ProblemError
from .recorder import RecordedRequest, Recorder
from .scenario import (
    DeviceSpec,
    HomeSmartLinkScenario,
    HomeSpec,
    MClimateScenario,
    RoomSpec,
    Scenario,
)
from .server import Simulator

__all__ = [
    "Clock",
    "CloudHost",
    "DeviceSpec",
    "Fault",
    "FaultPlan",
    "HomeSmartLinkScenario",
    "HomeSpec",
    "MClimateScenario",
    "ProblemError",
    "RecordedRequest",
    "Recorder",
    "RoomSpec",
    "Scenario",
    "Simulator",
]
