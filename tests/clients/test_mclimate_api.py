"""The MClimate client against the simulated cloud, over real HTTP."""

from __future__ import annotations

import logging
import socket
from typing import Any

import aiohttp
import pytest
from yarl import URL

from custom_components.smartlink_mclimate.clients import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
)
from custom_components.smartlink_mclimate.clients.mclimate import (
    DEFAULT_API_URL,
    DEFAULT_AUTHORIZE_URL,
    DEFAULT_TOKEN_URL,
    BobbieData,
    Controller,
    ControllerOfflineError,
    ControllerType,
    IrCommand,
    MClimateClient,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaRelation,
    MelissaState,
    SmartPlugData,
    Token,
    User,
    VickiData,
    build_authorize_url,
    exchange_code,
)
from custom_components.smartlink_mclimate.clients.mclimate.api import MAX_PAGES, _read_page
from simulator import MClimateScenario, Scenario, Simulator

REDIRECT_URI = "https://example.com/auth/external/callback"
# 65 controllers: three pages of 30.
BIG = Scenario(mclimate=MClimateScenario(melissa=40, bobbie=2, vicki=22, smart_plug=1))


@pytest.fixture
def token(simulator: Simulator) -> str:
    return simulator.mclimate.issue_token()


@pytest.fixture
def client(simulator: Simulator, session: aiohttp.ClientSession, token: str) -> MClimateClient:
    return MClimateClient(session, token, base_url=simulator.mclimate_api_url)


def serial_of(simulator: Simulator, kind: str) -> str:
    return simulator.mclimate.serials(kind)[0]


# -- account and controllers -------------------------------------------------------------------


async def test_get_user(simulator: Simulator, client: MClimateClient) -> None:
    user = await client.get_user()
    sim_user = simulator.mclimate.user
    assert user == User(
        user_id=sim_user.user_id,
        username=simulator.scenario.mclimate.username,
        firstname=sim_user.firstname,
        lastname=sim_user.lastname,
        phone="",
        role="1",
        country_id=sim_user.country_id,
        created=sim_user.created,
    )
    (request,) = simulator.recorder.matching("GET", "/v1/users/me")
    assert request.headers["Accept"] == "application/json"


@pytest.mark.parametrize("scenario", [BIG])
async def test_get_controllers_reads_every_page(
    simulator: Simulator, client: MClimateClient
) -> None:
    controllers = await client.get_controllers()
    assert [c.serial_number for c in controllers] == simulator.mclimate.serials()
    requests = simulator.recorder.matching("GET", "/v1/controllers")
    assert [r.query for r in requests] == [{}, {"page": "2"}, {"page": "3"}]
    first = controllers[0]
    sim_first = simulator.mclimate.controllers[first.serial_number]
    assert first.controller_type is ControllerType.MELISSA
    assert first.melissa is not None
    assert first.melissa.controller_id == first.id == sim_first.id
    assert first.melissa.led_on is True
    assert (first.mac, first.online, first.created) == (sim_first.mac, True, sim_first.created)
    assert controllers[-1].controller_type is ControllerType.SMART_PLUG
    assert controllers[-1].melissa is None


@pytest.mark.parametrize("scenario", [BIG])
async def test_get_controllers_keeps_filters_on_every_page(
    simulator: Simulator, client: MClimateClient
) -> None:
    vickis = await client.get_controllers(type="vicki", limit=10, online=True)
    assert [c.serial_number for c in vickis] == simulator.mclimate.serials("vicki")
    requests = simulator.recorder.matching("GET", "/v1/controllers")
    base = {"type": "vicki", "limit": "10", "online": "true"}
    assert [r.query for r in requests] == [base, base | {"page": "2"}, base | {"page": "3"}]


async def test_get_controllers_empty_and_refusals(
    simulator: Simulator, client: MClimateClient
) -> None:
    assert await client.get_controllers(name="nobody") == []
    with pytest.raises(ValueError, match="do not pass page"):
        await client.get_controllers(page=2)
    assert len(simulator.recorder.matching("GET", "/v1/controllers")) == 1
    with pytest.raises(CloudRequestError) as err:
        await client.get_controllers(colour="red")
    assert err.value.status == 400
    assert err.value.detail == "Not a filterable field of controllers: colour"
    assert "GET /controllers: HTTP 400" in str(err.value)


@pytest.mark.parametrize(
    "scenario",
    [Scenario(mclimate=MClimateScenario(melissa=MAX_PAGES + 1, bobbie=0, vicki=0, smart_plug=0))],
)
async def test_get_controllers_refuses_absurd_page_counts(
    simulator: Simulator, client: MClimateClient
) -> None:
    with pytest.raises(CloudResponseError, match=f"{MAX_PAGES + 1} pages"):
        await client.get_controllers(limit=1)
    assert len(simulator.recorder.matching("GET", "/v1/controllers")) == 1


async def test_get_controllers_copes_with_a_list_changing_between_pages(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    cloud = simulator.mclimate
    changes: list[Any] = []

    async def token_then_change() -> str:
        # The token callable runs before each request: change the world between pages.
        if changes:
            changes.pop(0)()
        return cloud.issue_token()

    client = MClimateClient(session, token_then_change, base_url=simulator.mclimate_api_url)
    melissa, bobbie, vicki, plug = cloud.serials()

    def rename_melissa() -> None:  # moves it from page 1 to page 2 of sort=name
        cloud.controllers[melissa].name = "Zeta"

    changes += [lambda: None, rename_melissa]
    seen = await client.get_controllers(sort="name", limit=2)
    # Bobbie and Melissa on page 1; Vicki and the renamed Melissa on page 2.
    assert [c.serial_number for c in seen] == [bobbie, melissa, vicki]
    assert seen[1].name == "Zeta"  # the fresher copy wins

    def remove_last_two() -> None:
        del cloud.controllers[vicki], cloud.controllers[plug]

    simulator.recorder.clear()
    changes += [lambda: None, remove_last_two]
    seen = await client.get_controllers(limit=2)
    assert [c.serial_number for c in seen] == [melissa, bobbie]
    assert [r.query for r in simulator.recorder] == [{"limit": "2"}, {"limit": "2", "page": "2"}]


async def test_get_controller(simulator: Simulator, client: MClimateClient) -> None:
    serial = serial_of(simulator, "melissa")
    controller = await client.get_controller(serial)
    assert controller.serial_number == serial
    assert controller.command_log == ()
    assert controller.last_ir_command is None
    assert isinstance(controller.melissa, MelissaRelation)
    with pytest.raises(CloudRequestError) as err:
        await client.get_controller("NO/PE")
    # The slash is escaped: the cloud looked up one serial, not a sub-resource.
    assert (err.value.status, err.value.detail) == (404, "Controller not found")


async def test_command_log_flat_and_nested(
    simulator: Simulator, session: aiohttp.ClientSession, token: str, client: MClimateClient
) -> None:
    serial = serial_of(simulator, "melissa")
    sent = await client.send_ir_code(
        serial, state=MelissaState.ON, mode=MelissaMode.COOL, temp=19, fan=MelissaFan.HIGH
    )
    controller = await client.get_controller(serial)
    assert controller.last_ir_command == IrCommand(
        state=MelissaState.ON,
        mode=MelissaMode.COOL,
        temp=19,
        fan=MelissaFan.HIGH,
        created="2026-11-23 09:00:00",
    )
    assert sent == IrCommand(MelissaState.ON, MelissaMode.COOL, 19, MelissaFan.HIGH)
    # Another app sent the nested form: read the same way.
    nested = {"state": 2, "mode": 4, "temp": 25, "fan": 0}
    async with session.post(
        f"{simulator.mclimate_api_url}/providers/send",
        json={"serial_number": serial, "command": "send_ir_code", "send_ir_code_options": nested},
        headers={"Authorization": f"Bearer {token}"},
    ) as resp:
        assert resp.status == 200
    last = (await client.get_controller(serial)).last_ir_command
    assert last is not None
    assert (last.state, last.mode, last.temp, last.fan) == (
        MelissaState.IDLE,
        MelissaMode.DRY,
        25,
        MelissaFan.AUTO,
    )


# -- sensor data -------------------------------------------------------------------------------


async def test_fetch_every_type(simulator: Simulator, client: MClimateClient) -> None:
    cloud = simulator.mclimate
    melissa = await client.fetch_melissa(serial_of(simulator, "melissa"))
    raw = cloud.provider(serial_of(simulator, "melissa"))
    assert melissa == MelissaData(
        temperature=raw["temp"],
        humidity=raw["humidity"],
        raw_temperature=raw["raw_temperature"],
        raw_humidity=raw["raw_humidity"],
    )
    bobbie = await client.fetch_bobbie(serial_of(simulator, "bobbie"))
    raw = cloud.provider(serial_of(simulator, "bobbie"))
    assert bobbie == BobbieData(
        relay_on=raw["relay_state"] == 1,
        cold=raw["cold"],
        hot=raw["hot"],
        home=raw["home"],
        energy=raw["energy"],
        voltage=raw["voltage"],
        current=raw["current"],
        load=raw["load"],
    )
    vicki = await client.fetch_vicki(serial_of(simulator, "vicki"))
    raw = cloud.provider(serial_of(simulator, "vicki"))
    assert vicki == VickiData(
        target_temperature=raw["displayDigits"],
        temperature=raw["temperature"],
        humidity=raw["humidity"],
        motor_range=raw["motorRange"],
        motor_position=raw["motorPosition"],
        battery_voltage=raw["batteryVoltage"],
        mac=raw["mac"],
        version=raw["version"],
        uptime=raw["uptime"],
        ip=raw["ip"],
        port=raw["port"],
    )
    plug = await client.fetch_smart_plug(serial_of(simulator, "smart_plug"))
    raw = cloud.provider(serial_of(simulator, "smart_plug"))
    assert plug == SmartPlugData(power_on=raw["power"] == "on", online=True)
    generic = await client.fetch(serial_of(simulator, "vicki"), "vicki")
    assert generic == vicki
    bodies = [r.json for r in simulator.recorder.matching("POST", "/v1/provider/fetch")]
    assert bodies[0] == {"serial_number": serial_of(simulator, "melissa")}


async def test_fetch_errors(simulator: Simulator, client: MClimateClient) -> None:
    with pytest.raises(ValueError, match="toaster"):
        await client.fetch("ANY", "toaster")
    assert len(simulator.recorder) == 0
    serial = serial_of(simulator, "vicki")
    simulator.mclimate.set_online(serial, False)
    with pytest.raises(ControllerOfflineError) as err:
        await client.fetch_vicki(serial)
    assert isinstance(err.value, CloudRequestError)
    assert (err.value.status, err.value.detail) == (409, "Controller offline")
    with pytest.raises(CloudRequestError) as not_found:
        await client.fetch_melissa("NOPE")
    assert not isinstance(not_found.value, ControllerOfflineError)
    assert not_found.value.status == 404


# -- commands --------------------------------------------------------------------------------


async def test_send_ir_code_sends_the_documented_flat_form(
    simulator: Simulator, client: MClimateClient
) -> None:
    serial = serial_of(simulator, "melissa")
    await client.send_ir_code(serial, state=1, mode=2, temp=23, fan=1)
    (request,) = simulator.recorder.matching("POST", "/v1/provider/send")
    assert request.json == {
        "serial_number": serial,
        "command": "send_ir_code",
        "state": 1,
        "mode": 2,
        "temp": 23,
        "fan": 1,
    }
    assert request.headers["Content-Type"].startswith("application/json")
    device = simulator.mclimate.controllers[serial].device
    assert device.ac == {"state": 1, "mode": 2, "temp": 23, "fan": 1}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"state": 3}, "state must be one of"),
        ({"mode": 9}, "mode must be one of"),
        ({"fan": -1}, "fan must be one of"),
        ({"fan": "1"}, "fan must be an integer"),
        ({"state": True}, "state must be an integer"),
        ({"temp": 15}, "temp must be an integer from 16 to 30"),
        ({"temp": 31}, "temp must be an integer from 16 to 30"),
        ({"temp": 21.5}, "temp must be an integer"),
    ],
)
async def test_send_ir_code_checks_locally(
    simulator: Simulator, client: MClimateClient, values: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {"state": 1, "mode": 3, "temp": 22, "fan": 0} | values
    with pytest.raises(ValueError, match=message):
        await client.send_ir_code(serial_of(simulator, "melissa"), **arguments)
    assert len(simulator.recorder) == 0


async def test_led(simulator: Simulator, client: MClimateClient) -> None:
    serial = serial_of(simulator, "melissa")
    await client.turn_led_off(serial)
    relation = (await client.get_controller(serial)).melissa
    assert relation is not None
    assert (relation.led_state, relation.led_on) == (0, False)
    await client.turn_led_on(serial)
    relation = (await client.get_controller(serial)).melissa
    assert relation is not None
    assert relation.led_on is True
    commands = [r.json["command"] for r in simulator.recorder.matching("POST")]
    assert commands == ["turn_led_off", "reset_color"]


async def test_switch(simulator: Simulator, client: MClimateClient) -> None:
    bobbie = serial_of(simulator, "bobbie")
    on = await client.switch(bobbie, True)
    assert isinstance(on, BobbieData)
    assert (on.relay_on, on.load) == (True, True)
    off = await client.switch(bobbie, False)
    assert isinstance(off, BobbieData)
    assert off.relay_on is False
    assert (await client.fetch_bobbie(bobbie)).relay_on is False

    plug = serial_of(simulator, "smart_plug")
    assert await client.switch(plug, True) == SmartPlugData(power_on=True, online=True)
    assert (await client.fetch_smart_plug(plug)).power_on is True
    assert await client.switch(plug, False) == SmartPlugData(power_on=False, online=True)
    states = [r.json["state"] for r in simulator.recorder.matching("POST", "/v1/provider/send")]
    assert states == ["on", "off", "on", "off"]

    with pytest.raises(CloudRequestError, match="switch_on_off is not a command of melissa"):
        await client.switch(serial_of(simulator, "melissa"), True)


async def test_switch_answers_without_data(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add("drop_fields", "POST /v1/provider/send", fields=("relay_state", "power"))
    assert await client.switch(serial_of(simulator, "bobbie"), True) is None
    assert (await client.fetch_bobbie(serial_of(simulator, "bobbie"))).relay_on is True


async def test_set_motor_position(simulator: Simulator, client: MClimateClient) -> None:
    serial = serial_of(simulator, "vicki")
    data = await client.set_motor_position(serial, 24)
    assert data is not None
    assert data.target_temperature == 24
    assert (await client.fetch_vicki(serial)).target_temperature == 24
    (request,) = simulator.recorder.matching("POST", "/v1/provider/send")
    assert request.json == {
        "serial_number": serial,
        "command": "set_motor_position",
        "position": 24,
    }
    simulator.recorder.clear()
    for bad in (4, 31, 20.0, True):
        with pytest.raises(ValueError, match="position must be an integer from 5 to 30"):
            await client.set_motor_position(serial, bad)  # type: ignore[arg-type]
    assert len(simulator.recorder) == 0
    simulator.faults.add("drop_fields", "POST /v1/provider/send", fields=("displayDigits",))
    assert await client.set_motor_position(serial, 21) is None


async def test_send_path_variant(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    client = MClimateClient(
        session, token, base_url=simulator.mclimate_api_url, send_path="/providers/send"
    )
    await client.turn_led_off(serial_of(simulator, "melissa"))
    assert len(simulator.recorder.matching("POST", "/v1/providers/send")) == 1


# -- tokens and errors -------------------------------------------------------------------------


async def test_token_callable_is_asked_for_every_request(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    handed: list[str] = []

    async def fresh_token() -> str:
        handed.append(simulator.mclimate.issue_token())
        return handed[-1]

    client = MClimateClient(session, fresh_token, base_url=simulator.mclimate_api_url)
    await client.get_user()
    await client.get_controllers()
    assert len(handed) == 2
    sent = [r.headers["Authorization"] for r in simulator.recorder]
    assert sent == [f"Bearer {t}" for t in handed]


async def test_authentication_errors(simulator: Simulator, client: MClimateClient) -> None:
    simulator.mclimate.revoke_tokens()
    with pytest.raises(CloudAuthenticationError, match="HTTP 401"):
        await client.get_user()
    simulator.faults.add("unauthorized", "GET /v1/controllers", times=1)
    with pytest.raises(CloudAuthenticationError):
        await client.get_controllers()


@pytest.mark.parametrize("scenario", [Scenario(rate_limit_requests=1)])
async def test_rate_limited(simulator: Simulator, client: MClimateClient) -> None:
    await client.get_user()
    with pytest.raises(CloudRateLimitedError) as err:
        await client.get_user()
    assert err.value.retry_after == 60
    simulator.rate_limiter.reset()
    simulator.faults.add("rate_limit", "POST /v1/provider/fetch", retry_after=7, times=1)
    with pytest.raises(CloudRateLimitedError) as err:
        await client.fetch_smart_plug(serial_of(simulator, "smart_plug"))
    assert err.value.retry_after == 7


# The simulator keeps running the hung handler after the client gave up (aiohttp does
# not cancel handlers on disconnect by default); the test teardown cancels it.
@pytest.mark.parametrize("expected_lingering_tasks", [True])
async def test_timeout(simulator: Simulator, session: aiohttp.ClientSession, token: str) -> None:
    client = MClimateClient(
        session, token, base_url=simulator.mclimate_api_url, request_timeout=0.2
    )
    simulator.faults.add("timeout", "POST /v1/provider/fetch", delay=2, times=1)
    with pytest.raises(CloudTimeoutError, match=r"no answer within 0\.2 s"):
        await client.fetch_melissa(serial_of(simulator, "melissa"))


async def test_connection_refused(session: aiohttp.ClientSession, socket_enabled: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = MClimateClient(session, "token", base_url=f"http://127.0.0.1:{port}/v1")
    with pytest.raises(CloudConnectionError) as err:
        await client.get_user()
    assert not isinstance(err.value, CloudTimeoutError)


async def test_server_error(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add("status", "GET /v1/controllers/*", status=503, times=1)
    with pytest.raises(CloudServerError) as err:
        await client.get_controller(serial_of(simulator, "bobbie"))
    assert err.value.status == 503


async def test_malformed_json(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add("malformed", "GET /v1/users/me", times=1)
    with pytest.raises(CloudResponseError, match="not valid JSON"):
        await client.get_user()


async def test_drifted_keys(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add(
        "rename_fields", "GET /v1/controllers", renames={"serial_number": "serialNumber"}, times=1
    )
    with pytest.raises(CloudResponseError, match=r"serial_number: required member is missing"):
        await client.get_controllers()
    simulator.faults.add("rename_fields", "GET /v1/users/me", renames={"users": "user"}, times=1)
    with pytest.raises(CloudResponseError, match="the answer has no 'users'"):
        await client.get_user()
    # A drift that puts a boolean where a string belongs.
    simulator.faults.add(
        "rename_fields", "GET /v1/controllers/*", renames={"online": "name"}, times=1
    )
    with pytest.raises(CloudResponseError, match=r"\.name: expected a string, got bool"):
        await client.get_controller(serial_of(simulator, "vicki"))
    simulator.faults.add(
        "rename_fields", "POST /v1/provider/fetch", renames={"provider": "data"}, times=1
    )
    with pytest.raises(CloudResponseError, match="the answer has no 'provider'"):
        await client.fetch_smart_plug(serial_of(simulator, "smart_plug"))


async def test_dropped_optional_fields(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add(
        "drop_fields",
        "* /v1/*",
        fields=("raw_temperature", "humidity", "mac", "_relation", "room_id", "online"),
    )
    melissa = await client.fetch_melissa(serial_of(simulator, "melissa"))
    assert (melissa.humidity, melissa.raw_temperature) == (None, None)
    assert melissa.raw_humidity is not None
    controllers = await client.get_controllers()
    assert all(c.mac is None and c.melissa is None and c.online is None for c in controllers)
    simulator.faults.clear()
    simulator.faults.add("drop_fields", "POST /v1/provider/fetch", fields=("temp",))
    with pytest.raises(
        CloudResponseError, match=r"melissa provider\.temp: required member is missing"
    ):
        await client.fetch_melissa(serial_of(simulator, "melissa"))


async def test_drifted_collection_is_not_an_empty_one(
    simulator: Simulator, client: MClimateClient
) -> None:
    simulator.faults.add(
        "rename_fields", "GET /v1/controllers", renames={"controller": "controllers"}, times=1
    )
    with pytest.raises(CloudResponseError, match="'_embedded' has no 'controller'"):
        await client.get_controllers()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"_embedded": {"controller": {"serial_number": "A", "type": "vicki"}}}, (["A"], 1)),
        ({"_embedded": {"controller": None}, "_links": {"last": {}}}, ([], 1)),
        ({"_embedded": {"controller": []}, "_links": {"last": {"href": "/v1/x"}}}, ([], 1)),
        (
            {
                "_embedded": {"controller": []},
                "_links": {"last": {"href": f"{DEFAULT_API_URL}/controllers?type=a&page=4"}},
            },
            ([], 4),
        ),
        ([], "the answer is not an object"),
        ({"_embedded": []}, "'_embedded' is not an object"),
        ({"_embedded": {"controller": "A"}}, "'_embedded.controller' is not a list"),
        (
            {"_embedded": {"controller": []}, "_links": {"last": {"href": 4}}},
            "the 'last' link is not a string",
        ),
        (
            {"_embedded": {"controller": []}, "_links": {"last": {"href": "/c?page=last"}}},
            "the 'last' link has no page number",
        ),
    ],
)
def test_collection_pages_are_read_loosely_but_checked(body: Any, expected: Any) -> None:
    if isinstance(expected, str):
        with pytest.raises(CloudResponseError, match=expected):
            _read_page(body)
        return
    controllers, last = _read_page(body)
    assert ([c.serial_number for c in controllers], last) == expected


# -- models read loosely -----------------------------------------------------------------------


def test_models_accept_strings_for_numbers_and_skip_unknown_fields() -> None:
    controller = Controller.from_dict(
        {
            "serial_number": "ABC",
            "type": "heat_pump",
            "id": "513",
            "online": "1",
            "room_id": "",
            "brand_id": 14.0,
            "new_field": {"nested": True},
            "_relation": {"melissa": {"led_state": "0", "temperature_offset": "1.5"}},
            "command_log": [
                {"command": "turn_led_off"},
                "garbage",
                {"command": "send_ir_code", "state": "1", "mode": 3, "temp": "18", "fan": 0},
            ],
        }
    )
    assert controller.controller_type is None
    assert (controller.id, controller.online, controller.room_id, controller.brand_id) == (
        513,
        True,
        None,
        14,
    )
    assert controller.melissa == MelissaRelation(led_state=0, temperature_offset=1.5)
    assert controller.last_ir_command == IrCommand(
        MelissaState.ON, MelissaMode.COOL, 18, MelissaFan.AUTO
    )
    assert BobbieData.from_dict({"relay_state": "1", "load": "false", "energy": "12.5"}) == (
        BobbieData(relay_on=True, load=False, energy=12.5)
    )
    assert SmartPlugData.from_dict({"power": "off"}).power_on is False
    empty = {"serial_number": "B", "type": "melissa", "_relation": {"melissa": []}}
    assert Controller.from_dict(empty).melissa is None
    assert Controller.from_dict(empty | {"_relation": []}).melissa is None


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        (Controller, [], "controller: expected an object, got list"),
        (Controller, {"serial_number": "A"}, "controller.type: required member is missing"),
        (
            Controller,
            {"serial_number": "A", "type": "vicki", "id": 1.5},
            "controller.id: expected an integer, got float",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "id": "abc"},
            "controller.id: expected an integer",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "id": [1]},
            "controller.id: expected an integer",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "online": "maybe"},
            "controller.online: expected a boolean, got str",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "command_log": {}},
            "command_log: expected an array, got dict",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "command_log": [{"state": 1}]},
            "command_log.mode: required member is missing",
        ),
        (
            Controller,
            {"serial_number": "A", "type": "x", "command_log": [{"send_ir_code_options": 1}]},
            "send_ir_code_options: expected an object",
        ),
        (
            IrCommand,
            {"state": 1, "mode": 7, "temp": 20, "fan": 0},
            "unknown MelissaMode value 7",
        ),
        (MelissaData, {"temp": "warm"}, "provider.temp: expected a number, got str"),
        (MelissaData, {"temp": True}, "provider.temp: expected a number, got bool"),
        (MelissaData, {"temp": "nan"}, "provider.temp: expected a finite number"),
        (VickiData, {"displayDigits": 20, "mac": True}, "provider.mac: expected a string"),
        (User, {"user_id": None}, "user.user_id: required member is missing"),
    ],
)
def test_models_name_what_is_wrong(model: Any, data: Any, message: str) -> None:
    with pytest.raises(CloudResponseError, match=message.replace("(", r"\(")):
        model.from_dict(data)


def test_models_read_numbers_as_strings_for_string_fields() -> None:
    user = User.from_dict({"user_id": "200", "role": 1, "phone": ""})
    assert (user.user_id, user.role, user.phone) == (200, "1", "")


# -- OAuth -------------------------------------------------------------------------------------


def test_build_authorize_url() -> None:
    url = build_authorize_url("my-client", "xyz", "https://example.com/cb?a=1")
    assert url == (
        "https://auth.seemelissa.com/?response_type=code&client_id=my-client&state=xyz"
        "&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fa%3D1"
    )
    assert url.startswith(DEFAULT_AUTHORIZE_URL)
    custom = build_authorize_url(
        "c", "s", authorize_url="http://127.0.0.1:8/oauth/authorize?lang=fr&state=old"
    )
    assert URL(custom).query == {
        "lang": "fr",
        "response_type": "code",
        "client_id": "c",
        "state": "s",
    }
    assert f"{DEFAULT_API_URL}/token" == DEFAULT_TOKEN_URL


async def test_exchange_code_against_the_simulator(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    authorize = build_authorize_url(
        scenario.client_id,
        "xyz",
        REDIRECT_URI,
        authorize_url=simulator.mclimate_authorize_url,
    )
    async with session.get(authorize) as resp:
        assert resp.status == 200
    form = dict(URL(authorize).query) | {
        "username": scenario.username,
        "password": scenario.password,
    }
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        location = URL(resp.headers["Location"])
    assert location.query["state"] == "xyz"
    code = location.query["code"]

    token = await exchange_code(
        session,
        simulator.mclimate_token_url,
        scenario.client_id,
        scenario.client_secret,
        code,
        REDIRECT_URI,
    )
    assert token.expires_in == scenario.token_lifetime
    assert token.as_dict() == {
        "access_token": token.access_token,
        "expires_in": scenario.token_lifetime,
    }
    (request,) = simulator.recorder.matching("POST", "/v1/token")
    assert request.json == {
        "client_id": scenario.client_id,
        "client_secret": scenario.client_secret,
        "grant_type": "authorization_code",
        "grent_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
    }
    assert "Authorization" not in request.headers
    client = MClimateClient(session, token.access_token, base_url=simulator.mclimate_api_url)
    assert (await client.get_user()).username == scenario.username

    with pytest.raises(CloudRequestError) as reused:
        await exchange_code(
            session, simulator.mclimate_token_url, scenario.client_id, scenario.client_secret, code
        )
    assert reused.value.status == 400
    assert "already used" in reused.value.detail


async def test_exchange_code_refusals_never_show_the_secret(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    with pytest.raises(CloudAuthenticationError) as err:
        await exchange_code(
            session, simulator.mclimate_token_url, scenario.client_id, "wrong-secret", code
        )
    assert "wrong-secret" not in str(err.value)
    assert "wrong-secret" not in repr(err.value)
    simulator.faults.add("rename_fields", "POST /v1/token", renames={"expires_in": "ttl"})
    with pytest.raises(CloudResponseError, match="'expires_in' is missing"):
        await exchange_code(
            session, simulator.mclimate_token_url, scenario.client_id, scenario.client_secret, code
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected an object"),
        ({"expires_in": 3600}, "'access_token' is missing"),
        ({"access_token": "", "expires_in": 3600}, "'access_token' is missing"),
        ({"access_token": "t", "expires_in": "soon"}, "'expires_in' is missing or not a number"),
        ({"access_token": "t", "expires_in": -1}, "not a number of seconds"),
        ({"access_token": "t", "expires_in": True}, "not a number of seconds"),
        ({"access_token": "t", "expires_in": 1.5}, "not a number of seconds"),
    ],
)
def test_token_answer_is_checked(data: Any, message: str) -> None:
    with pytest.raises(CloudResponseError, match=message):
        Token.from_dict(data)


def test_token_answer_accepts_a_numeric_string() -> None:
    assert Token.from_dict({"access_token": "t", "expires_in": "3600"}).expires_in == 3600


async def test_secrets_stay_out_of_repr_errors_and_logs(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = MClimateClient(session, token, base_url=simulator.mclimate_api_url)
    assert token not in repr(client)
    assert token not in str(client)
    assert repr(client) == f"MClimateClient(base_url={simulator.mclimate_api_url!r})"
    secret_token = Token(access_token="very-secret-token", expires_in=60)
    assert "very-secret-token" not in repr(secret_token)
    assert "very-secret-token" not in str(secret_token)
    assert repr(secret_token) == "Token(expires_in=60)"

    simulator.mclimate.revoke_tokens()
    errors: list[CloudError] = []
    for call in (client.get_user(), client.fetch_melissa(serial_of(simulator, "melissa"))):
        with pytest.raises(CloudError) as err:
            await call
        errors.append(err.value)
    assert all(token not in f"{e} {e!r}" for e in errors)
    assert caplog.records  # the client logs its requests ...
    assert token not in caplog.text  # ... never the token
