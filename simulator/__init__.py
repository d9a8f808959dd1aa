"""A faithful local stand-in for the Home SmartLink partner API and the MClimate API."""

from .clock import Clock
from .faults import Fault, FaultPlan
from .problems import ProblemError
from .recorder import RecordedRequest, Recorder
from .scenario import HomeSmartLinkScenario, MClimateScenario, Scenario
from .server import Simulator

__all__ = [
    "Clock",
    "Fault",
    "FaultPlan",
    "HomeSmartLinkScenario",
    "MClimateScenario",
    "ProblemError",
    "RecordedRequest",
    "Recorder",
    "Scenario",
    "Simulator",
]
