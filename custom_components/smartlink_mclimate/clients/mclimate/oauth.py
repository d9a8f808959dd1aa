"""MClimate's authorization server, without Home Assistant.

MClimate's token endpoint takes JSON (not the usual form body) and documents
the grant type under the misspelt name `grent_type`. The document describes
no refresh token; `refresh_token` is here for a server that issues one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import aiohttp
from mashumaro import field_options

from ..http import JsonHttpClient
from ..model import prepare_models
from ..strategies import Integer
from .models import MClimateModel

DEFAULT_AUTHORIZE_URL: Final = "https://auth.seemelissa.com/"
DEFAULT_TOKEN_URL: Final = "https://developer-api.seemelissa.com/v1/token"  # noqa: S105
GRANT_TYPE: Final = "authorization_code"
REFRESH_GRANT_TYPE: Final = "refresh_token"


@dataclass(frozen=True, kw_only=True, slots=True)
class Token(MClimateModel):
    """An access token (and a refresh token, when the server issues one); never in repr."""

    access_token: str = field(repr=False)
    expires_in: int = field(metadata=field_options(serialization_strategy=Integer(minimum=0)))
    refresh_token: str | None = field(default=None, repr=False)


class _TokenEndpoint(JsonHttpClient):
    """The token URL, spoken to with the shared error mapping (the body authenticates)."""

    async def grant(self, body: dict[str, str]) -> Token:
        return await self._call("POST", self.base_url, Token, json_body=body)


async def _token_request(
    session: aiohttp.ClientSession,
    token_url: str,
    client_id: str,
    client_secret: str,
    grant_type: str,
    **fields: str,
) -> Token:
    """Ask the token endpoint for a token, naming the grant under both spellings.

    Both `grant_type` and the documented `grent_type` are sent, so a server
    reading either spelling accepts the request. Refusals raise the shared
    cloud errors: a wrong client secret `CloudAuthenticationError`, a used or
    unknown code (or refresh token) `CloudRequestError`.
    """
    body = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_type": grant_type,
        "grent_type": grant_type,
        **fields,
    }
    return await _TokenEndpoint(session, token_url).grant(body)


async def exchange_code(
    session: aiohttp.ClientSession,
    token_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str | None = None,
) -> Token:
    """Exchange an authorization code for a token (JSON body, one use per code)."""
    fields = {"code": code}
    if redirect_uri is not None:
        fields["redirect_uri"] = redirect_uri
    return await _token_request(session, token_url, client_id, client_secret, GRANT_TYPE, **fields)


async def refresh_token(
    session: aiohttp.ClientSession,
    token_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
) -> Token:
    """Exchange a refresh token for a new token (the standard refresh grant, as JSON)."""
    return await _token_request(
        session,
        token_url,
        client_id,
        client_secret,
        REFRESH_GRANT_TYPE,
        refresh_token=refresh_token,
    )


prepare_models()
