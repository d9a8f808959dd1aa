"""Add the demo's two accounts through Home Assistant's config flows, as a visitor would.

Home SmartLink: the partner form, then the "Add home" subentry flow (every consenting
home). MClimate: the application credentials, the "MClimate on another server" form
pointing at the simulator, and its sign-in page answered here like a browser would.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Self, override
from urllib.parse import urljoin

from scripts.ha_api import HomeAssistantApi, HomeAssistantApiError, JsonObject
from simulator.scenario import Scenario

DOMAIN = "smartlink_mclimate"


@dataclass(frozen=True)
class DemoClouds:
    """Where the simulated clouds answer and the credentials they accept."""

    url: str
    partner_id: str
    partner_secret: str
    oauth_client_id: str
    oauth_client_secret: str
    username: str
    password: str
    mclimate_devices: int  # controllers of the documented types

    @classmethod
    def of(cls, url: str, scenario: Scenario) -> Self:
        """The clouds of a simulator running `scenario` at `url`."""
        hsl, mc = scenario.homesmartlink, scenario.mclimate
        return cls(
            url.rstrip("/"),
            hsl.client_id,
            hsl.client_secret,
            mc.client_id,
            mc.client_secret,
            mc.username,
            mc.password,
            mc.melissa + mc.bobbie + mc.vicki + mc.smart_plug,
        )

    @property
    def mclimate_api(self) -> str:
        """The MClimate API root of the simulator."""
        return f"{self.url}/v1"

    @property
    def authorize_url(self) -> str:
        """The simulator's MClimate sign-in page."""
        return f"{self.url}/oauth/authorize"


def _expect(result: JsonObject, kind: str, step: str | None = None) -> JsonObject:
    """The flow's answer, if it is the step the demo expects (else say what came)."""
    if result.get("type") != kind or (step is not None and result.get("step_id") != step):
        raise HomeAssistantApiError(f"unexpected flow answer (wanted {kind} {step}): {result}")
    return result


async def add_homesmartlink(api: HomeAssistantApi, clouds: DemoClouds) -> str:
    """The partner account and all its consenting homes; returns the entry id."""
    menu = _expect(await api.start_flow("flow", DOMAIN), "menu", "user")
    form = await api.flow("flow", menu["flow_id"], {"next_step_id": "homesmartlink"})
    created = await api.flow(
        "flow",
        _expect(form, "form", "homesmartlink")["flow_id"],
        {
            "base_url": clouds.url,
            "client_id": clouds.partner_id,
            "client_secret": clouds.partner_secret,
        },
    )
    _expect(created, "create_entry")
    _, home_flow = created["next_flow"]  # the integration goes on to "Add home"
    await api.flow("subentries/flow", home_flow, {"next_step_id": "add_all"})
    _expect(await api.flow("subentries/flow", home_flow, {}), "abort")
    entry_id: str = created["result"]["entry_id"]
    return entry_id


async def add_mclimate(api: HomeAssistantApi, clouds: DemoClouds) -> str:
    """The household account, signed in on the simulator's page; returns the entry id."""
    await api.command(
        "application_credentials/create",
        domain=DOMAIN,
        client_id=clouds.oauth_client_id,
        client_secret=clouds.oauth_client_secret,
        name="MClimate simulator",
    )
    menu = _expect(await api.start_flow("flow", DOMAIN), "menu", "user")
    form = await api.flow("flow", menu["flow_id"], {"next_step_id": "mclimate_server"})
    external = await api.flow(
        "flow",
        _expect(form, "form", "mclimate_server")["flow_id"],
        {"api_url": clouds.mclimate_api, "authorize_url": clouds.authorize_url},
    )
    created = _expect(
        await _finish_sign_in(api, clouds, _expect(external, "external")), "create_entry"
    )
    entry_id: str = created["result"]["entry_id"]
    return entry_id


async def sign_in_again(api: HomeAssistantApi, clouds: DemoClouds) -> int:
    """Answer MClimate's re-authentications; return how many there were.

    The simulator keeps its tokens in memory: when it starts again, the token Home
    Assistant stored is unknown to it and Home Assistant asks to sign in again.
    """
    flows = [
        flow
        for flow in await api.command("config_entries/flow/progress")
        if flow["handler"] == DOMAIN
        and flow["context"].get("source") == "reauth"
        and flow["step_id"] == "reauth_mclimate"
    ]
    for flow in flows:
        external = _expect(await api.flow("flow", flow["flow_id"], {}), "external")
        await _finish_sign_in(api, clouds, external)
    return len(flows)


async def _finish_sign_in(
    api: HomeAssistantApi, clouds: DemoClouds, external: JsonObject
) -> JsonObject:
    """The sign-in page of an external step, then the flow's outcome."""
    callback = await sign_in(api, external["url"], clouds)
    async with api.session.get(callback) as response:  # Home Assistant's callback page
        response.raise_for_status()
    result: JsonObject = await api.flow("flow", external["flow_id"])
    return result


async def sign_in(api: HomeAssistantApi, authorize_url: str, clouds: DemoClouds) -> str:
    """Fill in the sign-in page; return where it sends the browser back (Home Assistant)."""
    async with api.session.get(authorize_url) as response:
        response.raise_for_status()
        form = SignInForm.parse(await response.text())
    data = {**form.hidden, "username": clouds.username, "password": clouds.password}
    async with api.session.post(
        urljoin(authorize_url, form.action), data=data, allow_redirects=False
    ) as response:
        location = response.headers.get("Location")
        if response.status not in (302, 303) or not location:
            raise HomeAssistantApiError(f"sign-in refused: {response.status}")
    return location


class SignInForm(HTMLParser):
    """The sign-in page's form: where it posts and its hidden fields (the OAuth parameters)."""

    def __init__(self) -> None:
        """Nothing read yet."""
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}

    @classmethod
    def parse(cls, page: str) -> Self:
        """Read a page."""
        form = cls()
        form.feed(page)
        if not form.action:
            raise HomeAssistantApiError("the sign-in page has no form")
        return form

    @override
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("type") == "hidden":
            self.hidden[values.get("name", "")] = values.get("value", "")
