"""HTTP Basic authentication of the partner, as the document describes it."""

from __future__ import annotations

import base64
import binascii
import hmac

from aiohttp import web

from simulator.problems import ProblemError


def basic_client(header: str, client_id: str, client_secret: str) -> str | None:
    """The client id when the Authorization header carries these credentials, else None.

    The scheme is case-insensitive: the document writes it `BASIC`.
    """
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    given_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    id_ok = hmac.compare_digest(given_id.encode(), client_id.encode())
    secret_ok = hmac.compare_digest(secret.encode(), client_secret.encode())
    return given_id if id_ok and secret_ok else None


def require_partner(request: web.Request, client_id: str, client_secret: str) -> str:
    """The authenticated client id, or a 401 problem challenging Basic."""
    client = basic_client(request.headers.get("Authorization", ""), client_id, client_secret)
    if client is None:
        raise ProblemError(
            401,
            "Missing or invalid Basic credentials",
            headers={"WWW-Authenticate": 'Basic realm="partners"'},
        )
    return client
