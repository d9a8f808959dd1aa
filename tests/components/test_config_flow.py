"""Adding accounts from the UI: Home SmartLink credentials and MClimate OAuth2."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, FlowType
from homeassistant.const import CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.smartlink_mclimate.clients.homesmartlink import HomeSmartLinkClient
from custom_components.smartlink_mclimate.clients.mclimate import MClimateClient
from custom_components.smartlink_mclimate.config_flow import DEVELOPER_ENV
from custom_components.smartlink_mclimate.const import (
    CONF_API_URL,
    CONF_AUTHORIZE_URL,
    CONF_BASE_URL,
    CONF_SERVICE,
    DOMAIN,
    Service,
)
from custom_components.smartlink_mclimate.homesmartlink.flow import CREDENTIALS_CHECK_EMAIL
from simulator import Simulator

from .conftest import homesmartlink_data

REDIRECT_URI = "https://example.com/auth/external/callback"


@pytest.fixture(autouse=True)
def developer_menu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the developers' menu entry (another MClimate server: the simulator)."""
    monkeypatch.setenv(DEVELOPER_ENV, "1")


async def start_flow(hass: HomeAssistant, choice: str) -> FlowResult:
    """Open the flow and pick an entry of the menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [Service.HOMESMARTLINK, Service.MCLIMATE, "mclimate_server"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": choice}
    )


@pytest.mark.parametrize("value", [None, "0", "yes"])
async def test_households_do_not_see_the_developer_entry(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(DEVELOPER_ENV)
    else:
        monkeypatch.setenv(DEVELOPER_ENV, value)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["menu_options"] == [Service.HOMESMARTLINK, Service.MCLIMATE]


def partner_form(simulator: Simulator, **overrides: str) -> dict[str, Any]:
    """What a partner types in the Home SmartLink form."""
    data = homesmartlink_data(simulator)
    data.pop(CONF_SERVICE)
    return {**data, **overrides}


# -- Home SmartLink -----------------------------------------------------------------------


async def test_homesmartlink_account_is_added(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await start_flow(hass, Service.HOMESMARTLINK)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == Service.HOMESMARTLINK

    form = partner_form(simulator, **{CONF_BASE_URL: f"{simulator.homesmartlink_url}/ "})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Home SmartLink (demo-partner)"
    assert result["data"] == homesmartlink_data(simulator)
    assert result["result"].unique_id == "homesmartlink:demo-partner"
    assert len(simulator.recorder.matching("GET", "/partners/1/users")) >= 1
    # the partner goes on to add a home
    flow_type, flow_id = result["next_flow"]
    assert flow_type is FlowType.CONFIG_SUBENTRIES_FLOW
    assert hass.config_entries.subentries.async_get(flow_id)["step_id"] == "user"


async def test_homesmartlink_before_api_0_3_3_signs_in(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Without GET users (404), POST invitations for an address nobody owns proves the secret."""
    simulator.scenario.homesmartlink.users_endpoint = False
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator, **{CONF_CLIENT_SECRET: "not-the-secret"})
    )
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    checks = simulator.recorder.matching("POST", "/partners/1/invitations")
    assert [check.json for check in checks] == [{"email": CREDENTIALS_CHECK_EMAIL}] * 2
    assert CREDENTIALS_CHECK_EMAIL.endswith(".invalid")  # RFC 2606: nobody's address
    # homes can still be added by e-mail or id
    _, flow_id = result["next_flow"]
    menu = hass.config_entries.subentries.async_get(flow_id)
    assert menu["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"next_step_id": "email"}
    )
    assert result["step_id"] == "email"


async def test_homesmartlink_fallback_check_fails(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    simulator.scenario.homesmartlink.users_endpoint = False
    simulator.faults.add("status", "POST /partners/1/invitations", status=404)
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator)
    )
    assert result["errors"] == {CONF_BASE_URL: "cannot_connect"}


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "unauthorized"}, {CONF_CLIENT_SECRET: "invalid_auth"}),
        ({"kind": "status", "status": 502}, {CONF_BASE_URL: "cannot_connect"}),
        ({"kind": "malformed"}, {CONF_BASE_URL: "cannot_connect"}),
    ],
)
async def test_homesmartlink_form_reports_errors_then_recovers(
    hass: HomeAssistant, simulator: Simulator, fault: dict[str, Any], error: dict[str, str]
) -> None:
    result = await start_flow(hass, Service.HOMESMARTLINK)
    rule = simulator.faults.add(route="GET /partners/1/users", **fault)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error

    simulator.faults.remove(rule)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_homesmartlink_wrong_secret(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator, **{CONF_CLIENT_SECRET: "not-the-secret"})
    )
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}


async def test_homesmartlink_unreachable(hass: HomeAssistant, simulator: Simulator) -> None:
    url = simulator.homesmartlink_url
    await simulator.stop()
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator, **{CONF_BASE_URL: url})
    )
    assert result["errors"] == {CONF_BASE_URL: "cannot_connect"}


async def test_homesmartlink_unexpected_error_is_unknown(
    hass: HomeAssistant, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug (not a cloud failure) shows "unknown" and logs its traceback, not the secret.

    No cloud answer makes the client raise anything but its own errors, so the
    bug is injected into the client's call.
    """
    result = await start_flow(hass, Service.HOMESMARTLINK)
    with patch.object(HomeSmartLinkClient, "get_users", side_effect=RuntimeError("bug")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], partner_form(simulator)
        )
    assert result["errors"] == {"base": "unknown"}
    assert "Traceback" in caplog.text
    assert simulator.scenario.homesmartlink.client_secret not in caplog.text


@pytest.mark.parametrize("url", ["127.0.0.1:8765", "ftp://example.com", "https://"])
async def test_homesmartlink_bad_url_sends_nothing(
    hass: HomeAssistant, simulator: Simulator, url: str
) -> None:
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator, **{CONF_BASE_URL: url})
    )
    assert result["errors"] == {CONF_BASE_URL: "invalid_url"}
    assert len(simulator.recorder) == 0


async def test_homesmartlink_account_only_once(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    result = await start_flow(hass, Service.HOMESMARTLINK)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], partner_form(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_homesmartlink_reauth_updates_the_secret(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="homesmartlink:demo-partner",
        data=homesmartlink_data(simulator, **{CONF_CLIENT_SECRET: "rotated-away"}),
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["client_id"] == "demo-partner"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: "still-wrong"}
    )
    assert result["errors"] == {CONF_CLIENT_SECRET: "invalid_auth"}

    secret = simulator.scenario.homesmartlink.client_secret
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: secret}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_CLIENT_SECRET] == secret


async def test_homesmartlink_reauth_before_api_0_3_3(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    simulator.scenario.homesmartlink.users_endpoint = False
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="homesmartlink:demo-partner",
        data=homesmartlink_data(simulator, **{CONF_CLIENT_SECRET: "rotated-away"}),
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    secret = simulator.scenario.homesmartlink.client_secret
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: secret}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_CLIENT_SECRET] == secret
    assert simulator.recorder.matching("POST", "/partners/1/invitations")


# -- MClimate -----------------------------------------------------------------------------


async def sign_in(simulator: Simulator, authorize_url: str, **form: str) -> URL:
    """What the user's browser does on MClimate's page: sign in, follow the redirect."""
    query = URL(authorize_url).query
    assert authorize_url.startswith(simulator.mclimate_authorize_url)
    assert query["client_id"] == simulator.scenario.mclimate.client_id
    assert query["redirect_uri"] == REDIRECT_URI
    scenario = simulator.scenario.mclimate
    fields = {
        "response_type": "code",
        "client_id": query["client_id"],
        "redirect_uri": query["redirect_uri"],
        "state": query["state"],
        "username": scenario.username,
        "password": scenario.password,
        **form,
    }
    async with (
        aiohttp.ClientSession() as browser,
        browser.post(simulator.mclimate_authorize_url, data=fields, allow_redirects=False) as resp,
    ):
        assert resp.status == 302
        location = URL(resp.headers["Location"])
    assert str(location).startswith(REDIRECT_URI)
    assert location.query["state"] == query["state"]
    return location


async def complete_oauth(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    result: FlowResult,
) -> FlowResult:
    """Follow the external step through the simulator and back to Home Assistant."""
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    location = await sign_in(simulator, result["url"])
    client = await hass_client_no_auth()
    response = await client.get(f"/auth/external/callback?{location.query_string}")
    assert response.status == 200
    return await hass.config_entries.flow.async_configure(result["flow_id"])


@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_mclimate_account_is_added(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: Simulator
) -> None:
    # A partner account beside it is no other MClimate account: the title stays plain.
    MockConfigEntry(domain=DOMAIN, data={CONF_SERVICE: Service.HOMESMARTLINK}).add_to_hass(hass)
    result = await start_flow(hass, Service.MCLIMATE)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Not the e-mail: Home Assistant's own log lines and the entity ids carry the title.
    assert result["title"] == "MClimate"
    data = result["data"]
    assert data[CONF_SERVICE] == Service.MCLIMATE
    assert data[CONF_API_URL] == simulator.mclimate_api_url
    assert data[CONF_AUTHORIZE_URL] == simulator.mclimate_authorize_url
    assert data["auth_implementation"] == DOMAIN
    assert data["token"]["expires_in"] == simulator.scenario.mclimate.token_lifetime
    assert result["result"].unique_id.startswith("mclimate:")
    assert "next_flow" not in result

    (exchange,) = simulator.recorder.matching("POST", "/v1/token")
    assert exchange.headers["Content-Type"].startswith("application/json")
    assert exchange.json["grant_type"] == exchange.json["grent_type"] == "authorization_code"
    assert exchange.json["redirect_uri"] == REDIRECT_URI
    # The flow identifies the account with the new token (set-up then reads its controllers).
    me = simulator.recorder.matching("GET", "/v1/users/me")[0]
    assert me.headers["Authorization"] == f"Bearer {data['token']['access_token']}"


@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_a_second_mclimate_account_is_told_apart_by_its_number(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: Simulator
) -> None:
    MockConfigEntry(
        domain=DOMAIN,
        title="MClimate",
        unique_id="mclimate:1",
        data={CONF_SERVICE: Service.MCLIMATE},
    ).add_to_hass(hass)
    result = await start_flow(hass, Service.MCLIMATE)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"MClimate {simulator.mclimate.user.user_id}"


@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_mclimate_token_exchange_refused(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: Simulator
) -> None:
    simulator.faults.add("status", "POST /v1/token", status=400, times=1)
    result = await start_flow(hass, Service.MCLIMATE)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_failed"


@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_mclimate_account_check_fails(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: Simulator
) -> None:
    simulator.faults.add("status", "GET /v1/users/me", status=503, times=1)
    result = await start_flow(hass, Service.MCLIMATE)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


@pytest.mark.usefixtures("current_request_with_host", "mclimate_implementation")
async def test_mclimate_unexpected_error_is_unknown(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug while identifying the account aborts as "unknown", with its traceback.

    The client raises only its own errors for any cloud answer, so the bug is
    injected into its call.
    """
    result = await start_flow(hass, Service.MCLIMATE)
    with patch.object(MClimateClient, "get_user", side_effect=RuntimeError("bug")):
        result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unknown"
    assert "Traceback" in caplog.text
    (exchange,) = simulator.recorder.matching("POST", "/v1/token")
    assert exchange.json["client_secret"] not in caplog.text


@pytest.mark.usefixtures("current_request_with_host")
async def test_mclimate_account_only_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
) -> None:
    result = await start_flow(hass, Service.MCLIMATE)
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_mclimate_needs_application_credentials(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    result = await start_flow(hass, Service.MCLIMATE)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


@pytest.mark.usefixtures("current_request_with_host")
async def test_mclimate_reauth_stores_the_new_token(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
) -> None:
    old_token = mclimate_entry.data["token"]["access_token"]
    result = await mclimate_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_mclimate"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mclimate_entry.data["token"]["access_token"] != old_token
    assert mclimate_entry.data[CONF_SERVICE] == Service.MCLIMATE


@pytest.mark.usefixtures("current_request_with_host")
async def test_mclimate_reauth_with_another_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    mclimate_entry: MockConfigEntry,
) -> None:
    hass.config_entries.async_update_entry(mclimate_entry, unique_id="mclimate:somebody-else")
    result = await mclimate_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mclimate_entry.unique_id == "mclimate:somebody-else"


# -- MClimate on another server ------------------------------------------------------------


@pytest.mark.usefixtures("current_request_with_host")
async def test_the_servers_are_asked_once_credentials_exist(hass: HomeAssistant) -> None:
    """No credentials: Home Assistant asks for them, then starts the flow again.

    The servers are asked after, or they would be asked twice.
    """
    assert await async_setup_component(hass, "application_credentials", {})
    result = await start_flow(hass, "mclimate_server")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


@pytest.fixture
async def mclimate_credential(hass: HomeAssistant, simulator: Simulator) -> None:
    """The simulator's OAuth client, entered as application credentials (official servers)."""
    assert await async_setup_component(hass, "application_credentials", {})
    scenario = simulator.scenario.mclimate
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(scenario.client_id, scenario.client_secret), "demo"
    )


def server_form(simulator: Simulator) -> dict[str, str]:
    """The simulator's addresses, as typed in the server step."""
    return {
        CONF_API_URL: f"{simulator.mclimate_api_url}/",
        CONF_AUTHORIZE_URL: f" {simulator.mclimate_authorize_url}",
    }


@pytest.mark.usefixtures("current_request_with_host", "mclimate_credential")
async def test_mclimate_on_the_simulator(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, simulator: Simulator
) -> None:
    result = await start_flow(hass, "mclimate_server")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "mclimate_server"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], server_form(simulator)
    )
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_API_URL] == simulator.mclimate_api_url
    assert result["data"][CONF_AUTHORIZE_URL] == simulator.mclimate_authorize_url
    assert result["data"]["auth_implementation"] == "demo"
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("current_request_with_host", "mclimate_credential")
async def test_mclimate_server_urls_are_checked(hass: HomeAssistant, simulator: Simulator) -> None:
    result = await start_flow(hass, "mclimate_server")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_URL: "developer-api.example/v1", CONF_AUTHORIZE_URL: "x://"}
    )
    assert result["errors"] == {CONF_API_URL: "invalid_url", CONF_AUTHORIZE_URL: "invalid_url"}
    assert len(simulator.recorder) == 0


@pytest.mark.usefixtures("current_request_with_host", "mclimate_credential")
async def test_mclimate_reauth_signs_in_where_the_account_lives(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"mclimate:{simulator.mclimate.user.user_id}",
        data={
            CONF_SERVICE: Service.MCLIMATE,
            CONF_API_URL: simulator.mclimate_api_url,
            CONF_AUTHORIZE_URL: simulator.mclimate_authorize_url,
            "auth_implementation": "demo",
            "token": {"access_token": "revoked", "expires_at": 0, "expires_in": 0},
        },
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, simulator, result)
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.data["token"]["access_token"] != "revoked"
    assert entry.state is ConfigEntryState.LOADED
