"""What /provider/fetch answers for a controller at an instant."""

from __future__ import annotations

from typing import Any

from .physics import diurnal
from .state import BobbieState, MelissaState, SimController, SmartPlugState, VickiState


def provider_data(
    controller: SimController, now: float, *, vicki_flags: bool = False
) -> dict[str, Any]:
    """The `provider` member: the documented members of the controller's type.

    Melissa raw values are the SHT sensor encodings of the reported values. A
    smart plug and an unknown type answer shapes of our own (inventions).
    """
    device = controller.device
    if isinstance(device, MelissaState):
        temp, humidity = round(device.temperature(now), 1), round(device.humidity(now), 1)
        return {
            "temp": temp,
            "raw_temperature": round((temp + 45) * 65535 / 175),
            "humidity": humidity,
            "raw_humidity": round(humidity * 65535 / 100),
        }
    if isinstance(device, BobbieState):
        voltage = device.voltage(now)
        return {
            "cold": round(device.base_cold + diurnal(now, 0.3), 1),
            "hot": round(device.hot(now), 1),
            "home": round(device.base_home + diurnal(now, 1.0), 1),
            "energy": round(device.energy(now), 3),
            "voltage": round(voltage, 1),
            "current": round(device.power_kw * 1000 / voltage, 2) if device.relay_on else 0.0,
            "relay_state": 1 if device.relay_on else 0,
            "load": device.relay_on,
        }
    if isinstance(device, VickiState):
        return _vicki(controller, device, now, vicki_flags)
    if isinstance(device, SmartPlugState):
        return {"online": controller.online, "power": "on" if device.relay_on else "off"}
    return {"online": controller.online, "uptime": int(now - device.booted_at)}


def _vicki(
    controller: SimController, device: VickiState, now: float, flags: bool
) -> dict[str, Any]:
    humidity = min(95.0, max(15.0, device.base_humidity - diurnal(now, 3.0)))
    data: dict[str, Any] = {
        "mac": controller.mac,
        "version": controller.firmware_version,
        "uptime": int(now - device.booted_at),
        "displayDigits": device.target,
        "temperature": round(device.temperature(now), 1),
        "humidity": round(humidity, 1),
        "motorRange": device.motor_range,
        "motorPosition": device.motor_position(),
        "batteryVoltage": device.battery_voltage,
        "ip": device.ip,
        "port": device.port,
    }
    if flags:
        data["openWindow"] = device.open_window
        data["childLock"] = device.child_lock
    return data
