"""MClimate sign-in through Home Assistant application credentials.

MClimate differs from a textbook OAuth2 server in two ways we must honour:
the token endpoint takes JSON (not a form), and no refresh token is
documented, so an expired token means signing in again (reauth). A server
that does answer a `refresh_token` gets the standard refresh grant, as JSON.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, override

from aiohttp import ClientError, RequestInfo
from homeassistant.components.application_credentials import (
    AuthorizationServer,
    ClientCredential,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    OAuth2TokenRequestConnectionError,
    OAuth2TokenRequestReauthError,
    OAuth2TokenRequestTransientError,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import LocalOAuth2Implementation
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from .clients import CloudError
from .clients.mclimate.oauth import (
    DEFAULT_AUTHORIZE_URL,
    DEFAULT_TOKEN_URL,
    exchange_code,
    refresh_token,
)

TOKEN_PATH = "/token"  # noqa: S105 - a URL path, not a secret


async def async_get_authorization_server(hass: HomeAssistant) -> AuthorizationServer:
    """MClimate's authorization server."""
    return AuthorizationServer(authorize_url=DEFAULT_AUTHORIZE_URL, token_url=DEFAULT_TOKEN_URL)


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> MClimateOAuth2Implementation:
    """MClimate's own implementation: JSON token exchange, no refresh."""
    return MClimateOAuth2Implementation(
        hass,
        auth_domain,
        credential.client_id,
        credential.client_secret,
        DEFAULT_AUTHORIZE_URL,
        DEFAULT_TOKEN_URL,
    )


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Links shown in the application credentials dialog."""
    return {"developer_url": "https://developers.mclimate.eu"}


class MClimateOAuth2Implementation(LocalOAuth2Implementation):
    """Authorization code flow against MClimate."""

    @property
    @override
    def name(self) -> str:
        """Name shown when several implementations exist."""
        return "MClimate"

    @property
    def api_url(self) -> str:
        """The API root: the documented token URL is `<API root>/token`."""
        return self.token_url.removesuffix(TOKEN_PATH)

    def for_server(self, api_url: str, authorize_url: str) -> MClimateOAuth2Implementation:
        """The same credentials against another MClimate server (or the simulator)."""
        return MClimateOAuth2Implementation(
            self.hass,
            self.domain,
            self.client_id,
            self.client_secret,
            authorize_url,
            f"{api_url.rstrip('/')}{TOKEN_PATH}",
        )

    @override
    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Exchange the authorization code for an access token (JSON body)."""
        try:
            token = await exchange_code(
                async_get_clientsession(self.hass),
                self.token_url,
                self.client_id,
                self.client_secret,
                external_data["code"],
                external_data["state"]["redirect_uri"],
            )
        except CloudError as err:
            # The OAuth2 flow turns a ClientError into an "oauth_failed" abort.
            raise ClientError(str(err)) from err
        answer = {
            "access_token": token.access_token,
            "expires_in": token.expires_in,
            "token_type": "Bearer",
        }
        if token.refresh_token:
            answer["refresh_token"] = token.refresh_token
        return answer

    @override
    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Refresh when the server issued a refresh token; else ask the user to sign in."""
        if not token.get("refresh_token"):
            raise self._token_error(401, "MClimate issued no refresh token; sign in again")
        try:
            fresh = await refresh_token(
                async_get_clientsession(self.hass),
                self.token_url,
                self.client_id,
                self.client_secret,
                token["refresh_token"],
            )
        except CloudError as err:
            if err.status is None:
                raise OAuth2TokenRequestConnectionError(domain=self.domain) from err
            raise self._token_error(err.status, str(err)) from err
        return {
            **token,
            "access_token": fresh.access_token,
            "expires_in": fresh.expires_in,
            "refresh_token": fresh.refresh_token or token["refresh_token"],
        }

    def _token_error(
        self, status: int, message: str
    ) -> OAuth2TokenRequestReauthError | OAuth2TokenRequestTransientError:
        """A refused refresh means signing in again; 429 and 5xx are worth a retry."""
        url = URL(self.token_url)
        info = RequestInfo(url, "POST", CIMultiDictProxy(CIMultiDict()), url)
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            return OAuth2TokenRequestTransientError(
                domain=self.domain, request_info=info, status=status, message=message
            )
        return OAuth2TokenRequestReauthError(
            domain=self.domain, request_info=info, status=status, message=message
        )
