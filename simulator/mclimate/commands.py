"""The commands /provider/send knows, per controller type.

A handler checks the command's values, then that the controller is online,
then changes the device. It returns the documented `provider` answer, or None
when the answer is the device's new data (the inventions `switch_on_off` on a
smart plug and `set_motor_position`, and the documented Bobbie switch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from simulator.problems import ProblemError

from .requests import ranged
from .state import (
    VICKI_MAX,
    VICKI_MIN,
    BobbieState,
    MelissaState,
    SimController,
    SmartPlugState,
    VickiState,
)

type CommandHandler = Callable[[SimController, dict[str, Any], float], list[int] | None]

# Documented Melissa IR ranges: state, mode, temp, fan.
IR_RANGES: Final = {"state": (0, 2), "mode": (0, 4), "temp": (16, 30), "fan": (0, 3)}


def require_online(controller: SimController) -> None:
    """409: the cloud works, the device does not answer (an invention, see the package)."""
    if not controller.online:
        raise ProblemError(409, "Controller offline")


def send_ir_code(controller: SimController, body: dict[str, Any], now: float) -> list[int]:
    """Melissa: the IR command, flat or nested in `send_ir_code_options`."""
    options = body.get("send_ir_code_options", body)
    if not isinstance(options, dict):
        raise ProblemError(400, "send_ir_code_options must be an object")
    ac = {name: ranged(options, name, *bounds) for name, bounds in IR_RANGES.items()}
    require_online(controller)
    assert isinstance(controller.device, MelissaState)
    controller.device.set_ac(ac, now)
    return [254, 2, 0, 0]


def led(state: int, answer: list[int]) -> CommandHandler:
    """Melissa: switch the LED off (0) or back to its colour (1)."""

    def handler(controller: SimController, body: dict[str, Any], now: float) -> list[int]:
        require_online(controller)
        assert isinstance(controller.device, MelissaState)
        controller.device.led_state = state
        return list(answer)

    return handler


def switch_on_off(controller: SimController, body: dict[str, Any], now: float) -> None:
    """Bobbie or smart plug: the relay, `state` "on" or "off"."""
    state = body.get("state")
    if state not in ("on", "off"):
        raise ProblemError(400, 'state must be "on" or "off"')
    require_online(controller)
    device = controller.device
    if isinstance(device, BobbieState):
        device.switch(state == "on", now)
    else:
        assert isinstance(device, SmartPlugState)
        device.relay_on = state == "on"


def set_motor_position(controller: SimController, body: dict[str, Any], now: float) -> None:
    """Vicki (an invention): the target 5 to 30, as `position` or `target`."""
    name = "position" if "position" in body or "target" not in body else "target"
    target = ranged(body, name, VICKI_MIN, VICKI_MAX)
    require_online(controller)
    assert isinstance(controller.device, VickiState)
    controller.device.set_target(target, now)


COMMANDS: Final[dict[str, tuple[tuple[str, ...], CommandHandler]]] = {
    "send_ir_code": (("melissa",), send_ir_code),
    "turn_led_off": (("melissa",), led(0, [254, 6, 0, 0])),
    "reset_color": (("melissa",), led(1, [254, 7, 0, 0])),
    "switch_on_off": (("bobbie", "smart_plug"), switch_on_off),
    "set_motor_position": (("vicki",), set_motor_position),
}
