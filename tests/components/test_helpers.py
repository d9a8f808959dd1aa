"""One mapping of client errors to what Home Assistant shows, for commands and polling."""

from __future__ import annotations

from aiohttp import RequestInfo
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    OAuth2TokenRequestConnectionError,
    OAuth2TokenRequestReauthError,
    OAuth2TokenRequestTransientError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed
from multidict import CIMultiDict, CIMultiDictProxy
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from yarl import URL

from custom_components.smartlink_mclimate.clients import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
    CloudRequestError,
    CloudResponseError,
    CloudServerError,
    CloudTimeoutError,
)
from custom_components.smartlink_mclimate.clients.mclimate import ControllerOfflineError
from custom_components.smartlink_mclimate.const import DOMAIN
from custom_components.smartlink_mclimate.helpers import (
    command_errors,
    setup_errors,
    update_errors,
)

_URL = URL("https://example.invalid/token")
_INFO = RequestInfo(_URL, "POST", CIMultiDictProxy(CIMultiDict()), _URL)

# (what the client or Home Assistant's OAuth2 session raised, translation key, placeholders)
CLOUD_FAILURES = [
    (CloudConnectionError("GET /x: ClientConnectorError"), "cannot_connect", None),
    (CloudTimeoutError("GET /x: no answer within 15 s"), "cannot_connect", None),
    (CloudServerError("GET /x: HTTP 503", 503), "server_error", {"status": "503"}),
    (CloudRateLimitedError("GET /x: HTTP 429", 30.0), "rate_limited_for", {"seconds": "30"}),
    (CloudRateLimitedError("GET /x: HTTP 429"), "rate_limited", None),
    (
        CloudRequestError("POST /x: HTTP 400", 400, "bad delta"),
        "request_refused",
        {"detail": "bad delta"},
    ),
    (CloudRequestError("POST /x: HTTP 404", 404), "request_failed", None),
    (CloudResponseError("GET /x: controller.id: expected an integer"), "invalid_response", None),
    (
        ControllerOfflineError("POST /x: HTTP 409", 409, "Controller offline"),
        "device_offline",
        None,
    ),
    (CloudError("something else"), "request_failed", None),
    (
        OAuth2TokenRequestTransientError(domain=DOMAIN, request_info=_INFO, status=503),
        "cannot_connect",
        None,
    ),
    (OAuth2TokenRequestConnectionError(domain=DOMAIN), "cannot_connect", None),
]
AUTH_FAILURES = [
    CloudAuthenticationError("GET /x: HTTP 401"),
    OAuth2TokenRequestReauthError(domain=DOMAIN, request_info=_INFO, status=401),
]


def _reauth_flows(hass: HomeAssistant) -> list[str]:
    return [
        flow["context"]["entry_id"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


@pytest.mark.parametrize(("error", "key", "placeholders"), CLOUD_FAILURES)
async def test_command_failures_are_translated(
    hass: HomeAssistant,
    homesmartlink_entry: MockConfigEntry,
    error: Exception,
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    with pytest.raises(HomeAssistantError) as caught, command_errors(hass, homesmartlink_entry):
        raise error
    assert type(caught.value) is HomeAssistantError
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    await hass.async_block_till_done()
    assert _reauth_flows(hass) == []


@pytest.mark.parametrize("error", AUTH_FAILURES)
async def test_refused_credentials_during_a_command_start_reauth(
    hass: HomeAssistant, homesmartlink_entry: MockConfigEntry, error: Exception
) -> None:
    with pytest.raises(HomeAssistantError) as caught, command_errors(hass, homesmartlink_entry):
        raise error
    assert caught.value.translation_key == "authentication_failed"
    await hass.async_block_till_done()
    assert _reauth_flows(hass) == [homesmartlink_entry.entry_id]


async def test_a_value_the_client_refuses_is_the_callers_mistake(
    hass: HomeAssistant, homesmartlink_entry: MockConfigEntry
) -> None:
    with (
        pytest.raises(ServiceValidationError) as caught,
        command_errors(hass, homesmartlink_entry),
    ):
        raise ValueError("delta must be an integer from -5 to 5, got 9")
    assert caught.value.translation_key == "invalid_value"
    assert caught.value.translation_placeholders == {
        "error": "delta must be an integer from -5 to 5, got 9"
    }


@pytest.mark.parametrize(("error", "key", "placeholders"), CLOUD_FAILURES)
def test_poll_failures_become_update_failed(
    error: Exception, key: str, placeholders: dict[str, str] | None
) -> None:
    with pytest.raises(UpdateFailed) as caught, update_errors():
        raise error
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    expected_wait = error.retry_after if isinstance(error, CloudRateLimitedError) else None
    assert caught.value.retry_after == expected_wait


@pytest.mark.parametrize("error", AUTH_FAILURES)
def test_refused_credentials_while_polling_start_reauth(error: Exception) -> None:
    with pytest.raises(ConfigEntryAuthFailed) as caught, update_errors():
        raise error
    assert caught.value.translation_key == "authentication_failed"


@pytest.mark.parametrize(("error", "key", "placeholders"), CLOUD_FAILURES)
def test_setup_failures_retry_later(
    error: Exception, key: str, placeholders: dict[str, str] | None
) -> None:
    with pytest.raises(ConfigEntryNotReady) as caught, setup_errors():
        raise error
    assert caught.value.translation_key == key
    assert caught.value.translation_placeholders == placeholders
    assert caught.value.__cause__ is error
