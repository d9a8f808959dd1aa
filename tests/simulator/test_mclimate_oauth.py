"""MClimate OAuth2 over real HTTP: the sign-in page, the token endpoint, Bearer checks."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from yarl import URL

from simulator import MClimateScenario, Scenario, Simulator
from tests.simulator.conftest import Answer, MClimateApi

REDIRECT_URI = "https://example.com/auth/external/callback"
MISSING_HEADER = {
    "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
    "status": 401,
    "title": "Unauthorized",
    "detail": "",
    "auth_errors": {"missingHeader": "Please provide Authorization header"},
}
REFRESHING = Scenario(mclimate=MClimateScenario(refresh_tokens=True))


def authorize_params(simulator: Simulator, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": simulator.scenario.mclimate.client_id,
        "state": 'st"<ate>',
        "redirect_uri": REDIRECT_URI,
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v}


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


def refresh_request(simulator: Simulator, token: str, /, **overrides: Any) -> dict[str, Any]:
    changes = {"grant_type": "refresh_token", "code": None, "redirect_uri": None}
    return token_request(simulator, "", **changes | {"refresh_token": token} | overrides)


@pytest.fixture
def anonymous(simulator: Simulator, session: aiohttp.ClientSession) -> MClimateApi:
    """MClimate calls without a token."""
    return MClimateApi(simulator, session, None)


async def exchange(anonymous: MClimateApi, body: Any) -> Answer:
    return await anonymous.call("POST", anonymous.simulator.mclimate_token_url, json=body)


# -- sign-in page --------------------------------------------------------------------------


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
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_authorize_page_refuses_bad_requests(
    simulator: Simulator,
    session: aiohttp.ClientSession,
    overrides: dict[str, str],
    message: str,
    method: str,
) -> None:
    params = authorize_params(simulator, **overrides)
    as_form = {"data": params} if method == "POST" else {"params": params}
    async with session.request(method, simulator.mclimate_authorize_url, **as_form) as resp:
        assert resp.status == 400
        page = await resp.text()
    assert message in page
    assert "<form" not in page


@pytest.mark.parametrize("username", ["demo@example.com", "démo@example.com"])
async def test_wrong_credentials_show_the_page_again(
    simulator: Simulator, session: aiohttp.ClientSession, username: str
) -> None:
    form = {**authorize_params(simulator), "username": username, "password": "nope"}
    async with session.post(
        simulator.mclimate_authorize_url, data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 401  # non-ASCII input is refused, not a crash
        assert "Location" not in resp.headers
        page = await resp.text()
    assert "Wrong email or password" in page
    assert f'value="{username}"' in page
    assert "nope" not in page


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


async def test_code_exchange_issues_a_working_token_once(
    simulator: Simulator, session: aiohttp.ClientSession, anonymous: MClimateApi
) -> None:
    code = (await sign_in(simulator, session)).query["code"]
    status, body, _ = await exchange(anonymous, token_request(simulator, code))
    assert status == 200
    assert set(body) == {"access_token", "expires_in"}  # no refresh token is documented
    assert body["expires_in"] == simulator.scenario.mclimate.token_lifetime
    status, me, _ = await anonymous.get("/users/me", token=body["access_token"])
    assert status == 200
    assert me["users"]["username"] == simulator.scenario.mclimate.username

    status, problem, _ = await exchange(anonymous, token_request(simulator, code))
    assert status == 400
    assert problem["error"] == "invalid_grant"
    assert "already used" in problem["detail"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"grant_type": None, "grent_type": "authorization_code"},  # the document's spelling
        {"grent_type": "authorization_code"},  # both, agreeing
        {"redirect_uri": None},  # optional at the token endpoint
    ],
)
async def test_token_request_variants_are_accepted(
    simulator: Simulator, anonymous: MClimateApi, overrides: dict[str, Any]
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    status, answer, _ = await exchange(anonymous, token_request(simulator, code, **overrides))
    assert status == 200
    assert answer["access_token"]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (lambda form: {"data": form}, "The API consumes application/json only"),
        (
            lambda form: {"data": "{", "headers": {"Content-Type": "application/json"}},
            "Malformed JSON body",
        ),
        (lambda form: {"json": list(form)}, "The JSON body must be an object"),
    ],
    ids=["form", "malformed", "array"],
)
async def test_token_endpoint_takes_a_json_object_only(
    simulator: Simulator, anonymous: MClimateApi, content: Any, detail: str
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    form = token_request(simulator, code)
    url = simulator.mclimate_token_url
    status, problem, _ = await anonymous.call("POST", url, **content(form))
    assert (status, problem["detail"]) == (400, detail)
    assert (await exchange(anonymous, form))[0] == 200  # the code survived


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "stranger"}, 401, "invalid_client"),
        ({"client_secret": None}, 400, "invalid_request"),
        ({"grant_type": None}, 400, "invalid_request"),
        ({"grant_type": "refresh_token"}, 400, "unsupported_grant_type"),
        ({"grent_type": "client_credentials"}, 400, "unsupported_grant_type"),
        ({"grant_type": ["authorization_code"]}, 400, "unsupported_grant_type"),
        ({"code": None}, 400, "invalid_request"),
        ({"code": "made-up"}, 400, "invalid_grant"),
        ({"redirect_uri": "https://elsewhere.example/cb"}, 400, "invalid_grant"),
    ],
)
async def test_token_endpoint_refusals(
    simulator: Simulator,
    anonymous: MClimateApi,
    overrides: dict[str, Any],
    status: int,
    error: str,
) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    got, problem, _ = await exchange(anonymous, token_request(simulator, code, **overrides))
    assert (got, problem["status"], problem["error"]) == (status, status, error)
    assert simulator.scenario.mclimate.client_secret not in str(problem)


async def test_codes_expire_after_ten_minutes(simulator: Simulator, anonymous: MClimateApi) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    simulator.clock.advance(601)
    status, problem, _ = await exchange(anonymous, token_request(simulator, code))
    assert (status, problem["error"]) == (400, "invalid_grant")


# -- refresh tokens (an invention, off by default) ------------------------------------------


@pytest.mark.parametrize("scenario", [REFRESHING])
async def test_refresh_tokens_rotate(simulator: Simulator, anonymous: MClimateApi) -> None:
    code = simulator.mclimate.issue_code(REDIRECT_URI)
    status, first, _ = await exchange(anonymous, token_request(simulator, code))
    assert status == 200
    assert set(first) == {"access_token", "expires_in", "refresh_token"}
    simulator.mclimate.expire_tokens()
    assert (await anonymous.get("/users/me", token=first["access_token"]))[0] == 401

    status, second, _ = await exchange(
        anonymous, refresh_request(simulator, first["refresh_token"])
    )
    assert status == 200
    assert set(second) == {"access_token", "expires_in", "refresh_token"}
    assert second["refresh_token"] != first["refresh_token"]
    assert (await anonymous.get("/users/me", token=second["access_token"]))[0] == 200

    status, problem, _ = await exchange(
        anonymous, refresh_request(simulator, first["refresh_token"])
    )
    assert (status, problem["error"]) == (400, "invalid_grant")  # each one works once
    simulator.mclimate.revoke_tokens()
    status, problem, _ = await exchange(
        anonymous, refresh_request(simulator, second["refresh_token"])
    )
    assert (status, problem["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize("scenario", [REFRESHING])
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"refresh_token": None}, "invalid_request"),
        ({"refresh_token": "made-up"}, "invalid_grant"),
        ({"grent_type": "authorization_code"}, "unsupported_grant_type"),  # they disagree
    ],
)
async def test_refresh_refusals(
    simulator: Simulator, anonymous: MClimateApi, overrides: dict[str, Any], error: str
) -> None:
    refresh_token = simulator.mclimate.issue_refresh_token()
    body = refresh_request(simulator, refresh_token, **overrides)
    status, problem, _ = await exchange(anonymous, body)
    assert (status, problem["error"]) == (400, error)
    assert (await exchange(anonymous, refresh_request(simulator, refresh_token)))[0] == 200


async def test_refresh_tokens_are_refused_unless_the_scenario_enables_them(
    simulator: Simulator, anonymous: MClimateApi
) -> None:
    refresh_token = simulator.mclimate.issue_refresh_token()
    status, problem, _ = await exchange(anonymous, refresh_request(simulator, refresh_token))
    assert (status, problem["error"]) == (400, "unsupported_grant_type")
    simulator.scenario.mclimate.refresh_tokens = True  # read at each request
    assert (await exchange(anonymous, refresh_request(simulator, refresh_token)))[0] == 200


# -- bearer tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   "])
async def test_missing_token_answers_the_documented_body(
    simulator: Simulator, anonymous: MClimateApi, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    url = f"{simulator.mclimate_api_url}/users/me"
    status, problem, resp_headers = await anonymous.call("GET", url, headers=headers)
    assert status == 401
    assert problem == MISSING_HEADER
    assert resp_headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("spoil", "detail"),
    [
        (lambda sim: sim.clock.advance(sim.scenario.mclimate.token_lifetime), "expired"),
        (lambda sim: sim.mclimate.expire_tokens(), "The access token expired"),
        (lambda sim: sim.mclimate.revoke_tokens(), "The access token was revoked"),
    ],
    ids=["lifetime", "expire_tokens", "revoke_tokens"],
)
async def test_tokens_stop_working(
    simulator: Simulator, api: MClimateApi, spoil: Any, detail: str
) -> None:
    assert (await api.get("/users/me"))[0] == 200
    spoil(simulator)
    status, problem, _ = await api.get("/users/me")
    assert status == 401
    assert detail in problem["detail"]


async def test_token_lasts_its_lifetime(simulator: Simulator, api: MClimateApi) -> None:
    simulator.clock.advance(simulator.scenario.mclimate.token_lifetime - 1)
    assert (await api.get("/users/me"))[0] == 200


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [("Bearer made-up", "Invalid access token"), ("Basic eDp5", "Bearer {access_token}")],
)
async def test_wrong_credentials_are_refused(
    simulator: Simulator, anonymous: MClimateApi, authorization: str, detail: str
) -> None:
    url = f"{simulator.mclimate_api_url}/controllers"
    status, problem, _ = await anonymous.call("GET", url, headers={"Authorization": authorization})
    assert status == 401
    assert detail in problem["detail"]
    assert "auth_errors" not in problem


@pytest.mark.parametrize("scenario", [Scenario(rate_limit_requests=2)])
async def test_rate_limit_per_client(simulator: Simulator, api: MClimateApi) -> None:
    other_token = simulator.mclimate.issue_token()  # same client: same budget
    assert (await api.get("/users/me"))[0] == 200
    assert (await api.get("/controllers", token=other_token))[0] == 200
    status, problem, headers = await api.get("/users/me")
    assert (status, problem["status"]) == (429, 429)
    assert headers["Retry-After"] == "60"
    simulator.clock.advance(60)
    assert (await api.get("/users/me"))[0] == 200
