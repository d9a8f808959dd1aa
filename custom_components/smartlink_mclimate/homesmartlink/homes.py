"""Homes of a partner account as config subentries: their titles, ids, and adding one."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import HomeAssistant, callback

from ..const import CONF_HOME_ID, SUBENTRY_HOME

SHORT_ID_ENDS = 4  # characters kept at each end of a home id in titles


def short_home_id(home_id: str) -> str:
    """A home id short enough for a title: "64f1…9c2a"."""
    if len(home_id) <= SHORT_ID_ENDS * 2 + 2:
        return home_id
    return f"{home_id[:SHORT_ID_ENDS]}…{home_id[-SHORT_ID_ENDS:]}"


def home_title(home_id: str, city: str | None) -> str:
    """The title of a home subentry: its city and short id (the contract with the entities)."""
    short = short_home_id(home_id)
    return f"{city} · {short}" if city else f"Home {short}"


def home_subentries(entry: ConfigEntry[Any]) -> dict[str, ConfigSubentry]:
    """The account's home subentries, by home id."""
    return {
        subentry.data[CONF_HOME_ID]: subentry
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_HOME
    }


@callback
def async_add_home(
    hass: HomeAssistant, entry: ConfigEntry[Any], home_id: str, city: str | None
) -> None:
    """Add a home subentry outside a subentry flow (several at once, or by consent)."""
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType({CONF_HOME_ID: home_id}),
            subentry_type=SUBENTRY_HOME,
            title=home_title(home_id, city),
            unique_id=home_id,
        ),
    )
