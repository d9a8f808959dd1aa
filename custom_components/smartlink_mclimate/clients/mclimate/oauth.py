"""MClimate's authorization server, without Home Assistant.

MClimate's token endpoint takes JSON (not the usual form body), documents the
grant type under the misspelt name `grent_type`, and issues no refresh token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp

from ..errors import CloudResponseError
from ..http import DEFAULT_TIMEOUT, JsonHttpClient

DEFAULT_AUTHORIZE_URL: Final = "https://auth.seemelissa.com/"
DEFAULT_TOKEN_URL: Final = "https://developer-api.seemelissa.com/v1/token"  # noqa: S105
GRANT_TYPE: Final = "authorization_code"
_AUTHORIZE_PARAMS: Final = ("response_type", "client_id", "state", "redirect_uri")


@dataclass(frozen=True, slots=True)
class Token:
    """An access token; its value never appears in repr or str."""

    access_token: str = field(repr=False)
    expires_in: int

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Read the token endpoint's answer."""
        if not isinstance(data, Mapping):
            raise CloudResponseError("token answer: expected an object")
        access_token = data.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise CloudResponseError("token answer: 'access_token' is missing or not a string")
        expires_in = data.get("expires_in")
        try:
            seconds = float(expires_in)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise CloudResponseError(
                "token answer: 'expires_in' is missing or not a number"
            ) from None
        if isinstance(expires_in, bool) or not seconds.is_integer() or seconds < 0:
            raise CloudResponseError("token answer: 'expires_in' is not a number of seconds")
        return cls(access_token=access_token, expires_in=int(seconds))

    def as_dict(self) -> dict[str, Any]:
        """The token as an OAuth2 token dictionary (what Home Assistant stores)."""
        return {"access_token": self.access_token, "expires_in": self.expires_in}


def build_authorize_url(
    client_id: str,
    state: str,
    redirect_uri: str | None = None,
    *,
    authorize_url: str = DEFAULT_AUTHORIZE_URL,
) -> str:
    """The page the user's browser opens to sign in and grant access."""
    parts = urlsplit(authorize_url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in _AUTHORIZE_PARAMS
    ]
    query += [("response_type", "code"), ("client_id", client_id), ("state", state)]
    if redirect_uri is not None:
        query.append(("redirect_uri", redirect_uri))
    return urlunsplit(parts._replace(query=urlencode(query)))


class _TokenEndpoint(JsonHttpClient):
    """The token URL, spoken to with the shared error mapping and no Bearer header."""

    async def post(self, body: dict[str, str]) -> Any:
        return await self._request("POST", self.base_url, json_body=body, authenticated=False)


async def exchange_code(
    session: aiohttp.ClientSession,
    token_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str | None = None,
    *,
    request_timeout: float = DEFAULT_TIMEOUT,
) -> Token:
    """Exchange an authorization code for an access token (JSON body, one use per code).

    Both `grant_type` and the documented `grent_type` are sent, so a server
    reading either spelling accepts the request. Refusals raise the shared
    cloud errors: a wrong client secret `CloudAuthenticationError`, a used or
    unknown code `CloudRequestError`.
    """
    body = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_type": GRANT_TYPE,
        "grent_type": GRANT_TYPE,
        "code": code,
    }
    if redirect_uri is not None:
        body["redirect_uri"] = redirect_uri
    endpoint = _TokenEndpoint(session, token_url, request_timeout=request_timeout)
    return Token.from_dict(await endpoint.post(body))
