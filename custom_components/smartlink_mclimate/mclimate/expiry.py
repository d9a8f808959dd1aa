"""A repair issue ahead of the MClimate token's expiry, so signing in again is no surprise.

Without a refresh token the account stops working when its access token
expires. The issue appears one day before (or at half of a lifetime shorter
than two days) and goes once the entry holds a fresh token (after reauth or
reconfigure, which reload it).
"""

from __future__ import annotations

from datetime import datetime
import time
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from ..const import DOMAIN

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

WARN_AHEAD: Final = 86400.0  # seconds: one day
TOKEN_EXPIRING_ISSUE: Final = "token_expiring"  # noqa: S105 - an issue id, not a secret


def issue_id(entry: SmartLinkMClimateConfigEntry) -> str:
    """The entry's own expiry issue."""
    return f"{TOKEN_EXPIRING_ISSUE}_{entry.entry_id}"


@callback
def async_check_token_expiry(hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry) -> None:
    """Raise the issue once the token is close to expiring, or clear it."""
    token = entry.data.get("token", {})
    expires_at = token.get("expires_at")
    if token.get("refresh_token") or not isinstance(expires_at, (int, float)):
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry))
        return
    lifetime = float(token.get("expires_in") or 0)
    ahead = min(WARN_AHEAD, lifetime / 2) if lifetime > 0 else WARN_AHEAD
    if time.time() < expires_at - ahead:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry))
        return
    expires = dt_util.as_local(datetime.fromtimestamp(expires_at, dt_util.UTC))
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(entry),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=TOKEN_EXPIRING_ISSUE,
        translation_placeholders={
            "account": entry.title,
            "expires": expires.strftime("%Y-%m-%d %H:%M"),
        },
    )
