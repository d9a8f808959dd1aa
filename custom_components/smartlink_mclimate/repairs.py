"""Repairs: remove a Home SmartLink home whose user withdrew consent, once the user agrees.

The issue (raised by `homesmartlink.consents`) names the account entry and the
home's subentry; removing the subentry removes its devices and entities.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.core import HomeAssistant
import probatio as vol

from .homesmartlink.consents import ISSUE_ENTRY_ID, ISSUE_SUBENTRY_ID


class RemoveHomeRepairFlow(RepairsFlow):
    """Confirm, then remove the home from its account."""

    def __init__(self, entry_id: str, subentry_id: str) -> None:
        """The home to remove: its account entry and subentry."""
        self._entry_id = entry_id
        self._subentry_id = subentry_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Ask before removing anything."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Remove the home (if still there); the issue is then resolved."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        subentry = None if entry is None else entry.subentries.get(self._subentry_id)
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders={
                    "home": "" if subentry is None else subentry.title,
                    "account": "" if entry is None else entry.title,
                },
            )
        if entry is not None and subentry is not None:
            self.hass.config_entries.async_remove_subentry(entry, subentry.subentry_id)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix of a consent issue: remove the home it names."""
    home = data or {}
    return RemoveHomeRepairFlow(str(home[ISSUE_ENTRY_ID]), str(home[ISSUE_SUBENTRY_ID]))
