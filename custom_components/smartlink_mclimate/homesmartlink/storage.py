"""What a partner account keeps in Home Assistant's storage, one `Store` per kind."""

from __future__ import annotations

from typing import Any, Final, Literal

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN

STORAGE_VERSION: Final = 1
type StoreKind = Literal["derogations", "diagnoses"]
KINDS: Final[tuple[StoreKind, ...]] = ("derogations", "diagnoses")


def account_store(hass: HomeAssistant, entry_id: str, kind: StoreKind) -> Store[dict[str, Any]]:
    """The account's store of one kind (derogations sent, pending diagnoses)."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.{kind}")


async def async_remove_account_stores(hass: HomeAssistant, entry_id: str) -> None:
    """Forget everything a deleted account kept."""
    for kind in KINDS:
        await account_store(hass, entry_id, kind).async_remove()
