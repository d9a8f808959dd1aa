"""Following consents: new homes are added, a withdrawn consent raises a repair, never a removal."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate import homesmartlink
from custom_components.smartlink_mclimate.clients.homesmartlink import HomeSmartLinkClient, User
from custom_components.smartlink_mclimate.const import (
    CONF_DEROGATION_DURATION,
    CONF_FOLLOW_CONSENTS,
    CONF_HOME_ID,
    CONF_TIME_ZONE,
    DOMAIN,
    SUBENTRY_HOME,
)
from custom_components.smartlink_mclimate.homesmartlink.consents import (
    async_follow_consents,
    consent_issue_id,
)
from custom_components.smartlink_mclimate.homesmartlink.homes import async_add_home
from simulator import Scenario, Simulator
from simulator.homesmartlink import SimHome
from simulator.scenario import HomeSmartLinkScenario


@pytest.fixture
def scenario() -> Scenario:
    """Three homes."""
    return Scenario(homesmartlink=HomeSmartLinkScenario(homes=3))


@pytest.fixture
def homes(simulator: Simulator) -> list[SimHome]:
    """The simulated homes, in scenario order."""
    return simulator.homesmartlink.homes


@pytest.fixture
async def users(hass: HomeAssistant, simulator: Simulator) -> list[User]:
    """Every consenting user, as the account coordinator reads them."""
    scenario = simulator.scenario.homesmartlink
    client = HomeSmartLinkClient(
        async_get_clientsession(hass),
        simulator.homesmartlink_url,
        scenario.client_id,
        scenario.client_secret,
    )
    return await client.get_all_users()


def short(home_id: str) -> str:
    return f"{home_id[:4]}…{home_id[-4:]}"


def home_subentry_ids(entry: MockConfigEntry) -> dict[str, str]:
    """Home id -> subentry id."""
    return {
        sub.data[CONF_HOME_ID]: sub.subentry_id
        for sub in entry.subentries.values()
        if sub.subentry_type == SUBENTRY_HOME
    }


def consent_issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }


async def test_new_consents_become_homes(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
) -> None:
    async_add_home(hass, homesmartlink_entry, homes[0].home_id, "Somewhere")
    await async_follow_consents(hass, homesmartlink_entry, users)

    titles = {
        sub.unique_id: (sub.title, dict(sub.data))
        for sub in homesmartlink_entry.subentries.values()
    }
    assert titles == {
        homes[0].home_id: (
            f"Somewhere · {short(homes[0].home_id)}",
            {CONF_HOME_ID: homes[0].home_id},
        ),
        **{
            home.home_id: (
                f"{home.user.city} · {short(home.home_id)}",
                {CONF_HOME_ID: home.home_id},
            )
            for home in homes[1:]
        },
    }
    assert consent_issues(hass) == {}

    await async_follow_consents(hass, homesmartlink_entry, users)  # nothing new
    assert len(homesmartlink_entry.subentries) == 3


async def test_withdrawn_consent_raises_one_repair_until_it_returns(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
) -> None:
    await async_follow_consents(hass, homesmartlink_entry, users)
    gone = homes[1].home_id
    remaining = [user for user in users if user.home_id != gone]

    await async_follow_consents(hass, homesmartlink_entry, remaining)
    await async_follow_consents(hass, homesmartlink_entry, remaining)
    issue_id = consent_issue_id(homesmartlink_entry.entry_id, gone)
    (issue,) = consent_issues(hass).values()
    assert issue.issue_id == issue_id
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_key == "consent_withdrawn"
    assert issue.translation_placeholders == {
        "home": f"{homes[1].user.city} · {short(gone)}",
        "account": homesmartlink_entry.title,
    }
    # never removed silently
    assert gone in home_subentry_ids(homesmartlink_entry)

    await async_follow_consents(hass, homesmartlink_entry, users)
    assert consent_issues(hass) == {}
    assert len(home_subentry_ids(homesmartlink_entry)) == 3


async def test_issue_of_a_home_removed_by_hand_goes_away(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
) -> None:
    await async_follow_consents(hass, homesmartlink_entry, users)
    await async_follow_consents(hass, homesmartlink_entry, users[1:])
    assert len(consent_issues(hass)) == 1
    subentry_id = home_subentry_ids(homesmartlink_entry)[homes[0].home_id]
    hass.config_entries.async_remove_subentry(homesmartlink_entry, subentry_id)

    await async_follow_consents(hass, homesmartlink_entry, users[1:])
    assert consent_issues(hass) == {}
    assert homes[0].home_id not in home_subentry_ids(homesmartlink_entry)


async def test_issues_of_another_account_are_kept(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
) -> None:
    other = MockConfigEntry(domain=DOMAIN, data=dict(homesmartlink_entry.data), unique_id="x")
    other.add_to_hass(hass)
    for entry in (homesmartlink_entry, other):
        await async_follow_consents(hass, entry, users)
        await async_follow_consents(hass, entry, users[1:])
    assert len(consent_issues(hass)) == 2

    await async_follow_consents(hass, homesmartlink_entry, users)
    assert list(consent_issues(hass)) == [consent_issue_id(other.entry_id, homes[0].home_id)]


async def test_turning_the_option_off_clears_the_issues(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    users: list[User],
) -> None:
    await async_follow_consents(hass, homesmartlink_entry, users)
    await async_follow_consents(hass, homesmartlink_entry, [])
    assert len(consent_issues(hass)) == 3

    result = await hass.config_entries.options.async_init(homesmartlink_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_DEROGATION_DURATION: 120,
            CONF_TIME_ZONE: "Europe/Paris",
            CONF_FOLLOW_CONSENTS: False,
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert consent_issues(hass) == {}
    assert len(home_subentry_ids(homesmartlink_entry)) == 3


# -- the repair: remove the home ------------------------------------------------------------


@pytest.fixture
async def repairs(hass: HomeAssistant) -> None:
    """The Repairs dashboard, with the integration loaded (as it is when it raises issues)."""
    assert await async_setup_component(hass, "repairs", {})
    hass.config.components.add(DOMAIN)


async def fix(hass: HomeAssistant, issue_id: str) -> None:
    """Open the repair and confirm it, as the user does from the Repairs dashboard."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, context={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["account"] == "Home SmartLink (demo-partner)"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.usefixtures("repairs")
async def test_the_repair_removes_the_home_its_devices_and_entities(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    await async_follow_consents(hass, homesmartlink_entry, users)
    subentries = home_subentry_ids(homesmartlink_entry)
    # devices and entities tied to the homes' subentries, as the platforms make them
    devices = {
        home_id: device_registry.async_get_or_create(
            config_entry_id=homesmartlink_entry.entry_id,
            config_subentry_id=subentry_id,
            identifiers={(DOMAIN, home_id)},
        )
        for home_id, subentry_id in subentries.items()
    }
    entities = {
        home_id: entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{home_id}_last_ping",
            config_entry=homesmartlink_entry,
            config_subentry_id=subentries[home_id],
            device_id=device.id,
        )
        for home_id, device in devices.items()
    }
    gone = homes[2].home_id
    await async_follow_consents(hass, homesmartlink_entry, users[:2])

    await fix(hass, consent_issue_id(homesmartlink_entry.entry_id, gone))

    assert consent_issues(hass) == {}
    assert gone not in home_subentry_ids(homesmartlink_entry)
    assert device_registry.async_get(devices[gone].id) is None
    assert entity_registry.async_get(entities[gone].entity_id) is None
    for kept in (homes[0].home_id, homes[1].home_id):
        assert device_registry.async_get(devices[kept].id) is not None
        assert entity_registry.async_get(entities[kept].entity_id) is not None


@pytest.mark.usefixtures("repairs")
async def test_the_repair_of_a_home_already_removed(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
) -> None:
    await async_follow_consents(hass, homesmartlink_entry, users)
    await async_follow_consents(hass, homesmartlink_entry, users[1:])
    subentry_id = home_subentry_ids(homesmartlink_entry)[homes[0].home_id]
    hass.config_entries.async_remove_subentry(homesmartlink_entry, subentry_id)

    await fix(hass, consent_issue_id(homesmartlink_entry.entry_id, homes[0].home_id))
    assert consent_issues(hass) == {}
    assert len(home_subentry_ids(homesmartlink_entry)) == 2


@pytest.mark.usefixtures("repairs")
async def test_the_repair_on_a_loaded_account(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    homes: list[SimHome],
    users: list[User],
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The account's own devices and entities of the home go with it, the others stay."""
    await async_follow_consents(hass, homesmartlink_entry, users)
    with patch.object(homesmartlink, "PLATFORMS", [Platform.BINARY_SENSOR, Platform.SENSOR]):
        assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
        await hass.async_block_till_done()
    assert homesmartlink_entry.state is ConfigEntryState.LOADED
    subentries = home_subentry_ids(homesmartlink_entry)
    gone = homes[1].home_id

    def tied(subentry_id: str) -> tuple[int, int]:
        devices = [
            device
            for device in dr.async_entries_for_config_entry(
                device_registry, homesmartlink_entry.entry_id
            )
            if device.config_subentry_id == subentry_id
        ]
        entities = [
            entity
            for entity in er.async_entries_for_config_entry(
                entity_registry, homesmartlink_entry.entry_id
            )
            if entity.config_subentry_id == subentry_id
        ]
        return len(devices), len(entities)

    before = {home_id: tied(subentry_id) for home_id, subentry_id in subentries.items()}
    assert all(devices and entities for devices, entities in before.values()), before

    await async_follow_consents(hass, homesmartlink_entry, [u for u in users if u.home_id != gone])
    await fix(hass, consent_issue_id(homesmartlink_entry.entry_id, gone))
    await hass.async_block_till_done()

    assert tied(subentries[gone]) == (0, 0)
    for home_id, subentry_id in subentries.items():
        if home_id != gone:
            assert tied(subentry_id) == before[home_id]
