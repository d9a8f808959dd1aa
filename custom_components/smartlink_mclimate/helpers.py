"""One mapping from client errors to Home Assistant errors, for commands and for polling.

The clients raise one small hierarchy (`clients.errors`); Home Assistant wants
translated errors that say what the user can do. Commands (entity methods and
actions) use `command_errors`; coordinators, and so set-up through their first
refresh, use `update_errors`. OAuth2 token failures raised by Home Assistant's
own OAuth2 session while fetching a token are mapped the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, Concatenate, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    OAuth2TokenRequestBaseError,
    OAuth2TokenRequestReauthError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .clients import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
)
from .clients.mclimate import ControllerOfflineError
from .const import DOMAIN


def _translated[E: HomeAssistantError](
    kind: type[E], key: str, placeholders: dict[str, str] | None = None, **extra: Any
) -> E:
    return kind(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
        **extra,
    )


def _cloud_error(err: CloudError) -> tuple[str, dict[str, str]]:
    """The translation key and placeholders that explain a (non-auth) cloud error."""
    match err:
        case ControllerOfflineError():
            return "device_offline", {}
        case CloudRateLimitedError(retry_after=float() as wait):
            return "rate_limited_for", {"seconds": f"{wait:.0f}"}
        case CloudRateLimitedError():
            return "rate_limited", {}
        case CloudConnectionError():
            return "cannot_connect", {}
        case CloudServerError():
            return "server_error", {"status": str(err.status)}
        case CloudRequestError(detail=str() as detail) if detail:
            return "request_refused", {"detail": detail}
        case CloudResponseError():
            return "invalid_response", {}
    return "request_failed", {}


@contextmanager
def command_errors(hass: HomeAssistant, entry: ConfigEntry[Any] | None) -> Iterator[None]:
    """Turn what a command raised into a translated error the user sees.

    An authentication failure also starts re-authentication of the account
    (every coordinator here has one); a value the client refused to send
    (`ValueError`) is the caller's mistake.
    """
    try:
        yield
    except (CloudAuthenticationError, OAuth2TokenRequestReauthError) as err:
        if entry is not None:
            entry.async_start_reauth(hass)
        raise _translated(HomeAssistantError, "authentication_failed") from err
    except OAuth2TokenRequestBaseError as err:
        raise _translated(HomeAssistantError, "cannot_connect") from err
    except CloudError as err:
        raise _translated(HomeAssistantError, *_cloud_error(err)) from err
    except ValueError as err:
        raise _translated(ServiceValidationError, "invalid_value", {"error": str(err)}) from err


@contextmanager
def update_errors() -> Iterator[None]:
    """Turn what a poll raised into `UpdateFailed` (with the cloud's wait) or reauth.

    A coordinator's first refresh turns `UpdateFailed` into `ConfigEntryNotReady`,
    so the same mapping serves set-up.
    """
    try:
        yield
    except (CloudAuthenticationError, OAuth2TokenRequestReauthError) as err:
        raise _translated(ConfigEntryAuthFailed, "authentication_failed") from err
    except OAuth2TokenRequestBaseError as err:
        raise _translated(UpdateFailed, "cannot_connect") from err
    except CloudError as err:
        retry_after = err.retry_after if isinstance(err, CloudRateLimitedError) else None
        raise _translated(UpdateFailed, *_cloud_error(err), retry_after=retry_after) from err


@contextmanager
def setup_errors() -> Iterator[None]:
    """`update_errors` for a set-up step outside any coordinator (`ConfigEntryNotReady`)."""
    try:
        with update_errors():
            yield
    except UpdateFailed as err:
        raise _translated(
            ConfigEntryNotReady,
            err.translation_key or "cannot_connect",
            err.translation_placeholders,
        ) from err.__cause__


class _CommandEntity(Protocol):
    """What `cloud_command` needs of an entity: Home Assistant and its coordinator."""

    hass: HomeAssistant

    @property
    def coordinator(self) -> DataUpdateCoordinator[Any]:
        """The coordinator of the account whose cloud the command goes to."""


def cloud_command[EntityT: _CommandEntity, **P](
    func: Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]]:
    """Decorate an entity method that sends a command, as core `peblar` does."""

    @wraps(func)
    async def handler(self: EntityT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with command_errors(self.hass, self.coordinator.config_entry):
            await func(self, *args, **kwargs)

    return handler
