"""The partner API's answer shapes (DTOs), built from the state at one instant."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from .state import (
    GatewayEntry,
    SimDiagnosis,
    SimGateway,
    SimHeater,
    SimHome,
    SimRoom,
    SimTrigger,
    iso,
)

type Reading = Callable[[SimHeater, datetime], float]


def answer(client_id: str, **members: Any) -> web.Response:
    """A success: the AuthDTO, then the endpoint's members."""
    return web.json_response({"authorisation": {"type": "BASIC", "client": client_id}, **members})


def device_list(
    home: SimHome, now: datetime, setpoint: Reading, temperature: Reading
) -> list[dict[str, Any]]:
    """The `reponse` of config: every device of the home, the gateway entry included."""
    dtos = []
    for device in home.devices:
        if isinstance(device, SimHeater):
            dtos.append(device_dto(device, now, setpoint, temperature))
        elif home.gateway is not None:  # an entry exists only with its gateway
            dtos.append(gateway_entry_dto(device, home.gateway, now))
    return dtos


def device_dto(
    heater: SimHeater, now: datetime, setpoint: Reading, temperature: Reading
) -> dict[str, Any]:
    """DeviceDTO: mode, sp, pv and lastUpdate only while online, weekSchedule in Prog."""
    dto: dict[str, Any] = {
        "header": heater.header,
        "roomId": heater.room_id,
        "roomName": heater.room_name,
        "softwareVersion": heater.software_version,
        "category": heater.category,
        "online": heater.online,
    }
    if not heater.online:
        return dto
    dto["mode"] = heater.mode
    dto["sp"] = setpoint(heater, now)
    dto["pv"] = f"{temperature(heater, now):.1f}"
    dto["lastUpdate"] = iso(heater.last_report(now))
    if heater.mode == "Prog":
        dto["weekSchedule"] = [
            [{"start": start, "end": end} for start, end in day] for day in heater.schedule
        ]
    return dto


def gateway_entry_dto(entry: GatewayEntry, gateway: SimGateway, now: datetime) -> dict[str, Any]:
    """The gateway in the device list: online as the gateway, its last ping as lastUpdate.

    It heats nothing, so it has no mode, sp, pv or weekSchedule.
    """
    online = gateway.online_at(now)
    dto: dict[str, Any] = {
        "header": entry.header,
        "roomId": entry.room_id,
        "roomName": entry.room_name,
        "softwareVersion": entry.software_version,
        "category": "Gateway",
        "online": online,
    }
    if online:
        dto["lastUpdate"] = iso(gateway.last_ping(now))
    return dto


def gateway_dto(gateway: SimGateway, now: datetime) -> dict[str, Any]:
    """GatewayResponseDTO."""
    return {
        "token": gateway.token,
        "version": gateway.version,
        "lastPing": iso(gateway.last_ping(now)),
        "installationDate": iso(gateway.installation_date),
    }


def invitation_dto(home: SimHome, now: datetime) -> dict[str, Any]:
    """InvitationDTO; `hasGateway` false and `gatewayEnabled` false for a home without one."""
    return {
        "_id": home.home_id,
        "email": home.user.email,
        "creationDate": iso(home.created_at),
        "role": 2,
        "city": home.user.city,
        "gatewayEnabled": home.gateway_online(now),
        "hasGateway": home.gateway is not None,
        "rooms": [_room_dto(home, room) for room in home.rooms],
    }


def _room_dto(home: SimHome, room: SimRoom) -> dict[str, Any]:
    headers = [device.header for device in home.devices if device.room_id == room.room_id]
    return {
        "name": room.name,
        "roomNumber": room.room_id,
        "deviceCount": str(len(headers)),
        "accessories": headers,
    }


def user_dto(home: SimHome) -> dict[str, Any]:
    """UserDTO; the document's second `consentDate` (the contact email) is `email`."""
    user = home.user
    return {
        "homeId": home.home_id,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "address": user.address,
        "zipCode": user.zip_code,
        "city": user.city,
        "prmId": user.prm_id,
        "consentDate": iso(user.consent_date),
        "email": user.email,
    }


def report(
    trigger: SimTrigger, homes: Mapping[str, SimHome], now: datetime, ack_delay: float
) -> dict[str, Any]:
    """The monitoring answer: only messages already sent, acknowledged by online gateways."""
    details: list[dict[str, Any]] = []
    sent_times: list[datetime] = []
    for index, home_id in enumerate(trigger.home_ids):
        sent_at = trigger.send_time(index)
        if sent_at > now:
            continue
        acked_at = sent_at + timedelta(seconds=ack_delay)
        acknowledged = acked_at <= now and homes[home_id].gateway_online(acked_at)
        details.append({"acknowledge": acknowledged, "homeId": home_id, "sendAt": iso(sent_at)})
        sent_times.append(sent_at)
    return {
        "summary": {
            "requested": len(trigger.home_ids),
            "sent": len(details),
            "received": sum(1 for detail in details if detail["acknowledge"]),
            "first": iso(min(sent_times)) if sent_times else None,
            "last": iso(max(sent_times)) if sent_times else None,
        },
        "details": details,
    }


def diagnosis_result(diagnosis: SimDiagnosis, home: SimHome, now: datetime) -> dict[str, Any]:
    """MessageResponseDTO plus the invented `status` and, once done, `diagnosis`."""
    result: dict[str, Any] = {"_created_at": iso(diagnosis.created_at), "acknowledge": False}
    if not diagnosis.accepted:
        return {**result, "status": "FAILED"}
    if now < diagnosis.ready_at:
        return {**result, "status": "PENDING"}
    if home.gateway is None or not home.gateway.online_at(diagnosis.ready_at):
        return {**result, "status": "FAILED"}
    return {
        **result,
        "acknowledge": True,
        "status": "DONE",
        "diagnosis": _diagnosis_body(home, home.gateway, diagnosis.ready_at),
    }


def _diagnosis_body(home: SimHome, gateway: SimGateway, at: datetime) -> dict[str, Any]:
    return {
        "homeId": home.home_id,
        "gateway": {**gateway_dto(gateway, at), "online": gateway.online_at(at)},
        "devices": [
            {
                "header": heater.header,
                "roomId": heater.room_id,
                "roomName": heater.room_name,
                "category": heater.category,
                "softwareVersion": heater.software_version,
                "online": heater.online,
                "lastUpdate": iso(heater.last_report(at)),
                "rssi": heater.rssi,
            }
            for heater in home.heaters
        ],
    }
