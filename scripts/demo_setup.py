"""Bring a new Home Assistant to a usable demo: onboarding, HTTP settings, a clean start.

Everything goes through Home Assistant's own onboarding, auth and websocket APIs, in
the order its frontend would use them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from http import HTTPStatus

from scripts.ha_api import HomeAssistantApi, HomeAssistantApiError, JsonObject, poll

# Onboarding's core-config step adds these; offline they only fail (met, radio_browser)
# or speak through a cloud (google_translate), and the demo needs no shopping list.
ONBOARDING_INTEGRATIONS = ("met", "radio_browser", "google_translate", "shopping_list")
STARTUP_TIMEOUT = 300.0
ONBOARDING_FLOWS_TIMEOUT = 20.0
# Bookkeeping keys of a stored HTTP configuration, not settings.
META_KEYS = ("created_at", "error", "error_message")


@dataclass(frozen=True)
class DemoUser:
    """The owner account onboarding creates; its credentials are printed for the visitor."""

    name: str = "Demo"
    username: str = "demo"
    password: str = "demo"  # noqa: S105 - the demo's published password
    language: str = "en"


async def onboard(api: HomeAssistantApi, user: DemoUser) -> bool:
    """Run every onboarding step still open; sign in as the owner. False: already onboarded."""
    try:
        answer = await api.request("GET", "/api/onboarding", auth=False)
    except HomeAssistantApiError as err:
        if err.status != HTTPStatus.NOT_FOUND:
            raise
        answer = []  # the onboarding API is gone once every step is done
    steps = {step["step"]: step["done"] for step in answer}
    if steps.get("user", True):
        await api.login(user.username, user.password)
        if all(steps.values()):
            return False
    else:
        answer = await api.request(
            "POST",
            "/api/onboarding/users",
            json={
                "client_id": api.client_id,
                "name": user.name,
                "username": user.username,
                "password": user.password,
                "language": user.language,
            },
            auth=False,
        )
        await api.exchange_code(answer["auth_code"])
    for step in ("core_config", "analytics"):
        if not steps.get(step, True):
            await api.request("POST", f"/api/onboarding/{step}", json={})
    if not steps.get("integration", True):
        await api.request(
            "POST",
            "/api/onboarding/integration",
            json={"client_id": api.client_id, "redirect_uri": f"{api.base_url}/?auth_callback=1"},
        )
    return True


async def wait_until_running(api: HomeAssistantApi) -> None:
    """Wait until Home Assistant has started every integration (state RUNNING)."""

    async def running() -> bool:
        return bool((await api.command("get_config"))["state"] == "RUNNING")

    await poll(running, STARTUP_TIMEOUT, "Home Assistant did not finish starting")


async def confirm_http(api: HomeAssistantApi) -> None:
    """Confirm the HTTP settings on trial: no dialog, and no revert five minutes later."""
    config: JsonObject = await api.command("http/config")
    pending = config["pending"]
    if pending is not None and pending.get("error") is None:
        await api.command("http/config/promote")


async def change_http(api: HomeAssistantApi, host: str, port: int) -> bool:
    """Ask for other HTTP settings (applied by a restart, then on trial). False: unchanged."""
    config = await api.command("http/config")
    stable = config["stable"]
    if stable.get("server_host") == [host] and stable["server_port"] == port:
        return False
    wanted = {key: value for key, value in stable.items() if key not in META_KEYS}
    wanted.update(server_host=[host], server_port=port)
    result = await api.command("http/config/configure", config=wanted)
    return bool(result["restart"])


async def remove_onboarding_integrations(api: HomeAssistantApi) -> None:
    """Delete the entries onboarding's core-config step added, once its flows are over.

    Each flow either adds its entry or stops (met without a home location): wait until
    none runs any more, the entries they added are then all there.
    """

    async def flows_over() -> bool:
        flows = await api.command("config_entries/flow/progress")
        return not any(flow["handler"] in ONBOARDING_INTEGRATIONS for flow in flows)

    with contextlib.suppress(HomeAssistantApiError):  # then remove what exists by now
        await poll(flows_over, ONBOARDING_FLOWS_TIMEOUT, "onboarding's flows still run")
    for entry in await api.entries():
        if entry["domain"] in ONBOARDING_INTEGRATIONS:
            await api.delete_entry(entry["entry_id"])


async def asks_for_restart(api: HomeAssistantApi) -> bool:
    """Whether the HTTP YAML import left its repair: "remove http: from YAML and restart"."""
    issues = (await api.command("repairs/list_issues"))["issues"]
    return any(
        issue["domain"] == "http" and issue["issue_id"] == "deprecated_yaml" for issue in issues
    )


async def restart(api: HomeAssistantApi) -> None:
    """Restart Home Assistant (its process exits with code 100; the launcher starts it again)."""
    with contextlib.suppress(HomeAssistantApiError, OSError):  # cut short by the restart
        await api.request("POST", "/api/services/homeassistant/restart", json={})
