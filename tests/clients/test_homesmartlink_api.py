"""The Home SmartLink client against the simulated partner API, over real HTTP."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
import socket
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

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
from custom_components.smartlink_mclimate.clients.homesmartlink import (
    Authorisation,
    Derogation,
    DerogationResult,
    DerogationWindow,
    Device,
    DeviceCategory,
    Diagnosis,
    DiagnosisRequest,
    HeaterMode,
    HomeConfig,
    HomeSmartLinkClient,
    Invitation,
    Report,
    TimeRange,
    User,
    api as api_module,
)
from custom_components.smartlink_mclimate.clients.homesmartlink.models import (
    parse_datetime,
    parse_users,
)
from simulator import Scenario, Simulator
from simulator.homesmartlink import HomeSmartLinkCloud
from simulator.scenario import HomeSmartLinkScenario
from tests.conftest import START

CLIENT_ID = "demo-partner"
SECRET = "demo-partner-secret"
PARIS = ZoneInfo("Europe/Paris")
ENCODED = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()


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
def client(simulator: Simulator, session: aiohttp.ClientSession) -> HomeSmartLinkClient:
    return HomeSmartLinkClient(
        session, simulator.homesmartlink_url, CLIENT_ID, SECRET, request_timeout=5
    )


@pytest.fixture
async def serve(
    socket_enabled: None,
) -> AsyncIterator[Callable[[web.Application], Awaitable[str]]]:
    """Serve a misbehaving stand-in cloud on loopback; yields a starter returning its URL."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


def window(start: datetime, end: datetime) -> DerogationWindow:
    return DerogationWindow.from_datetimes(start, end, time_zone=PARIS)


def local(text: str) -> datetime:
    """A naive (wall-clock) datetime."""
    return datetime.fromisoformat(text)


def assert_no_secret(*values: object) -> None:
    for value in values:
        for text in (str(value), repr(value)):
            assert SECRET not in text
            assert ENCODED not in text


# -- every endpoint ------------------------------------------------------------------


async def test_get_home_config_reads_devices_and_gateway(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[0])
    cloud.set_heater_mode(home.heaters[1].header, "Manual", comfort=19.5)
    config = await client.get_home_config(home.home_id)

    assert config.authorisation == Authorisation(type="BASIC", client=CLIENT_ID)
    assert [device.header for device in config.devices] == [h.header for h in home.heaters]
    prog, manual, _, offline = config.devices
    salon = home.heaters[0]
    assert prog.room_id == 1
    assert prog.room_name == "Salon"
    assert prog.category == DeviceCategory.HEATER
    assert prog.is_heater
    assert prog.online
    assert prog.mode == HeaterMode.PROG
    assert prog.setpoint == cloud.setpoint(salon)
    assert prog.temperature == cloud.temperature(salon)
    assert prog.software_version == salon.software_version
    assert prog.last_update is not None
    assert START - timedelta(minutes=5) < prog.last_update <= START
    assert len(prog.week_schedule) == 7
    assert prog.week_schedule[0] == (TimeRange(390, 480), TimeRange(1050, 1320))
    assert (manual.mode, manual.setpoint, manual.week_schedule) == ("Manual", 19.5, ())
    assert offline.category == DeviceCategory.TOWEL_DRYER
    assert offline.is_heater
    assert not offline.online
    assert (offline.mode, offline.setpoint, offline.temperature, offline.last_update) == (
        None,
        None,
        None,
        None,
    )
    assert config.gateway is not None
    assert config.gateway.token == home.gateway.token
    assert config.gateway.version == home.gateway.version
    assert config.gateway.last_ping == START
    assert config.gateway.installation_date is not None

    (sent,) = simulator.recorder.matching("POST", "/partners/1/config")
    assert sent.json == {"homeId": home.home_id}
    assert sent.headers["Authorization"] == f"Basic {ENCODED}"
    assert sent.headers["Content-Type"] == "application/json; charset=utf-8"


async def test_get_invitations_reads_homes_of_a_user(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[1])
    (invitation,) = await client.get_invitations("user2@example.com")
    assert invitation.home_id == home.home_id
    assert invitation.email == "user2@example.com"
    assert invitation.city == home.user.city
    assert invitation.role == 2
    assert invitation.gateway_enabled is True
    assert invitation.has_gateway is True
    assert invitation.creation_date == home.created_at.replace(
        microsecond=home.created_at.microsecond // 1000 * 1000
    )
    assert [(room.room_number, room.name, room.device_count) for room in invitation.rooms] == [
        (room.room_id, room.name, 1) for room in home.rooms
    ]
    assert invitation.rooms[0].accessories == (home.rooms[0].heaters[0].header,)
    assert "user2@example.com" not in repr(invitation)
    assert home.user.city not in repr(invitation)
    assert await client.get_invitations("nobody@example.com") == []
    assert simulator.recorder.matching("POST", "/partners/1/invitations")[0].json == {
        "email": "user2@example.com"
    }


async def test_set_derogations_sends_the_documented_body(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    first, second = cloud.home_ids
    span = window(
        datetime(2026, 11, 23, 10, 31, tzinfo=PARIS), datetime(2026, 11, 23, 10, 58, tzinfo=PARIS)
    )
    result = await client.set_derogations(
        [span.derogation(first, 1, 2), span.derogation(second, 3, -1)]
    )
    assert len(result.ids) == 2
    assert result.ids == tuple(d.derogation_id for d in cloud.derogations)
    assert result.start_trigger in cloud.triggers
    assert result.end_trigger in cloud.triggers
    assert result.authorisation == Authorisation("BASIC", CLIENT_ID)
    (sent,) = simulator.recorder.matching("POST", "/partners/1/derogations")
    assert sent.json == {
        "derogations": [
            {
                "homeId": first,
                "roomId": 1,
                "startTime": 630,
                "endTime": 660,
                "delta": 2,
                "date": "2026-11-23",
            },
            {
                "homeId": second,
                "roomId": 3,
                "startTime": 630,
                "endTime": 660,
                "delta": -1,
                "date": "2026-11-23",
            },
        ]
    }
    salon = cloud.home(first).heaters[0]
    before = (await client.get_home_config(first)).devices[0].setpoint
    assert before is not None
    simulator.clock.advance(timedelta(minutes=30))
    during = (await client.get_home_config(first)).devices[0]
    assert during.setpoint == cloud.setpoint(salon) == before + 2


def _valid(**changes: Any) -> Derogation:
    values: dict[str, Any] = {
        "home_id": "home",
        "room_id": 1,
        "start_time": 600,
        "end_time": 660,
        "delta": 1,
        "date": date(2026, 11, 23),
    }
    values.update(changes)
    return Derogation(**values)


@pytest.mark.parametrize(
    ("derogations", "message"),
    [
        ([], "at least one derogation"),
        ([_valid(home_id="")], r"derogations\[0\]: home_id must be a non-empty string"),
        ([_valid(room_id="1")], "room_id must be an integer"),
        ([_valid(delta=6)], "delta must be an integer from -5 to 5, got 6"),
        ([_valid(delta=-6)], "delta must be an integer from -5 to 5"),
        ([_valid(delta=1.5)], "delta must be an integer"),
        ([_valid(delta=True)], "delta must be an integer"),
        ([_valid(start_time=-5)], "start_time must be an integer from 0 to 1440"),
        ([_valid(end_time=1445)], "end_time must be an integer from 0 to 1440"),
        ([_valid(start_time=601)], "start_time must be a multiple of 5"),
        ([_valid(end_time=662)], "end_time must be a multiple of 5"),
        ([_valid(end_time=600)], "end_time must be after start_time"),
        ([_valid(date="2026-11-23")], "date must be a datetime.date"),
        ([_valid(date=datetime(2026, 11, 23, tzinfo=UTC))], "not a datetime"),
        ([_valid(), _valid(room_id=2, start_time=605)], r"derogations\[1\]: all derogations"),
        ([_valid(), _valid(end_time=665)], "share the same date, start_time and end_time"),
        ([_valid(), _valid(date=date(2026, 11, 24))], "share the same"),
    ],
)
async def test_set_derogations_validates_before_sending(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    derogations: list[Derogation],
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        await client.set_derogations(derogations)
    assert simulator.recorder.matching("POST", "/partners/1/derogations") == []
    assert len(simulator.recorder) == 0


async def test_cloud_side_derogation_rules_surface_as_request_errors(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud
) -> None:
    with pytest.raises(CloudRequestError) as err:
        await client.set_derogations([_valid(home_id=cloud.home_ids[0], room_id=9)])
    assert err.value.status == 400
    assert "no room 9" in err.value.detail
    assert "POST /partners/1/derogations: HTTP 400" in str(err.value)


async def test_get_report_follows_delivery(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    first, second = cloud.home_ids
    cloud.set_gateway_online(second, False)
    span = window(
        datetime(2026, 11, 23, 10, 30, tzinfo=PARIS), datetime(2026, 11, 23, 11, 0, tzinfo=PARIS)
    )
    result = await client.set_derogations(
        [span.derogation(first, 1, 1), span.derogation(second, 1, 1)]
    )
    report = await client.get_report(result.start_trigger)
    assert (report.summary.requested, report.summary.sent, report.summary.received) == (2, 0, 0)
    assert (report.summary.first, report.summary.last, report.details) == (None, None, ())
    assert not report.complete

    simulator.clock.advance(timedelta(minutes=30, seconds=5))
    report = await client.get_report(result.start_trigger)
    assert (report.summary.sent, report.summary.received) == (2, 1)
    assert report.summary.first == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert report.summary.last == datetime(2026, 11, 23, 9, 30, 0, 100000, tzinfo=UTC)
    assert [(d.home_id, d.acknowledge) for d in report.details] == [(first, True), (second, False)]
    assert report.details[0].sent_at == report.summary.first
    assert not report.complete
    assert simulator.recorder.matching("POST", "/partners/1/report")[0].json == {
        "trigger": result.start_trigger
    }

    with pytest.raises(CloudRequestError) as err:
        await client.get_report("0123456789abcdef01234567")
    assert err.value.status == 404


async def test_get_report_is_complete_when_every_home_acknowledged(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    span = window(
        datetime(2026, 11, 23, 9, 0, tzinfo=PARIS), datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)
    )
    result = await client.set_derogations([span.derogation(cloud.home_ids[0], 2, -2)])
    simulator.clock.advance(2)
    assert (await client.get_report(result.start_trigger)).complete


async def test_get_users_reads_one_page_without_leaking_personal_data(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    users = await client.get_users(page=2, size=1)
    assert [user.home_id for user in users] == [cloud.home_ids[1]]
    person = cloud.home(cloud.home_ids[1]).user
    user = users[0]
    assert (user.first_name, user.last_name, user.address) == (
        person.first_name,
        person.last_name,
        person.address,
    )
    assert (user.zip_code, user.city, user.prm_id, user.email) == (
        person.zip_code,
        person.city,
        person.prm_id,
        "user2@example.com",
    )
    assert user.consent_date is not None
    for private in (person.first_name, person.last_name, person.address, person.prm_id):
        assert private not in repr(user)
    assert "user2@example.com" not in repr(user)
    assert simulator.recorder.matching("GET", "/partners/1/users")[0].query == {
        "page": "2",
        "size": "1",
    }
    assert [u.home_id for u in await client.get_users()] == cloud.home_ids


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (-1, 5)])
async def test_get_users_refuses_bad_paging_locally(
    client: HomeSmartLinkClient, simulator: Simulator, page: int, size: int
) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        await client.get_users(page=page, size=size)
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(("homes", "size", "pages"), [(5, 2, 3), (4, 2, 3), (1, 100, 1)])
async def test_get_all_users_walks_pages_until_a_short_one(
    scenario: Scenario,
    session: aiohttp.ClientSession,
    socket_enabled: None,
    homes: int,
    size: int,
    pages: int,
) -> None:
    scenario.homesmartlink.homes = homes
    async with Simulator(scenario) as sim:
        client = HomeSmartLinkClient(session, sim.homesmartlink_url, CLIENT_ID, SECRET)
        users = await client.get_all_users(size=size)
        assert [user.home_id for user in users] == sim.homesmartlink.home_ids
        asked = [req.query for req in sim.recorder.matching("GET", "/partners/1/users")]
        assert asked == [{"page": str(n), "size": str(size)} for n in range(1, pages + 1)]


def _user(index: int) -> dict[str, Any]:
    return {"homeId": f"home-{index}"}


async def test_get_all_users_stops_when_the_cloud_ignores_page(
    serve: Callable[[web.Application], Awaitable[str]], session: aiohttp.ClientSession
) -> None:
    calls: list[str] = []

    async def users(request: web.Request) -> web.Response:
        calls.append(request.query["page"])
        return web.json_response({"response": [_user(0), _user(1)]})

    app = web.Application()
    app.router.add_get("/partners/1/users", users)
    client = HomeSmartLinkClient(session, await serve(app), CLIENT_ID, SECRET)
    users_found = await client.get_all_users(size=2)
    assert [user.home_id for user in users_found] == ["home-0", "home-1"]
    assert calls == ["1", "2"]


async def test_get_all_users_gives_up_on_endless_full_pages(
    serve: Callable[[web.Application], Awaitable[str]],
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def users(request: web.Request) -> web.Response:
        page = int(request.query["page"])
        return web.json_response({"reponse": [_user(page)]})

    app = web.Application()
    app.router.add_get("/partners/1/users", users)
    monkeypatch.setattr(api_module, "MAX_USER_PAGES", 3)
    client = HomeSmartLinkClient(session, await serve(app), CLIENT_ID, SECRET)
    with pytest.raises(CloudResponseError, match="still full pages after 3 pages"):
        await client.get_all_users(size=1)


async def test_diagnosis_request_then_result(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    request = await client.request_diagnosis(cloud.home_ids[0])
    assert request.accepted
    assert request.status == "OK"
    assert request.message_id is not None
    pending = await client.get_diagnosis(request.message_id)
    assert not pending.ready
    assert not pending.failed
    assert pending.created_at == START
    assert pending.status == "PENDING"
    assert pending.details == {}
    simulator.clock.advance(300)
    done = await client.get_diagnosis(request.message_id)
    assert done.ready
    assert done.status == "DONE"
    assert done.details["diagnosis"]["homeId"] == cloud.home_ids[0]
    assert len(done.details["diagnosis"]["devices"]) == 4
    assert simulator.recorder.matching("PUT", "/partners/1/request")[0].json == {
        "messageId": request.message_id
    }
    assert simulator.recorder.matching("POST", "/partners/1/request")[0].json == {
        "homeId": cloud.home_ids[0]
    }


async def test_diagnosis_of_an_offline_home_is_refused(
    client: HomeSmartLinkClient, cloud: HomeSmartLinkCloud
) -> None:
    cloud.set_gateway_online(cloud.home_ids[1], False)
    request = await client.request_diagnosis(cloud.home_ids[1])
    assert request.status == "NOK"
    assert not request.accepted
    assert request.message_id is not None
    result = await client.get_diagnosis(request.message_id)
    assert result.failed
    assert not result.ready


# -- errors -------------------------------------------------------------------------------


async def test_wrong_secret_is_an_authentication_error(
    simulator: Simulator, session: aiohttp.ClientSession, cloud: HomeSmartLinkCloud
) -> None:
    client = HomeSmartLinkClient(session, simulator.homesmartlink_url, CLIENT_ID, "not-it")
    with pytest.raises(CloudAuthenticationError) as err:
        await client.get_home_config(cloud.home_ids[0])
    assert "HTTP 401" in str(err.value)
    assert "not-it" not in str(err.value)


async def test_expired_credentials_fault_is_an_authentication_error(
    client: HomeSmartLinkClient, simulator: Simulator
) -> None:
    simulator.faults.add("unauthorized", "GET /partners/1/users", times=1)
    with pytest.raises(CloudAuthenticationError) as err:
        await client.get_users()
    assert_no_secret(client, err.value)


async def test_rate_limit_carries_retry_after(
    scenario: Scenario, session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    scenario.rate_limit_requests = 1
    async with Simulator(scenario) as sim:
        client = HomeSmartLinkClient(session, sim.homesmartlink_url, CLIENT_ID, SECRET)
        await client.get_users()
        with pytest.raises(CloudRateLimitedError) as err:
            await client.get_users()
        assert err.value.retry_after == 60
        sim.faults.add("rate_limit", "GET /partners/1/users", retry_after=12, times=1)
        with pytest.raises(CloudRateLimitedError) as err:
            await client.get_users()
        assert err.value.retry_after == 12
        assert_no_secret(err.value)


async def test_slow_cloud_times_out(
    simulator: Simulator, session: aiohttp.ClientSession, cloud: HomeSmartLinkCloud
) -> None:
    simulator.faults.add("timeout", "POST /partners/1/config", delay=2, times=1)
    client = HomeSmartLinkClient(
        session, simulator.homesmartlink_url, CLIENT_ID, SECRET, request_timeout=0.2
    )
    with pytest.raises(CloudTimeoutError, match=r"no answer within 0\.2 s") as err:
        await client.get_home_config(cloud.home_ids[0])
    assert_no_secret(err.value)


async def test_unreachable_cloud_is_a_connection_error(
    session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HomeSmartLinkClient(session, f"http://127.0.0.1:{port}", CLIENT_ID, SECRET)
    with pytest.raises(CloudConnectionError) as err:
        await client.get_users()
    assert not isinstance(err.value, CloudTimeoutError)
    assert_no_secret(err.value)


async def test_server_failure_is_a_server_error(
    client: HomeSmartLinkClient, simulator: Simulator
) -> None:
    simulator.faults.add("status", "POST /partners/1/invitations", status=503, times=1)
    with pytest.raises(CloudServerError) as err:
        await client.get_invitations("user1@example.com")
    assert err.value.status == 503
    assert_no_secret(err.value)


async def test_unknown_home_is_a_request_error_with_detail(client: HomeSmartLinkClient) -> None:
    with pytest.raises(CloudRequestError) as err:
        await client.get_home_config("0123456789abcdef01234567")
    assert err.value.status == 404
    assert err.value.detail == (
        "Home 0123456789abcdef01234567 not found or not shared with this partner"
    )
    with pytest.raises(CloudRequestError):
        await client.request_diagnosis("0123456789abcdef01234567")
    with pytest.raises(CloudRequestError):
        await client.get_diagnosis("nope")


async def test_malformed_json_is_a_response_error(
    client: HomeSmartLinkClient, simulator: Simulator, cloud: HomeSmartLinkCloud
) -> None:
    simulator.faults.add("malformed", "POST /partners/1/config", times=1)
    with pytest.raises(CloudResponseError, match="not valid JSON"):
        await client.get_home_config(cloud.home_ids[0])


@pytest.mark.parametrize("renames", [{"reponse": "response"}, {"response": "reponse"}])
async def test_either_result_spelling_is_read(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    cloud: HomeSmartLinkCloud,
    renames: dict[str, str],
) -> None:
    simulator.faults.add("rename_fields", "*", renames=renames)
    home_id = cloud.home_ids[0]
    assert len((await client.get_home_config(home_id)).devices) == 4
    assert len(await client.get_invitations("user1@example.com")) == 1
    assert len(await client.get_users()) == 2
    result = await client.set_derogations(
        [window(START, START + timedelta(hours=1)).derogation(home_id, 1, 1)]
    )
    assert len(result.ids) == 1
    assert (await client.get_report(result.start_trigger)).summary.requested == 1
    request = await client.request_diagnosis(home_id)
    assert request.message_id is not None
    assert not (await client.get_diagnosis(request.message_id)).ready


async def test_dropped_optional_fields_are_tolerated(
    client: HomeSmartLinkClient, simulator: Simulator, cloud: HomeSmartLinkCloud
) -> None:
    simulator.faults.add(
        "drop_fields",
        "*",
        fields=(
            "authorisation",
            "gateway",
            "mode",
            "sp",
            "pv",
            "lastUpdate",
            "weekSchedule",
            "deviceCount",
            "rooms",
            "email",
            "city",
            "consentDate",
            "prmId",
        ),
    )
    config = await client.get_home_config(cloud.home_ids[0])
    assert config.authorisation is None
    assert config.gateway is None
    assert all(device.setpoint is None and device.mode is None for device in config.devices)
    (invitation,) = await client.get_invitations("user1@example.com")
    assert (invitation.rooms, invitation.email, invitation.city) == ((), None, None)
    user = (await client.get_users())[0]
    assert (user.email, user.city, user.consent_date, user.prm_id) == (None, None, None, None)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "drop_fields", "fields": ("online",)}, r"config\.reponse\[0\]\.online: required"),
        (
            {"kind": "rename_fields", "renames": {"roomName": "roomId"}},
            r"config\.reponse\[0\]\.roomId: expected an integer, got str",
        ),
        ({"kind": "rename_fields", "renames": {"reponse": "devices"}}, "neither 'reponse' nor"),
        ({"kind": "drop_fields", "fields": ("header",)}, r"reponse\[0\]\.header: required"),
    ],
)
async def test_drifted_required_fields_are_response_errors(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    cloud: HomeSmartLinkCloud,
    fault: dict[str, Any],
    message: str,
) -> None:
    kind = fault.pop("kind")
    simulator.faults.add(kind, "POST /partners/1/config", **fault)
    with pytest.raises(CloudResponseError, match=message) as err:
        await client.get_home_config(cloud.home_ids[0])
    assert str(err.value).startswith("POST /partners/1/config: ")


async def test_unexpected_parse_failures_are_response_errors(
    client: HomeSmartLinkClient,
) -> None:
    def parse(data: Any) -> Any:
        return data["missing"]

    with pytest.raises(CloudResponseError, match=r"GET /partners/1/users: unreadable answer"):
        await client._call("GET", "users", parse)


async def test_client_never_shows_its_secret(
    client: HomeSmartLinkClient, simulator: Simulator
) -> None:
    assert repr(client) == (
        f"HomeSmartLinkClient(base_url={simulator.homesmartlink_url!r}, client_id='demo-partner')"
    )
    assert_no_secret(client)
    errors: list[CloudError] = []
    for kind in ("status", "malformed"):
        simulator.faults.add(kind, "*", times=1)
        try:
            await client.get_users()
        except CloudError as err:
            errors.append(err)
    assert [type(err) for err in errors] == [CloudServerError, CloudResponseError]
    assert_no_secret(*errors)


# -- models, read leniently -------------------------------------------------------------


def _device(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "header": "ABC",
        "roomId": 1,
        "roomName": "Salon",
        "softwareVersion": 3,
        "category": "Heater",
        "online": True,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("pv", "expected"),
    [
        ("19.5", 19.5),
        ("19,5", 19.5),
        (20, 20.0),
        (18.25, 18.25),
        ("n/a", None),
        ("nan", None),
        (True, None),
    ],
)
def test_device_pv_may_be_text_or_number(pv: Any, expected: float | None) -> None:
    assert Device.from_dict(_device(pv=pv)).temperature == expected


def test_device_tolerates_unknown_values_and_extra_members() -> None:
    device = Device.from_dict(
        _device(category="Heatpump", mode="Boost", sp="21", roomId="4", softwareVersion=3.0, x=1)
    )
    assert (device.category, device.mode, device.setpoint, device.room_id) == (
        "Heatpump",
        "Boost",
        21.0,
        4,
    )
    assert not device.is_heater


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"online": "yes"}, r"device\.online: expected a boolean, got str"),
        ({"roomId": "four"}, r"device\.roomId: expected an integer, got str"),
        ({"roomId": 1.5}, r"device\.roomId: expected an integer, got float"),
        ({"roomId": True}, r"device\.roomId: expected an integer, got bool"),
        ({"header": 12}, r"device\.header: expected a string, got int"),
        ({"header": None}, r"device\.header: required member is missing"),
        ({"sp": "warm"}, r"device\.sp: expected a number, got str"),
        ({"weekSchedule": {}}, r"device\.weekSchedule: expected an array, got dict"),
        ({"weekSchedule": [[], "x"]}, r"device\.weekSchedule\[1\]: expected an array, got str"),
        ({"weekSchedule": [[{"start": 1}]]}, r"weekSchedule\[0\]\[0\]\.end: required"),
    ],
)
def test_device_wrong_types_name_the_member(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CloudResponseError, match=message):
        Device.from_dict(_device(**changes))


def test_models_refuse_non_objects() -> None:
    with pytest.raises(CloudResponseError, match="device: expected an object, got list"):
        Device.from_dict([])
    with pytest.raises(CloudResponseError, match="config: expected an object, got null"):
        HomeConfig.from_dict(None)
    with pytest.raises(CloudResponseError, match=r"config\.reponse: expected an array, got dict"):
        HomeConfig.from_dict({"reponse": {}})
    with pytest.raises(CloudResponseError, match=r"derogations\.response: expected an array"):
        DerogationResult.from_dict({"response": "id", "startTrigger": "a", "endTrigger": "b"})
    with pytest.raises(CloudResponseError, match="users: expected an array result, got str"):
        parse_users({"response": "nobody"})
    with pytest.raises(CloudResponseError, match=r"report\.response\.summary: required"):
        Report.from_dict({"response": {"details": []}})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-23T09:00:00.000Z", datetime(2026, 11, 23, 9, tzinfo=UTC)),
        ("2026-11-23T10:00:00+01:00", datetime(2026, 11, 23, 9, tzinfo=UTC)),
        ("2026-11-23T09:00:00", datetime(2026, 11, 23, 9, tzinfo=UTC)),  # naive: UTC
        (1795424400, datetime(2026, 11, 23, 9, tzinfo=UTC)),
        (1795424400000, datetime(2026, 11, 23, 9, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
        (True, None),
        (float("inf"), None),
        (10**20, None),
        ({"$date": 1}, None),
    ],
)
def test_dates_are_read_leniently(value: Any, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_invitation_and_user_read_codes_and_counts_leniently() -> None:
    invitation = Invitation.from_dict(
        {
            "_id": "h1",
            "role": "2",
            "rooms": [{"roomNumber": 1, "accessories": ["A", "B"]}, {"roomNumber": "2"}],
        }
    )
    assert invitation.role == 2
    assert [(r.room_number, r.device_count, r.name) for r in invitation.rooms] == [
        (1, 2, None),
        (2, 0, None),
    ]
    user = User.from_dict({"homeId": "h1", "zipCode": 69003, "prmId": 12345678901234})
    assert (user.zip_code, user.prm_id) == ("69003", "12345678901234")
    with pytest.raises(CloudResponseError, match=r"user\.zipCode: expected a string"):
        User.from_dict({"homeId": "h1", "zipCode": ["69003"]})


def test_diagnosis_models() -> None:
    refused = DiagnosisRequest.from_dict({"response": {"status": "NOK"}})
    assert (refused.accepted, refused.message_id) == (False, None)
    assert DiagnosisRequest.from_dict({"reponse": {"status": "ok", "messageId": "m"}}).accepted
    result = Diagnosis.from_dict(
        {"response": {"acknowledge": True, "status": "DONE", "gateway": {"online": True}}}
    )
    assert (result.ready, result.failed, result.created_at) == (True, False, None)
    assert result.details == {"gateway": {"online": True}}
    assert Diagnosis.from_dict({"response": {}}).ready is False


# -- derogation windows -------------------------------------------------------------------


def test_window_from_aware_datetimes_in_the_homes_zone() -> None:
    span = DerogationWindow.from_datetimes(
        datetime(2026, 11, 23, 9, 3, 20, tzinfo=UTC),  # 10:03:20 Paris
        datetime(2026, 11, 23, 10, 1, tzinfo=UTC),  # 11:01 Paris
        time_zone=PARIS,
    )
    assert span == DerogationWindow(date(2026, 11, 23), 600, 665)
    assert span.start(PARIS) == datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    assert span.end(PARIS) == datetime(2026, 11, 23, 11, 5, tzinfo=PARIS)
    derogation = span.derogation("home", 3, -2)
    assert derogation.window == span
    assert derogation.as_dict() == {
        "homeId": "home",
        "roomId": 3,
        "startTime": 600,
        "endTime": 665,
        "delta": -2,
        "date": "2026-11-23",
    }
    derogation.validate()


def test_window_from_naive_local_times_may_end_at_midnight() -> None:
    span = DerogationWindow.from_datetimes(
        local("2026-11-23T22:00"), local("2026-11-24T00:00"), time_zone=PARIS
    )
    assert span == DerogationWindow(date(2026, 11, 23), 1320, 1440)
    exact = DerogationWindow.from_datetimes(local("2026-01-01T00:00"), local("2026-01-01T00:05"))
    assert (exact.start_time, exact.end_time) == (0, 5)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (local("2026-11-23T23:00"), local("2026-11-24T00:01"), "within one day"),
        (local("2026-11-23T10:00"), local("2026-11-23T10:00"), "end after it starts"),
        (local("2026-11-23T10:00"), datetime(2026, 11, 23, 11, 0, tzinfo=UTC), "both"),
    ],
)
def test_window_refuses_what_the_cloud_cannot_take(
    start: datetime, end: datetime, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DerogationWindow.from_datetimes(start, end)
