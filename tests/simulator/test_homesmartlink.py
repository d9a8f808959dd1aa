"""The simulated Home SmartLink partner API, over real HTTP, against the vendor's document.

World, authentication, config, invitations and users; derogations, reports
and diagnoses are in test_homesmartlink_derogations.py.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
import re
from typing import Any

import aiohttp
import pytest

from simulator import Clock, Scenario, Simulator
from simulator.homesmartlink import HomeSmartLinkCloud
from simulator.scenario import (
    CATEGORIES,
    MODES,
    DeviceSpec,
    HomeSmartLinkScenario,
    HomeSpec,
    RoomSpec as Room,
)
from tests.conftest import START, StartSimulator
from tests.simulator.conftest import CLIENT_ID, Partner, basic

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
JS_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
AUTHORISATION = {"type": "BASIC", "client": CLIENT_ID}
DEVICE_REQUIRED = {"header", "roomId", "roomName", "softwareVersion", "category", "online"}
ONLINE_DEVICE = DEVICE_REQUIRED | {"mode", "sp", "pv", "lastUpdate"}
# One home with every category and mode, its gateway listed in the kitchen.
EVERY_KIND = HomeSpec(
    rooms=[
        Room("Living room", [DeviceSpec("Heater", "Prog"), DeviceSpec("Fireplace", "Manual")]),
        Room("Kitchen", [DeviceSpec("Module", "Stop"), DeviceSpec("Gateway")]),
        Room("Cellar", [DeviceSpec("Furnace", "Antifreeze"), DeviceSpec("None", "Manual")]),
        Room("Bathroom", [DeviceSpec("TowelDryier", "Prog", online=False)]),
    ]
)


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


def built(scenario: Scenario, start: datetime = START) -> HomeSmartLinkCloud:
    """The partner API of a world that is built but not listening."""
    return Simulator(scenario, clock=Clock(start, frozen=True)).homesmartlink


def laid_out(*homes: HomeSpec, **options: Any) -> Scenario:
    return Scenario(homesmartlink=HomeSmartLinkScenario(layout=list(homes), **options))


async def config(partner: Partner, home_id: str, sim: Simulator | None = None) -> dict[str, Any]:
    status, body = await partner("POST", "config", {"homeId": home_id}, sim=sim)
    assert status == 200, body
    return dict(body)


# -- the world ---------------------------------------------------------------------


def test_world_is_deterministic_for_a_seed() -> None:
    def world(seed: int, start: datetime = START) -> list[tuple[str, str, list[str], str]]:
        return [
            (home.home_id, home.user.prm_id, [h.header for h in home.heaters], gateway.token)
            for home in built(Scenario(seed=seed), start).homes
            if (gateway := home.gateway) is not None
        ]

    assert world(1) == world(1)
    assert world(1) == world(1, START + timedelta(days=100))  # ids do not follow the clock
    assert world(1) != world(2)
    assert len(world(3)) == 2
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
    assert [h.category for h in home.heaters] == ["Heater"] * 3 + ["TowelDryier"]
    assert [heater.online for heater in home.heaters] == [True, True, True, False]
    assert [h.user.email for h in cloud.homes] == ["user1@example.com", "user2@example.com"]
    assert home.heaters[0].mode == "Prog"  # every home shows a week schedule


@pytest.mark.parametrize(
    ("helper", "error"),
    [
        (lambda cloud: cloud.home("nope"), KeyError),
        (lambda cloud: cloud.heater("nope"), KeyError),
        (
            lambda cloud: cloud.set_heater_mode(cloud.homes[0].heaters[0].header, "Turbo"),
            ValueError,
        ),
    ],
    ids=["home", "heater", "mode"],
)
def test_helpers_refuse_unknowns(cloud: HomeSmartLinkCloud, helper: Any, error: type) -> None:
    with pytest.raises(error):
        helper(cloud)


def test_many_rooms_get_generic_names() -> None:
    cloud = built(Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, rooms_per_home=12)))
    names = [room.name for room in cloud.homes[0].rooms]
    assert names[4] == "Bureau"
    assert names[-1] == "Pièce 12"
    assert len(set(names)) == 12


def test_several_heaters_per_room() -> None:
    cloud = built(Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, heaters_per_room=3)))
    rooms = cloud.homes[0].rooms
    assert [len(room.heaters) for room in rooms] == [3, 3, 3]
    assert all(h.room_id == room.room_id for room in rooms for h in room.heaters)
    assert len({h.header for h in cloud.homes[0].heaters}) == 9


def test_demo_world_shows_every_case() -> None:
    cloud = built(Scenario.demo())
    assert len(cloud.homes) == 2
    heaters = [heater for home in cloud.homes for heater in home.heaters]
    rooms = {room.name for home in cloud.homes for room in home.rooms}
    assert {"Living room", "Bedroom", "Bathroom", "Kitchen"} <= rooms
    assert any(len(room.heaters) == 2 for home in cloud.homes for room in home.rooms)
    listed = {h.category for h in heaters} | {"Gateway" for h in cloud.homes if h.gateway.entry}
    assert listed == set(CATEGORIES)
    assert {heater.mode for heater in heaters} == set(MODES)
    assert [heater.online for heater in heaters].count(False) == 1
    assert [home.gateway_online(START) for home in cloud.homes] == [True, False]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"category": "Toaster"}, "unknown category"),
        ({"mode": "Turbo"}, "unknown mode"),
    ],
)
def test_device_specs_speak_the_documents_vocabulary(spec: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DeviceSpec(**spec)


@pytest.mark.parametrize(
    ("home", "message"),
    [
        ({"rooms": [], "gateway": "sometimes"}, "unknown gateway"),
        ({"rooms": [Room("Hall", [DeviceSpec("Gateway")])], "gateway": "none"}, "at most one"),
        ({"rooms": [Room("Hall", [DeviceSpec("Gateway"), DeviceSpec("Gateway")])]}, "at most"),
    ],
)
def test_home_specs_refuse_contradictions(home: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HomeSpec(**home)


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
    partner: Partner, method: str, endpoint: str, authorization: str | None
) -> None:
    status, problem = await partner(method, endpoint, {}, authorization=authorization)
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
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    status, body = await partner(
        "POST", "config", {"homeId": cloud.home_ids[0]}, authorization=basic(scheme="BASIC")
    )
    assert status == 200
    assert body["authorisation"] == AUTHORISATION


async def test_rate_limit_answers_429_with_retry_after(
    start_simulator: StartSimulator, session: aiohttp.ClientSession, partner: Partner
) -> None:
    sim = await start_simulator(Scenario(rate_limit_requests=2, rate_limit_window=60))
    assert (await partner("GET", "users", sim=sim, authorization=basic(secret="x")))[0] == 401
    assert (await partner("GET", "users", sim=sim))[0] == 200
    assert (await partner("GET", "users", sim=sim))[0] == 200
    async with session.get(
        f"{sim.url}/partners/1/users", headers={"Authorization": basic()}
    ) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "60"
        assert (await resp.json(content_type=None))["status"] == 429
    sim.clock.advance(61)
    assert (await partner("GET", "users", sim=sim))[0] == 200


# -- result key spelling -------------------------------------------------------------


async def test_result_key_is_spelled_as_each_endpoint_documents(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    home_id = cloud.home_ids[0]
    derogation = {
        "homeId": home_id,
        "roomId": 1,
        "startTime": 630,
        "endTime": 660,
        "delta": 2,
        "date": "2026-11-23",
    }
    answers = {
        "config": await partner("POST", "config", {"homeId": home_id}),
        "invitations": await partner("POST", "invitations", {"email": "user1@example.com"}),
        "derogations": await partner("POST", "derogations", {"derogations": [derogation]}),
        "users": await partner("GET", "users"),
        "request": await partner("POST", "request", {"homeId": home_id}),
    }
    trigger = answers["derogations"][1]["startTrigger"]
    message_id = answers["request"][1]["response"]["messageId"]
    answers["report"] = await partner("POST", "report", {"trigger": trigger})
    answers["result"] = await partner("PUT", "request", {"messageId": message_id})
    for name, (status, body) in answers.items():
        assert status == 200, name
        assert body["authorisation"] == AUTHORISATION, name
        expected = "reponse" if name in ("config", "invitations") else "response"
        unexpected = "response" if expected == "reponse" else "reponse"
        assert expected in body, name
        assert unexpected not in body, name


# -- config --------------------------------------------------------------------------


async def test_config_lists_devices_and_gateway_as_documented(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    home = cloud.home(cloud.home_ids[0])
    cloud.set_heater_mode(home.heaters[1].header, "Manual", comfort=19.5)
    body = await config(partner, home.home_id)
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
    assert home.gateway is not None
    assert body["gateway"] == {
        "token": home.gateway.token,
        "version": home.gateway.version,
        "lastPing": "2026-11-23T09:00:00.000Z",
        "installationDate": body["gateway"]["installationDate"],
    }
    assert JS_ISO.fullmatch(body["gateway"]["installationDate"])


@pytest.mark.parametrize(
    ("when", "sp"),
    [
        (START, 16.5),  # Monday 10:00 Paris: eco, comfort minus 3.5
        (datetime(2026, 11, 23, 6, 30, tzinfo=UTC), 20.0),  # Monday 07:30 Paris: comfort
        (datetime(2026, 11, 28, 9, 0, tzinfo=UTC), 20.0),  # Saturday 10:00 Paris: comfort
    ],
)
async def test_prog_setpoint_follows_the_local_schedule(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator, when: datetime, sp: float
) -> None:
    heater = cloud.homes[0].heaters[0]
    cloud.set_heater_mode(heater.header, "Prog", comfort=20.0)
    simulator.clock.set(when)
    assert (await config(partner, cloud.home_ids[0]))["reponse"][0]["sp"] == sp


@pytest.mark.parametrize(("mode", "sp", "pv"), [("Stop", 0.0, 15.0), ("Antifreeze", 7.0, 12.0)])
async def test_stop_and_antifreeze_report_fixed_setpoints(
    partner: Partner, cloud: HomeSmartLinkCloud, mode: str, sp: float, pv: float
) -> None:
    heater = cloud.homes[0].heaters[0]
    cloud.set_heater_mode(heater.header, mode)
    device = (await config(partner, cloud.home_ids[0]))["reponse"][0]
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
    partner: Partner, raw: bytes | None, body: Any, status: int, detail: str
) -> None:
    got, problem = await partner("POST", "config", body, raw=raw)
    assert got == status
    assert detail in problem["detail"]


async def test_helpers_change_what_config_reports(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[0])
    salon = home.heaters[0]
    cloud.set_heater_online(salon.header, False)
    cloud.set_heater_online(salon.header, False)  # already offline: nothing changes
    cloud.set_gateway_online(home.home_id, False)
    simulator.clock.advance(3600)
    body = await config(partner, home.home_id)
    assert set(body["reponse"][0]) == DEVICE_REQUIRED
    assert body["reponse"][0]["online"] is False
    assert body["gateway"]["lastPing"] == "2026-11-23T09:00:00.000Z"  # frozen when it left
    cloud.set_heater_online(salon.header, True)
    cloud.set_gateway_online(home.home_id, True)
    body = await config(partner, home.home_id)
    assert set(body["reponse"][0]) >= ONLINE_DEVICE
    assert body["gateway"]["lastPing"] == "2026-11-23T10:00:00.000Z"


async def test_offline_gateway_scenario_has_an_old_last_ping(
    start_simulator: StartSimulator, partner: Partner
) -> None:
    sim = await start_simulator(
        Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, gateway_online=False))
    )
    body = await config(partner, sim.homesmartlink.home_ids[0], sim)
    last_ping = datetime.fromisoformat(body["gateway"]["lastPing"])
    assert START - last_ping >= timedelta(days=3)
    _, invitations = await partner("POST", "invitations", {"email": "user1@example.com"}, sim=sim)
    assert invitations["reponse"][0]["gatewayEnabled"] is False


async def test_every_category_and_mode_in_config(
    start_simulator: StartSimulator, partner: Partner
) -> None:
    sim = await start_simulator(laid_out(EVERY_KIND))
    home = sim.homesmartlink.homes[0]
    devices = (await config(partner, home.home_id, sim))["reponse"]
    assert [(d["roomName"], d["category"], d.get("mode")) for d in devices] == [
        ("Living room", "Heater", "Prog"),
        ("Living room", "Fireplace", "Manual"),
        ("Kitchen", "Module", "Stop"),
        ("Kitchen", "Gateway", None),
        ("Cellar", "Furnace", "Antifreeze"),
        ("Cellar", "None", "Manual"),
        ("Bathroom", "TowelDryier", None),  # offline: no mode
    ]
    assert [d["roomId"] for d in devices] == [1, 1, 2, 2, 3, 3, 4]
    heating = [d for d in devices if d["category"] != "Gateway" and d["online"]]
    assert all(set(d) >= ONLINE_DEVICE for d in heating)
    assert (devices[2]["sp"], devices[4]["sp"]) == (0.0, 7.0)


async def test_gateway_entry_follows_the_gateway(
    start_simulator: StartSimulator, partner: Partner
) -> None:
    sim = await start_simulator(laid_out(EVERY_KIND))
    home = sim.homesmartlink.homes[0]
    assert home.gateway is not None
    entry = home.gateway.entry
    assert entry is not None
    assert [d.header for d in home.devices].index(entry.header) == 3
    body = await config(partner, home.home_id, sim)
    listed = body["reponse"][3]
    assert listed == {
        "header": entry.header,
        "roomId": 2,
        "roomName": "Kitchen",
        "softwareVersion": entry.software_version,
        "category": "Gateway",
        "online": True,
        "lastUpdate": body["gateway"]["lastPing"],
    }
    sim.homesmartlink.set_gateway_online(home.home_id, False)
    assert (await config(partner, home.home_id, sim))["reponse"][3] == {
        key: value for key, value in listed.items() if key != "lastUpdate"
    } | {"online": False}
    _, invitations = await partner("POST", "invitations", {"email": "user1@example.com"}, sim=sim)
    kitchen = invitations["reponse"][0]["rooms"][1]
    assert kitchen["deviceCount"] == "2"
    assert kitchen["accessories"][1] == entry.header


async def test_home_without_gateway(
    start_simulator: StartSimulator, partner: Partner, session: aiohttp.ClientSession
) -> None:
    sim = await start_simulator(
        Scenario(homesmartlink=HomeSmartLinkScenario(homes=3, homes_without_gateway=2))
    )
    cloud = sim.homesmartlink
    assert [home.gateway is not None for home in cloud.homes] == [True, False, False]
    home_id = cloud.home_ids[1]
    body = await config(partner, home_id, sim)
    assert set(body) == {"authorisation", "reponse"}
    assert len(body["reponse"]) == 3
    _, invitations = await partner("POST", "invitations", {"email": "user2@example.com"}, sim=sim)
    (invitation,) = invitations["reponse"]
    assert (invitation["hasGateway"], invitation["gatewayEnabled"]) == (False, False)
    _, diagnosis = await partner("POST", "request", {"homeId": home_id}, sim=sim)
    assert diagnosis["response"]["status"] == "NOK"
    with pytest.raises(ValueError, match="has no gateway"):
        cloud.set_gateway_online(home_id, True)


# -- invitations ------------------------------------------------------------------------


async def test_invitations_list_the_homes_of_an_email(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    home = cloud.home(cloud.home_ids[1])
    status, body = await partner("POST", "invitations", {"email": "USER2@Example.com"})
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


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"email": "nobody@example.com"}, 200, []),
        ({"mail": "user1@example.com"}, 400, "'email' is required and must be a non-empty string"),
        ({"email": ""}, 400, "'email' is required and must be a non-empty string"),
    ],
)
async def test_invitations_of_nobody(
    partner: Partner, body: dict[str, str], status: int, expected: Any
) -> None:
    got, answer = await partner("POST", "invitations", body)
    assert got == status
    assert (answer["reponse"] if status == 200 else answer["detail"]) == expected


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
    start_simulator: StartSimulator,
    partner: Partner,
    params: dict[str, str] | None,
    expected: list[int],
) -> None:
    sim = await start_simulator(Scenario(homesmartlink=HomeSmartLinkScenario(homes=5)))
    status, body = await partner("GET", "users", params=params, sim=sim)
    assert status == 200
    ids = sim.homesmartlink.home_ids
    assert [user["homeId"] for user in body["response"]] == [ids[i] for i in expected]


async def test_user_shape_carries_the_contact_email(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    _, body = await partner("GET", "users")
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
async def test_users_reject_bad_paging(partner: Partner, params: dict[str, str]) -> None:
    status, problem = await partner("GET", "users", params=params)
    assert status == 400
    assert "must be an integer >= 1" in problem["detail"]


@pytest.mark.parametrize("authorization", [basic(), None])
async def test_users_endpoint_can_predate_version_0_3_3(
    simulator: Simulator, partner: Partner, authorization: str | None
) -> None:
    simulator.scenario.homesmartlink.users_endpoint = False
    status, problem = await partner("GET", "users", authorization=authorization)
    assert (status, problem["title"]) == (404, "Not Found")
    assert (await partner("GET", "users/none", authorization=authorization))[1] == problem
    simulator.scenario.homesmartlink.users_endpoint = True
    assert (await partner("GET", "users"))[0] == 200
