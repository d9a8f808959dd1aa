"""Follow the partner's consenting users: add their new homes, flag homes whose consent ended.

The account coordinator calls `async_follow_consents` after each read of the
users when the "follow consents" option is on. A home whose consent disappeared
is never removed silently: it raises one repair issue per home, whose fix
removes the home (and with it its devices and entities); the issue goes away by
itself when the consent comes back.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..clients.homesmartlink import User
from ..const import DOMAIN
from .homes import async_add_home, home_subentries

CONSENT_ISSUE = "consent_withdrawn"  # translation key of the repair issue
ISSUE_ENTRY_ID = "entry_id"
ISSUE_SUBENTRY_ID = "subentry_id"


def consent_issue_id(entry_id: str, home_id: str) -> str:
    """One issue per home of one account."""
    return f"{CONSENT_ISSUE}_{entry_id}_{home_id}"


async def async_follow_consents(
    hass: HomeAssistant, entry: ConfigEntry[Any], users: list[User]
) -> None:
    """Add the homes of new consents; raise or clear one repair issue per home."""
    consenting = {user.home_id: user for user in users}
    homes = home_subentries(entry)
    for home_id, user in consenting.items():
        if home_id not in homes:
            async_add_home(hass, entry, home_id, user.city)
    for home_id, subentry in homes.items():
        issue_id = consent_issue_id(entry.entry_id, home_id)
        if home_id in consenting:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            continue
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=CONSENT_ISSUE,
            translation_placeholders={"home": subentry.title, "account": entry.title},
            data={ISSUE_ENTRY_ID: entry.entry_id, ISSUE_SUBENTRY_ID: subentry.subentry_id},
        )
    _async_clear_issues(hass, entry, keep=set(homes))


@callback
def async_clear_consent_issues(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Forget the account's consent issues (consents are no longer followed)."""
    _async_clear_issues(hass, entry, keep=set())


@callback
def _async_clear_issues(hass: HomeAssistant, entry: ConfigEntry[Any], keep: set[str]) -> None:
    """Delete the account's consent issues, except those of the homes in `keep`."""
    prefix = consent_issue_id(entry.entry_id, "")
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id[len(prefix) :] not in keep:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
