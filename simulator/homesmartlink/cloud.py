"""The partner API's routes, its state, and the helpers tests and the demo use."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import random
import uuid
from zoneinfo import ZoneInfo

from aiohttp import web

from simulator.host import CloudHost
from simulator.problems import ProblemError
from simulator.scenario import MODES, HomeSmartLinkScenario

from .answers import (
    answer,
    device_list,
    diagnosis_result,
    gateway_dto,
    invitation_dto,
    report,
    user_dto,
)
from .auth import require_partner
from .derogations import local_instant, validate_derogations
from .requests import json_object, positive_query, string_member
from .state import (
    HEATING_MODES,
    PREFIX,
    ObjectIds,
    SimDiagnosis,
    SimHeater,
    SimHome,
    SimTrigger,
    StoredDerogation,
)
from .world import build_homes

USERS_PAGE_SIZE = 20
STOPPED_ROOM, FROST_PROTECTED_ROOM = 15.0, 12.0  # what a heater not heating reads


class HomeSmartLinkCloud:
    """Routes and state of the simulated partner API."""

    def __init__(self, host: CloudHost) -> None:
        """Build the homes deterministically from the scenario and its seed."""
        self.host = host
        self.timezone = ZoneInfo(self.config.timezone)
        rng = random.Random(host.scenario.seed)
        self._rng = rng
        self._ids = ObjectIds(rng)
        homes = build_homes(self.config, rng, self._ids, host.clock.now())
        self._homes: dict[str, SimHome] = {home.home_id: home for home in homes}
        self._derogations: list[StoredDerogation] = []
        self._triggers: dict[str, SimTrigger] = {}
        self._diagnoses: dict[str, SimDiagnosis] = {}

    @property
    def config(self) -> HomeSmartLinkScenario:
        """The Home SmartLink part of the scenario (read at each request)."""
        return self.host.scenario.homesmartlink

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes this cloud serves."""
        return [
            web.post(f"{PREFIX}/config", self._handle_config),
            web.post(f"{PREFIX}/invitations", self._handle_invitations),
            web.post(f"{PREFIX}/derogations", self._handle_derogations),
            web.post(f"{PREFIX}/report", self._handle_report),
            web.get(f"{PREFIX}/users", self._handle_users),
            web.post(f"{PREFIX}/request", self._handle_diagnosis_request),
            web.put(f"{PREFIX}/request", self._handle_diagnosis_result),
        ]

    # -- helpers for tests and the demo ------------------------------------------

    @property
    def home_ids(self) -> list[str]:
        """The ids of every home, in scenario order (the home of user1 first)."""
        return list(self._homes)

    @property
    def homes(self) -> list[SimHome]:
        """Every home, in scenario order."""
        return list(self._homes.values())

    def home(self, home_id: str) -> SimHome:
        """One home; KeyError if unknown."""
        return self._homes[home_id]

    def heater(self, header: str) -> SimHeater:
        """One heating device by its header, in any home; KeyError if unknown."""
        for home in self._homes.values():
            for heater in home.heaters:
                if heater.header == header:
                    return heater
        raise KeyError(header)

    @property
    def derogations(self) -> list[StoredDerogation]:
        """Every derogation accepted so far, oldest first."""
        return list(self._derogations)

    @property
    def triggers(self) -> dict[str, SimTrigger]:
        """Every trigger made so far, by id."""
        return dict(self._triggers)

    def set_gateway_online(self, home_id: str, online: bool) -> None:
        """Connect or disconnect a home's gateway from now on; ValueError without one."""
        gateway = self._homes[home_id].gateway
        if gateway is None:
            raise ValueError(f"home {home_id} has no gateway")
        gateway.set_online(self.host.clock.now(), online)

    def set_heater_online(self, header: str, online: bool) -> None:
        """Make a heater report again, or fall silent from its last report."""
        heater = self.heater(header)
        if heater.online == online:
            return
        if not online:
            heater.offline_since = heater.last_report(self.host.clock.now())
        heater.online = online

    def set_heater_mode(self, header: str, mode: str, comfort: float | None = None) -> None:
        """Change a heater's mode (as its owner would), and optionally its comfort setpoint."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
        heater = self.heater(header)
        heater.mode = mode
        if comfort is not None:
            heater.comfort = comfort

    def setpoint(self, heater: SimHeater, now: datetime | None = None) -> float:
        """The setpoint the heater reports: its mode's, plus the active derogations."""
        now = now or self.host.clock.now()
        value = heater.base_setpoint(now.astimezone(self.timezone))
        if heater.mode in HEATING_MODES:
            value += sum(
                derogation.delta
                for derogation in self._derogations
                if derogation.home_id == heater.home_id
                and derogation.room_id == heater.room_id
                and derogation.active(now)
            )
        return value

    def temperature(self, heater: SimHeater, now: datetime | None = None) -> float:
        """The room temperature the heater reads: near its setpoint when heating."""
        if heater.mode in HEATING_MODES:
            base = self.setpoint(heater, now)
        else:
            base = FROST_PROTECTED_ROOM if heater.mode == "Antifreeze" else STOPPED_ROOM
        return round(base + heater.pv_bias, 1)

    # -- request helpers -----------------------------------------------------------

    def _authorise(self, request: web.Request) -> str:
        """Check HTTP Basic credentials, then spend one request of the client's budget."""
        client_id = require_partner(request, self.config.client_id, self.config.client_secret)
        self.host.check_rate_limit(client_id)
        return client_id

    def _known_home(self, home_id: str) -> SimHome:
        home = self._homes.get(home_id)
        if home is None:
            raise ProblemError(404, f"Home {home_id} not found or not shared with this partner")
        return home

    # -- endpoints ----------------------------------------------------------------

    async def _handle_config(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        home = self._known_home(string_member(await json_object(request), "homeId"))
        now = self.host.clock.now()
        devices = device_list(home, now, self.setpoint, self.temperature)
        if home.gateway is None:
            return answer(client_id, reponse=devices)
        return answer(client_id, reponse=devices, gateway=gateway_dto(home.gateway, now))

    async def _handle_invitations(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        email = string_member(await json_object(request), "email").casefold()
        now = self.host.clock.now()
        homes = [home for home in self._homes.values() if home.user.email.casefold() == email]
        return answer(client_id, reponse=[invitation_dto(home, now) for home in homes])

    async def _handle_users(self, request: web.Request) -> web.Response:
        if not self.config.users_endpoint:
            raise web.HTTPNotFound  # as for any route this server does not know
        client_id = self._authorise(request)
        page = positive_query(request, "page", 1)
        size = positive_query(request, "size", USERS_PAGE_SIZE)
        homes = list(self._homes.values())[(page - 1) * size : page * size]
        return answer(client_id, response=[user_dto(home) for home in homes])

    async def _handle_derogations(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        items = validate_derogations(await json_object(request), self._homes)
        now = self.host.clock.now()
        first = items[0]
        day = date.fromisoformat(first["date"])
        starts_at = local_instant(day, first["startTime"], self.timezone)
        ends_at = local_instant(day, first["endTime"], self.timezone)
        home_ids = tuple(dict.fromkeys(item["homeId"] for item in items))
        start = SimTrigger(self._ids.object_id(now), starts_at, now, home_ids)
        end = SimTrigger(self._ids.object_id(now), ends_at, now, home_ids)
        self._triggers[start.trigger_id] = start
        self._triggers[end.trigger_id] = end
        stored = [
            StoredDerogation(
                derogation_id=self._ids.object_id(now),
                home_id=item["homeId"],
                room_id=int(item["roomId"]),
                delta=item["delta"],
                date=day,
                start_time=item["startTime"],
                end_time=item["endTime"],
                starts_at=starts_at,
                ends_at=ends_at,
                start_trigger=start.trigger_id,
                end_trigger=end.trigger_id,
            )
            for item in items
        ]
        self._derogations.extend(stored)
        return answer(
            client_id,
            response=[derogation.derogation_id for derogation in stored],
            startTrigger=start.trigger_id,
            endTrigger=end.trigger_id,
        )

    async def _handle_report(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        trigger_id = string_member(await json_object(request), "trigger")
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise ProblemError(404, f"Trigger {trigger_id} not found")
        now = self.host.clock.now()
        return answer(client_id, response=report(trigger, self._homes, now, self.config.ack_delay))

    async def _handle_diagnosis_request(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        home = self._known_home(string_member(await json_object(request), "homeId"))
        now = self.host.clock.now()
        diagnosis = SimDiagnosis(
            message_id=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            home_id=home.home_id,
            created_at=now,
            ready_at=now + timedelta(seconds=self.config.diagnosis_delay),
            accepted=home.gateway_online(now),
        )
        self._diagnoses[diagnosis.message_id] = diagnosis
        status = "OK" if diagnosis.accepted else "NOK"
        return answer(client_id, response={"status": status, "messageId": diagnosis.message_id})

    async def _handle_diagnosis_result(self, request: web.Request) -> web.Response:
        client_id = self._authorise(request)
        message_id = string_member(await json_object(request), "messageId")
        diagnosis = self._diagnoses.get(message_id)
        if diagnosis is None:
            raise ProblemError(404, f"Message {message_id} not found")
        home = self._homes[diagnosis.home_id]
        return answer(client_id, response=diagnosis_result(diagnosis, home, self.host.clock.now()))
