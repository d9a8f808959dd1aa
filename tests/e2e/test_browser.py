"""The demo in a real browser, from a fresh start (`scripts/develop --fresh`).

One visitor's session, in order: log in; add Home SmartLink (a wrong secret refused with
the translated error, then a home subentry); add MClimate through the simulator's
sign-in page; set a room to 21 °C, switch the water heater off, run a diagnosis and ask
Assist; then the same in French. Every step leaves a screenshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect
import pytest

from scripts.ha_api import JsonObject
from simulator import Simulator

from .browser import Steps, new_page, publish, translations
from .harness import DemoRun, eventually, living_room_setpoint, water_heater_on

SYSTEM_LANGUAGE = "en"  # config/configuration.yaml


@pytest.fixture(scope="module")
def steps(browser: Browser, fresh_demo: DemoRun, screenshots: Path) -> Iterator[Steps]:
    """One tab, signed in as the demo user, for every step of this module."""
    with new_page(browser, "en") as page:
        ui = Steps(page, fresh_demo.url, screenshots)
        ui.log_in(fresh_demo.user.username, fresh_demo.user.password)
        ui.shot("overview-empty")
        yield ui


@pytest.fixture(autouse=True)
def shot_on_failure(request: pytest.FixtureRequest, steps: Steps) -> Iterator[None]:
    """A failed step leaves a screenshot of where it stopped."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        steps.shot(f"FAILED-{request.node.name}")


def posts(clouds: Simulator, mark: int, path: str) -> list[Any]:
    """Bodies of the POSTs to `path` after the first `mark` requests."""
    return [r.json for r in list(clouds.recorder)[mark:] if r.method == "POST" and r.path == path]


def test_1_add_home_smartlink(steps: Steps, fresh_demo: DemoRun, fresh_clouds: Simulator) -> None:
    """The partner form refuses a wrong secret, then takes the right one and a home."""
    strings = steps.strings
    steps.start_config_flow()
    steps.shot("add-account-menu")
    steps.choose(strings["config"]["step"]["user"]["menu_options"]["homesmartlink"])
    steps.field("base_url").fill(fresh_clouds.url)
    steps.field("client_id").fill(fresh_clouds.scenario.homesmartlink.client_id)
    steps.field("client_secret").fill("not-the-secret")
    steps.submit()
    steps.expect_text(strings["config"]["error"]["invalid_auth"])
    steps.shot("wrong-secret")
    steps.field("client_secret").fill(fresh_clouds.scenario.homesmartlink.client_secret)
    steps.submit()
    home = strings["config_subentries"]["home"]
    steps.expect_text(home["step"]["user"]["title"])
    steps.shot("add-home-menu")
    steps.choose(home["step"]["user"]["menu_options"]["add_all"])
    steps.expect_text(home["step"]["add_all"]["title"])
    steps.submit()
    added = len(fresh_clouds.homesmartlink.home_ids)
    steps.expect_text(home["abort"]["homes_added"].split(";")[0].format(added=added))
    steps.shot("homes-added")
    steps.close_dialog()
    entries = fresh_demo.api(lambda api: api.entries("smartlink_mclimate"))
    assert [(e["title"], e["num_subentries"]) for e in entries] == [
        ("Home SmartLink (demo-partner)", added)
    ]


def choose_developer_entry(steps: Steps) -> None:
    """The developers' menu entry (MClimate on servers of one's choice)."""
    steps.choose(steps.strings["config"]["step"]["user"]["menu_options"]["mclimate_server"])


def test_2_add_mclimate(steps: Steps, fresh_demo: DemoRun, fresh_clouds: Simulator) -> None:
    """Application credentials, the simulator's sign-in page, and back to Home Assistant."""
    mclimate = fresh_clouds.scenario.mclimate
    page = steps.page
    steps.start_config_flow()
    choose_developer_entry(steps)
    # No credentials yet: Home Assistant asks for them, then starts the flow again.
    page.get_by_role("textbox", name=steps.label("credentials_name")).fill("MClimate simulator")
    page.get_by_role("textbox", name=steps.label("client_id")).fill(mclimate.client_id)
    page.get_by_role("textbox", name=steps.label("client_secret")).fill(mclimate.client_secret)
    steps.shot("application-credentials")
    page.get_by_role("button", name=steps.label("credentials_add"), exact=True).click()
    choose_developer_entry(steps)
    # The servers, asked once (after the credentials, not before and again after).
    steps.field("api_url").fill(fresh_clouds.mclimate_api_url)
    steps.field("authorize_url").fill(fresh_clouds.mclimate_authorize_url)
    steps.shot("mclimate-servers")
    steps.submit()
    with page.expect_popup() as popup_info:
        page.get_by_text(steps.label("open_site"), exact=True).click()
    sign_in = popup_info.value
    sign_in.wait_for_load_state()
    sign_in.get_by_label("Email").fill(mclimate.username)
    sign_in.get_by_label("Password").fill(mclimate.password)
    steps.shot("sign-in-page", sign_in)
    sign_in.get_by_role("button", name="Sign in").click()
    steps.expect_text(steps.label("finish"))
    steps.shot("mclimate-added")
    page.get_by_role("button", name=steps.label("finish")).click()
    entries = fresh_demo.api(lambda api: api.entries("smartlink_mclimate"))
    assert "MClimate" in [e["title"] for e in entries]  # not the e-mail


def room_thermostat(demo: DemoRun, room: str) -> JsonObject:
    """The state of the room's thermostat that takes a target temperature."""
    states = demo.api(lambda api: api.states()).values()
    return next(
        s for s in states
        if s["entity_id"].startswith("climate.")
        and s["attributes"].get("friendly_name") == room
        and s["attributes"].get("temperature") is not None
    )  # fmt: skip


def test_3_thermostat_relay_and_diagnosis(
    steps: Steps, fresh_demo: DemoRun, fresh_clouds: Simulator
) -> None:
    """21 °C in the living room, the water heater off, a diagnosis run; each reaches the cloud."""
    set_living_room(steps, fresh_demo, fresh_clouds, 21)
    switch_water_heater_off(steps, fresh_demo, fresh_clouds)
    run_diagnosis(steps, fresh_clouds)
    ask_assist(steps, fresh_clouds, "turn on the Bedroom AC")


def set_living_room(steps: Steps, demo: DemoRun, clouds: Simulator, target: int) -> None:
    """The area's thermostat tile > its dialog > + or - up to `target`: a derogation."""
    page = steps.page
    setpoint = room_thermostat(demo, "Living room")["attributes"]["temperature"]
    steps.open("/home/areas-living_room")
    steps.shot("living-room-area")
    # The first home's room: the other home's living room takes no target temperature.
    tile = (
        page.locator("hui-tile-card")
        .filter(has=page.get_by_text("Living room", exact=True))
        .filter(has=page.locator("hui-target-temperature-card-feature"))
    )
    tile.first.locator("ha-tile-container").first.click()
    # The dialog's two round buttons: "-" then "+" (they carry no accessible name).
    buttons = page.locator("ha-more-info-dialog ha-outlined-icon-button")
    button = buttons.nth(1 if target > setpoint else 0)
    mark = len(clouds.recorder)
    for _ in range(abs(round(target - setpoint))):
        button.click()
    eventually(lambda: bool(posts(clouds, mark, "/partners/1/derogations")))
    eventually(lambda: living_room_setpoint(demo.loop, clouds) == target)
    steps.expect_text(str(target))
    shot = steps.shot("thermostat")
    if steps.language == "en":
        publish(shot, "thermostat")
    steps.close_dialog()


def switch_water_heater_off(steps: Steps, demo: DemoRun, clouds: Simulator) -> None:
    """The Bobbie's relay, switched off on its device page."""
    demo.api(
        lambda api: api.request(
            "POST", "/api/services/switch/turn_on", json={"entity_id": "switch.water_heater"}
        )
    )
    eventually(lambda: water_heater_on(demo.loop, clouds))
    steps.open_device("Water heater")
    expect(steps.page.get_by_role("switch").first).to_be_checked()
    steps.page.locator("ha-switch").first.click()  # its styled track covers the input
    eventually(lambda: not water_heater_on(demo.loop, clouds))
    steps.shot("water-heater-off")


def run_diagnosis(steps: Steps, clouds: Simulator) -> None:
    """The first home's "Run diagnosis" button: a diagnosis request to the gateway."""
    home = clouds.homesmartlink.homes[0]
    title = f"{home.user.city} · {home.home_id[:4]}…{home.home_id[-4:]}"
    steps.open_device(title)
    # Entity names come in Home Assistant's own language (the demo's is English), the
    # rest of the page in the profile's.
    name = translations(SYSTEM_LANGUAGE)["entity"]["button"]["run_diagnosis"]["name"]
    row = steps.page.locator("hui-button-entity-row, state-card-button").filter(has_text=name)
    mark = len(clouds.recorder)
    row.get_by_role("button", name=steps.label("press")).click()
    eventually(lambda: bool(posts(clouds, mark, "/partners/1/request")))
    steps.shot("diagnosis")


def ask_assist(steps: Steps, clouds: Simulator, sentence: str) -> None:
    """A sentence typed into the Assist dialog: an IR command to the Melissa."""
    melissa = next(c for c in clouds.mclimate.controllers.values() if c.name == "Bedroom AC")
    mark = len(clouds.recorder)
    steps.ask_assist(sentence)
    eventually(
        lambda: any(
            body["serial_number"] == melissa.serial_number and body["command"] == "send_ir_code"
            for body in posts(clouds, mark, "/v1/provider/send")
        )
    )
    steps.expect_text("Turned on")  # the agent's answer
    steps.shot("assist")
    steps.close_dialog()


def test_4_the_same_in_french(steps: Steps, fresh_demo: DemoRun, fresh_clouds: Simulator) -> None:
    """With the profile in French: the form's error, the thermostat, relay and diagnosis."""
    steps.set_profile_language("fr")
    steps.shot("profile-language")
    strings = steps.strings
    steps.start_config_flow()
    steps.shot("add-account-menu")
    steps.choose(strings["config"]["step"]["user"]["menu_options"]["homesmartlink"])
    steps.field("base_url").fill(fresh_clouds.url)
    steps.field("client_id").fill("another-partner")
    steps.field("client_secret").fill("not-the-secret")
    steps.submit()
    steps.expect_text(strings["config"]["error"]["invalid_auth"])
    steps.shot("wrong-secret")
    steps.close_dialog()
    set_living_room(steps, fresh_demo, fresh_clouds, 20)
    switch_water_heater_off(steps, fresh_demo, fresh_clouds)
    run_diagnosis(steps, fresh_clouds)
