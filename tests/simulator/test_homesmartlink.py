"""The simulated Home SmartLink partner API, over real HTTP, against the vendor's document."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
import re
from typing import Any

import aiohttp
import pytest

from simulator import Clock, Scenario, Simulator
from simulator.homesmartlink import HomeSmartLinkCloud, SimHeater
from simulator.scenario import HomeSmartLinkScenario
from tests.conftest import START

CLIENT_ID = "demo-partner"
SECRET = "demo-partner-secret"
OBJECT_ID = re.compile(r"[0-9a-f]{24}")
JS_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
AUTHORISATION = {"type": "BASIC", "client": CLIENT_ID}
DEVICE_REQUIRED = {"header", "roomId", "roomName", "softwareVersion", "category", "online"}
ONLINE_DEVICE = DEVICE_REQUIRED | {"mode", "sp", "pv", "lastUpdate"}

Call = Callable[..., Awaitable[tuple[int, Any]]]


def basic(client_id: str = CLIENT_ID, secret: str = SECRET, scheme: str = "Basic") -> str:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return f"{scheme} {token}"


@pytest.fixture
def scenario() -> Scenario:
    """Two homes of four rooms; the bathroom towel dryer of each home is offline."""
    return Scenario(
        homesmartlink=HomeSmartLinkScenario(
            homes=2, rooms_per_home=4, heaters_per_room=1, offline_heaters=1
        )
    )


@pytest.fixture
def cloud(simulator: Simulator) -> HomeSmartLinkCloud:
    return simulator.homesmartlink


@pytest.fixture
def call(simulator: Simulator, session: aiohttp.ClientSession) -> Call:
    """Send one raw request to the partner API; return the status and decoded body."""

    async def send(
        method: str,
        endpoint: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        authorization: str | None = basic(),
        raw: bytes | None = None,
        sim: Simulator | None = None,
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if authorization is not None:
            headers["Authorization"] = authorization
        url = f"{(sim or simulator).url}/partners/1/{endpoint}"
        async with session.request(
            method,
            url,
            json=body if raw is None else None,
            data=raw,
            params=params,
            headers=headers,
        ) as resp:
            if resp.status >= 400:
                assert resp.content_type == "application/problem+json"
            return resp.status, await resp.json(content_type=None)

    return send


@pytest.fixture
async def other_world(
    clock: Clock, socket_enabled: None
) -> AsyncIterator[Callable[[Scenario], Awaitable[Simulator]]]:
    """Start extra simulators with their own scenario (stopped at the end)."""
    started: list[Simulator] = []

    async def start(scenario: Scenario) -> Simulator:
        sim = Simulator(scenario, clock=clock)
        await sim.start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        await sim.stop()


def first_heater(cloud: HomeSmartLinkCloud, home: int = 0, room: int = 0) -> SimHeater:
    return cloud.home(cloud.home_ids[home]).rooms[room].heaters[0]


def derogation(cloud: HomeSmartLinkCloud, **changes: Any) -> dict[str, Any]:
    """A valid derogation of the first home's living room, 10:30-11:00 Paris time today."""
    item = {
        "homeId": cloud.home_ids[0],
        "roomId": 1,
        "startTime": 630,
        "endTime": 660,
        "delta": 2,
        "date": "2026-11-23",
    }
    item.update(changes)
    return item


# -- the world ---------------------------------------------------------------------


def test_world_is_deterministic_for_a_seed() -> None:
    def world(seed: int, start: datetime = START) -> list[Any]:
        cloud = Simulator(Scenario(seed=seed), clock=Clock(start, frozen=True)).homesmartlink
        return [
            (home.home_id, home.user.prm_id, [h.header for h in home.heaters], home.gateway.token)
            for home in cloud.homes
        ]

    assert world(1) == world(1)
    assert world(1) == world(1, START + timedelta(days=100))  # ids do not follow the clock
    assert world(1) != world(2)
    for home_id, prm_id, headers, token in world(3):
        assert OBJECT_ID.fullmatch(home_id)
        assert re.fullmatch(r"\d{14}", prm_id)
        assert all(re.fullmatch(r"[0-9A-F]{12}", header) for header in headers)
        assert re.fullmatch(r"[0-9a-f]{16}", token)


def test_world_follows_the_scenario(cloud: HomeSmartLinkCloud) -> None:
    assert len(cloud.home_ids) == 2
    home = cloud.home(cloud.home_ids[0])
    assert [room.name for room in home.rooms] == ["Salon", "Cuisine", "Chambre 1", "Salle de bain"]
    assert [room.room_id for room in home.rooms] == [1, 2, 3, 4]
    bathroom = home.rooms[3].heaters[0]
    assert bathroom.category == "TowelDryier"
    assert [heater.online for heater in home.heaters] == [True, True, True, False]
    assert home.user.email == "user1@example.com"
    assert cloud.home(cloud.home_ids[1]).user.email == "user2@example.com"
    assert home.heaters[0].mode == "Prog"  # every home shows a week schedule
    with pytest.raises(KeyError):
        cloud.home("nope")
    with pytest.raises(KeyError):
        cloud.heater("nope")
    with pytest.raises(ValueError, match="unknown mode"):
        cloud.set_heater_mode(bathroom.header, "Turbo")


def test_many_rooms_get_generic_names() -> None:
    scenario = Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, rooms_per_home=12))
    cloud = Simulator(scenario, clock=Clock(START, frozen=True)).homesmartlink
    names = [room.name for room in cloud.homes[0].rooms]
    assert names[4] == "Bureau"
    assert names[-1] == "Pièce 12"
    assert len(set(names)) == 12


# -- authentication and rate limit -------------------------------------------------

ENDPOINTS = [
    ("POST", "config"),
    ("POST", "invitations"),
    ("POST", "derogations"),
    ("POST", "report"),
    ("GET", "users"),
    ("POST", "request"),
    ("PUT", "request"),
]


@pytest.mark.parametrize(("method", "endpoint"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        basic(secret="wrong"),
        basic(client_id="someone-else"),
        "Bearer abc",
        "Basic ###not-base64###",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
    ],
)
async def test_every_endpoint_requires_basic_credentials(
    call: Call, method: str, endpoint: str, authorization: str | None
) -> None:
    status, problem = await call(method, endpoint, {}, authorization=authorization)
    assert status == 401
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"
    assert "Basic" in problem["detail"]


async def test_unauthorised_answer_challenges_basic(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    async with session.post(f"{simulator.url}/partners/1/config", json={}) as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"] == 'Basic realm="partners"'


async def test_documented_upper_case_scheme_is_accepted(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    status, body = await call(
        "POST", "config", {"homeId": cloud.home_ids[0]}, authorization=basic(scheme="BASIC")
    )
    assert status == 200
    assert body["authorisation"] == AUTHORISATION


async def test_rate_limit_answers_429_with_retry_after(
    other_world: Callable[[Scenario], Awaitable[Simulator]],
    session: aiohttp.ClientSession,
    call: Call,
) -> None:
    sim = await other_world(Scenario(rate_limit_requests=2, rate_limit_window=60))
    assert (await call("GET", "users", sim=sim, authorization=basic(secret="x")))[0] == 401
    assert (await call("GET", "users", sim=sim))[0] == 200
    assert (await call("GET", "users", sim=sim))[0] == 200
    async with session.get(
        f"{sim.url}/partners/1/users", headers={"Authorization": basic()}
    ) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "60"
        assert (await resp.json(content_type=None))["status"] == 429
    sim.clock.advance(61)
    assert (await call("GET", "users", sim=sim))[0] == 200


# -- result key spelling -------------------------------------------------------------


async def test_result_key_is_spelled_as_each_endpoint_documents(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    home_id = cloud.home_ids[0]
    answers = {
        "config": await call("POST", "config", {"homeId": home_id}),
        "invitations": await call("POST", "invitations", {"email": "user1@example.com"}),
        "derogations": await call("POST", "derogations", {"derogations": [derogation(cloud)]}),
        "users": await call("GET", "users"),
        "request": await call("POST", "request", {"homeId": home_id}),
    }
    trigger = answers["derogations"][1]["startTrigger"]
    message_id = answers["request"][1]["response"]["messageId"]
    answers["report"] = await call("POST", "report", {"trigger": trigger})
    answers["result"] = await call("PUT", "request", {"messageId": message_id})
    for name, (status, body) in answers.items():
        assert status == 200, name
        assert body["authorisation"] == AUTHORISATION, name
        expected = "reponse" if name in ("config", "invitations") else "response"
        unexpected = "response" if expected == "reponse" else "reponse"
        assert expected in body, name
        assert unexpected not in body, name


# -- config --------------------------------------------------------------------------


async def test_config_lists_devices_and_gateway_as_documented(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    home = cloud.home(cloud.home_ids[0])
    cloud.set_heater_mode(home.heaters[1].header, "Manual", comfort=19.5)
    status, body = await call("POST", "config", {"homeId": home.home_id})
    assert status == 200
    assert set(body) == {"authorisation", "reponse", "gateway"}
    prog, manual, _, offline = body["reponse"]

    assert set(prog) == ONLINE_DEVICE | {"weekSchedule"}
    assert prog["header"] == home.heaters[0].header
    assert (prog["roomId"], prog["roomName"], prog["category"]) == (1, "Salon", "Heater")
    assert prog["online"] is True
    assert prog["mode"] == "Prog"
    assert isinstance(prog["softwareVersion"], int)
    assert isinstance(prog["sp"], float)
    assert isinstance(prog["pv"], str)
    assert float(prog["pv"]) == pytest.approx(prog["sp"], abs=0.6)
    assert JS_ISO.fullmatch(prog["lastUpdate"])
    last_update = datetime.fromisoformat(prog["lastUpdate"])
    assert START - timedelta(minutes=5) < last_update <= START
    schedule = prog["weekSchedule"]
    assert len(schedule) == 7
    assert all(set(item) == {"start", "end"} for day in schedule for item in day)
    assert schedule[0] == [{"start": 390, "end": 480}, {"start": 1050, "end": 1320}]

    assert set(manual) == ONLINE_DEVICE  # no weekSchedule outside Prog mode
    assert (manual["mode"], manual["sp"], manual["roomName"]) == ("Manual", 19.5, "Cuisine")

    assert offline == {
        "header": home.heaters[3].header,
        "roomId": 4,
        "roomName": "Salle de bain",
        "softwareVersion": home.heaters[3].software_version,
        "category": "TowelDryier",
        "online": False,
    }
    assert body["gateway"] == {
        "token": home.gateway.token,
        "version": home.gateway.version,
        "lastPing": "2026-11-23T09:00:00.000Z",
        "installationDate": body["gateway"]["installationDate"],
    }
    assert JS_ISO.fullmatch(body["gateway"]["installationDate"])


async def test_prog_setpoint_follows_the_local_schedule(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    heater = first_heater(cloud)
    cloud.set_heater_mode(heater.header, "Prog", comfort=20.0)

    async def sp() -> float:
        _, body = await call("POST", "config", {"homeId": cloud.home_ids[0]})
        return float(body["reponse"][0]["sp"])

    assert await sp() == 16.5  # Monday 10:00 Paris: eco, comfort minus 3.5
    simulator.clock.set(datetime(2026, 11, 23, 6, 30, tzinfo=UTC))  # 07:30 Paris
    assert await sp() == 20.0
    simulator.clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))  # Saturday 10:00 Paris
    assert await sp() == 20.0


@pytest.mark.parametrize(("mode", "sp", "pv"), [("Stop", 0.0, 15.0), ("Antifreeze", 7.0, 12.0)])
async def test_stop_and_antifreeze_report_fixed_setpoints(
    call: Call, cloud: HomeSmartLinkCloud, mode: str, sp: float, pv: float
) -> None:
    heater = first_heater(cloud)
    cloud.set_heater_mode(heater.header, mode)
    _, body = await call("POST", "config", {"homeId": cloud.home_ids[0]})
    device = body["reponse"][0]
    assert (device["mode"], device["sp"]) == (mode, sp)
    assert device["pv"] == f"{pv + heater.pv_bias:.1f}"
    assert "weekSchedule" not in device


@pytest.mark.parametrize(
    ("raw", "body", "status", "detail"),
    [
        (b"{not json", None, 400, "not valid JSON"),
        (None, ["homeId"], 400, "JSON object"),
        (None, {}, 400, "'homeId' is required"),
        (None, {"homeId": 12}, 400, "'homeId' is required"),
        (None, {"homeId": "0123456789abcdef01234567"}, 404, "not found"),
    ],
)
async def test_config_rejects_bad_bodies_and_unknown_homes(
    call: Call, raw: bytes | None, body: Any, status: int, detail: str
) -> None:
    got, problem = await call("POST", "config", body, raw=raw)
    assert got == status
    assert detail in problem["detail"]


async def test_helpers_change_what_config_reports(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[0])
    salon = home.heaters[0]
    cloud.set_heater_online(salon.header, False)
    cloud.set_heater_online(salon.header, False)  # already offline: nothing changes
    cloud.set_gateway_online(home.home_id, False)
    simulator.clock.advance(3600)
    _, body = await call("POST", "config", {"homeId": home.home_id})
    assert set(body["reponse"][0]) == DEVICE_REQUIRED
    assert body["reponse"][0]["online"] is False
    assert body["gateway"]["lastPing"] == "2026-11-23T09:00:00.000Z"  # frozen when it left
    cloud.set_heater_online(salon.header, True)
    cloud.set_gateway_online(home.home_id, True)
    _, body = await call("POST", "config", {"homeId": home.home_id})
    assert set(body["reponse"][0]) >= ONLINE_DEVICE
    assert body["gateway"]["lastPing"] == "2026-11-23T10:00:00.000Z"


async def test_offline_gateway_scenario_has_an_old_last_ping(
    other_world: Callable[[Scenario], Awaitable[Simulator]], call: Call
) -> None:
    sim = await other_world(
        Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, gateway_online=False))
    )
    _, body = await call("POST", "config", {"homeId": sim.homesmartlink.home_ids[0]}, sim=sim)
    last_ping = datetime.fromisoformat(body["gateway"]["lastPing"])
    assert START - last_ping >= timedelta(days=3)
    _, invitations = await call("POST", "invitations", {"email": "user1@example.com"}, sim=sim)
    assert invitations["reponse"][0]["gatewayEnabled"] is False


# -- invitations ------------------------------------------------------------------------


async def test_invitations_list_the_homes_of_an_email(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    home = cloud.home(cloud.home_ids[1])
    status, body = await call("POST", "invitations", {"email": "USER2@Example.com"})
    assert status == 200
    assert set(body) == {"authorisation", "reponse"}
    (invitation,) = body["reponse"]
    assert invitation == {
        "_id": home.home_id,
        "email": "user2@example.com",
        "creationDate": invitation["creationDate"],
        "role": 2,
        "city": home.user.city,
        "gatewayEnabled": True,
        "hasGateway": True,
        "rooms": [
            {
                "name": room.name,
                "roomNumber": room.room_id,
                "deviceCount": "1",
                "accessories": [room.heaters[0].header],
            }
            for room in home.rooms
        ],
    }
    assert JS_ISO.fullmatch(invitation["creationDate"])
    assert (await call("POST", "invitations", {"email": "nobody@example.com"}))[1]["reponse"] == []
    status, problem = await call("POST", "invitations", {"mail": "user1@example.com"})
    assert (status, problem["detail"]) == (
        400,
        "'email' is required and must be a non-empty string",
    )


# -- users -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (None, [0, 1, 2, 3, 4]),  # page 1, size 20
        ({"page": "1", "size": "2"}, [0, 1]),
        ({"page": "2", "size": "2"}, [2, 3]),
        ({"page": "3", "size": "2"}, [4]),
        ({"page": "4", "size": "2"}, []),
        ({"size": "3"}, [0, 1, 2]),
        ({"page": "2"}, []),
    ],
)
async def test_users_skip_page_minus_one_times_size(
    other_world: Callable[[Scenario], Awaitable[Simulator]],
    call: Call,
    params: dict[str, str] | None,
    expected: list[int],
) -> None:
    sim = await other_world(Scenario(homesmartlink=HomeSmartLinkScenario(homes=5)))
    status, body = await call("GET", "users", params=params, sim=sim)
    assert status == 200
    ids = sim.homesmartlink.home_ids
    assert [user["homeId"] for user in body["response"]] == [ids[i] for i in expected]


async def test_user_shape_carries_the_contact_email(call: Call, cloud: HomeSmartLinkCloud) -> None:
    _, body = await call("GET", "users")
    user = body["response"][0]
    person = cloud.home(cloud.home_ids[0]).user
    assert user == {
        "homeId": cloud.home_ids[0],
        "firstName": person.first_name,
        "lastName": person.last_name,
        "address": person.address,
        "zipCode": person.zip_code,
        "city": person.city,
        "prmId": person.prm_id,
        "consentDate": user["consentDate"],
        "email": "user1@example.com",
    }
    assert re.fullmatch(r"\d{14}", user["prmId"])
    assert re.fullmatch(r"\d{5}", user["zipCode"])
    assert JS_ISO.fullmatch(user["consentDate"])


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "abc"}, {"size": "0"}, {"size": "-1"}, {"size": "1.5"}]
)
async def test_users_reject_bad_paging(call: Call, params: dict[str, str]) -> None:
    status, problem = await call("GET", "users", params=params)
    assert status == 400
    assert "must be an integer >= 1" in problem["detail"]


# -- derogations -------------------------------------------------------------------------

REQUIRED = ("homeId", "roomId", "startTime", "endTime", "delta", "date")


def _without(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.pop(name)


def _setting(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.__setitem__(name, value)


INVALID_ITEMS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    *[
        (f"missing {name}", _without(name), f"derogations[0].{name} is required")
        for name in REQUIRED
    ],
    ("homeId type", _setting("homeId", 5), "homeId must be a string"),
    ("unknown home", _setting("homeId", "0123456789abcdef01234567"), "unknown home"),
    ("roomId type", _setting("roomId", "1"), "roomId must be a number"),
    ("roomId bool", _setting("roomId", True), "roomId must be a number"),
    ("unknown room", _setting("roomId", 9), "no room 9"),
    ("fractional room", _setting("roomId", 1.5), "no room 1.5"),
    ("delta too high", _setting("delta", 6), "delta must be an integer from -5 to 5"),
    ("delta too low", _setting("delta", -6), "delta must be an integer from -5 to 5"),
    ("delta float", _setting("delta", 1.5), "delta must be an integer from -5 to 5"),
    ("delta bool", _setting("delta", True), "delta must be an integer from -5 to 5"),
    ("start negative", _setting("startTime", -5), "startTime must be an integer from 0 to 1440"),
    ("start text", _setting("startTime", "600"), "startTime must be an integer from 0 to 1440"),
    ("start step", _setting("startTime", 632), "startTime must be a multiple of 5"),
    ("end too late", _setting("endTime", 1445), "endTime must be an integer from 0 to 1440"),
    ("end step", _setting("endTime", 661), "endTime must be a multiple of 5"),
    ("end float", _setting("endTime", 660.0), "endTime must be an integer from 0 to 1440"),
    ("end equals start", _setting("endTime", 630), "endTime must be after startTime"),
    ("end before start", _setting("endTime", 600), "endTime must be after startTime"),
    ("date with time", _setting("date", "2026-11-23T10:00"), "full-date"),
    ("date order", _setting("date", "23/11/2026"), "full-date"),
    ("date impossible", _setting("date", "2026-13-01"), "full-date"),
    ("date number", _setting("date", 20261123), "full-date"),
    ("empty object", lambda item: item.clear(), "derogations[0].homeId is required"),
]


@pytest.mark.parametrize(
    ("mutate", "detail"),
    [pytest.param(mutate, detail, id=name) for name, mutate, detail in INVALID_ITEMS],
)
async def test_derogation_rules_reject_and_store_nothing(
    call: Call,
    cloud: HomeSmartLinkCloud,
    mutate: Callable[[dict[str, Any]], None],
    detail: str,
) -> None:
    good = derogation(cloud, roomId=2)
    bad = derogation(cloud)
    mutate(bad)
    status, problem = await call("POST", "derogations", {"derogations": [bad, good]})
    assert status == 400
    assert detail in problem["detail"]
    assert cloud.derogations == []
    assert cloud.triggers == {}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "'derogations' must be a non-empty array"),
        ({"derogations": []}, "'derogations' must be a non-empty array"),
        ({"derogations": {"homeId": "x"}}, "'derogations' must be a non-empty array"),
        ({"derogations": ["x"]}, "derogations[0]: must be an object"),
    ],
)
async def test_derogation_body_must_hold_a_non_empty_list(
    call: Call, cloud: HomeSmartLinkCloud, body: Any, detail: str
) -> None:
    status, problem = await call("POST", "derogations", body)
    assert (status, problem["detail"]) == (400, detail)
    assert cloud.derogations == []


@pytest.mark.parametrize(
    ("name", "value"), [("startTime", 600), ("endTime", 690), ("date", "2026-11-24")]
)
async def test_derogations_of_one_call_share_one_window(
    call: Call, cloud: HomeSmartLinkCloud, name: str, value: Any
) -> None:
    items = [derogation(cloud), derogation(cloud, roomId=2, **{name: value})]
    status, problem = await call("POST", "derogations", {"derogations": items})
    assert status == 400
    assert problem["detail"].startswith(f"derogations[1].{name}: all derogations must share")
    assert cloud.derogations == []


async def test_derogations_are_stored_with_ids_and_triggers(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    items = [
        derogation(cloud, delta=-5, startTime=0, endTime=1440),
        derogation(cloud, roomId=2.0, delta=5, startTime=0, endTime=1440),
        derogation(cloud, homeId=cloud.home_ids[1], delta=0, startTime=0, endTime=1440),
    ]
    status, body = await call("POST", "derogations", {"derogations": items})
    assert status == 200
    assert set(body) == {"authorisation", "response", "startTrigger", "endTrigger"}
    ids = body["response"]
    assert len(ids) == 3
    assert len(set(ids)) == 3
    assert all(OBJECT_ID.fullmatch(value) for value in [*ids, body["startTrigger"]])
    assert body["startTrigger"] != body["endTrigger"]
    stored = cloud.derogations
    assert [d.derogation_id for d in stored] == ids
    assert [(d.room_id, d.delta) for d in stored] == [(1, -5), (2, 5), (1, 0)]
    # Local Paris day (UTC+1 in November): midnight to midnight.
    assert stored[0].starts_at == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert stored[0].ends_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert cloud.triggers[body["startTrigger"]].home_ids == tuple(cloud.home_ids)


async def test_derogation_times_are_local_to_the_homes(
    call: Call, cloud: HomeSmartLinkCloud
) -> None:
    item = derogation(cloud, date="2027-07-01", startTime=600, endTime=720)
    assert (await call("POST", "derogations", {"derogations": [item]}))[0] == 200
    (stored,) = cloud.derogations
    assert stored.date == date(2027, 7, 1)
    assert stored.starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # summer time, UTC+2
    assert stored.ends_at == datetime(2027, 7, 1, 10, 0, tzinfo=UTC)


async def test_a_derogation_changes_setpoints_only_in_its_room_and_window(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    salon, kitchen = first_heater(cloud, room=0), first_heater(cloud, room=1)
    other_salon = first_heater(cloud, home=1)
    for heater in (salon, kitchen, other_salon):
        cloud.set_heater_mode(heater.header, "Manual", comfort=20.0)

    async def reported() -> list[tuple[float, str]]:
        values = []
        for index, home in enumerate(cloud.home_ids):
            _, body = await call("POST", "config", {"homeId": home})
            values += [(d["sp"], d["pv"]) for d in body["reponse"][: 2 - index]]
        return values

    def pv(heater: SimHeater, sp: float) -> str:
        return f"{sp + heater.pv_bias:.1f}"

    calm = [(20.0, pv(salon, 20)), (20.0, pv(kitchen, 20)), (20.0, pv(other_salon, 20))]
    for delta in (2, -1):  # two calls for the same room and window: the deltas add up
        items = [derogation(cloud, delta=delta)]
        assert (await call("POST", "derogations", {"derogations": items}))[0] == 200
    assert await reported() == calm  # 10:00 Paris, before the window
    simulator.clock.advance(timedelta(minutes=30))  # 10:30: the window opens
    assert await reported() == [(21.0, pv(salon, 21)), calm[1], calm[2]]
    assert cloud.setpoint(salon) == 21.0
    simulator.clock.advance(timedelta(minutes=29, seconds=59))
    assert (await reported())[0][0] == 21.0
    simulator.clock.advance(1)  # 11:00: the window is closed
    assert await reported() == calm


async def test_a_derogation_leaves_stopped_heaters_alone(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    salon = first_heater(cloud)
    cloud.set_heater_mode(salon.header, "Antifreeze")
    items = [derogation(cloud, startTime=600, endTime=700, delta=3)]
    assert (await call("POST", "derogations", {"derogations": items}))[0] == 200
    _, body = await call("POST", "config", {"homeId": cloud.home_ids[0]})
    assert body["reponse"][0]["sp"] == 7.0
    cloud.set_heater_mode(salon.header, "Prog", comfort=19.0)
    assert cloud.setpoint(salon) == 19.0 - 3.5 + 3


# -- report -------------------------------------------------------------------------------


async def test_report_follows_the_clock_and_the_gateways(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    first, second = cloud.home_ids
    cloud.set_gateway_online(second, False)
    items = [derogation(cloud), derogation(cloud, homeId=second, roomId=3)]
    _, result = await call("POST", "derogations", {"derogations": items})

    async def report(trigger: str) -> dict[str, Any]:
        status, body = await call("POST", "report", {"trigger": trigger})
        assert status == 200
        assert set(body) == {"authorisation", "response"}
        assert set(body["response"]) == {"summary", "details"}
        return dict(body["response"])

    def summary(
        sent: int, received: int, first_at: str | None, last_at: str | None
    ) -> dict[str, Any]:
        return {
            "requested": 2,
            "sent": sent,
            "received": received,
            "first": first_at,
            "last": last_at,
        }

    start = result["startTrigger"]
    assert await report(start) == {"summary": summary(0, 0, None, None), "details": []}

    simulator.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))  # 10:30 Paris
    sent_first = "2026-11-23T09:30:00.000Z"
    assert await report(start) == {
        "summary": summary(1, 0, sent_first, sent_first),
        "details": [{"acknowledge": False, "homeId": first, "sendAt": sent_first}],
    }
    simulator.clock.advance(0.1)
    sent_second = "2026-11-23T09:30:00.100Z"
    assert (await report(start))["summary"] == summary(2, 0, sent_first, sent_second)
    simulator.clock.advance(1.9)  # the first gateway acknowledges after ack_delay
    body = await report(start)
    assert body["summary"] == summary(2, 1, sent_first, sent_second)
    assert [d["acknowledge"] for d in body["details"]] == [True, False]
    simulator.clock.advance(timedelta(days=1))  # an offline gateway never acknowledges
    assert (await report(start))["summary"]["received"] == 1

    end = result["endTrigger"]
    simulator.clock.set(datetime(2026, 11, 23, 9, 59, 59, tzinfo=UTC))
    assert (await report(end))["summary"]["sent"] == 0
    simulator.clock.set(datetime(2026, 11, 23, 10, 0, 5, tzinfo=UTC))
    body = await report(end)
    assert body["summary"] == summary(2, 1, "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.100Z")


async def test_report_of_a_past_window_sends_at_once(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    items = [derogation(cloud, startTime=480, endTime=540)]  # 08:00-09:00, already over
    _, result = await call("POST", "derogations", {"derogations": items})
    for trigger in (result["startTrigger"], result["endTrigger"]):
        _, body = await call("POST", "report", {"trigger": trigger})
        assert body["response"]["details"][0]["sendAt"] == "2026-11-23T09:00:00.000Z"
    simulator.clock.advance(2)
    _, body = await call("POST", "report", {"trigger": result["startTrigger"]})
    assert body["response"]["summary"]["received"] == 1


async def test_gateway_lost_before_the_ack_never_acknowledges(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    items = [derogation(cloud, startTime=600, endTime=700)]  # already started: sent now
    _, result = await call("POST", "derogations", {"derogations": items})
    simulator.clock.advance(1)
    cloud.set_gateway_online(cloud.home_ids[0], False)
    simulator.clock.advance(60)
    cloud.set_gateway_online(cloud.home_ids[0], True)
    _, body = await call("POST", "report", {"trigger": result["startTrigger"]})
    assert body["response"]["summary"]["received"] == 0


async def test_report_of_unknown_or_missing_trigger(call: Call) -> None:
    status, problem = await call("POST", "report", {"trigger": "0123456789abcdef01234567"})
    assert (status, problem["detail"]) == (404, "Trigger 0123456789abcdef01234567 not found")
    assert (await call("POST", "report", {}))[0] == 400


# -- diagnosis ------------------------------------------------------------------------------


async def test_diagnosis_is_pending_then_done(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[0])
    status, body = await call("POST", "request", {"homeId": home.home_id})
    assert status == 200
    assert set(body["response"]) == {"status", "messageId"}
    assert body["response"]["status"] == "OK"
    message_id = body["response"]["messageId"]
    created = "2026-11-23T09:00:00.000Z"

    async def result() -> dict[str, Any]:
        status, body = await call("PUT", "request", {"messageId": message_id})
        assert status == 200
        return dict(body["response"])

    pending = {"_created_at": created, "acknowledge": False, "status": "PENDING"}
    assert await result() == pending
    simulator.clock.advance(299)
    assert await result() == pending
    simulator.clock.advance(1)
    done = await result()
    assert set(done) == {"_created_at", "acknowledge", "status", "diagnosis"}
    assert (done["_created_at"], done["acknowledge"], done["status"]) == (created, True, "DONE")
    diagnosis = done["diagnosis"]
    assert diagnosis["homeId"] == home.home_id
    assert diagnosis["gateway"]["online"] is True
    assert diagnosis["gateway"]["token"] == home.gateway.token
    assert diagnosis["gateway"]["lastPing"] == "2026-11-23T09:05:00.000Z"
    devices = diagnosis["devices"]
    assert [d["header"] for d in devices] == [h.header for h in home.heaters]
    assert [d["online"] for d in devices] == [True, True, True, False]
    assert set(devices[0]) >= {"header", "roomId", "online", "lastUpdate"}
    offline_seen = datetime.fromisoformat(devices[3]["lastUpdate"])
    assert START - offline_seen > timedelta(days=3)


async def test_diagnosis_of_an_offline_gateway_fails(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home_id = cloud.home_ids[1]
    cloud.set_gateway_online(home_id, False)
    _, body = await call("POST", "request", {"homeId": home_id})
    assert body["response"]["status"] == "NOK"
    message_id = body["response"]["messageId"]
    for _ in range(2):
        _, body = await call("PUT", "request", {"messageId": message_id})
        assert body["response"] == {
            "_created_at": "2026-11-23T09:00:00.000Z",
            "acknowledge": False,
            "status": "FAILED",
        }
        simulator.clock.advance(3600)


async def test_diagnosis_fails_when_the_gateway_leaves_meanwhile(
    call: Call, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home_id = cloud.home_ids[0]
    _, body = await call("POST", "request", {"homeId": home_id})
    simulator.clock.advance(10)
    cloud.set_gateway_online(home_id, False)
    simulator.clock.advance(600)
    _, body = await call("PUT", "request", {"messageId": body["response"]["messageId"]})
    assert (body["response"]["acknowledge"], body["response"]["status"]) == (False, "FAILED")


async def test_diagnosis_of_unknowns(call: Call) -> None:
    status, problem = await call("POST", "request", {"homeId": "0123456789abcdef01234567"})
    assert status == 404
    assert "not found" in problem["detail"]
    status, problem = await call("PUT", "request", {"messageId": "nope"})
    assert (status, problem["detail"]) == (404, "Message nope not found")
    assert (await call("PUT", "request", {"id": "nope"}))[0] == 400
