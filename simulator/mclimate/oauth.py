"""MClimate's OAuth2: the sign-in page, the token endpoint and Bearer checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import hmac
import secrets
from typing import Any, Final

from aiohttp import web
from yarl import URL

from simulator.host import CloudHost
from simulator.problems import ProblemError
from simulator.scenario import MClimateScenario

from .html import form_html, message_html, page
from .requests import json_object

CODE_LIFETIME: Final = 600.0
OAUTH_ERROR_STATUS: Final = {"invalid_client": 401}
BEARER_CHALLENGE: Final = {"WWW-Authenticate": 'Bearer realm="MClimate"'}


@dataclass
class AuthCode:
    """An authorization code waiting for its one exchange."""

    client_id: str
    redirect_uri: str | None
    expires_at: float


@dataclass
class AccessToken:
    """An issued access token."""

    client_id: str
    expires_at: float
    revoked: bool = False


@dataclass
class RefreshToken:
    """An issued refresh token (only with the scenario's `refresh_tokens`)."""

    client_id: str
    revoked: bool = False


class PageError(Exception):
    """A sign-in request the page must refuse (shown as HTML, not RFC 7807)."""

    def __init__(self, status: int, message: str) -> None:
        """Remember the status and the message to show."""
        super().__init__(message)
        self.status = status
        self.message = message


class OAuthServer:
    """Codes, tokens, the sign-in page and the token endpoint of one OAuth client."""

    def __init__(self, host: CloudHost) -> None:
        """Nothing issued yet."""
        self.host = host
        self._codes: dict[str, AuthCode] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._refresh_tokens: dict[str, RefreshToken] = {}

    @property
    def config(self) -> MClimateScenario:
        """The MClimate part of the scenario (read at each request)."""
        return self.host.scenario.mclimate

    def routes(self) -> list[web.RouteDef]:
        """Sign-in page and token endpoint."""
        return [
            web.get("/oauth/authorize", self._authorize_page),
            web.post("/oauth/authorize", self._authorize_submit),
            web.post("/v1/token", self._token),
        ]

    # -- issuing and withdrawing -------------------------------------------------------

    def issue_code(self, redirect_uri: str | None = None) -> str:
        """An authorization code, as if the user had just signed in."""
        code = secrets.token_urlsafe(24)
        expires_at = self.host.clock.timestamp() + CODE_LIFETIME
        self._codes[code] = AuthCode(self.config.client_id, redirect_uri, expires_at)
        return code

    def issue_token(self, client_id: str | None = None) -> str:
        """A valid access token, as the token endpoint would issue it."""
        token = secrets.token_urlsafe(32)
        expires_at = self.host.clock.timestamp() + self.config.token_lifetime
        self._tokens[token] = AccessToken(client_id or self.config.client_id, expires_at)
        return token

    def issue_refresh_token(self, client_id: str | None = None) -> str:
        """A valid refresh token (it works only while the scenario enables them)."""
        token = secrets.token_urlsafe(32)
        self._refresh_tokens[token] = RefreshToken(client_id or self.config.client_id)
        return token

    def revoke_tokens(self) -> None:
        """Revoke every issued token, refresh tokens included (the user removed the app)."""
        for token in self._tokens.values():
            token.revoked = True
        for refresh in self._refresh_tokens.values():
            refresh.revoked = True

    def expire_tokens(self) -> None:
        """Make every issued access token expire now (refresh tokens still work)."""
        now = self.host.clock.timestamp()
        for token in self._tokens.values():
            token.expires_at = min(token.expires_at, now)

    # -- Bearer ------------------------------------------------------------------------

    def authenticate(self, request: web.Request) -> None:
        """Check the Bearer token, then spend one request of its client's budget."""
        header = request.headers.get("Authorization", "").strip()
        scheme, _, value = header.partition(" ")
        if not header or (scheme.lower() == "bearer" and not value.strip()):
            raise _missing_header()
        if scheme.lower() != "bearer":
            raise _unauthorized("Authorization must be: Bearer {access_token}")
        token = self._tokens.get(value.strip())
        if token is None:
            raise _unauthorized("Invalid access token")
        if token.revoked:
            raise _unauthorized("The access token was revoked")
        if token.expires_at <= self.host.clock.timestamp():
            raise _unauthorized("The access token expired")
        self.host.check_rate_limit(token.client_id)

    # -- sign-in page ------------------------------------------------------------------

    def _authorize_request(self, params: Mapping[str, str]) -> tuple[str, str | None]:
        """Check the client and redirect URI; return (redirect_uri, state)."""
        if params.get("response_type") != "code":
            raise PageError(400, "Unsupported response_type: only 'code' is supported.")
        if params.get("client_id") != self.config.client_id:
            raise PageError(400, "Unknown client.")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri:
            raise PageError(400, "redirect_uri is required: this client registered none.")
        url = URL(redirect_uri)
        if not url.absolute or url.scheme not in ("http", "https"):
            raise PageError(400, "redirect_uri must be an absolute http(s) URI.")
        return redirect_uri, params.get("state")

    async def _authorize_page(self, request: web.Request) -> web.Response:
        try:
            self._authorize_request(request.query)
        except PageError as err:
            return page(err.status, message_html(err.message))
        return page(200, form_html(request.path, request.query, self.config.username))

    async def _authorize_submit(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        try:
            redirect_uri, state = self._authorize_request(form)
        except PageError as err:
            return page(err.status, message_html(err.message))
        username_ok = _same(form.get("username", ""), self.config.username)
        password_ok = _same(form.get("password", ""), self.config.password)
        if not (username_ok and password_ok):
            error = "Wrong email or password."
            return page(401, form_html(request.path, form, self.config.username, error=error))
        code = self.issue_code(redirect_uri)
        params = {"code": code} if state is None else {"code": code, "state": state}
        location = URL(redirect_uri).update_query(params)
        return web.Response(status=302, headers={"Location": str(location)})

    # -- token endpoint ----------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        client_id, secret = body.get("client_id"), body.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(secret, str):
            raise _oauth_error("invalid_request", "client_id and client_secret are required")
        known = _same(client_id, self.config.client_id)
        if not (known and _same(secret, self.config.client_secret)):
            raise _oauth_error("invalid_client", "Client authentication failed")
        self.host.check_rate_limit(client_id)
        grant = self._grant_type(body)
        if grant == "refresh_token":
            self._use_refresh_token(body.get("refresh_token"), client_id)
        else:
            code = body.get("code")
            if not isinstance(code, str) or not code:
                raise _oauth_error("invalid_request", "code is required")
            self._redeem(code, client_id, body.get("redirect_uri"))
        answer: dict[str, Any] = {
            "access_token": self.issue_token(client_id),
            "expires_in": self.config.token_lifetime,
        }
        if self.config.refresh_tokens:
            answer["refresh_token"] = self.issue_refresh_token(client_id)
        return web.json_response(answer)

    def _grant_type(self, body: dict[str, Any]) -> str:
        """The grant asked for: `grant_type` and the documented `grent_type` must agree."""
        grants = [body[key] for key in ("grant_type", "grent_type") if key in body]
        if not grants:
            raise _oauth_error("invalid_request", "grant_type is required")
        supported = ["authorization_code"]
        if self.config.refresh_tokens:
            supported.append("refresh_token")
        first = grants[0]
        if first not in supported or any(grant != first for grant in grants):
            raise _oauth_error(
                "unsupported_grant_type", f"Supported grant types: {', '.join(supported)}"
            )
        return str(first)

    def _redeem(self, code: str, client_id: str, redirect_uri: Any) -> None:
        """Use up an authorization code, or refuse it."""
        grant = self._codes.get(code)
        now = self.host.clock.timestamp()
        if grant is None or grant.expires_at <= now or grant.client_id != client_id:
            raise _oauth_error(
                "invalid_grant", "The authorization code is invalid, expired or already used"
            )
        if redirect_uri is not None and redirect_uri != grant.redirect_uri:
            raise _oauth_error(
                "invalid_grant", "redirect_uri does not match the authorization request"
            )
        del self._codes[code]

    def _use_refresh_token(self, value: Any, client_id: str) -> None:
        """Use up a refresh token (each one works once: a new one comes with the answer)."""
        if not isinstance(value, str) or not value:
            raise _oauth_error("invalid_request", "refresh_token is required")
        refresh = self._refresh_tokens.get(value)
        if refresh is None or refresh.revoked or refresh.client_id != client_id:
            raise _oauth_error(
                "invalid_grant", "The refresh token is invalid, revoked or already used"
            )
        del self._refresh_tokens[value]


def _oauth_error(error: str, detail: str) -> ProblemError:
    """An OAuth error in an RFC 7807 body."""
    return ProblemError(OAUTH_ERROR_STATUS.get(error, 400), detail, extra={"error": error})


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, detail, headers=dict(BEARER_CHALLENGE))


def _missing_header() -> ProblemError:
    """The documented answer when no token is sent."""
    return ProblemError(
        401,
        "",
        headers=dict(BEARER_CHALLENGE),
        extra={"auth_errors": {"missingHeader": "Please provide Authorization header"}},
    )


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII input."""
    return hmac.compare_digest(given.encode(), expected.encode())
