"""Adding homes to a partner account (config subentries), against the simulator over HTTP."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, FlowType
from homeassistant.const import CONF_EMAIL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, UnknownHandler
from homeassistant.helpers import config_validation as cv
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate import homesmartlink
from custom_components.smartlink_mclimate.clients.homesmartlink import HomeSmartLinkClient
from custom_components.smartlink_mclimate.const import (
    CONF_HOME_ID,
    DOMAIN,
    SUBENTRY_HOME,
    Service,
)
from custom_components.smartlink_mclimate.homesmartlink.homes import async_add_home, home_title
from simulator import Scenario, Simulator
from simulator.homesmartlink import SimHome
from simulator.scenario import HomeSmartLinkScenario
from tests.components.conftest import homesmartlink_data

CONFIG = "/partners/1/config"
USERS = "/partners/1/users"
INVITATIONS = "/partners/1/invitations"
ALL_WAYS = ["pick_user", "email", "home_id", "add_all"]


@pytest.fixture
def scenario() -> Scenario:
    """Five homes; the last has no gateway."""
    return Scenario(homesmartlink=HomeSmartLinkScenario(homes=5, homes_without_gateway=1))


@pytest.fixture
def homes(simulator: Simulator) -> list[SimHome]:
    """The simulated homes, in scenario order."""
    return simulator.homesmartlink.homes


def short(home_id: str) -> str:
    return f"{home_id[:4]}…{home_id[-4:]}"


async def open_flow(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_HOME), context={"source": SOURCE_USER}
    )


async def configure(hass: HomeAssistant, result: FlowResult, data: dict[str, Any]) -> FlowResult:
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


async def open_way(
    hass: HomeAssistant, entry: MockConfigEntry, way: str, menu: list[str] = ALL_WAYS
) -> FlowResult:
    """Open the flow and pick a way from its menu."""
    result = await open_flow(hass, entry)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == menu
    return await configure(hass, result, {"next_step_id": way})


def options(result: FlowResult) -> list[dict[str, str]]:
    """The choices of the form's home selector."""
    (selector,) = result["data_schema"].schema.values()
    return list(selector.config["options"])


def shown(result: FlowResult) -> str:
    """Everything the form shows: its serialized schema and description placeholders."""
    schema = probatio.to_field_list(result["data_schema"], custom_serializer=cv.custom_serializer)
    return json.dumps([schema, result.get("description_placeholders")], ensure_ascii=False)


def homes_of(entry: MockConfigEntry) -> dict[str, tuple[str, dict[str, Any]]]:
    """The entry's home subentries: unique id -> (title, data)."""
    return {
        str(sub.unique_id): (sub.title, dict(sub.data))
        for sub in entry.subentries.values()
        if sub.subentry_type == SUBENTRY_HOME
    }


def reauth_flows(hass: HomeAssistant) -> list[Any]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == "reauth"
    ]


def config_requests(simulator: Simulator) -> list[str]:
    return [req.json["homeId"] for req in simulator.recorder.matching("POST", CONFIG)]


def assert_no_personal_data(text: str, homes: list[SimHome]) -> None:
    for home in homes:
        user = home.user
        for value in (user.first_name, user.last_name, user.address, user.email, user.prm_id):
            assert value not in text


# -- after the credentials ----------------------------------------------------------------


async def test_new_account_goes_on_to_add_a_home(
    hass: HomeAssistant, simulator: Simulator, homes: list[SimHome]
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": Service.HOMESMARTLINK}
    )
    form = homesmartlink_data(simulator)
    form.pop("service")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    flow_type, flow_id = result["next_flow"]
    assert flow_type is FlowType.CONFIG_SUBENTRIES_FLOW

    (home_flow,) = hass.config_entries.subentries.async_progress_by_handler(
        (entry.entry_id, SUBENTRY_HOME)
    )
    assert home_flow["flow_id"] == flow_id
    assert home_flow["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"next_step_id": "pick_user"}
    )
    result = await configure(hass, result, {CONF_HOME_ID: homes[1].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert homes_of(entry) == {
        homes[1].home_id: (
            f"{homes[1].user.city} · {short(homes[1].home_id)}",
            {CONF_HOME_ID: homes[1].home_id},
        )
    }


@pytest.mark.usefixtures("mclimate_implementation")
async def test_mclimate_accounts_have_no_homes(
    hass: HomeAssistant, mclimate_entry: MockConfigEntry
) -> None:
    with pytest.raises(UnknownHandler):
        await open_flow(hass, mclimate_entry)


# -- the menu ---------------------------------------------------------------------------


async def test_menu_probes_users_once(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    result = await open_flow(hass, homesmartlink_entry)
    assert result["menu_options"] == ALL_WAYS
    (probe,) = simulator.recorder.matching("GET", USERS)
    assert probe.query == {"page": "1", "size": "1"}


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"kind": "status", "status": 502}, "cannot_connect"),
        ({"kind": "status", "status": 409}, "cannot_connect"),
        ({"kind": "unauthorized"}, "invalid_auth"),
    ],
)
async def test_menu_needs_the_cloud(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    fault: dict[str, Any],
    reason: str,
) -> None:
    simulator.faults.add(route=f"GET {USERS}", **fault)
    result = await open_flow(hass, homesmartlink_entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert len(reauth_flows(hass)) == (reason == "invalid_auth")


async def test_without_users_endpoint_email_and_id_remain(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    simulator.scenario.homesmartlink.users_endpoint = False
    result = await open_way(hass, homesmartlink_entry, "home_id", menu=["email", "home_id"])
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert homes_of(homesmartlink_entry) == {
        homes[0].home_id: (f"Home {short(homes[0].home_id)}", {CONF_HOME_ID: homes[0].home_id})
    }


async def test_a_loaded_account_uses_its_own_client(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    """Requests of the flow count in the account's request budget."""
    with patch.object(homesmartlink, "PLATFORMS", []):
        assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
    assert homesmartlink_entry.state is ConfigEntryState.LOADED
    budget = homesmartlink_entry.runtime_data.client.budget
    before = budget.sent
    await open_flow(hass, homesmartlink_entry)
    assert budget.sent == before + 1


# -- pick one of the consenting users' homes ----------------------------------------------


async def test_pick_shows_city_and_id_only(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    async_add_home(hass, homesmartlink_entry, homes[0].home_id, homes[0].user.city)
    result = await open_way(hass, homesmartlink_entry, "pick_user")
    assert result["type"] is FlowResultType.FORM
    assert options(result) == [
        {"value": home.home_id, "label": f"{home.user.city} · {home.home_id}"} for home in homes[1:]
    ]
    assert_no_personal_data(shown(result), homes)
    # every page, then only the chosen home checked
    assert [req.query["page"] for req in simulator.recorder.matching("GET", USERS)[1:]] == ["1"]
    assert config_requests(simulator) == []

    result = await configure(hass, result, {CONF_HOME_ID: homes[3].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"{homes[3].user.city} · {short(homes[3].home_id)}"
    assert config_requests(simulator) == [homes[3].home_id]


async def test_pick_reads_every_page(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    with patch.object(HomeSmartLinkClient.get_all_users, "__defaults__", (2,)):
        result = await open_way(hass, homesmartlink_entry, "pick_user")
    assert len(options(result)) == 5
    pages = [req.query for req in simulator.recorder.matching("GET", USERS)[1:]]
    assert pages == [{"page": str(n), "size": "2"} for n in (1, 2, 3)]


async def test_pick_a_home_the_cloud_no_longer_knows(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "pick_user")
    rule = simulator.faults.add("status", f"POST {CONFIG}", status=404)
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOME_ID: "unknown_home"}
    assert homes_of(homesmartlink_entry) == {}

    simulator.faults.remove(rule)
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_requests(simulator) == [homes[0].home_id] * 2


async def test_pick_when_every_home_is_added(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    for home in homes:
        async_add_home(hass, homesmartlink_entry, home.home_id, None)
    result = await open_way(hass, homesmartlink_entry, "pick_user")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_new_homes"


@pytest.mark.parametrize("way", ["pick_user", "add_all"])
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"kind": "status", "status": 503}, "cannot_connect"),
        ({"kind": "unauthorized"}, "invalid_auth"),
    ],
)
async def test_users_cannot_be_read(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    way: str,
    fault: dict[str, Any],
    reason: str,
) -> None:
    result = await open_flow(hass, homesmartlink_entry)
    simulator.faults.add(route=f"GET {USERS}", **fault)
    result = await configure(hass, result, {"next_step_id": way})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert config_requests(simulator) == []


# -- type a home id -----------------------------------------------------------------------


async def test_type_an_unknown_then_a_known_id(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "home_id")
    result = await configure(hass, result, {CONF_HOME_ID: "0123456789abcdef01234567"})
    assert result["errors"] == {CONF_HOME_ID: "unknown_home"}
    assert config_requests(simulator) == ["0123456789abcdef01234567"]

    result = await configure(hass, result, {CONF_HOME_ID: f"  {homes[2].home_id} "})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Home {short(homes[2].home_id)}"
    assert homes_of(homesmartlink_entry)[homes[2].home_id][1] == {CONF_HOME_ID: homes[2].home_id}


async def test_a_blank_id_sends_nothing(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    result = await open_way(hass, homesmartlink_entry, "home_id")
    simulator.recorder.clear()
    result = await configure(hass, result, {CONF_HOME_ID: "   "})
    assert result["errors"] == {CONF_HOME_ID: "unknown_home"}
    assert len(simulator.recorder) == 0


async def test_a_home_is_added_once(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    async_add_home(hass, homesmartlink_entry, homes[0].home_id, None)
    result = await open_way(hass, homesmartlink_entry, "home_id")
    simulator.recorder.clear()
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize(
    ("fault", "errors"),
    [
        ({"kind": "status", "status": 502}, {"base": "cannot_connect"}),
        ({"kind": "status", "status": 409}, {"base": "cannot_connect"}),
        ({"kind": "status", "status": 400}, {CONF_HOME_ID: "unknown_home"}),
        ({"kind": "malformed"}, {"base": "cannot_connect"}),
    ],
)
async def test_check_failures_keep_the_form(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    fault: dict[str, Any],
    errors: dict[str, str],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "home_id")
    simulator.faults.add(route=f"POST {CONFIG}", **fault)
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert homes_of(homesmartlink_entry) == {}


async def test_check_refused_credentials_start_reauth(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "home_id")
    simulator.faults.add("unauthorized", f"POST {CONFIG}")
    result = await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_auth"
    assert len(reauth_flows(hass)) == 1


# -- find a user's homes by e-mail --------------------------------------------------------


async def test_email_shows_city_rooms_and_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    simulator.homesmartlink.set_gateway_online(homes[1].home_id, False)
    result = await open_way(hass, homesmartlink_entry, "email")
    assert result["step_id"] == "email"
    for number, mark in ((1, "✅"), (2, "⚠️"), (5, "—")):
        home = homes[number - 1]
        flow = await open_way(hass, homesmartlink_entry, "email")
        flow = await configure(hass, flow, {CONF_EMAIL: f" USER{number}@example.com "})
        assert flow["step_id"] == "invitation"
        assert flow["description_placeholders"] == {
            "homes": f"| {home.user.city} | {len(home.rooms)} | {mark} | {home.home_id} |"
        }
        assert options(flow) == [
            {"value": home.home_id, "label": f"{home.user.city} · {home.home_id}"}
        ]
        assert_no_personal_data(shown(flow), homes)
    (request, *_) = simulator.recorder.matching("POST", INVITATIONS)
    assert request.json == {"email": "USER1@example.com"}

    result = await configure(hass, result, {CONF_EMAIL: "user2@example.com"})
    result = await configure(hass, result, {CONF_HOME_ID: homes[1].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"{homes[1].user.city} · {short(homes[1].home_id)}"
    assert config_requests(simulator) == [homes[1].home_id]


async def test_email_with_a_home_of_unknown_city_and_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    """Both members are optional in the document: the home is still told apart by its id."""
    simulator.faults.add("drop_fields", f"POST {INVITATIONS}", fields=["city", "gatewayEnabled"])
    home = homes[0]
    result = await open_way(hass, homesmartlink_entry, "email")
    result = await configure(hass, result, {CONF_EMAIL: "user1@example.com"})
    assert result["description_placeholders"] == {
        "homes": f"| — | {len(home.rooms)} | ? | {home.home_id} |"
    }
    assert options(result) == [{"value": home.home_id, "label": home.home_id}]
    result = await configure(hass, result, {CONF_HOME_ID: home.home_id})
    assert result["title"] == f"Home {short(home.home_id)}"


async def test_email_without_homes(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    result = await open_way(hass, homesmartlink_entry, "email")
    result = await configure(hass, result, {CONF_EMAIL: "nobody@example.com"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_EMAIL: "no_homes_for_email"}
    assert config_requests(simulator) == []


async def test_email_invitation_check_fails_then_recovers(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "email")
    result = await configure(hass, result, {CONF_EMAIL: "user3@example.com"})
    rule = simulator.faults.add("status", f"POST {CONFIG}", status=404)
    result = await configure(hass, result, {CONF_HOME_ID: homes[2].home_id})
    assert result["step_id"] == "invitation"
    assert result["errors"] == {CONF_HOME_ID: "unknown_home"}
    simulator.faults.remove(rule)
    result = await configure(hass, result, {CONF_HOME_ID: homes[2].home_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        ({"kind": "status", "status": 502}, {"base": "cannot_connect"}),
        ({"kind": "unauthorized"}, "invalid_auth"),
    ],
)
async def test_email_search_fails(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    fault: dict[str, Any],
    outcome: dict[str, str] | str,
) -> None:
    result = await open_way(hass, homesmartlink_entry, "email")
    simulator.faults.add(route=f"POST {INVITATIONS}", **fault)
    result = await configure(hass, result, {CONF_EMAIL: "user1@example.com"})
    if isinstance(outcome, str):
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == outcome
    else:
        assert result["step_id"] == "email"
        assert result["errors"] == outcome
    assert config_requests(simulator) == []


# -- add every consenting home ------------------------------------------------------------


async def test_add_all_checks_each_new_home(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    async_add_home(hass, homesmartlink_entry, homes[0].home_id, homes[0].user.city)
    result = await open_way(hass, homesmartlink_entry, "add_all")
    assert result["step_id"] == "add_all"
    assert result["description_placeholders"] == {"count": "4"}
    assert config_requests(simulator) == []

    simulator.faults.add("status", f"POST {CONFIG}", status=404, times=1)
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "homes_added"
    assert result["description_placeholders"] == {"added": "3", "unknown": "1"}
    checked = config_requests(simulator)
    assert sorted(checked) == sorted(home.home_id for home in homes[1:])
    added = homes_of(homesmartlink_entry)
    assert set(added) == {homes[0].home_id} | set(checked[1:])
    for home in homes[1:]:
        if home.home_id in added:
            assert added[home.home_id] == (
                f"{home.user.city} · {short(home.home_id)}",
                {CONF_HOME_ID: home.home_id},
            )


async def test_add_all_when_every_home_is_added(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    for home in homes:
        async_add_home(hass, homesmartlink_entry, home.home_id, None)
    result = await open_way(hass, homesmartlink_entry, "add_all")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_new_homes"


async def test_add_all_adds_nothing_when_a_check_fails(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "add_all")
    simulator.faults.add("status", f"POST {CONFIG}", status=502, times=1)
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert homes_of(homesmartlink_entry) == {}
    # the checks stop at the first failure (a few may already be on their way)
    assert len(config_requests(simulator)) < len(homes)

    simulator.recorder.clear()
    result = await configure(hass, result, {})
    assert result["reason"] == "homes_added"
    assert result["description_placeholders"] == {"added": "5", "unknown": "0"}
    assert len(homes_of(homesmartlink_entry)) == 5


async def test_add_all_refused_request(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    result = await open_way(hass, homesmartlink_entry, "add_all")
    simulator.faults.add("status", f"POST {CONFIG}", status=409, times=1)
    result = await configure(hass, result, {})
    assert result["errors"] == {"base": "cannot_connect"}
    assert homes_of(homesmartlink_entry) == {}


async def test_add_all_skips_homes_added_meanwhile(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
) -> None:
    result = await open_way(hass, homesmartlink_entry, "add_all")
    async_add_home(hass, homesmartlink_entry, homes[4].home_id, None)
    result = await configure(hass, result, {})
    assert result["description_placeholders"] == {"added": "4", "unknown": "0"}
    assert homes[4].home_id not in config_requests(simulator)
    assert homes_of(homesmartlink_entry)[homes[4].home_id][0] == f"Home {short(homes[4].home_id)}"


async def test_add_all_refused_credentials(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
) -> None:
    result = await open_way(hass, homesmartlink_entry, "add_all")
    simulator.faults.add("status", f"POST {CONFIG}", status=404, times=1)
    simulator.faults.add("unauthorized", f"POST {CONFIG}")
    result = await configure(hass, result, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "invalid_auth"
    assert homes_of(homesmartlink_entry) == {}


def test_short_ids_are_kept_whole_in_titles() -> None:
    assert home_title("0123456789", "Lyon") == "Lyon · 0123456789"
    assert home_title("0123456789a", None) == "Home 0123…789a"


# -- bugs, not cloud failures: "unknown", with a traceback -----------------------------


async def _home_id_way(
    hass: HomeAssistant, entry: MockConfigEntry, homes: list[SimHome]
) -> FlowResult:
    result = await open_way(hass, entry, "home_id")
    return await configure(hass, result, {CONF_HOME_ID: homes[0].home_id})


async def _email_way(
    hass: HomeAssistant, entry: MockConfigEntry, homes: list[SimHome]
) -> FlowResult:
    result = await open_way(hass, entry, "email")
    return await configure(hass, result, {CONF_EMAIL: homes[0].user.email})


async def _add_all_way(
    hass: HomeAssistant, entry: MockConfigEntry, homes: list[SimHome]
) -> FlowResult:
    result = await open_way(hass, entry, "add_all")
    return await configure(hass, result, {})


@pytest.mark.parametrize(
    ("method", "way"),
    [
        ("get_home_config", _home_id_way),
        ("get_invitations", _email_way),
        ("get_home_config", _add_all_way),
    ],
)
async def test_a_bug_while_checking_shows_unknown(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    caplog: pytest.LogCaptureFixture,
    method: str,
    way: Any,
) -> None:
    """The client raises only its own errors for any answer, so the bug is injected."""
    with patch.object(HomeSmartLinkClient, method, side_effect=RuntimeError("bug")):
        result = await way(hass, homesmartlink_entry, homes)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Traceback" in caplog.text
    assert homes_of(homesmartlink_entry) == {}


@pytest.mark.parametrize("method", ["get_users", "get_all_users"])
async def test_a_bug_while_listing_users_aborts_unknown(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    method: str,
) -> None:
    with patch.object(HomeSmartLinkClient, method, side_effect=RuntimeError("bug")):
        result = await open_flow(hass, homesmartlink_entry)
        if result["type"] is FlowResultType.MENU:
            result = await configure(hass, result, {"next_step_id": "pick_user"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unknown"
    assert "Traceback" in caplog.text
