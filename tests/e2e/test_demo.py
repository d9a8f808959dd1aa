"""`scripts/develop`: a demo that is ready, stays up on loopback, and stops cleanly."""

from __future__ import annotations

import json
from pathlib import Path
import re

from playwright.sync_api import Browser
import psutil  # type: ignore[import-untyped]
import pytest

from scripts.ha_api import HomeAssistantApi, JsonObject
from simulator import Simulator

from .browser import Steps, new_page, publish
from .harness import BackgroundLoop, DemoRun, eventually, free_port

ONBOARDING_INTEGRATIONS = {"met", "radio_browser", "google_translate", "shopping_list"}


def listening(process: psutil.Process) -> set[tuple[str, int]]:
    """The addresses a process listens on (TCP)."""
    return {
        (conn.laddr.ip, conn.laddr.port)
        for conn in process.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN
    }


def test_home_assistant_listens_on_loopback_only(demo: DemoRun) -> None:
    """Only 127.0.0.1:<port>: not every interface, as an unconfirmed trial ends up doing."""
    assert listening(demo.hass_process()) == {("127.0.0.1", demo.port)}


def test_http_trial_is_confirmed(demo: DemoRun) -> None:
    """No trial pending: no dialog to confirm, and no revert-and-restart 5 minutes later.

    Home Assistant schedules that revert only while it runs a pending configuration
    (`active_config_type` "pending"); here the loopback settings are the stable ones,
    in its storage too, so the demo stays up and on loopback however long it runs.
    """
    config = demo.api(lambda api: api.command("http/config"))
    assert config["pending"] is None
    assert config["revert_at"] is None
    assert config["active_config_type"] == "stable"
    assert config["stable"]["server_host"] == ["127.0.0.1"]
    assert config["stable"]["server_port"] == demo.port
    stored = json.loads((demo.config / ".storage" / "http").read_text())["data"]
    assert stored["pending"] is None
    assert stored["stable"]["server_host"] == ["127.0.0.1"]
    assert not (demo.config / "packages" / "first_start_http.yaml").exists()


def test_banner_tells_how_to_log_in(demo: DemoRun) -> None:
    """The visitor reads the address and the demo credentials."""
    assert f"Home Assistant is ready: {demo.url}  (log in as demo / demo)" in demo.output


async def _entries(api: HomeAssistantApi) -> list[JsonObject]:
    return await api.entries()


def test_both_accounts_are_set_up_and_nothing_failed(demo: DemoRun, clouds: Simulator) -> None:
    """The partner (with its homes) and the household; onboarding's additions are gone."""
    entries = demo.api(_entries)
    ours = {entry["title"]: entry for entry in entries if entry["domain"] == "smartlink_mclimate"}
    assert set(ours) == {"Home SmartLink (demo-partner)", "MClimate"}
    assert ours["Home SmartLink (demo-partner)"]["num_subentries"] == len(
        clouds.homesmartlink.home_ids
    )
    assert {entry["state"] for entry in entries} == {"loaded"}
    assert not ONBOARDING_INTEGRATIONS & {entry["domain"] for entry in entries}


async def _layout(api: HomeAssistantApi) -> tuple[dict[str, str], list[JsonObject]]:
    areas = {a["area_id"]: a["name"] for a in await api.command("config/area_registry/list")}
    return areas, await api.command("config/device_registry/list")


def test_rooms_and_devices_are_in_areas(demo: DemoRun) -> None:
    """Each room and heater in its room's area; the MClimate devices in theirs."""
    areas, devices = demo.api(_layout)
    where = {
        device["name"]: areas.get(device["area_id"] or "")
        for device in devices
        if device["model"] in {"Melissa", "Bobbie", "Vicki", "Smart plug"}
    }
    assert where == {
        "Bedroom AC": "Bedroom",
        "Water heater": "Bathroom",
        "Living room valve": "Living Room",
        "Plug": "Kitchen",
    }
    rooms = [d for d in devices if d["model"] == "Room"]
    assert rooms
    assert all(room["area_id"] for room in rooms)
    # The second home's rooms have areas of their own, named after its city.
    assert sum(bool(re.fullmatch(r".+ \(.+\)", areas[room["area_id"]])) for room in rooms) == 3
    heaters = [d for d in devices if d["via_device_id"] in {room["id"] for room in rooms}]
    by_id = {device["id"]: device for device in devices}
    assert heaters
    assert all(h["area_id"] == by_id[h["via_device_id"]]["area_id"] for h in heaters)


def test_log_shows_no_error(demo: DemoRun) -> None:
    """Nothing a newcomer would have to ask about, in any start of the demo."""
    errors = [line for line in demo.log_lines() if " ERROR " in line or "Traceback" in line]
    assert errors == []


def test_no_repair_and_no_notification(demo: DemoRun) -> None:
    """Settings shows no repair (the HTTP YAML import's is gone) and no notification."""

    async def look(api: HomeAssistantApi) -> tuple[list[JsonObject], list[JsonObject]]:
        issues = (await api.command("repairs/list_issues"))["issues"]
        return issues, await api.command("persistent_notification/get")

    issues, notifications = demo.api(look)
    assert issues == []
    assert notifications == []


def test_overview_shows_the_rooms_by_area(
    demo: DemoRun, clouds: Simulator, browser: Browser, screenshots: Path
) -> None:
    """After one login: the areas, then every room thermostat and device grouped by area."""
    with new_page(browser, "en") as page:
        steps = Steps(page, demo.url, screenshots)
        steps.log_in(demo.user.username, demo.user.password)
        for area in ("Living Room", "Kitchen", "Bedroom", "Bathroom"):
            steps.expect_text(area)
        steps.shot("demo-overview")
        steps.open("/climate")
        for name in ("Living room", "Kitchen", "Bedroom", "Bathroom", "Bedroom AC"):
            steps.expect_text(name)
        steps.expect_text("Living room valve")
        publish(steps.shot("demo-climate"), "dashboard")
        melissa = next(c for c in clouds.mclimate.controllers.values() if c.name == "Bedroom AC")
        mark = len(clouds.recorder)
        steps.ask_assist("turn on the air conditioning in the bedroom")
        eventually(
            lambda: any(
                r.method == "POST"
                and r.path == "/v1/provider/send"
                and r.json["serial_number"] == melissa.serial_number
                for r in list(clouds.recorder)[mark:]
            )
        )
        steps.expect_text("Turned on")
        steps.shot("demo-assist")


def test_develop_on_its_own_twice_and_ctrl_c_stops_everything(
    loop: BackgroundLoop, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without --simulator it starts one; a second start reuses the folder; Ctrl-C cleans up.

    The second start's simulator has forgotten the first one's tokens: the demo signs in
    to MClimate again by itself, so both accounts load with no repair to fix.
    """
    config = tmp_path_factory.mktemp("own")
    sim_port = free_port()
    for start in ("first", "second"):
        run = DemoRun.start(loop, config, "--simulator-port", str(sim_port))
        tree = run.processes()
        simulator = next(p for p in tree if "simulator" in p.cmdline())
        assert listening(simulator) == {("127.0.0.1", sim_port)}, start
        assert listening(run.hass_process()) == {("127.0.0.1", run.port)}, start
        entries = run.api(_entries)
        assert {e["state"] for e in entries if e["domain"] == "smartlink_mclimate"} == {"loaded"}, (
            start
        )
        issues = run.api(lambda api: api.command("repairs/list_issues"))["issues"]
        assert issues == [], start
        assert run.interrupt() == [], start
        assert run.process.wait(10) == 0, start
    assert "develop: stopping" in run.output
