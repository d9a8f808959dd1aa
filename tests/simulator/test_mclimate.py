"""The simulated MClimate cloud over real HTTP: HAL collections, entities, fetch and send.

Sign-in, tokens and Bearer checks are in test_mclimate_oauth.py.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from simulator import Clock, MClimateScenario, Scenario, Simulator
from simulator.mclimate import PAGE_SIZE, BobbieState, MClimateCloud, MelissaState, VickiState
from tests.conftest import START, StartSimulator
from tests.simulator.conftest import MClimateApi

# 65 controllers: three pages of 30.
BIG = Scenario(mclimate=MClimateScenario(melissa=40, bobbie=2, vicki=22, smart_plug=1))
KINDS = ("melissa", "bobbie", "vicki", "smart_plug")
IR = {"command": "send_ir_code", "state": 1, "mode": 3, "temp": 22, "fan": 1}
# One accepted command per documented type (and the Vicki invention).
COMMANDS = {
    "melissa": IR,
    "bobbie": {"command": "switch_on_off", "state": "on"},
    "vicki": {"command": "set_motor_position", "position": 21},
    "smart_plug": {"command": "switch_on_off", "state": "off"},
}


@pytest.fixture
def scenario() -> Scenario:
    """The default world, with tokens that outlive the clock jumps of these tests."""
    return Scenario(mclimate=MClimateScenario(token_lifetime=7 * 86400))


@pytest.fixture
def cloud(simulator: Simulator) -> MClimateCloud:
    return simulator.mclimate


def built(mclimate: MClimateScenario, seed: int = 1) -> MClimateCloud:
    """The MClimate cloud of a world that is built but not listening."""
    return Simulator(
        Scenario(seed=seed, mclimate=mclimate), clock=Clock(START, frozen=True)
    ).mclimate


def serial(cloud: MClimateCloud, kind: str) -> str:
    return cloud.serials(kind)[0]


# -- the world -----------------------------------------------------------------------------


def test_world_is_deterministic_for_the_seed() -> None:
    world = MClimateScenario(melissa=2, bobbie=1, vicki=2, smart_plug=1, offline_devices=2)
    cloud, again, other = built(world, 3), built(world, 3), built(world, 4)
    assert cloud.serials() == again.serials() != other.serials()
    assert [cloud.provider(s) for s in cloud.serials()] == [
        again.provider(s) for s in again.serials()
    ]
    assert [len(cloud.serials(kind)) for kind in KINDS] == [2, 1, 2, 1]
    assert [cloud.controllers[s].online for s in cloud.serials()] == [True] * 4 + [False] * 2
    assert len({c.mac for c in cloud.controllers.values()}) == 6
    assert all(len(s) == 11 and s.isalnum() and s.isupper() for s in cloud.serials("vicki"))
    created = [c.created for c in cloud.controllers.values()]
    assert created == sorted(created)
    cloud.set_online(cloud.serials()[0], False)
    assert not cloud.controllers[cloud.serials()[0]].online


def test_names_from_the_scenario() -> None:
    cloud = built(MClimateScenario(melissa=2, names={"melissa": ["Bedroom AC"], "vicki": ["V"]}))
    melissa, other = (cloud.controllers[s] for s in cloud.serials("melissa"))
    assert (melissa.name, other.name) == ("Bedroom AC", f"Melissa {other.serial_number[:6]}")
    assert cloud.controllers[serial(cloud, "vicki")].name == "V"


def test_demo_household() -> None:
    cloud = Simulator(Scenario.demo(), clock=Clock(START, frozen=True)).mclimate
    names = {c.type: c.name for c in cloud.controllers.values()}
    assert names == {
        "melissa": "Bedroom AC",
        "bobbie": "Water heater",
        "vicki": "Living room valve",
        "smart_plug": "Plug",
    }


def test_unknown_types_must_be_unknown() -> None:
    with pytest.raises(ValueError, match="documented types"):
        MClimateScenario(unknown_types=["vicki"])


# -- users and controllers ---------------------------------------------------------------------


async def test_users_me(cloud: MClimateCloud, api: MClimateApi) -> None:
    status, body, _ = await api.get("/users/me")
    assert status == 200
    assert body["_links"] == {
        "self": {"href": "/v1/users"},
        "controller": {"href": "/v1/controller/{serial_number}", "templated": True},
    }
    user = body["users"]
    assert set(user) == {
        "user_id",
        "username",
        "firstname",
        "lastname",
        "phone",
        "role",
        "country_id",
        "created",
    }
    assert user["user_id"] == cloud.user.user_id
    assert isinstance(user["role"], str)  # "1" in the document
    _, body, _ = await api.get("/users/me", fields="user_id")
    assert body["users"] == {"user_id": user["user_id"]}


@pytest.mark.parametrize(
    ("params", "detail"),
    [({"fields": "shoe_size"}, "Unknown field(s)"), ({"page": "2"}, "Not available on an entity")],
)
async def test_users_me_takes_fields_only(
    api: MClimateApi, params: dict[str, str], detail: str
) -> None:
    status, problem, _ = await api.get("/users/me", **params)
    assert status == 400
    assert problem["detail"].startswith(detail)


@pytest.mark.parametrize("scenario", [BIG])
async def test_collection_pages_of_thirty(cloud: MClimateCloud, api: MClimateApi) -> None:
    status, first, _ = await api.get("/controllers")
    assert status == 200
    assert first["total"] == PAGE_SIZE == len(first["_embedded"]["controller"])
    assert first["_links"] == {
        "self": {"href": "/v1/controllers"},
        "first": {"href": "/v1/controllers?page=1"},
        "last": {"href": "/v1/controllers?page=3"},
    }
    _, third, _ = await api.get("/controllers", page="3")
    assert third["total"] == 5
    assert third["_links"]["self"] == {"href": "/v1/controllers?page=3"}
    item = first["_embedded"]["controller"][0]
    assert item["_links"] == {"self": {"href": f"/v1/controllers/{item['serial_number']}"}}
    assert item["_relation"]["melissa"]["controller_id"] == item["id"]
    # Past the last page: the entity shape, no _embedded.
    status, empty, _ = await api.get("/controllers", page="4")
    assert (status, empty) == (200, {"_links": {"self": {"href": "/v1/controllers?page=4"}}})


@pytest.mark.parametrize(("count", "limit", "pages"), [(1, None, 1), (61, None, 3), (150, 40, 4)])
async def test_every_controller_is_on_one_page(
    start_simulator: StartSimulator,
    session: aiohttp.ClientSession,
    count: int,
    limit: int | None,
    pages: int,
) -> None:
    world = MClimateScenario(melissa=count // 2, vicki=count - count // 2, bobbie=0, smart_plug=0)
    sim = await start_simulator(Scenario(mclimate=world))
    api = MClimateApi(sim, session, sim.mclimate.issue_token())
    paging = {} if limit is None else {"limit": str(limit)}
    seen: list[str] = []
    for page in range(1, pages + 1):
        _, body, _ = await api.get("/controllers", page=str(page), **paging)
        assert body["_links"]["last"]["href"].endswith(f"page={pages}")
        seen += [item["serial_number"] for item in body["_embedded"]["controller"]]
    assert seen == sim.mclimate.serials()
    assert "_embedded" not in (await api.get("/controllers", page=str(pages + 1), **paging))[1]


@pytest.mark.parametrize("scenario", [BIG])
async def test_collection_filters_fields_sort_and_limit(
    cloud: MClimateCloud, api: MClimateApi
) -> None:
    _, vickis, _ = await api.get("/controllers", type="vicki")
    assert [i["serial_number"] for i in vickis["_embedded"]["controller"]] == cloud.serials("vicki")
    assert vickis["_links"]["last"] == {"href": "/v1/controllers?type=vicki&page=1"}
    assert all("_relation" not in i for i in vickis["_embedded"]["controller"])

    plug = serial(cloud, "smart_plug")
    _, by_mac, _ = await api.get("/controllers", mac=cloud.controllers[plug].mac)
    assert [i["serial_number"] for i in by_mac["_embedded"]["controller"]] == [plug]

    cloud.set_online(plug, False)
    _, offline, _ = await api.get("/controllers", online="false")
    assert [i["serial_number"] for i in offline["_embedded"]["controller"]] == [plug]
    _, online, _ = await api.get("/controllers", online="1", limit="100")
    assert online["total"] == 64

    _, picked, _ = await api.get("/controllers", fields="serial_number, type", type="bobbie")
    assert [set(i) for i in picked["_embedded"]["controller"]] == [
        {"serial_number", "type", "_links"}
    ] * 2

    _, newest, _ = await api.get("/controllers", sort="-created")
    created = [i["created"] for i in newest["_embedded"]["controller"]]
    assert created == sorted(created, reverse=True)
    assert newest["_embedded"]["controller"][0]["serial_number"] == cloud.serials()[-1]
    _, by_type, _ = await api.get("/controllers", sort="type,-id", limit="100")
    keys = [(i["type"], -i["id"]) for i in by_type["_embedded"]["controller"]]
    assert keys == sorted(keys)

    _, limited, _ = await api.get("/controllers", limit="15", page="2")
    assert limited["total"] == 15
    assert limited["_links"] == {
        "self": {"href": "/v1/controllers?limit=15&page=2"},
        "first": {"href": "/v1/controllers?limit=15&page=1"},
        "last": {"href": "/v1/controllers?limit=15&page=5"},
    }


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"foo": "bar"}, "Not a filterable field of controllers: foo"),
        ({"controller_log": "[]"}, "Not a filterable field"),
        ({"command_log": "[]"}, "Not a filterable field"),
        ({"fields": "serial_number,foo"}, "Unknown field(s) in fields: foo"),
        ({"fields": "command_log"}, "Unknown field(s) in fields: command_log"),
        ({"sort": "-foo"}, "Cannot sort controllers by: -foo"),
        ({"sort": "controller_log"}, "Cannot sort"),
        ({"limit": "0"}, "limit must be a positive integer up to 100"),
        ({"limit": "101"}, "limit must be a positive integer up to 100"),
        ({"limit": "ten"}, "limit must be a positive integer"),
        ({"page": "0"}, "page must be a positive integer"),
    ],
)
async def test_collection_refuses_unknown_fields_and_bad_paging(
    api: MClimateApi, params: dict[str, str], detail: str
) -> None:
    status, problem, _ = await api.get("/controllers", **params)
    assert (status, problem["status"], problem["title"]) == (400, 400, "Bad Request")
    assert problem["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("params", "query"),
    [({"type": "melissa", "name": "nobody"}, "type=melissa&name=nobody"), ({"id": "1"}, "id=1")],
)
async def test_empty_collection_answers_the_entity_shape(
    api: MClimateApi, params: dict[str, str], query: str
) -> None:
    status, body, _ = await api.get("/controllers", **params)
    assert (status, body) == (200, {"_links": {"self": {"href": f"/v1/controllers?{query}"}}})


async def test_filter_on_missing_values(cloud: MClimateCloud, api: MClimateApi) -> None:
    _, body, _ = await api.get("/controllers", brand_id="null")
    expected = [s for s in cloud.serials() if cloud.controllers[s].brand_id is None]
    assert len(expected) == 3  # every controller but the Melissa
    assert [i["serial_number"] for i in body["_embedded"]["controller"]] == expected


async def test_controller_entity(cloud: MClimateCloud, api: MClimateApi) -> None:
    melissa = serial(cloud, "melissa")
    status, body, _ = await api.get(f"/controllers/{melissa}")
    assert status == 200
    assert body["_links"] == {"self": {"href": f"/v1/controllers/{melissa}"}}
    controller = body["controller"]
    assert controller["serial_number"] == melissa
    assert controller["controller_log"] == []
    assert "command_log" not in controller
    relation = controller["_relation"]["melissa"]
    assert set(relation) == {
        "id",
        "controller_id",
        "codeset_id",
        "led_state",
        "temperature_offset",
        "humidity_offset",
    }
    assert "_links" not in controller
    assert (await api.get(f"/controller/{melissa}"))[1] == body  # the users/me template
    _, picked, _ = await api.get(f"/controllers/{melissa}", fields="serial_number,mac,name")
    assert set(picked["controller"]) == {"serial_number", "mac", "name"}
    assert "_relation" not in await api.controller(serial(cloud, "bobbie"))


@pytest.mark.parametrize(
    ("path", "params", "status", "detail"),
    [
        ("/controllers/NOPE", {}, 404, "Controller not found"),
        ("/controllers/{serial}", {"type": "x"}, 400, "Not available on an entity: type"),
    ],
)
async def test_controller_entity_errors(
    cloud: MClimateCloud,
    api: MClimateApi,
    path: str,
    params: dict[str, str],
    status: int,
    detail: str,
) -> None:
    got, problem, _ = await api.get(path.format(serial=cloud.serials()[0]), **params)
    assert (got, problem["detail"]) == (status, detail)


# -- controller_log ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_accepted_commands_land_in_controller_log(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator, kind: str
) -> None:
    target = serial(cloud, kind)
    command = {"serial_number": target, **COMMANDS[kind]}
    assert (await api.send(command))[0] == 200
    simulator.clock.advance(61)
    assert (await api.send(command))[0] == 200
    entries = [
        COMMANDS[kind] | {"created": "2026-11-23 09:00:00"},
        COMMANDS[kind] | {"created": "2026-11-23 09:01:01"},
    ]
    assert (await api.controller(target))["controller_log"] == entries
    _, listed, _ = await api.get("/controllers", fields="serial_number,controller_log")
    logs = {i["serial_number"]: i["controller_log"] for i in listed["_embedded"]["controller"]}
    assert logs == {s: entries if s == target else [] for s in cloud.serials()}


async def test_controller_log_keeps_ir_commands_as_received(
    cloud: MClimateCloud, api: MClimateApi
) -> None:
    melissa = serial(cloud, "melissa")
    nested = {"state": 0, "mode": 3, "temp": 18, "fan": 0}
    body = {"serial_number": melissa, "command": "send_ir_code", "send_ir_code_options": nested}
    assert (await api.send(body, path="/providers/send"))[0] == 200
    assert (await api.send({"serial_number": melissa, "command": "turn_led_off"}))[0] == 200
    assert (await api.send({"serial_number": melissa, **IR, "temp": 99}))[0] == 400  # refused
    assert (await api.controller(melissa))["controller_log"] == [
        {
            "command": "send_ir_code",
            "send_ir_code_options": nested,
            "created": "2026-11-23 09:00:00",
        },
        {"command": "turn_led_off", "created": "2026-11-23 09:00:00"},
    ]


async def test_controller_log_keeps_the_last_twenty(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    plug = serial(cloud, "smart_plug")
    body = {"serial_number": plug, "command": "switch_on_off", "state": "on"}
    for _ in range(25):  # 09:00 to 09:24
        assert (await api.send(body))[0] == 200
        simulator.clock.advance(60)
    log = (await api.controller(plug))["controller_log"]
    assert len(log) == 20
    assert (log[0]["created"], log[-1]["created"]) == ("2026-11-23 09:05:00", "2026-11-23 09:24:00")


# -- provider fetch ----------------------------------------------------------------------------

FETCH_MEMBERS = {
    "melissa": {"temp", "raw_temperature", "humidity", "raw_humidity"},
    "bobbie": {"cold", "hot", "home", "energy", "voltage", "current", "relay_state", "load"},
    "vicki": {
        "mac",
        "version",
        "uptime",
        "displayDigits",
        "temperature",
        "humidity",
        "motorRange",
        "motorPosition",
        "batteryVoltage",
        "ip",
        "port",
    },
    "smart_plug": {"online", "power"},
}


@pytest.mark.parametrize("kind", KINDS)
async def test_fetch_answers_the_members_of_each_type(
    cloud: MClimateCloud, api: MClimateApi, kind: str
) -> None:
    status, body, _ = await api.post("/provider/fetch", {"serial_number": serial(cloud, kind)})
    assert status == 200
    assert body["_links"] == {"self": {"href": "/v1/provider/fetch"}}
    assert set(body["provider"]) == FETCH_MEMBERS[kind]
    assert body["provider"] == cloud.provider(serial(cloud, kind))


async def test_fetch_values_are_plausible(cloud: MClimateCloud, api: MClimateApi) -> None:
    melissa = await api.fetch(serial(cloud, "melissa"))
    assert 15 < melissa["temp"] < 30
    assert 10 < melissa["humidity"] < 95
    assert abs(-45 + 175 * melissa["raw_temperature"] / 65535 - melissa["temp"]) < 0.01
    assert abs(100 * melissa["raw_humidity"] / 65535 - melissa["humidity"]) < 0.01

    bobbie = await api.fetch(serial(cloud, "bobbie"))
    assert bobbie["relay_state"] in (0, 1)
    assert isinstance(bobbie["load"], bool)
    assert bobbie["cold"] < bobbie["home"] < bobbie["hot"]
    assert 225 <= bobbie["voltage"] <= 235

    vicki = await api.fetch(serial(cloud, "vicki"))
    assert 5 <= vicki["displayDigits"] <= 30
    assert 0 <= vicki["motorPosition"] <= vicki["motorRange"]
    assert vicki["mac"] == cloud.controllers[serial(cloud, "vicki")].mac
    assert 2.5 < vicki["batteryVoltage"] < 3.7

    assert (await api.fetch(serial(cloud, "smart_plug")))["power"] in ("on", "off")


async def test_fetch_follows_the_clock(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    vicki = serial(cloud, "vicki")
    first = await api.fetch(vicki)
    assert await api.fetch(vicki) == first  # same instant, same values
    simulator.clock.advance(90)
    assert (await api.fetch(vicki))["uptime"] == first["uptime"] + 90


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"serial_number": "NOPE"}, 404, "Controller not found"),
        ({}, 400, "serial_number is required"),
        ({"serial_number": "{offline}"}, 409, "Controller offline"),
    ],
)
async def test_fetch_errors(
    cloud: MClimateCloud, api: MClimateApi, body: dict[str, str], status: int, detail: str
) -> None:
    offline = serial(cloud, "vicki")
    cloud.set_online(offline, False)
    body = {k: v.format(offline=offline) for k, v in body.items()}
    got, problem, _ = await api.post("/provider/fetch", body)
    assert (got, problem["detail"]) == (status, detail)


async def test_fetch_takes_json_only(cloud: MClimateCloud, api: MClimateApi) -> None:
    url = f"{api.simulator.mclimate_api_url}/provider/fetch"
    data = f"serial_number={serial(cloud, 'vicki')}"
    assert (await api.call("POST", url, data=data))[0] == 400


@pytest.mark.parametrize("scenario", [Scenario(mclimate=MClimateScenario(vicki_flags=True))])
async def test_vicki_flags_when_the_scenario_invents_them(
    cloud: MClimateCloud, api: MClimateApi
) -> None:
    vicki = serial(cloud, "vicki")
    assert set(await api.fetch(vicki)) == FETCH_MEMBERS["vicki"] | {"openWindow", "childLock"}
    assert (cloud.provider(vicki)["openWindow"], cloud.provider(vicki)["childLock"]) == (
        False,
        False,
    )
    cloud.set_vicki_flags(vicki, open_window=True)
    assert ((await api.fetch(vicki))["openWindow"], cloud.provider(vicki)["childLock"]) == (
        True,
        False,
    )
    cloud.set_vicki_flags(vicki, child_lock=True)
    assert (await api.fetch(vicki))["childLock"] is True
    with pytest.raises(TypeError, match="not a Vicki"):
        cloud.set_vicki_flags(serial(cloud, "melissa"), child_lock=True)


@pytest.mark.parametrize(
    "scenario", [Scenario(mclimate=MClimateScenario(unknown_types=["thermostat_x"]))]
)
async def test_unknown_controller_types(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    unknown = serial(cloud, "thermostat_x")
    assert cloud.serials()[-1] == unknown
    _, listed, _ = await api.get("/controllers", type="thermostat_x")
    (item,) = listed["_embedded"]["controller"]
    assert (item["serial_number"], item["firmware_version"]) == (unknown, "V0.9")
    assert item["name"] == f"Thermostat X {unknown[:6]}"
    assert "_relation" not in item
    provider = await api.fetch(unknown)
    assert set(provider) == {"online", "uptime"}
    simulator.clock.advance(30)
    assert (await api.fetch(unknown))["uptime"] == provider["uptime"] + 30
    status, problem, _ = await api.send(
        {"serial_number": unknown, "command": "switch_on_off", "state": "on"}
    )
    assert (status, problem["detail"]) == (
        400,
        "switch_on_off is not a command of thermostat_x controllers",
    )


# -- provider send -----------------------------------------------------------------------------


async def test_bobbie_energy_grows_while_the_relay_is_on(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    bobbie = serial(cloud, "bobbie")
    device = cloud.controllers[bobbie].device
    assert isinstance(device, BobbieState)

    body = {"serial_number": bobbie, "command": "switch_on_off", "state": "on"}
    status, answer, _ = await api.send(body)
    assert status == 200
    assert answer["_links"] == {"self": {"href": "/v1/provider/send"}}
    on = answer["provider"]
    assert (on["relay_state"], on["load"]) == (1, True)
    assert on["current"] == pytest.approx(device.power_kw * 1000 / on["voltage"], abs=0.05)
    simulator.clock.advance(1800)
    half_hour = await api.fetch(bobbie)
    assert half_hour["energy"] == pytest.approx(on["energy"] + device.power_kw / 2, abs=0.002)
    assert half_hour["hot"] > on["hot"]

    off = (await api.send(body | {"state": "off"}))[1]["provider"]
    assert (off["relay_state"], off["load"], off["current"]) == (0, False, 0.0)
    simulator.clock.advance(3600)
    later = await api.fetch(bobbie)
    assert later["energy"] == off["energy"]
    assert later["hot"] < off["hot"]


async def test_melissa_ir_code_flat_and_nested(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    melissa = serial(cloud, "melissa")
    device = cloud.controllers[melissa].device
    assert isinstance(device, MelissaState)
    flat = {"serial_number": melissa, **IR, "state": 1, "mode": 2, "temp": 30, "fan": 3}
    status, body, _ = await api.send(flat)
    assert (status, body) == (
        200,
        {"provider": [254, 2, 0, 0], "_links": {"self": {"href": "/v1/provider/send"}}},
    )
    assert device.ac == {"state": 1, "mode": 2, "temp": 30, "fan": 3}

    # Heating pulls the room up; with tau = 15 min, one hour gets close to 30 degC.
    before = (await api.fetch(melissa))["temp"]
    simulator.clock.advance(3600)
    warm = (await api.fetch(melissa))["temp"]
    assert before < warm
    assert warm > 29

    options = {"state": 0, "mode": 3, "temp": 18, "fan": 0}
    nested = {"serial_number": melissa, "command": "send_ir_code", "send_ir_code_options": options}
    assert (await api.send(nested, path="/providers/send"))[0] == 200
    assert device.ac == options
    simulator.clock.advance(4 * 3600)  # off: the room drifts back down, no jump
    assert (await api.fetch(melissa))["temp"] < warm - 3


DROP = object()  # leave the member out


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"state": 3}, "state must be an integer between 0 and 2"),
        ({"mode": 5}, "mode must be an integer between 0 and 4"),
        ({"temp": 15}, "temp must be an integer between 16 and 30"),
        ({"temp": 31}, "temp must be an integer between 16 and 30"),
        ({"temp": "20"}, "temp must be an integer"),
        ({"temp": 20.5}, "temp must be an integer"),
        ({"fan": True}, "fan must be an integer"),
        ({"fan": 4}, "fan must be an integer between 0 and 3"),
        ({"fan": None}, "fan must be an integer"),
        ({"fan": DROP}, "fan is required"),
        ({"send_ir_code_options": [1, 3]}, "send_ir_code_options must be an object"),
    ],
)
async def test_melissa_ir_code_values_are_checked(
    cloud: MClimateCloud, api: MClimateApi, fields: dict[str, Any], detail: str
) -> None:
    melissa = serial(cloud, "melissa")
    body = {k: v for k, v in {"serial_number": melissa, **IR, **fields}.items() if v is not DROP}
    status, problem, _ = await api.send(body)
    assert status == 400
    assert problem["detail"].startswith(detail)
    assert cloud.controllers[melissa].controller_log == []


async def test_melissa_ir_code_takes_integral_floats(
    cloud: MClimateCloud, api: MClimateApi
) -> None:
    body = {"serial_number": serial(cloud, "melissa"), **IR, "temp": 22.0}
    assert (await api.send(body))[0] == 200


@pytest.mark.parametrize(
    ("command", "answer", "led_state"),
    [("turn_led_off", [254, 6, 0, 0], 0), ("reset_color", [254, 7, 0, 0], 1)],
)
async def test_melissa_led(
    cloud: MClimateCloud, api: MClimateApi, command: str, answer: list[int], led_state: int
) -> None:
    melissa = serial(cloud, "melissa")
    device = cloud.controllers[melissa].device
    assert isinstance(device, MelissaState)
    device.led_state = 1 - led_state
    status, body, _ = await api.send({"serial_number": melissa, "command": command})
    assert (status, body["provider"]) == (200, answer)
    assert (await api.controller(melissa))["_relation"]["melissa"]["led_state"] == led_state


async def test_smart_plug_switch(cloud: MClimateCloud, api: MClimateApi) -> None:
    plug = serial(cloud, "smart_plug")
    for state in ("on", "off", "on"):
        body = {"serial_number": plug, "command": "switch_on_off", "state": state}
        status, answer, _ = await api.send(body)
        assert (status, answer["provider"]) == (200, {"online": True, "power": state})
        assert (await api.fetch(plug))["power"] == state


async def test_vicki_motor_position(
    cloud: MClimateCloud, api: MClimateApi, simulator: Simulator
) -> None:
    vicki = serial(cloud, "vicki")
    device = cloud.controllers[vicki].device
    assert isinstance(device, VickiState)
    body = {"serial_number": vicki, "command": "set_motor_position", "position": 30}
    status, answer, _ = await api.send(body)
    assert status == 200
    assert answer["provider"]["displayDigits"] == 30
    assert answer["provider"]["motorPosition"] == device.motor_range
    start = answer["provider"]["temperature"]
    simulator.clock.advance(7200)
    assert (await api.fetch(vicki))["temperature"] > start
    body = {"serial_number": vicki, "command": "set_motor_position", "target": 5}
    _, answer, _ = await api.send(body)
    assert (answer["provider"]["displayDigits"], answer["provider"]["motorPosition"]) == (5, 0)
    assert (await api.fetch(vicki))["displayDigits"] == 5


@pytest.mark.parametrize(
    ("kind", "body", "detail"),
    [
        ("melissa", {"command": "switch_on_off", "state": "on"}, "switch_on_off is not a command"),
        ("bobbie", {"command": "send_ir_code"}, "send_ir_code is not a command of bobbie"),
        ("vicki", {"command": "turn_led_off"}, "turn_led_off is not a command of vicki"),
        ("smart_plug", {"command": "set_motor_position", "position": 20}, "set_motor_position"),
        ("melissa", {"command": "set_read_mode"}, "Unknown command: set_read_mode"),
        ("melissa", {}, "command is required"),
        ("smart_plug", {"command": "switch_on_off", "state": "ON"}, 'state must be "on" or "off"'),
        ("vicki", {"command": "set_motor_position", "position": 4}, "position must be"),
        ("vicki", {"command": "set_motor_position", "position": 31}, "position must be"),
        ("vicki", {"command": "set_motor_position", "target": "20"}, "target must be"),
        ("vicki", {"command": "set_motor_position"}, "position is required"),
    ],
)
async def test_send_refuses_wrong_or_unknown_commands(
    cloud: MClimateCloud, api: MClimateApi, kind: str, body: dict[str, Any], detail: str
) -> None:
    target = serial(cloud, kind)
    before = cloud.provider(target)
    status, problem, _ = await api.send({"serial_number": target, **body})
    assert status == 400
    assert problem["detail"].startswith(detail)
    assert cloud.provider(target) == before
    assert cloud.controllers[target].controller_log == []


@pytest.mark.parametrize(
    ("kind", "command"), [*COMMANDS.items(), ("melissa", {"command": "turn_led_off"})]
)
async def test_send_to_an_offline_controller(
    cloud: MClimateCloud, api: MClimateApi, kind: str, command: dict[str, Any]
) -> None:
    target = serial(cloud, kind)
    cloud.set_online(target, False)
    before = cloud.provider(target)
    status, problem, _ = await api.send({"serial_number": target, **command})
    assert (status, problem["detail"]) == (409, "Controller offline")
    assert cloud.provider(target) == before
    assert cloud.controllers[target].controller_log == []


async def test_send_to_an_unknown_controller(api: MClimateApi) -> None:
    status, problem, _ = await api.send({"serial_number": "NOPE", "command": "turn_led_off"})
    assert (status, problem["detail"]) == (404, "Controller not found")


@pytest.mark.parametrize(
    ("mode", "setpoint", "change"),
    [(3, 16, "cooler"), (4, 16, "drier"), (1, 30, "same"), (0, 30, "warmer")],
)
async def test_melissa_modes_move_the_room(
    cloud: MClimateCloud,
    api: MClimateApi,
    simulator: Simulator,
    mode: int,
    setpoint: int,
    change: str,
) -> None:
    melissa = serial(cloud, "melissa")
    before = await api.fetch(melissa)
    body = {"serial_number": melissa, **IR, "mode": mode, "temp": setpoint, "fan": 0}
    assert (await api.send(body))[0] == 200
    simulator.clock.advance(86400)  # same time of day: only the AC changed the room
    after = await api.fetch(melissa)
    if change == "cooler":
        assert after["temp"] == pytest.approx(16, abs=0.1)
    elif change == "warmer":
        assert after["temp"] == pytest.approx(30, abs=0.1)
    elif change == "drier":
        assert after["humidity"] == pytest.approx(before["humidity"] - 10, abs=0.2)
        assert after["temp"] < before["temp"]
    else:
        assert after == before
