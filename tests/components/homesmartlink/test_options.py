"""Options of a partner account: derogation duration, the homes' time zone, following consents."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData, UnknownHandler
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartlink_mclimate import homesmartlink
from custom_components.smartlink_mclimate.const import (
    CONF_DEROGATION_DURATION,
    CONF_FOLLOW_CONSENTS,
    CONF_TIME_ZONE,
)
from simulator import Simulator


def suggested(result: FlowResult) -> dict[str, Any]:
    """The values the form shows."""
    return {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }


async def open_options(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    return result


async def test_defaults_then_saved_and_reloaded(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    await hass.config.async_update(time_zone="Europe/Brussels")
    with patch.object(homesmartlink, "PLATFORMS", []):
        assert await hass.config_entries.async_setup(homesmartlink_entry.entry_id)
        result = await open_options(hass, homesmartlink_entry)
        assert suggested(result) == {
            CONF_DEROGATION_DURATION: 120,
            CONF_TIME_ZONE: "Europe/Brussels",
            CONF_FOLLOW_CONSENTS: False,
        }
        (zone_selector,) = (
            value for key, value in result["data_schema"].schema.items() if key == CONF_TIME_ZONE
        )
        assert "Europe/Paris" in zone_selector.config["options"]

        setups = len(simulator.recorder)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                CONF_DEROGATION_DURATION: 45.0,
                CONF_TIME_ZONE: " America/Guadeloupe ",
                CONF_FOLLOW_CONSENTS: True,
            },
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert homesmartlink_entry.options == {
        CONF_DEROGATION_DURATION: 45,
        CONF_TIME_ZONE: "America/Guadeloupe",
        CONF_FOLLOW_CONSENTS: True,
    }
    assert isinstance(homesmartlink_entry.options[CONF_DEROGATION_DURATION], int)
    # OptionsFlowWithReload: the account was set up again with its new options
    assert homesmartlink_entry.state is ConfigEntryState.LOADED
    assert len(simulator.recorder) > setups


async def test_the_form_shows_the_current_options(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry
) -> None:
    options = {
        CONF_DEROGATION_DURATION: 60,
        CONF_TIME_ZONE: "Asia/Tokyo",
        CONF_FOLLOW_CONSENTS: True,
    }
    hass.config_entries.async_update_entry(homesmartlink_entry, options=options)
    result = await open_options(hass, homesmartlink_entry)
    assert suggested(result) == options


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_DEROGATION_DURATION: 7}, {CONF_DEROGATION_DURATION: "invalid_duration"}),
        ({CONF_TIME_ZONE: "Mars/Olympus_Mons"}, {CONF_TIME_ZONE: "invalid_time_zone"}),
        (
            {CONF_DEROGATION_DURATION: 1432.5, CONF_TIME_ZONE: ""},
            {CONF_DEROGATION_DURATION: "invalid_duration", CONF_TIME_ZONE: "invalid_time_zone"},
        ),
    ],
)
async def test_invalid_options_are_refused(
    hass: HomeAssistant,
    simulator: Simulator,
    homesmartlink_entry: MockConfigEntry,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    result = await open_options(hass, homesmartlink_entry)
    form = {
        CONF_DEROGATION_DURATION: 30,
        CONF_TIME_ZONE: "Europe/Paris",
        CONF_FOLLOW_CONSENTS: True,
        **changes,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert suggested(result) == form  # what was typed stays in the form
    assert homesmartlink_entry.options == {}
    assert len(simulator.recorder) == 0


@pytest.mark.parametrize("duration", [0, 4, 1445, 10000])
async def test_duration_outside_five_minutes_to_a_day(
    hass: HomeAssistant, simulator: Simulator, homesmartlink_entry: MockConfigEntry, duration: int
) -> None:
    result = await open_options(hass, homesmartlink_entry)
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                CONF_DEROGATION_DURATION: duration,
                CONF_TIME_ZONE: "Europe/Paris",
                CONF_FOLLOW_CONSENTS: False,
            },
        )
    assert homesmartlink_entry.options == {}
    assert len(simulator.recorder) == 0


@pytest.mark.usefixtures("mclimate_implementation")
async def test_mclimate_accounts_have_no_options(
    hass: HomeAssistant, mclimate_entry: MockConfigEntry, homesmartlink_entry: MockConfigEntry
) -> None:
    await open_options(hass, homesmartlink_entry)  # loads the flow handler
    assert homesmartlink_entry.supports_options
    assert not mclimate_entry.supports_options
    with pytest.raises(UnknownHandler):
        await hass.config_entries.options.async_init(mclimate_entry.entry_id)
