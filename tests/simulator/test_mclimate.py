"""The simulated MClimate cloud over real HTTP: sign-in, tokens, HAL collections, devices."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from yarl import URL

from simulator import Clock, MClimateScenario, Scenario, Simulator
from simulator.mclimate import PAGE_SIZE, BobbieState, MelissaState, VickiState
from tests.conftest import START

REDIRECT_URI = "https://example.com/auth/external/callback"
MISSING_HEADER = {
    "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
    "status": 401,
    "title": "Unauthorized",
    "detail": "",
    "auth_errors": {"missingHeader": "Please provide Authorization header"},
}
# 65 controllers: three pages of 30.
BIG = Scenario(mclimate=MClimateScenario(melissa=40, bobbie=2, vicki=22, smart_plug=1))

type Answer = tuple[int, Any, dict[str, str]]


async def call(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    json: Any = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request; the body decoded as JSON whatever its content type."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    async with session.request(
        method, url, json=json, params=params, headers=all_headers, allow_redirects=False
    ) as resp:
        return resp.status, await resp.json(content_type=None), dict(resp.headers)


@pytest.fixture
def scenario() -> Scenario:
    """The default world, with tokens that outlive the clock jumps of these tests."""
    return Scenario(mclimate=MClimateScenario(token_lifetime=7 * 86400))


@pytest.fixture
def token(simulator: Simulator) -> str:
    """A valid token, as if the user had signed in."""
    return simulator.mclimate.issue_token()


async def get(
    simulator: Simulator, session: aiohttp.ClientSession, token: str, path: str, **params: str
) -> Answer:
    return await call(
        session, "GET", f"{simulator.mclimate_api_url}{path}", token=token, params=params
    )


async def fetch(
    simulator: Simulator, session: aiohttp.ClientSession, token: str, serial: str
) -> Answer:
    url = f"{simulator.mclimate_api_url}/provider/fetch"
    return await call(session, "POST", url, token=token, json={"serial_number": serial})


async def send(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    body: dict[str, Any],
    path: str = "/provider/send",
) -> Answer:
    url = f"{simulator.mclimate_api_url}{path}"
    return await call(session, "POST", url, token=token, json=body)


# -- the world -----------------------------------------------------------------------------


def test_world_is_deterministic_for_the_seed() -> None:
    world = MClimateScenario(melissa=2, bobbie=1, vicki=2, smart_plug=1, offline_devices=2)
    first = Simulator(Scenario(seed=3, mclimate=world), clock=Clock(START, frozen=True))
    again = Simulator(Scenario(seed=3, mclimate=world), clock=Clock(START, frozen=True))
    other = Simulator(Scenario(seed=4, mclimate=world), clock=Clock(START, frozen=True))
    cloud = first.mclimate
    assert cloud.serials() == again.mclimate.serials() != other.mclimate.serials()
    assert [cloud.provider(s) for s in cloud.serials()] == [
        again.mclimate.provider(s) for s in again.mclimate.serials()
    ]
    assert [len(cloud.serials(kind)) for kind in ("melissa", "bobbie", "vicki", "smart_plug")] == [
        2,
        1,
        2,
        1,
    ]
    assert [cloud.controllers[s].online for s in cloud.serials()] == [True] * 4 + [False] * 2
    assert len({c.mac for c in cloud.controllers.values()}) == 6
    assert all(len(s) == 11 and s.isalnum() and s.isupper() for s in cloud.serials("vicki"))
    created = [c.created for c in cloud.controllers.values()]
    assert created == sorted(created)
    cloud.set_online(cloud.serials()[0], False)
    assert not cloud.controllers[cloud.serials()[0]].online


# -- sign-in page --------------------------------------------------------------------------


def authorize_params(simulator: Simulator, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": simulator.scenario.mclimate.client_id,
        "state": 'st"<ate>',
        "redirect_uri": REDIRECT_URI,
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v}


@pytest.mark.parametrize(
    "scenario", [Scenario(mclimate=MClimateScenario(username="ann@example.com", password="s3cr3t"))]
)
async def test_authorize_page_shows_a_form(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    params = authorize_params(simulator)
    async with session.get(simulator.mclimate_authorize_url, params=params) as resp:
        assert resp.status == 200
        assert resp.content_type == "text/html"
        page = await resp.text()
    assert '<form method="post" action="/oauth/authorize">' in page
    assert 'name="password" type="password"' in page
    assert "Simulated account: ann@example.com" in page
    assert "s3cr3t" not in page
    assert 'value="st&quot;&lt;ate&gt;"' in page  # the state comes back, escaped
    assert f'value="{REDIRECT_URI}"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": "stranger"}, "Unknown client"),
        ({"redirect_uri": ""}, "redirect_uri is required"),
        ({"redirect_uri": "/relative/callback"}, "absolute"),
        ({"response_type": "token"}, "response_type"),
    ],
)
async def test_authorize_page_refuses_bad_requests(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    overrides: dict[str, str],
    message: str,
) -> None:
    params = authorize_params(simulator, **overrides)
    async with session.get(simulator.mclimate_authorize_url, params=params) as resp:
        assert resp.status == 400
        page = await resp.text()
    assert message in page
    assert "<form" not in page
    async with session.post(simulator.mclimate_authorize_url, data=params) as resp:
        assert resp.status == 400


async def test_wrong_password_shows_the_page_again(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    form = {**authorize_params(simulator), "username": "demo@example.com", "password": "nope"}
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 401
        assert "Location" not in resp.headers
        page = await resp.text()
    assert "Wrong email or password" in page
    assert 'value="demo@example.com"' in page
    assert "nope" not in page
    form["username"] = "démo@example.com"  # non-ASCII input is refused, not a crash
    async with session.post(simulator.mclimate_authorize_url, data=form) as resp:
        assert resp.status == 401


async def sign_in(
    simulator: Simulator, session: aiohttp.ClientSession, redirect_uri: str = REDIRECT_URI
) -> URL:
    """Post the sign-in form as a browser would; return where it redirects."""
    scenario = simulator.scenario.mclimate
    form = {
        **authorize_params(simulator, redirect_uri=redirect_uri),
        "username": scenario.username,
        "password": scenario.password,
    }
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 302
        return URL(resp.headers["Location"])


async def test_sign_in_redirects_with_code_and_state(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    location = await sign_in(simulator, session)
    assert str(location.with_query(None)) == REDIRECT_URI
    assert location.query["state"] == 'st"<ate>'
    assert len(location.query["code"]) >= 20
    kept = await sign_in(simulator, session, "https://example.com/cb?flow=7")
    assert kept.query["flow"] == "7"
    assert kept.query["code"] != location.query["code"]


# -- token exchange ------------------------------------------------------------------------


def token_request(simulator: Simulator, code: str, /, **overrides: Any) -> dict[str, Any]:
    scenario = simulator.scenario.mclimate
    body = {
        "client_id": scenario.client_id,
        "client_secret": scenario.client_secret,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


async def exchange(
    simulator: Simulator, session: aiohttp.ClientSession, body: dict[str, Any]
) -> Answer:
    return await call(session, "POST", simulator.mclimate_token_url, json=body)


async def test_code_exchange_issues_a_working_token_once(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    code = (await sign_in(simulator, session)).query["code"]
    status, body, _ = await exchange(simulator, session, token_request(simulator, code))
    assert status == 200
    assert set(body) == {"access_token", "expires_in"}  # no refresh token is documented
    assert body["expires_in"] == simulator.scenario.mclimate.token_lifetime
    status, me, _ = await get(simulator, session, body["access_token"], "/users/me")
    assert status == 200
    assert me["users"]["username"] == simulator.scenario.mclimate.username

    status, problem, _ = await exchange(simulator, session, token_request(simulator, code))
    assert status == 400
    assert problem["error"] == "invalid_grant"
    assert "already used" in problem["detail"]


async def test_documented_grent_type_is_accepted(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    body = token_request(simulator, code, grant_type=None, grent_type="authorization_code")
    status, answer, _ = await exchange(simulator, session, body)
    assert status == 200
    assert answer["access_token"]


async def test_token_endpoint_takes_json_only(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    form = token_request(simulator, code)
    async with session.post(simulator.mclimate_token_url, data=form) as resp:
        assert resp.status == 400
        assert "application/json" in (await resp.json(content_type=None))["detail"]
    headers = {"Content-Type": "application/json"}
    async with session.post(simulator.mclimate_token_url, data="{", headers=headers) as resp:
        assert resp.status == 400
        assert (await resp.json(content_type=None))["detail"] == "Malformed JSON body"
    status, problem, _ = await exchange(simulator, session, ["not", "an", "object"])  # type: ignore[arg-type]
    assert (status, problem["detail"]) == (400, "The JSON body must be an object")
    # The code survived the refused attempts.
    status, _, _ = await exchange(simulator, session, form)
    assert status == 200


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "stranger"}, 401, "invalid_client"),
        ({"client_secret": None}, 400, "invalid_request"),
        ({"grant_type": None}, 400, "invalid_request"),
        ({"grant_type": "refresh_token"}, 400, "unsupported_grant_type"),
        ({"grent_type": "client_credentials"}, 400, "unsupported_grant_type"),
        ({"code": None}, 400, "invalid_request"),
        ({"code": "made-up"}, 400, "invalid_grant"),
        ({"redirect_uri": "https://elsewhere.example/cb"}, 400, "invalid_grant"),
    ],
)
async def test_token_endpoint_refusals(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    overrides: dict[str, Any],
    status: int,
    error: str,
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    got, problem, _ = await exchange(
        simulator, session, token_request(simulator, code, **overrides)
    )
    assert (got, problem["status"], problem["error"]) == (status, status, error)
    assert simulator.scenario.mclimate.client_secret not in str(problem)


async def test_redirect_uri_is_optional_at_the_token_endpoint(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    status, _, _ = await exchange(
        simulator, session, token_request(simulator, code, redirect_uri=None)
    )
    assert status == 200


async def test_codes_expire_after_ten_minutes(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    simulator.clock.advance(601)
    status, problem, _ = await exchange(simulator, session, token_request(simulator, code))
    assert (status, problem["error"]) == (400, "invalid_grant")


# -- bearer tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   "])
async def test_missing_token_answers_the_documented_body(
    simulator: Simulator, session: aiohttp.ClientSession, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    status, problem, resp_headers = await call(
        session, "GET", f"{simulator.mclimate_api_url}/users/me", headers=headers
    )
    assert status == 401
    assert problem == MISSING_HEADER
    assert resp_headers["WWW-Authenticate"].startswith("Bearer")


async def test_tokens_expire_by_the_clock_and_can_be_revoked(
    simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    cloud = simulator.mclimate
    token = cloud.issue_token()
    lifetime = simulator.scenario.mclimate.token_lifetime
    simulator.clock.advance(lifetime - 1)
    assert (await get(simulator, session, token, "/users/me"))[0] == 200
    simulator.clock.advance(1)
    status, problem, _ = await get(simulator, session, token, "/users/me")
    assert (status, problem["detail"]) == (401, "The access token expired")

    fresh = cloud.issue_token()
    cloud.revoke_tokens()
    status, problem, _ = await get(simulator, session, fresh, "/users/me")
    assert (status, problem["detail"]) == (401, "The access token was revoked")

    other = cloud.issue_token()
    cloud.expire_tokens()
    assert (await get(simulator, session, other, "/users/me"))[0] == 401

    status, problem, _ = await get(simulator, session, "made-up", "/users/me")
    assert (status, problem["detail"]) == (401, "Invalid access token")
    url = f"{simulator.mclimate_api_url}/controllers"
    status, problem, _ = await call(session, "GET", url, headers={"Authorization": "Basic eDp5"})
    assert status == 401
    assert "Bearer" in problem["detail"]
    assert "auth_errors" not in problem


@pytest.mark.parametrize("scenario", [Scenario(rate_limit_requests=2)])
async def test_rate_limit_per_client(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    other_token = simulator.mclimate.issue_token()  # same client: same budget
    assert (await get(simulator, session, token, "/users/me"))[0] == 200
    assert (await get(simulator, session, other_token, "/controllers"))[0] == 200
    status, problem, headers = await get(simulator, session, token, "/users/me")
    assert (status, problem["status"]) == (429, 429)
    assert headers["Retry-After"] == "60"
    simulator.clock.advance(60)
    assert (await get(simulator, session, token, "/users/me"))[0] == 200


# -- users and controllers ---------------------------------------------------------------------


async def test_users_me(simulator: Simulator, session: aiohttp.ClientSession, token: str) -> None:
    status, body, _ = await get(simulator, session, token, "/users/me")
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
    assert user["user_id"] == simulator.mclimate.user.user_id
    assert isinstance(user["role"], str)  # "1" in the document
    status, body, _ = await get(simulator, session, token, "/users/me", fields="user_id")
    assert body["users"] == {"user_id": user["user_id"]}
    assert (await get(simulator, session, token, "/users/me", fields="shoe_size"))[0] == 400
    assert (await get(simulator, session, token, "/users/me", page="2"))[0] == 400


@pytest.mark.parametrize("scenario", [BIG])
async def test_collection_pages_of_thirty(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    status, first, _ = await get(simulator, session, token, "/controllers")
    assert status == 200
    assert first["total"] == PAGE_SIZE == len(first["_embedded"]["controller"])
    assert first["_links"] == {
        "self": {"href": "/v1/controllers"},
        "first": {"href": "/v1/controllers?page=1"},
        "last": {"href": "/v1/controllers?page=3"},
    }
    _, third, _ = await get(simulator, session, token, "/controllers", page="3")
    assert third["total"] == 5
    assert third["_links"]["self"] == {"href": "/v1/controllers?page=3"}
    _, second, _ = await get(simulator, session, token, "/controllers", page="2")
    serials = [
        item["serial_number"]
        for page in (first, second, third)
        for item in page["_embedded"]["controller"]
    ]
    assert serials == simulator.mclimate.serials()
    item = first["_embedded"]["controller"][0]
    assert item["_links"] == {"self": {"href": f"/v1/controllers/{item['serial_number']}"}}
    assert item["_relation"]["melissa"]["controller_id"] == item["id"]
    # Past the last page: the entity shape, no _embedded.
    status, empty, _ = await get(simulator, session, token, "/controllers", page="4")
    assert (status, empty) == (200, {"_links": {"self": {"href": "/v1/controllers?page=4"}}})


@pytest.mark.parametrize("scenario", [BIG])
async def test_collection_filters_fields_sort_and_limit(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    cloud = simulator.mclimate
    _, vickis, _ = await get(simulator, session, token, "/controllers", type="vicki")
    assert [i["serial_number"] for i in vickis["_embedded"]["controller"]] == cloud.serials("vicki")
    assert vickis["_links"]["last"] == {"href": "/v1/controllers?type=vicki&page=1"}
    assert all("_relation" not in i for i in vickis["_embedded"]["controller"])

    plug = cloud.serials("smart_plug")[0]
    mac = cloud.controllers[plug].mac
    _, by_mac, _ = await get(simulator, session, token, "/controllers", mac=mac)
    assert [i["serial_number"] for i in by_mac["_embedded"]["controller"]] == [plug]

    cloud.set_online(plug, False)
    _, offline, _ = await get(simulator, session, token, "/controllers", online="false")
    assert [i["serial_number"] for i in offline["_embedded"]["controller"]] == [plug]
    _, online, _ = await get(simulator, session, token, "/controllers", online="1", limit="100")
    assert online["total"] == 64

    _, picked, _ = await get(
        simulator, session, token, "/controllers", fields="serial_number, type", type="bobbie"
    )
    assert [set(i) for i in picked["_embedded"]["controller"]] == [
        {"serial_number", "type", "_links"}
    ] * 2

    _, newest, _ = await get(simulator, session, token, "/controllers", sort="-created")
    created = [i["created"] for i in newest["_embedded"]["controller"]]
    assert created == sorted(created, reverse=True)
    assert newest["_embedded"]["controller"][0]["serial_number"] == cloud.serials()[-1]
    _, by_type, _ = await get(
        simulator, session, token, "/controllers", sort="type,-id", limit="100"
    )
    keys = [(i["type"], -i["id"]) for i in by_type["_embedded"]["controller"]]
    assert keys == sorted(keys)

    _, limited, _ = await get(simulator, session, token, "/controllers", limit="15", page="2")
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
        ({"fields": "serial_number,foo"}, "Unknown field(s) in fields: foo"),
        ({"sort": "-foo"}, "Cannot sort controllers by: -foo"),
        ({"sort": "controller_log"}, "Cannot sort"),
        ({"limit": "0"}, "limit must be a positive integer up to 100"),
        ({"limit": "101"}, "limit must be a positive integer up to 100"),
        ({"limit": "ten"}, "limit must be a positive integer"),
        ({"page": "0"}, "page must be a positive integer"),
    ],
)
async def test_collection_refuses_unknown_fields_and_bad_paging(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    params: dict[str, str],
    detail: str,
) -> None:
    status, problem, _ = await get(simulator, session, token, "/controllers", **params)
    assert (status, problem["status"], problem["title"]) == (400, 400, "Bad Request")
    assert problem["detail"].startswith(detail)


async def test_empty_collection_answers_the_entity_shape(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    status, body, _ = await get(
        simulator, session, token, "/controllers", type="melissa", name="nobody"
    )
    assert status == 200
    assert body == {"_links": {"self": {"href": "/v1/controllers?type=melissa&name=nobody"}}}


async def test_controller_entity(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    status, body, _ = await get(simulator, session, token, f"/controllers/{serial}")
    assert status == 200
    assert body["_links"] == {"self": {"href": f"/v1/controllers/{serial}"}}
    controller = body["controller"]
    assert controller["serial_number"] == serial
    assert controller["command_log"] == []
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
    _, alias, _ = await get(simulator, session, token, f"/controller/{serial}")
    assert alias == body
    _, picked, _ = await get(
        simulator, session, token, f"/controllers/{serial}", fields="serial_number,mac,name"
    )
    assert set(picked["controller"]) == {"serial_number", "mac", "name"}
    bobbie = simulator.mclimate.serials("bobbie")[0]
    _, other, _ = await get(simulator, session, token, f"/controllers/{bobbie}")
    assert "_relation" not in other["controller"]
    assert other["controller"]["command_log"] == []


async def test_controller_entity_errors(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    status, problem, _ = await get(simulator, session, token, "/controllers/NOPE")
    assert (status, problem["title"], problem["detail"]) == (
        404,
        "Not Found",
        "Controller not found",
    )
    serial = simulator.mclimate.serials()[0]
    status, problem, _ = await get(simulator, session, token, f"/controllers/{serial}", type="x")
    assert (status, problem["detail"]) == (400, "Not available on an entity: type")


# -- provider fetch ----------------------------------------------------------------------------


async def test_fetch_shapes_per_type(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    cloud = simulator.mclimate
    answers = {}
    for kind in ("melissa", "bobbie", "vicki", "smart_plug"):
        status, body, _ = await fetch(simulator, session, token, cloud.serials(kind)[0])
        assert status == 200
        assert body["_links"] == {"self": {"href": "/v1/provider/fetch"}}
        answers[kind] = body["provider"]

    melissa = answers["melissa"]
    assert set(melissa) == {"temp", "raw_temperature", "humidity", "raw_humidity"}
    assert 15 < melissa["temp"] < 30
    assert 10 < melissa["humidity"] < 95
    assert abs(-45 + 175 * melissa["raw_temperature"] / 65535 - melissa["temp"]) < 0.01
    assert abs(100 * melissa["raw_humidity"] / 65535 - melissa["humidity"]) < 0.01

    bobbie = answers["bobbie"]
    assert set(bobbie) == {
        "cold",
        "hot",
        "home",
        "energy",
        "voltage",
        "current",
        "relay_state",
        "load",
    }
    assert bobbie["relay_state"] in (0, 1)
    assert isinstance(bobbie["load"], bool)
    assert bobbie["cold"] < bobbie["home"] < bobbie["hot"]
    assert 225 <= bobbie["voltage"] <= 235

    vicki = answers["vicki"]
    assert set(vicki) == {
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
    }
    assert 5 <= vicki["displayDigits"] <= 30
    assert 0 <= vicki["motorPosition"] <= vicki["motorRange"]
    assert vicki["mac"] == cloud.controllers[cloud.serials("vicki")[0]].mac
    assert 2.5 < vicki["batteryVoltage"] < 3.7

    assert set(answers["smart_plug"]) == {"online", "power"}
    assert answers["smart_plug"]["power"] in ("on", "off")

    # Same instant, same values; the clock moves uptime.
    again = (await fetch(simulator, session, token, cloud.serials("vicki")[0]))[1]["provider"]
    assert again == vicki
    simulator.clock.advance(90)
    later = (await fetch(simulator, session, token, cloud.serials("vicki")[0]))[1]["provider"]
    assert later["uptime"] == vicki["uptime"] + 90


async def test_fetch_errors(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    status, problem, _ = await fetch(simulator, session, token, "NOPE")
    assert (status, problem["detail"]) == (404, "Controller not found")
    url = f"{simulator.mclimate_api_url}/provider/fetch"
    status, problem, _ = await call(session, "POST", url, token=token, json={})
    assert (status, problem["detail"]) == (400, "serial_number is required")
    serial = simulator.mclimate.serials("vicki")[0]
    simulator.mclimate.set_online(serial, False)
    status, problem, _ = await fetch(simulator, session, token, serial)
    assert (status, problem["title"], problem["detail"]) == (409, "Conflict", "Controller offline")
    async with session.post(
        url, data=f"serial_number={serial}", headers={"Authorization": f"Bearer {token}"}
    ) as resp:
        assert resp.status == 400


async def test_bobbie_energy_grows_while_the_relay_is_on(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("bobbie")[0]
    device = simulator.mclimate.controllers[serial].device
    assert isinstance(device, BobbieState)

    status, body, _ = await send(
        simulator,
        session,
        token,
        {"serial_number": serial, "command": "switch_on_off", "state": "on"},
    )
    assert status == 200
    assert body["_links"] == {"self": {"href": "/v1/provider/send"}}
    on = body["provider"]
    assert (on["relay_state"], on["load"]) == (1, True)
    assert on["current"] == pytest.approx(device.power_kw * 1000 / on["voltage"], abs=0.05)
    simulator.clock.advance(1800)
    half_hour = (await fetch(simulator, session, token, serial))[1]["provider"]
    assert half_hour["energy"] == pytest.approx(on["energy"] + device.power_kw / 2, abs=0.002)
    assert half_hour["hot"] > on["hot"]

    _, body, _ = await send(
        simulator,
        session,
        token,
        {"serial_number": serial, "command": "switch_on_off", "state": "off"},
    )
    off = body["provider"]
    assert (off["relay_state"], off["load"], off["current"]) == (0, False, 0.0)
    simulator.clock.advance(3600)
    later = (await fetch(simulator, session, token, serial))[1]["provider"]
    assert later["energy"] == off["energy"]
    assert later["hot"] < off["hot"]


# -- provider send -----------------------------------------------------------------------------


async def test_melissa_ir_code_flat_and_nested(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    device = simulator.mclimate.controllers[serial].device
    assert isinstance(device, MelissaState)
    flat = {"serial_number": serial, "command": "send_ir_code", "state": 1, "mode": 2}
    flat |= {"temp": 30, "fan": 3}
    status, body, _ = await send(simulator, session, token, flat)
    assert (status, body) == (
        200,
        {"provider": [254, 2, 0, 0], "_links": {"self": {"href": "/v1/provider/send"}}},
    )
    assert device.ac == {"state": 1, "mode": 2, "temp": 30, "fan": 3}
    _, entity, _ = await get(simulator, session, token, f"/controllers/{serial}")
    assert entity["controller"]["command_log"] == [
        {"command": "send_ir_code", "state": 1, "mode": 2, "temp": 30, "fan": 3}
        | {"created": "2026-11-23 09:00:00"}
    ]

    # Heating pulls the room up; with tau = 15 min, one hour gets close to 30 degC.
    before = (await fetch(simulator, session, token, serial))[1]["provider"]["temp"]
    simulator.clock.advance(3600)
    warm = (await fetch(simulator, session, token, serial))[1]["provider"]["temp"]
    assert before < warm
    assert warm > 29

    nested = {
        "serial_number": serial,
        "command": "send_ir_code",
        "send_ir_code_options": {"state": 0, "mode": 3, "temp": 18, "fan": 0},
    }
    status, _, _ = await send(simulator, session, token, nested, path="/providers/send")
    assert status == 200
    assert device.ac == {"state": 0, "mode": 3, "temp": 18, "fan": 0}
    _, entity, _ = await get(simulator, session, token, f"/controllers/{serial}")
    (last,) = entity["controller"]["command_log"]
    assert last["send_ir_code_options"] == nested["send_ir_code_options"]
    simulator.clock.advance(4 * 3600)  # off: the room drifts back down, no jump
    cooled = (await fetch(simulator, session, token, serial))[1]["provider"]["temp"]
    assert cooled < warm - 3


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
    ],
)
async def test_melissa_ir_code_values_are_checked(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    fields: dict[str, Any],
    detail: str,
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    body = {"serial_number": serial, "command": "send_ir_code", "state": 1, "mode": 3}
    body |= {"temp": 22, "fan": 1} | fields
    status, problem, _ = await send(simulator, session, token, body)
    assert status == 400
    assert problem["detail"].startswith(detail)
    device = simulator.mclimate.controllers[serial].device
    assert isinstance(device, MelissaState)
    assert device.command_log == []


async def test_melissa_ir_code_needs_every_field(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    body = {"serial_number": serial, "command": "send_ir_code", "state": 1, "mode": 3, "temp": 22}
    assert (await send(simulator, session, token, body))[1]["detail"] == "fan is required"
    body = {"serial_number": serial, "command": "send_ir_code", "send_ir_code_options": [1, 3]}
    assert (await send(simulator, session, token, body))[1]["detail"] == (
        "send_ir_code_options must be an object"
    )
    body = {"serial_number": serial, "command": "send_ir_code", "state": 1, "mode": 3}
    body |= {"temp": 22.0, "fan": 1}  # an integral float is still an integer
    assert (await send(simulator, session, token, body))[0] == 200


async def test_melissa_led(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    status, body, _ = await send(
        simulator, session, token, {"serial_number": serial, "command": "turn_led_off"}
    )
    assert (status, body["provider"]) == (200, [254, 6, 0, 0])
    _, entity, _ = await get(simulator, session, token, f"/controllers/{serial}")
    assert entity["controller"]["_relation"]["melissa"]["led_state"] == 0
    status, body, _ = await send(
        simulator, session, token, {"serial_number": serial, "command": "reset_color"}
    )
    assert (status, body["provider"]) == (200, [254, 7, 0, 0])
    _, entity, _ = await get(simulator, session, token, f"/controllers/{serial}")
    assert entity["controller"]["_relation"]["melissa"]["led_state"] == 1


async def test_smart_plug_switch(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("smart_plug")[0]
    for state in ("on", "off", "on"):
        body = {"serial_number": serial, "command": "switch_on_off", "state": state}
        status, answer, _ = await send(simulator, session, token, body)
        assert (status, answer["provider"]) == (200, {"online": True, "power": state})
        assert (await fetch(simulator, session, token, serial))[1]["provider"]["power"] == state
    body = {"serial_number": serial, "command": "switch_on_off", "state": "ON"}
    status, problem, _ = await send(simulator, session, token, body)
    assert (status, problem["detail"]) == (400, 'state must be "on" or "off"')


async def test_vicki_motor_position(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    serial = simulator.mclimate.serials("vicki")[0]
    device = simulator.mclimate.controllers[serial].device
    assert isinstance(device, VickiState)
    body = {"serial_number": serial, "command": "set_motor_position", "position": 30}
    status, answer, _ = await send(simulator, session, token, body)
    assert status == 200
    assert answer["provider"]["displayDigits"] == 30
    assert answer["provider"]["motorPosition"] == device.motor_range
    start = answer["provider"]["temperature"]
    simulator.clock.advance(7200)
    warmer = (await fetch(simulator, session, token, serial))[1]["provider"]
    assert warmer["temperature"] > start
    body = {"serial_number": serial, "command": "set_motor_position", "target": 5}
    _, answer, _ = await send(simulator, session, token, body)
    assert (answer["provider"]["displayDigits"], answer["provider"]["motorPosition"]) == (5, 0)
    assert (await fetch(simulator, session, token, serial))[1]["provider"]["displayDigits"] == 5
    for bad in ({"position": 4}, {"position": 31}, {"target": "20"}, {}):
        body = {"serial_number": serial, "command": "set_motor_position", **bad}
        status, problem, _ = await send(simulator, session, token, body)
        assert status == 400
        assert problem["detail"].startswith(("position", "target"))
    assert device.target == 5


@pytest.mark.parametrize(
    ("kind", "body", "detail"),
    [
        ("melissa", {"command": "switch_on_off", "state": "on"}, "switch_on_off is not a command"),
        ("bobbie", {"command": "send_ir_code"}, "send_ir_code is not a command of bobbie"),
        ("vicki", {"command": "turn_led_off"}, "turn_led_off is not a command of vicki"),
        ("smart_plug", {"command": "set_motor_position", "position": 20}, "set_motor_position"),
        ("melissa", {"command": "set_read_mode"}, "Unknown command: set_read_mode"),
        ("melissa", {}, "command is required"),
    ],
)
async def test_send_refuses_wrong_or_unknown_commands(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    kind: str,
    body: dict[str, Any],
    detail: str,
) -> None:
    serial = simulator.mclimate.serials(kind)[0]
    status, problem, _ = await send(simulator, session, token, {"serial_number": serial, **body})
    assert status == 400
    assert problem["detail"].startswith(detail)


async def test_send_to_offline_or_unknown_controllers(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    cloud = simulator.mclimate
    serial = cloud.serials("smart_plug")[0]
    before = cloud.provider(serial)
    cloud.set_online(serial, False)
    body = {"serial_number": serial, "command": "switch_on_off", "state": "on"}
    body["state"] = "off" if before["power"] == "on" else "on"
    status, problem, _ = await send(simulator, session, token, body)
    assert (status, problem["detail"]) == (409, "Controller offline")
    assert cloud.provider(serial)["power"] == before["power"]
    melissa = cloud.serials("melissa")[0]
    cloud.set_online(melissa, False)
    for command in ("turn_led_off", "send_ir_code"):
        ir = {"state": 1, "mode": 0, "temp": 20, "fan": 0}
        body = {"serial_number": melissa, "command": command, **ir}
        assert (await send(simulator, session, token, body))[0] == 409
    status, problem, _ = await send(
        simulator, session, token, {"serial_number": "NOPE", "command": "turn_led_off"}
    )
    assert (status, problem["detail"]) == (404, "Controller not found")


@pytest.mark.parametrize(
    ("mode", "setpoint", "change"),
    [(3, 16, "cooler"), (4, 16, "drier"), (1, 30, "same"), (0, 30, "warmer")],
)
async def test_melissa_modes_move_the_room(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    token: str,
    mode: int,
    setpoint: int,
    change: str,
) -> None:
    serial = simulator.mclimate.serials("melissa")[0]
    before = (await fetch(simulator, session, token, serial))[1]["provider"]
    body = {"serial_number": serial, "command": "send_ir_code", "state": 1, "mode": mode}
    assert (await send(simulator, session, token, body | {"temp": setpoint, "fan": 0}))[0] == 200
    simulator.clock.advance(86400)  # same time of day: only the AC changed the room
    after = (await fetch(simulator, session, token, serial))[1]["provider"]
    if change == "cooler":
        assert after["temp"] == pytest.approx(16, abs=0.1)
    elif change == "warmer":
        assert after["temp"] == pytest.approx(30, abs=0.1)
    elif change == "drier":
        assert after["humidity"] == pytest.approx(before["humidity"] - 10, abs=0.2)
        assert after["temp"] < before["temp"]
    else:
        assert after == before


async def test_filter_on_missing_values(
    simulator: Simulator, session: aiohttp.ClientSession, token: str
) -> None:
    cloud = simulator.mclimate
    _, body, _ = await get(simulator, session, token, "/controllers", brand_id="null")
    expected = [s for s in cloud.serials() if cloud.controllers[s].brand_id is None]
    assert len(expected) == 3  # every controller but the Melissa
    assert [i["serial_number"] for i in body["_embedded"]["controller"]] == expected
