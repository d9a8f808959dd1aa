"""The MClimate client over real HTTP: against the simulated cloud and a stand-in.

What the answers mean is pinned by the document fixtures (test_contracts.py);
here: the requests sent, paging, commands, OAuth, and how loose or drifted
answers read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
import logging
from typing import Any

import aiohttp
import pytest
from yarl import URL

from custom_components.smartlink_mclimate.clients import (
    CloudAuthenticationError,
    CloudError,
    CloudRequestError,
    CloudResponseError,
)
from custom_components.smartlink_mclimate.clients.mclimate import (
    DEFAULT_API_URL,
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
    VickiData,
    exchange_code,
    refresh_token,
)
from custom_components.smartlink_mclimate.clients.mclimate.api import MAX_PAGES
from simulator import MClimateScenario, Scenario, Simulator
from tests.clients.stand_in import Answer, StandIn
from tests.conftest import START

REDIRECT_URI = "https://example.com/auth/external/callback"
# 65 controllers: three pages of 30.
BIG = Scenario(mclimate=MClimateScenario(melissa=40, bobbie=2, vicki=22, smart_plug=1))


@pytest.fixture
def client(simulator: Simulator, session: aiohttp.ClientSession, token: str) -> MClimateClient:
    return MClimateClient(session, token, base_url=simulator.mclimate_api_url)


@pytest.fixture
def stand_in_client(stand_in: StandIn, session: aiohttp.ClientSession) -> MClimateClient:
    return MClimateClient(session, "token", base_url=f"{stand_in.url}/v1")


def serial_of(simulator: Simulator, kind: str) -> str:
    return simulator.mclimate.serials(kind)[0]


# -- account and controllers -------------------------------------------------------------------


async def test_get_user_sends_the_bearer_token(
    simulator: Simulator, client: MClimateClient, token: str
) -> None:
    user = await client.get_user()
    assert user.username == simulator.scenario.mclimate.username
    (request,) = simulator.recorder.matching("GET", "/v1/users/me")
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("scenario", [BIG])
async def test_get_controllers_reads_every_page(
    simulator: Simulator, client: MClimateClient
) -> None:
    controllers = await client.get_controllers()
    assert [c.serial_number for c in controllers] == simulator.mclimate.serials()
    requests = simulator.recorder.matching("GET", "/v1/controllers")
    assert [r.query for r in requests] == [{}, {"page": "2"}, {"page": "3"}]
    assert controllers[0].controller_type is ControllerType.MELISSA
    assert isinstance(controllers[0].melissa, MelissaRelation)
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
    changes: list[Callable[[], None]] = []

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


async def test_get_controller_escapes_the_serial(
    simulator: Simulator, client: MClimateClient
) -> None:
    serial = serial_of(simulator, "melissa")
    controller = await client.get_controller(serial)
    assert controller.serial_number == serial
    assert (controller.controller_log, controller.last_ir_command) == ((), None)
    with pytest.raises(CloudRequestError) as err:
        await client.get_controller("NO/PE")
    # The slash is escaped: the cloud looked up one serial, not a sub-resource.
    assert (err.value.status, err.value.detail) == (404, "Controller not found")


async def test_controller_log_reads_ir_commands_flat_and_nested(
    simulator: Simulator, session: aiohttp.ClientSession, token: str, client: MClimateClient
) -> None:
    serial = serial_of(simulator, "melissa")
    sent = await client.send_ir_code(
        serial, state=MelissaState.ON, mode=MelissaMode.COOL, temp=19, fan=MelissaFan.HIGH
    )
    await client.turn_led_off(serial)  # logged too, but not an IR command
    assert sent == IrCommand(
        state=MelissaState.ON, mode=MelissaMode.COOL, temp=19, fan=MelissaFan.HIGH
    )
    controller = await client.get_controller(serial)
    assert controller.last_ir_command == IrCommand(
        state=MelissaState.ON,
        mode=MelissaMode.COOL,
        temp=19,
        fan=MelissaFan.HIGH,
        created=START,
    )
    # Another app sent the nested form: read the same way.
    nested = {"state": 2, "mode": 4, "temp": 25, "fan": 0}
    async with session.post(
        f"{simulator.mclimate_api_url}/providers/send",
        json={"serial_number": serial, "command": "send_ir_code", "send_ir_code_options": nested},
        headers={"Authorization": f"Bearer {token}"},
    ) as resp:
        assert resp.status == 200
    for controller in (
        await client.get_controller(serial),
        (await client.get_controllers(type="melissa"))[0],
    ):
        assert len(controller.controller_log) == 2
        last = controller.last_ir_command
        assert last is not None
        assert (last.state, last.mode, last.temp, last.fan) == (
            MelissaState.IDLE,
            MelissaMode.DRY,
            25,
            MelissaFan.AUTO,
        )


def test_controller_log_skips_what_it_cannot_read() -> None:
    controller = Controller.from_dict(
        {
            "serial_number": "ABC",
            "type": "melissa",
            "controller_log": [
                {"command": "turn_led_off"},
                "garbage",
                {"state": 1},  # an IR command with members missing
                {"command": "send_ir_code", "state": 1, "mode": 7, "temp": 20, "fan": 0},
                {"command": "set_read_mode", "send_ir_code_options": {"state": 0, "mode": 0}},
                {"send_ir_code_options": 1, "state": 1, "mode": 1, "temp": 20, "fan": 1},
                {"command": "send_ir_code", "state": "1", "mode": 3, "temp": "18", "fan": 0},
            ],
        }
    )
    assert controller.controller_log == (
        IrCommand(state=MelissaState.ON, mode=MelissaMode.FAN, temp=20, fan=MelissaFan.LOW),
        IrCommand(state=MelissaState.ON, mode=MelissaMode.COOL, temp=18, fan=MelissaFan.AUTO),
    )
    assert Controller.from_dict({"serial_number": "A", "type": "x", "controller_log": {}}) == (
        Controller(serial_number="A", type="x")
    )


# -- sensor data -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        (ControllerType.MELISSA, MelissaData),
        ("bobbie", BobbieData),
        (ControllerType.VICKI, VickiData),
        ("smart_plug", SmartPlugData),
    ],
)
async def test_fetch_reads_the_data_of_the_type(
    simulator: Simulator, client: MClimateClient, kind: str, model: type
) -> None:
    serial = serial_of(simulator, kind)
    assert type(await client.fetch(serial, kind)) is model
    (request,) = simulator.recorder.matching("POST", "/v1/provider/fetch")
    assert request.json == {"serial_number": serial}


async def test_fetch_errors(simulator: Simulator, client: MClimateClient) -> None:
    with pytest.raises(ValueError, match="toaster"):
        await client.fetch("ANY", "toaster")
    assert len(simulator.recorder) == 0
    serial = serial_of(simulator, "vicki")
    simulator.mclimate.set_online(serial, False)
    with pytest.raises(ControllerOfflineError) as err:
        await client.fetch(serial, ControllerType.VICKI)
    assert isinstance(err.value, CloudRequestError)
    assert (err.value.status, err.value.detail) == (409, "Controller offline")
    with pytest.raises(CloudRequestError) as not_found:
        await client.fetch("NOPE", ControllerType.MELISSA)
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


@pytest.mark.parametrize(
    ("kind", "model", "on"),
    [
        (ControllerType.BOBBIE, BobbieData, "relay_on"),
        (ControllerType.SMART_PLUG, SmartPlugData, "power_on"),
    ],
)
async def test_switch_answers_the_data_of_the_type(
    simulator: Simulator, client: MClimateClient, kind: ControllerType, model: type, on: str
) -> None:
    serial = serial_of(simulator, kind)
    for state in (True, False):
        data = await client.switch(serial, kind, state)
        assert type(data) is model
        assert getattr(data, on) is state
        assert getattr(await client.fetch(serial, kind), on) is state
    sent = [r.json for r in simulator.recorder.matching("POST", "/v1/provider/send")]
    assert sent == [
        {"serial_number": serial, "command": "switch_on_off", "state": state}
        for state in ("on", "off")
    ]


async def test_switch_refuses_a_controller_without_relay(
    simulator: Simulator, client: MClimateClient
) -> None:
    with pytest.raises(ValueError, match="has no relay"):
        await client.switch(serial_of(simulator, "melissa"), "melissa", True)  # type: ignore[call-overload]
    assert len(simulator.recorder) == 0


async def test_command_answers_without_data_read_as_none(
    simulator: Simulator, client: MClimateClient
) -> None:
    simulator.faults.add(
        "drop_fields", "POST /v1/provider/send", fields=("relay_state", "power", "displayDigits")
    )
    assert await client.switch(serial_of(simulator, "bobbie"), ControllerType.BOBBIE, True) is None
    assert await client.set_motor_position(serial_of(simulator, "vicki"), 21) is None
    # The commands were taken all the same.
    assert (await client.fetch(serial_of(simulator, "bobbie"), "bobbie")).relay_on is True
    assert (await client.fetch(serial_of(simulator, "vicki"), "vicki")).target_temperature == 21


async def test_set_motor_position(simulator: Simulator, client: MClimateClient) -> None:
    serial = serial_of(simulator, "vicki")
    data = await client.set_motor_position(serial, 24)
    assert data is not None
    assert data.target_temperature == 24
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


async def test_authentication_errors_keep_the_clouds_reasons(
    simulator: Simulator, client: MClimateClient, session: aiohttp.ClientSession
) -> None:
    simulator.mclimate.revoke_tokens()
    with pytest.raises(CloudAuthenticationError, match="HTTP 401") as err:
        await client.get_user()
    assert err.value.auth_errors == {}
    no_token = MClimateClient(session, "", base_url=simulator.mclimate_api_url)
    with pytest.raises(CloudAuthenticationError) as err:
        await no_token.get_controllers()
    assert dict(err.value.auth_errors) == {"missingHeader": "Please provide Authorization header"}


@pytest.mark.parametrize(
    ("fault", "call", "message"),
    [
        (
            ("GET /v1/controllers", {"serial_number": "serialNumber"}),
            lambda c, s: c.get_controllers(),
            r"^GET /controllers: _embedded\.controller\[0\]\.serial_number: required member",
        ),
        (
            ("GET /v1/users/me", {"users": "user"}),
            lambda c, s: c.get_user(),
            "^GET /users/me: users: required member is missing",
        ),
        (
            ("GET /v1/controllers/*", {"online": "name"}),  # a boolean where text belongs
            lambda c, s: c.get_controller(s["vicki"]),
            r"^GET /controllers/\w+: controller\.name: expected a string, got bool",
        ),
        (
            ("POST /v1/provider/fetch", {"provider": "data"}),
            lambda c, s: c.fetch(s["smart_plug"], "smart_plug"),
            "^POST /provider/fetch: provider: required member is missing",
        ),
        (
            ("GET /v1/controllers", {"controller": "controllers"}),  # not an empty collection
            lambda c, s: c.get_controllers(),
            r"^GET /controllers: _embedded\.controller: required member is missing",
        ),
    ],
)
async def test_drifted_members_fail_naming_endpoint_and_member(
    simulator: Simulator,
    client: MClimateClient,
    fault: tuple[str, dict[str, str]],
    call: Callable[[MClimateClient, dict[str, str]], Awaitable[Any]],
    message: str,
) -> None:
    route, renames = fault
    simulator.faults.add("rename_fields", route, renames=renames, times=1)
    serials = {kind: serial_of(simulator, kind) for kind in ("vicki", "smart_plug")}
    with pytest.raises(CloudResponseError, match=message):
        await call(client, serials)


async def test_dropped_optional_members(simulator: Simulator, client: MClimateClient) -> None:
    simulator.faults.add(
        "drop_fields",
        "* /v1/*",
        fields=("raw_temperature", "humidity", "mac", "_relation", "room_id", "online"),
    )
    melissa = await client.fetch(serial_of(simulator, "melissa"), "melissa")
    assert (melissa.humidity, melissa.raw_temperature) == (None, None)
    assert melissa.raw_humidity is not None
    controllers = await client.get_controllers()
    assert all(c.mac is None and c.melissa is None and c.online is None for c in controllers)
    simulator.faults.clear()
    simulator.faults.add("drop_fields", "POST /v1/provider/fetch", fields=("temp",))
    with pytest.raises(CloudResponseError, match=r"provider\.temp: required member is missing"):
        await client.fetch(serial_of(simulator, "melissa"), "melissa")


@pytest.mark.parametrize(
    ("pages", "serials", "last"),
    [
        ([{"_embedded": {"controller": {"serial_number": "A", "type": "vicki"}}}], ["A"], 1),
        ([{"_embedded": {"controller": None}, "_links": {"last": {}}}], [], 1),
        ([{"_embedded": []}], [], 1),  # PHP's empty object
        ([{"_embedded": {"controller": []}, "_links": {"last": {"href": "/v1/x"}}}], [], 1),
        ([{"_links": {"self": {"href": "/v1/controllers"}}}], [], 1),  # the empty collection
        (
            [
                {
                    "_embedded": {"controller": [{"serial_number": "A", "type": "melissa"}]},
                    "_links": {"last": {"href": f"{DEFAULT_API_URL}/controllers?type=a&page=3"}},
                },
                {"_embedded": {"controller": [{"serial_number": "B", "type": "bobbie"}]}},
                {"_links": {}},  # an empty page ends the walk
            ],
            ["A", "B"],
            3,
        ),
    ],
)
async def test_collection_pages_are_read_loosely(
    stand_in: StandIn,
    stand_in_client: MClimateClient,
    pages: list[Any],
    serials: list[str],
    last: int,
) -> None:
    stand_in.answer("GET", "/v1/controllers", *pages)
    controllers = await stand_in_client.get_controllers()
    assert [c.serial_number for c in controllers] == serials
    assert len(stand_in.received) == last


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ([], "expected an object, got list"),
        ({"_embedded": {"controller": "A"}}, "_embedded.controller: expected an array, got str"),
        ({"_links": {"last": {"href": 4}}}, "_links.last.href: expected a string, got int"),
        (
            {"_links": {"last": {"href": "/c?page=last"}}},
            "_links.last.href: expected a link with a page number",
        ),
        (
            {"_embedded": {"controller": [{"serial_number": "A", "type": "vicki", "id": 1.5}]}},
            r"_embedded.controller[0].id: expected an integer, got float",
        ),
        (
            {"_embedded": {"controller": [{"serial_number": "A", "type": "x", "online": "maybe"}]}},
            "online: expected a boolean, got str",
        ),
        (
            {"_embedded": {"controller": [{"serial_number": "A", "type": "x", "id": [1]}]}},
            "id: expected an integer, got list",
        ),
    ],
)
async def test_unreadable_pages_name_the_member(
    stand_in: StandIn, stand_in_client: MClimateClient, page: Any, message: str
) -> None:
    stand_in.answer("GET", "/v1/controllers", page)
    with pytest.raises(CloudResponseError) as err:
        await stand_in_client.get_controllers()
    assert str(err.value).startswith("GET /controllers: ")
    assert str(err.value).endswith(message)


@pytest.mark.parametrize(
    ("path", "call", "answer", "message"),
    [
        (
            "/v1/provider/fetch",
            lambda c: c.fetch("S", "melissa"),
            {"provider": {"temp": "warm"}},
            "provider.temp: expected a number, got str",
        ),
        (
            "/v1/provider/fetch",
            lambda c: c.fetch("S", "melissa"),
            {"provider": {"temp": True}},
            "provider.temp: expected a number, got bool",
        ),
        (
            "/v1/provider/fetch",
            lambda c: c.fetch("S", "melissa"),
            {"provider": {"temp": "nan"}},
            "provider.temp: expected a finite number, got str",
        ),
        (
            "/v1/provider/fetch",
            lambda c: c.fetch("S", "vicki"),
            {"provider": {"displayDigits": 20, "mac": True}},
            "provider.mac: expected a string, got bool",
        ),
        (
            "/v1/provider/fetch",
            lambda c: c.fetch("S", "bobbie"),
            {"provider": {"relay_state": ""}},
            "provider.relay_state: required member is missing",
        ),
        (
            "/v1/users/me",
            lambda c: c.get_user(),
            {"users": {"user_id": None}},
            "users.user_id: required member is missing",
        ),
        (
            "/v1/users/me",
            lambda c: c.get_user(),
            {"users": []},
            "users: required member is missing",  # PHP's empty object
        ),
    ],
)
async def test_unreadable_answers_name_the_member(
    stand_in: StandIn,
    stand_in_client: MClimateClient,
    path: str,
    call: Callable[[MClimateClient], Awaitable[Any]],
    answer: Any,
    message: str,
) -> None:
    stand_in.answer("POST" if "provider" in path else "GET", path, answer)
    with pytest.raises(CloudResponseError) as err:
        await call(stand_in_client)
    assert str(err.value).endswith(f"{path.removeprefix('/v1')}: {message}")


def test_models_read_loose_values() -> None:
    controller = Controller.from_dict(
        {
            "serial_number": "ABC",
            "type": "heat_pump",
            "id": "513",
            "online": "1",
            "room_id": "",
            "brand_id": 14.0,
            "created": "2026-11-23 09:00:00",
            "new_field": {"nested": True},
            "_relation": {"melissa": {"led_state": "0", "temperature_offset": "1.5"}},
        }
    )
    assert controller.controller_type is None
    assert (controller.id, controller.online, controller.room_id, controller.brand_id) == (
        513,
        True,
        None,
        14,
    )
    assert controller.created == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert controller.melissa == MelissaRelation(led_state=0, temperature_offset=1.5)
    assert BobbieData.from_dict({"relay_state": "1", "load": "false", "energy": "12.5"}) == (
        BobbieData(relay_on=True, load=False, energy=12.5)
    )
    assert SmartPlugData.from_dict({"power": "off"}).power_on is False
    empty = {"serial_number": "B", "type": "melissa", "_relation": {"melissa": []}}
    assert Controller.from_dict(empty).melissa is None
    assert Controller.from_dict(empty | {"_relation": []}).melissa is None


# -- OAuth -------------------------------------------------------------------------------------


async def _sign_in(simulator: Simulator, session: aiohttp.ClientSession) -> str:
    """Sign in on the simulator's authorize page, as a browser would; return the code."""
    scenario = simulator.scenario.mclimate
    query = {
        "response_type": "code",
        "client_id": scenario.client_id,
        "state": "xyz",
        "redirect_uri": REDIRECT_URI,
    }
    authorize = URL(simulator.mclimate_authorize_url).with_query(query)
    async with session.get(authorize) as resp:
        assert resp.status == 200
    form = query | {"username": scenario.username, "password": scenario.password}
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        location = URL(resp.headers["Location"])
    assert location.query["state"] == "xyz"
    return location.query["code"]


async def test_exchange_code_against_the_simulator(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    code = await _sign_in(simulator, session)
    token = await exchange_code(
        session,
        simulator.mclimate_token_url,
        scenario.client_id,
        scenario.client_secret,
        code,
        REDIRECT_URI,
    )
    assert (token.expires_in, token.refresh_token) == (scenario.token_lifetime, None)
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
    assert f"{DEFAULT_API_URL}/token" == DEFAULT_TOKEN_URL


@pytest.mark.parametrize(
    "scenario", [Scenario(mclimate=MClimateScenario(refresh_tokens=True))], ids=["refresh"]
)
async def test_refresh_token_against_the_simulator(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    url, client_id, secret = (
        simulator.mclimate_token_url,
        scenario.client_id,
        scenario.client_secret,
    )
    first = await exchange_code(session, url, client_id, secret, await _sign_in(simulator, session))
    assert first.refresh_token is not None
    second = await refresh_token(session, url, client_id, secret, first.refresh_token)
    assert second.refresh_token not in (None, first.refresh_token)
    assert second.access_token != first.access_token
    request = simulator.recorder.matching("POST", "/v1/token")[-1]
    assert request.json == {
        "client_id": client_id,
        "client_secret": secret,
        "grant_type": "refresh_token",
        "grent_type": "refresh_token",
        "refresh_token": first.refresh_token,
    }
    client = MClimateClient(session, second.access_token, base_url=simulator.mclimate_api_url)
    assert (await client.get_user()).username == scenario.username
    with pytest.raises(CloudRequestError) as reused:
        await refresh_token(session, url, client_id, secret, first.refresh_token)
    assert reused.value.status == 400
    assert first.refresh_token not in f"{reused.value} {reused.value!r}"


async def test_exchange_code_refusals_never_show_the_secret(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    scenario = simulator.scenario.mclimate
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    with pytest.raises(CloudAuthenticationError) as err:
        await exchange_code(
            session, simulator.mclimate_token_url, scenario.client_id, "wrong-secret", code
        )
    assert "wrong-secret" not in f"{err.value} {err.value!r}"
    simulator.faults.add("rename_fields", "POST /v1/token", renames={"expires_in": "ttl"})
    with pytest.raises(CloudResponseError, match="/token: expires_in: required member is missing"):
        await exchange_code(
            session, simulator.mclimate_token_url, scenario.client_id, scenario.client_secret, code
        )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([], "expected an object, got list"),
        ({"expires_in": 3600}, "access_token: required member is missing"),
        ({"access_token": "", "expires_in": 3600}, "access_token: required member is missing"),
        ({"access_token": [], "expires_in": 3600}, "access_token: expected a string, got list"),
        ({"access_token": "t", "expires_in": "soon"}, "expires_in: expected an integer, got str"),
        ({"access_token": "t", "expires_in": -1}, "expires_in: expected an integer of at least 0"),
        ({"access_token": "t", "expires_in": True}, "expires_in: expected an integer, got bool"),
        ({"access_token": "t", "expires_in": 1.5}, "expires_in: expected an integer, got float"),
    ],
)
async def test_token_answers_are_checked(
    stand_in: StandIn, session: aiohttp.ClientSession, answer: Any, message: str
) -> None:
    stand_in.answer("POST", "/v1/token", answer)
    with pytest.raises(CloudResponseError) as err:
        await refresh_token(session, f"{stand_in.url}/v1/token", "id", "secret", "r-token")
    assert str(err.value) == f"POST {stand_in.url}/v1/token: {message}"
    assert "secret" not in str(err.value)
    assert "r-token" not in str(err.value)


async def test_token_answers_read_numbers_as_text(
    stand_in: StandIn, session: aiohttp.ClientSession
) -> None:
    stand_in.answer(
        "POST",
        "/v1/token",
        {"access_token": "t", "expires_in": "3600", "refresh_token": "r", "scope": "all"},
    )
    token = await exchange_code(session, f"{stand_in.url}/v1/token", "id", "secret", "code")
    assert token == Token(access_token="t", expires_in=3600, refresh_token="r")
    assert stand_in.received[0].json["code"] == "code"
    assert "redirect_uri" not in stand_in.received[0].json


async def test_secrets_stay_out_of_repr_errors_and_logs(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = MClimateClient(session, token, base_url=simulator.mclimate_api_url)
    assert token not in f"{client} {client!r}"
    assert repr(client) == f"MClimateClient(base_url={simulator.mclimate_api_url!r})"
    secret_token = Token(access_token="very-secret", expires_in=60, refresh_token="also-secret")
    assert repr(secret_token) == str(secret_token) == "Token(expires_in=60)"

    simulator.mclimate.revoke_tokens()
    errors: list[CloudError] = []
    for call in (client.get_user(), client.fetch(serial_of(simulator, "melissa"), "melissa")):
        with pytest.raises(CloudError) as err:
            await call
        errors.append(err.value)
    assert all(token not in f"{e} {e!r}" for e in errors)
    assert caplog.records  # the client logs its requests ...
    assert token not in caplog.text  # ... never the token


async def test_command_answers_without_readable_data_are_logged_not_raised(
    stand_in: StandIn, stand_in_client: MClimateClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stand_in.answer("POST", "/v1/provider/send", Answer(body={"provider": [254, 2, 0, 0]}))
    assert await stand_in_client.switch("S", ControllerType.SMART_PLUG, True) is None
    assert "switch_on_off answered without readable data" in caplog.text
