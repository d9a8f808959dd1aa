"""The sign-in page: small, self-contained HTML, every value escaped."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from aiohttp import web

HIDDEN_PARAMS = ("response_type", "client_id", "state", "redirect_uri")
_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f3f5f7;margin:0}"
    "main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;"
    "box-shadow:0 1px 4px #0002}label{display:block;margin:.8rem 0}"
    "input{display:block;width:100%;padding:.4rem;box-sizing:border-box}"
    "button{margin-top:1rem;padding:.5rem 1.5rem}.error{color:#b00020}.hint{color:#666}"
)


def page(status: int, content: str) -> web.Response:
    """A whole HTML page around `content`."""
    return web.Response(
        status=status,
        content_type="text/html",
        text=(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>MClimate sign-in (simulated)</title>"
            f"<style>{_STYLE}</style></head><body><main>{content}</main></body></html>"
        ),
    )


def message_html(message: str) -> str:
    """A refusal: the message and no form."""
    return f"<h1>MClimate</h1><p class='error'>{escape(message)}</p>"


def form_html(
    action: str, params: Mapping[str, str], account: str, *, error: str | None = None
) -> str:
    """The sign-in form, carrying the authorize parameters; never the password back."""
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(params[name])}">'
        for name in HIDDEN_PARAMS
        if name in params
    )
    username = escape(params.get("username", ""))
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return (
        f"<h1>MClimate</h1><p>Sign in to let <strong>{escape(params['client_id'])}</strong>"
        f" access your MClimate devices.</p>{alert}"
        f'<form method="post" action="{escape(action)}">{hidden}'
        f'<label>Email <input name="username" value="{username}" autocomplete="username"'
        " required></label>"
        '<label>Password <input name="password" type="password"'
        ' autocomplete="current-password" required></label>'
        '<button type="submit">Sign in</button></form>'
        f'<p class="hint">Simulated account: {escape(account)}</p>'
    )
