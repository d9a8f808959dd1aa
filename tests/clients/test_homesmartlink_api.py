"""The Home SmartLink client over real HTTP: against the simulated partner API and a stand-in.

What the answers mean is pinned by the document fixtures (test_contracts.py);
here: the requests sent, paging, errors, and how loose or drifted answers read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from custom_components.smartlink_mclimate.clients import CloudRequestError, CloudResponseError
from custom_components.smartlink_mclimate.clients.homesmartlink import (
    Authorisation,
    Derogation,
    DerogationWindow,
    Device,
    DeviceCategory,
    HomeSmartLinkClient,
    Invitation,
    User,
    api as api_module,
)
from custom_components.smartlink_mclimate.clients.homesmartlink.derogations import (
    after,
    elapsed,
    windows,
)
from simulator import HomeSmartLinkScenario, Scenario, Simulator
from tests.clients.stand_in import StandIn
from tests.conftest import START, StartSimulator

CLIENT_ID = "demo-partner"
SECRET = "demo-partner-secret"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def scenario() -> Scenario:
    """Two homes of four rooms; the bathroom towel dryer of each home is offline."""
    return Scenario(
        homesmartlink=HomeSmartLinkScenario(
            homes=2, rooms_per_home=4, heaters_per_room=1, offline_heaters=1
        )
    )


@pytest.fixture
def client(simulator: Simulator, session: aiohttp.ClientSession) -> HomeSmartLinkClient:
    return HomeSmartLinkClient(session, simulator.homesmartlink_url, CLIENT_ID, SECRET)


@pytest.fixture
def home_ids(simulator: Simulator) -> list[str]:
    return simulator.homesmartlink.home_ids


def window(start: datetime, end: datetime) -> DerogationWindow:
    return DerogationWindow.from_datetimes(start, end, time_zone=PARIS)


def local(text: str) -> datetime:
    """A naive (wall-clock) datetime."""
    return datetime.fromisoformat(text)


# -- the requests sent -----------------------------------------------------------------

type Call = Callable[[HomeSmartLinkClient, list[str]], Awaitable[Any]]

# the call, then what the cloud received: method, endpoint, JSON body (from the home ids), query
REQUESTS: list[tuple[Call, str, str, Callable[[list[str]], Any], dict[str, str]]] = [
    (lambda c, h: c.get_home_config(h[0]), "POST", "config", lambda h: {"homeId": h[0]}, {}),
    (
        lambda c, h: c.get_invitations("user2@example.com"),
        "POST",
        "invitations",
        lambda h: {"email": "user2@example.com"},
        {},
    ),
    (lambda c, h: c.request_diagnosis(h[1]), "POST", "request", lambda h: {"homeId": h[1]}, {}),
    (
        lambda c, h: c.get_users(page=2, size=1),
        "GET",
        "users",
        lambda h: None,
        {"page": "2", "size": "1"},
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "endpoint", "body", "query"), REQUESTS, ids=[row[2] for row in REQUESTS]
)
async def test_requests_carry_basic_auth_and_the_documented_body(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    home_ids: list[str],
    call: Call,
    method: str,
    endpoint: str,
    body: Callable[[list[str]], Any],
    query: dict[str, str],
) -> None:
    await call(client, home_ids)
    (sent,) = simulator.recorder.matching(method, f"/partners/1/{endpoint}")
    assert (sent.json, sent.query) == (body(home_ids), query)
    credentials = aiohttp.BasicAuth.decode(sent.headers["Authorization"])
    assert (credentials.login, credentials.password) == (CLIENT_ID, SECRET)
    if sent.json is not None:
        assert sent.headers["Content-Type"] == "application/json; charset=utf-8"


async def test_home_config_reads_online_and_offline_devices(
    client: HomeSmartLinkClient, home_ids: list[str]
) -> None:
    config = await client.get_home_config(home_ids[0])
    assert config.authorisation == Authorisation(type="BASIC", client=CLIENT_ID)
    assert len(config.devices) == 4
    online, offline = config.devices[0], config.devices[-1]
    assert online.online
    assert online.setpoint is not None
    assert online.temperature is not None
    assert online.last_update is not None
    assert START - timedelta(minutes=5) < online.last_update <= START  # heaters report every 5'
    assert (offline.category, offline.is_heater, offline.online) == (
        DeviceCategory.TOWEL_DRYER,
        True,
        False,
    )
    # What an offline device does not report stays unknown.
    assert (offline.mode, offline.setpoint, offline.temperature, offline.last_update) == (
        None,
        None,
        None,
        None,
    )
    assert config.gateway is not None
    assert config.gateway.last_ping == START


async def test_client_repr_names_the_partner_never_the_secret(
    client: HomeSmartLinkClient, simulator: Simulator
) -> None:
    assert repr(client) == (
        f"HomeSmartLinkClient(base_url={simulator.homesmartlink_url!r}, client_id='demo-partner')"
    )
    assert SECRET not in str(client)


def test_a_client_id_basic_auth_cannot_carry_is_refused(session: aiohttp.ClientSession) -> None:
    with pytest.raises(ValueError, match='":" is not allowed'):
        HomeSmartLinkClient(session, "http://127.0.0.1", "my:company", SECRET)


async def test_invitations_and_users_keep_personal_data_out_of_repr(
    client: HomeSmartLinkClient, home_ids: list[str]
) -> None:
    (invitation,) = await client.get_invitations("user2@example.com")
    assert invitation.home_id == home_ids[1]
    assert invitation.email == "user2@example.com"
    assert await client.get_invitations("nobody@example.com") == []
    (user,) = await client.get_users(page=2, size=1)
    assert user.home_id == home_ids[1]
    for model, private in ((invitation, invitation.city), (user, user.first_name)):
        assert private
        assert private not in repr(model)
        assert "user2@example.com" not in repr(model)
    assert [u.home_id for u in await client.get_users()] == home_ids


# -- derogations and their report --------------------------------------------------------


async def test_set_derogations_sends_the_documented_body(
    client: HomeSmartLinkClient, simulator: Simulator, home_ids: list[str]
) -> None:
    first, second = home_ids
    span = window(
        datetime(2026, 11, 23, 10, 31, tzinfo=PARIS), datetime(2026, 11, 23, 10, 58, tzinfo=PARIS)
    )
    result = await client.set_derogations(
        [span.derogation(first, 1, 2), span.derogation(second, 3, -1)]
    )
    assert len(result.ids) == 2
    assert {result.start_trigger, result.end_trigger} <= set(simulator.homesmartlink.triggers)
    (sent,) = simulator.recorder.matching("POST", "/partners/1/derogations")
    common = {"startTime": 630, "endTime": 660, "date": "2026-11-23"}
    assert sent.json == {
        "derogations": [
            {"homeId": first, "roomId": 1, "delta": 2, **common},
            {"homeId": second, "roomId": 3, "delta": -1, **common},
        ]
    }


def _valid(**changes: Any) -> Derogation:
    values: dict[str, Any] = {
        "home_id": "home",
        "room_id": 1,
        "start_time": 600,
        "end_time": 660,
        "delta": 1,
        "date": date(2026, 11, 23),
    }
    return Derogation(**(values | changes))


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
    assert len(simulator.recorder) == 0


async def test_cloud_side_derogation_rules_surface_as_request_errors(
    client: HomeSmartLinkClient, home_ids: list[str]
) -> None:
    with pytest.raises(CloudRequestError) as err:
        await client.set_derogations([_valid(home_id=home_ids[0], room_id=9)])
    assert err.value.status == 400
    assert "no room 9" in err.value.detail
    assert "POST /partners/1/derogations: HTTP 400" in str(err.value)


async def test_report_follows_delivery(
    client: HomeSmartLinkClient, simulator: Simulator, home_ids: list[str]
) -> None:
    first, second = home_ids
    simulator.homesmartlink.set_gateway_online(second, False)
    span = window(
        datetime(2026, 11, 23, 10, 30, tzinfo=PARIS), datetime(2026, 11, 23, 11, 0, tzinfo=PARIS)
    )
    result = await client.set_derogations(
        [span.derogation(first, 1, 1), span.derogation(second, 1, 1)]
    )
    report = await client.get_report(result.start_trigger)
    assert (report.summary.requested, report.summary.sent, report.summary.received) == (2, 0, 0)
    assert (report.summary.first, report.details, report.complete) == (None, (), False)

    simulator.clock.advance(timedelta(minutes=30, seconds=5))
    report = await client.get_report(result.start_trigger)
    assert (report.summary.sent, report.summary.received, report.complete) == (2, 1, False)
    assert [(d.home_id, d.acknowledge) for d in report.details] == [(first, True), (second, False)]
    assert report.summary.first == report.details[0].sent_at == START + timedelta(minutes=30)
    assert simulator.recorder.matching("POST", "/partners/1/report")[-1].json == {
        "trigger": result.start_trigger
    }
    with pytest.raises(CloudRequestError) as err:
        await client.get_report("0123456789abcdef01234567")
    assert err.value.status == 404


# -- users, paged --------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (-1, 5)])
async def test_get_users_refuses_bad_paging_locally(
    client: HomeSmartLinkClient, simulator: Simulator, page: int, size: int
) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        await client.get_users(page=page, size=size)
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(("homes", "size", "pages"), [(5, 2, 3), (4, 2, 3), (1, 100, 1)])
async def test_get_all_users_walks_pages_until_a_short_one(
    start_simulator: StartSimulator,
    session: aiohttp.ClientSession,
    homes: int,
    size: int,
    pages: int,
) -> None:
    sim = await start_simulator(Scenario(homesmartlink=HomeSmartLinkScenario(homes=homes)))
    client = HomeSmartLinkClient(session, sim.homesmartlink_url, CLIENT_ID, SECRET)
    users = await client.get_all_users(size=size)
    assert [user.home_id for user in users] == sim.homesmartlink.home_ids
    asked = [req.query for req in sim.recorder.matching("GET", "/partners/1/users")]
    assert asked == [{"page": str(n), "size": str(size)} for n in range(1, pages + 1)]


async def test_get_all_users_stops_when_the_cloud_ignores_page(
    stand_in: StandIn, session: aiohttp.ClientSession
) -> None:
    stand_in.answer("GET", "/partners/1/users", {"response": [{"homeId": "a"}, {"homeId": "b"}]})
    client = HomeSmartLinkClient(session, stand_in.url, CLIENT_ID, SECRET)
    assert [user.home_id for user in await client.get_all_users(size=2)] == ["a", "b"]
    assert [r.query["page"] for r in stand_in.received] == ["1", "2"]


async def test_get_all_users_gives_up_on_endless_full_pages(
    stand_in: StandIn, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in.answer(
        "GET",
        "/partners/1/users",
        *({"reponse": [{"homeId": f"home-{page}"}]} for page in range(1, 5)),
    )
    monkeypatch.setattr(api_module, "MAX_USER_PAGES", 3)
    client = HomeSmartLinkClient(session, stand_in.url, CLIENT_ID, SECRET)
    with pytest.raises(CloudResponseError, match="still full pages after 3 pages"):
        await client.get_all_users(size=1)


# -- diagnosis ------------------------------------------------------------------------------


async def test_diagnosis_request_then_result(
    client: HomeSmartLinkClient, simulator: Simulator, home_ids: list[str]
) -> None:
    request = await client.request_diagnosis(home_ids[0])
    assert (request.accepted, request.status) == (True, "OK")
    assert request.message_id is not None
    pending = await client.get_diagnosis(request.message_id)
    assert (pending.ready, pending.failed, pending.created_at) == (False, False, START)
    simulator.clock.advance(300)
    done = await client.get_diagnosis(request.message_id)
    assert (done.ready, done.failed) == (True, False)
    # Undocumented members are kept, not dropped.
    assert done.details["diagnosis"]["homeId"] == home_ids[0]
    assert simulator.recorder.matching("PUT", "/partners/1/request")[0].json == {
        "messageId": request.message_id
    }


async def test_diagnosis_of_an_offline_home_is_refused(
    client: HomeSmartLinkClient, simulator: Simulator, home_ids: list[str]
) -> None:
    simulator.homesmartlink.set_gateway_online(home_ids[1], False)
    request = await client.request_diagnosis(home_ids[1])
    assert (request.status, request.accepted) == ("NOK", False)
    assert request.message_id is not None
    result = await client.get_diagnosis(request.message_id)
    assert (result.failed, result.ready) == (True, False)


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda c: c.get_home_config("0123456789abcdef01234567"), 404),
        (lambda c: c.request_diagnosis("0123456789abcdef01234567"), 404),
        (lambda c: c.get_diagnosis("nope"), 404),
    ],
)
async def test_unknown_ids_are_request_errors_with_the_clouds_detail(
    client: HomeSmartLinkClient,
    call: Callable[[HomeSmartLinkClient], Awaitable[Any]],
    status: int,
) -> None:
    with pytest.raises(CloudRequestError) as err:
        await call(client)
    assert err.value.status == status
    assert err.value.detail
    assert err.value.detail in str(err.value)


# -- loose and drifted answers ----------------------------------------------------------------


@pytest.mark.parametrize("renames", [{"reponse": "response"}, {"response": "reponse"}])
async def test_either_result_spelling_is_read(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    home_ids: list[str],
    renames: dict[str, str],
) -> None:
    simulator.faults.add("rename_fields", "*", renames=renames)
    assert len((await client.get_home_config(home_ids[0])).devices) == 4
    assert len(await client.get_invitations("user1@example.com")) == 1
    assert len(await client.get_users()) == 2
    result = await client.set_derogations(
        [window(START, START + timedelta(hours=1)).derogation(home_ids[0], 1, 1)]
    )
    assert len(result.ids) == 1
    assert (await client.get_report(result.start_trigger)).summary.requested == 1
    request = await client.request_diagnosis(home_ids[0])
    assert request.message_id is not None
    assert not (await client.get_diagnosis(request.message_id)).ready


async def test_dropped_optional_members_are_tolerated(
    client: HomeSmartLinkClient, simulator: Simulator, home_ids: list[str]
) -> None:
    dropped = ("authorisation", "gateway", "mode", "sp", "pv", "lastUpdate", "weekSchedule")
    personal = ("deviceCount", "rooms", "email", "city", "consentDate", "prmId")
    simulator.faults.add("drop_fields", "*", fields=dropped + personal)
    config = await client.get_home_config(home_ids[0])
    assert (config.authorisation, config.gateway) == (None, None)
    assert all(device.setpoint is None and device.mode is None for device in config.devices)
    (invitation,) = await client.get_invitations("user1@example.com")
    assert (invitation.rooms, invitation.email, invitation.city) == ((), None, None)
    user = (await client.get_users())[0]
    assert (user.email, user.city, user.consent_date, user.prm_id) == (None, None, None, None)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"kind": "drop_fields", "fields": ("online",)}, r"reponse\[0\]\.online: required"),
        (
            {"kind": "rename_fields", "renames": {"roomName": "roomId"}},
            r"reponse\[0\]\.roomId: expected an integer, got str",
        ),
        ({"kind": "rename_fields", "renames": {"reponse": "devices"}}, "neither 'reponse' nor"),
        ({"kind": "drop_fields", "fields": ("header",)}, r"reponse\[0\]\.header: required"),
    ],
)
async def test_drifted_required_members_fail_naming_endpoint_and_member(
    client: HomeSmartLinkClient,
    simulator: Simulator,
    home_ids: list[str],
    fault: dict[str, Any],
    message: str,
) -> None:
    simulator.faults.add(fault.pop("kind"), "POST /partners/1/config", **fault)
    with pytest.raises(CloudResponseError, match=message) as err:
        await client.get_home_config(home_ids[0])
    assert str(err.value).startswith("POST /partners/1/config: ")


DEVICE = {
    "header": "ABC",
    "roomId": 1,
    "roomName": "Salon",
    "softwareVersion": 3,
    "category": "Heater",
    "online": True,
}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"reponse": [DEVICE | {"online": "yes"}]}, r"reponse\[0\]\.online: expected a boolean"),
        ({"reponse": [DEVICE, DEVICE | {"roomId": "four"}]}, r"reponse\[1\]\.roomId: expected an"),
        ({"reponse": [DEVICE | {"roomId": 1.5}]}, "roomId: expected an integer, got float"),
        ({"reponse": [DEVICE | {"roomId": True}]}, "roomId: expected an integer, got bool"),
        ({"reponse": [DEVICE | {"header": 12}]}, "header: expected a string, got int"),
        ({"reponse": [DEVICE | {"header": None}]}, "header: required member is missing"),
        ({"reponse": [DEVICE | {"sp": "warm"}]}, "sp: expected a number, got str"),
        ({"reponse": [DEVICE | {"sp": "nan"}]}, "sp: expected a finite number, got str"),
        ({"reponse": [DEVICE | {"weekSchedule": {}}]}, "weekSchedule: expected an array, got dict"),
        (
            {"reponse": [DEVICE | {"weekSchedule": [[], "x"]}]},
            r"weekSchedule\[1\]: expected an object, got str",
        ),
        (
            {"reponse": [DEVICE | {"weekSchedule": [[{"start": 1}]]}]},
            r"reponse\[0\]\.weekSchedule\[0\]\[0\]\.end: required member is missing",
        ),
        (
            {"reponse": [DEVICE | {"weekSchedule": [[{"start": 1, "end": 2}], [{"start": 1}]]}]},
            r"weekSchedule\[1\]\[0\]\.end: required member is missing",
        ),
        ({"reponse": {}}, "reponse: expected an array, got dict"),
        ({"reponse": [DEVICE], "gateway": []}, "gateway: expected an object, got list"),
        ([], "expected an object, got list"),
        (None, "the answer is empty"),
    ],
)
async def test_unreadable_config_names_the_member(
    stand_in: StandIn, session: aiohttp.ClientSession, answer: Any, message: str
) -> None:
    stand_in.answer("POST", "/partners/1/config", answer)
    client = HomeSmartLinkClient(session, stand_in.url, CLIENT_ID, SECRET)
    with pytest.raises(CloudResponseError, match=f"^POST /partners/1/config: .*{message}"):
        await client.get_home_config("home")


@pytest.mark.parametrize(
    ("call", "path", "answer", "message"),
    [
        (
            lambda c: c.get_users(),
            "GET /partners/1/users",
            {"response": "nobody"},
            "response: expected an array, got str",
        ),
        (
            lambda c: c.get_users(),
            "GET /partners/1/users",
            {"response": [{"homeId": "h1", "zipCode": ["69003"]}]},
            r"response\[0\]\.zipCode: expected a string, got list",
        ),
        (
            lambda c: c.get_report("t"),
            "POST /partners/1/report",
            {"response": {"details": []}},
            "response.summary: required member is missing",
        ),
        (
            lambda c: c.set_derogations([_valid()]),
            "POST /partners/1/derogations",
            {"response": "id", "startTrigger": "a", "endTrigger": "b"},
            "response: expected an array, got str",
        ),
        (
            lambda c: c.request_diagnosis("h"),
            "POST /partners/1/request",
            {"authorisation": {"type": "BASIC"}, "response": {"status": "OK"}},
            "authorisation.client: required member is missing",
        ),
    ],
)
async def test_unreadable_answers_name_endpoint_and_member(
    stand_in: StandIn,
    session: aiohttp.ClientSession,
    call: Callable[[HomeSmartLinkClient], Awaitable[Any]],
    path: str,
    answer: Any,
    message: str,
) -> None:
    method, route = path.split()
    stand_in.answer(method, route, answer)
    client = HomeSmartLinkClient(session, stand_in.url, CLIENT_ID, SECRET)
    with pytest.raises(CloudResponseError, match=f"^{path}: {message}"):
        await call(client)


@pytest.mark.parametrize(
    ("pv", "expected"),
    [
        ("19.5", 19.5),
        ("19,5", 19.5),
        (" 20 ", 20.0),
        (20, 20.0),
        (18.25, 18.25),
        ("n/a", None),  # `pv` is documented as a string: anything may come
        ("nan", None),
        (True, None),
        ({"v": 1}, None),
    ],
)
def test_device_pv_may_be_text_or_number(pv: Any, expected: float | None) -> None:
    assert Device.from_dict(DEVICE | {"pv": pv}).temperature == expected


def test_device_reads_numbers_as_text_and_keeps_unknown_values() -> None:
    device = Device.from_dict(
        DEVICE
        | {"category": "Heatpump", "mode": "Boost", "sp": "21,5", "roomId": "4", "x": 1}
        | {"softwareVersion": 3.0, "lastUpdate": "yesterday"}
    )
    assert (device.category, device.mode, device.setpoint, device.room_id) == (
        "Heatpump",
        "Boost",
        21.5,
        4,
    )
    assert (device.software_version, device.last_update, device.is_heater) == (3, None, False)


def test_invitations_and_users_read_codes_and_counts_leniently() -> None:
    invitation = Invitation.from_dict(
        {
            "_id": "h1",
            "role": "2",
            "rooms": [{"roomNumber": 1, "accessories": ["A", "B"]}, {"roomNumber": "2"}],
        }
    )
    assert invitation.role == 2
    assert [(r.room_number, r.device_count, r.name) for r in invitation.rooms] == [
        (1, 2, None),  # no deviceCount: the accessories listed
        (2, 0, None),
    ]
    user = User.from_dict({"homeId": "h1", "zipCode": 69003, "prmId": 12345678901234})
    assert (user.zip_code, user.prm_id) == ("69003", "12345678901234")


# -- derogation windows ---------------------------------------------------------------------


def test_window_from_aware_datetimes_in_the_homes_zone() -> None:
    span = DerogationWindow.from_datetimes(
        datetime(2026, 11, 23, 9, 3, 20, tzinfo=UTC),  # 10:03:20 Paris
        datetime(2026, 11, 23, 10, 1, tzinfo=UTC),  # 11:01 Paris
        time_zone=PARIS,
    )
    assert span == DerogationWindow(date=date(2026, 11, 23), start_time=600, end_time=665)
    assert span.start(PARIS) == datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    assert span.end(PARIS) == datetime(2026, 11, 23, 11, 5, tzinfo=PARIS)
    derogation = span.derogation("home", 3, -2)
    assert derogation.window == span
    assert derogation.to_dict() == {
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
    assert (span.date, span.start_time, span.end_time) == (date(2026, 11, 23), 1320, 1440)
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


def test_a_day_of_real_time_across_the_spring_clock_change_is_two_windows() -> None:
    """24 hours from 10:00 on the eve of the change end at 11:00 (25 hours of wall clock)."""
    start = datetime(2027, 3, 27, 10, 0, tzinfo=PARIS)
    end = after(start, timedelta(hours=24), PARIS)
    assert end == datetime(2027, 3, 28, 11, 0, tzinfo=PARIS)
    assert elapsed(start, end) == timedelta(hours=24)
    assert [(w.date, w.start_time, w.end_time) for w in windows(start, end, PARIS)] == [
        (date(2027, 3, 27), 600, 1440),
        (date(2027, 3, 28), 0, 660),
    ]
    with pytest.raises(ValueError, match="at most 24 hours"):
        windows(start, after(start, timedelta(hours=24, minutes=5), PARIS), PARIS)
