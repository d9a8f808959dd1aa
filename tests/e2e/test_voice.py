"""Assist: the demo's sentences, in English and French, through `conversation/process`.

Each sentence goes to Home Assistant's built-in agent as the Assist dialog sends it;
the test checks the answer and what the simulated clouds received.
"""

from __future__ import annotations

from typing import Any

import pytest

from scripts.ha_api import HomeAssistantApi, JsonObject
from simulator import Simulator

from .conftest import LIVING_ROOM_SETPOINT
from .harness import DemoRun, eventually, living_room_setpoint, water_heater_on

SET_LIVING_ROOM = {"en": "set the living room to 21 degrees", "fr": "règle le salon à 21 degrés"}
ASK_LIVING_ROOM = {
    "en": "what is the temperature in the living room",
    "fr": "quelle est la température dans le salon",
}
WATER_HEATER_OFF = {"en": "turn off the water heater", "fr": "éteins le chauffe-eau"}
AC_ON = {
    "en": "turn on the air conditioning in the bedroom",
    "fr": "allume la climatisation dans la chambre",
}
LANGUAGES = ["en", "fr"]


def ask(demo: DemoRun, text: str, language: str) -> JsonObject:
    """The agent's response to a sentence."""

    async def process(api: HomeAssistantApi) -> JsonObject:
        answer = await api.command("conversation/process", text=text, language=language)
        response: JsonObject = answer["response"]
        return response

    return demo.api(process)


def state(demo: DemoRun, entity_id: str) -> JsonObject:
    """An entity's state as Home Assistant shows it."""
    return demo.api(lambda api: api.request("GET", f"/api/states/{entity_id}"))


def call(demo: DemoRun, domain: str, service: str, entity_id: str, **data: Any) -> None:
    """Call an action, as a precondition."""
    demo.api(
        lambda api: api.request(
            "POST", f"/api/services/{domain}/{service}", json={"entity_id": entity_id, **data}
        )
    )


def sent_after(clouds: Simulator, mark: int, path: str) -> list[Any]:
    """Bodies of the requests to `path` received after the first `mark` requests."""
    return [r.json for r in list(clouds.recorder)[mark:] if r.method == "POST" and r.path == path]


def room_thermostat(demo: DemoRun) -> JsonObject:
    """The first home's living room thermostat (the other one takes no target)."""
    return next(
        s for s in demo.api(lambda api: api.states()).values()
        if s["entity_id"].startswith("climate.")
        and s["attributes"].get("friendly_name") == "Living room"
        and s["attributes"].get("temperature") is not None
    )  # fmt: skip


def living_rooms(clouds: Simulator) -> set[tuple[str, int]]:
    """(home id, room id) of every room the simulator calls "Living room"."""
    return {
        (home.home_id, room.room_id)
        for home in clouds.homesmartlink.homes
        for room in home.rooms
        if room.name == "Living room"
    }


def serial(clouds: Simulator, name: str) -> str:
    """The serial number of the MClimate device of that name."""
    return next(c.serial_number for c in clouds.mclimate.controllers.values() if c.name == name)


def test_assist_is_loaded(demo: DemoRun) -> None:
    """The voice pipeline and satellites load (their compiled requirements are installed)."""
    components = demo.api(lambda api: api.command("get_config"))["components"]
    assert {"assist_pipeline", "assist_satellite", "conversation"} <= set(components)
    assert not [line for line in demo.log_lines() if "assist" in line and " ERROR " in line]


@pytest.mark.parametrize("language", LANGUAGES)
def test_set_the_living_room_to_21_degrees(demo: DemoRun, clouds: Simulator, language: str) -> None:
    """A derogation for the living room, and the cloud's setpoint there becomes 21 °C."""
    room = room_thermostat(demo)
    if room["attributes"]["temperature"] != LIVING_ROOM_SETPOINT:  # the other language's
        call(demo, "climate", "set_temperature", room["entity_id"], temperature=19)
        eventually(lambda: living_room_setpoint(demo.loop, clouds) == LIVING_ROOM_SETPOINT)
        # and Home Assistant has read it back (it computes the next derogation from that)
        call(demo, "homeassistant", "update_entity", room["entity_id"])
        eventually(
            lambda: room_thermostat(demo)["attributes"]["heaters"][0]["setpoint"]
            == LIVING_ROOM_SETPOINT
        )
    mark = len(clouds.recorder)
    response = ask(demo, SET_LIVING_ROOM[language], language)
    assert response["response_type"] == "action_done", response
    (target,) = response["data"]["success"]
    assert target["name"] == "Living room"
    derogations = [
        item for body in sent_after(clouds, mark, "/partners/1/derogations")
        for item in body["derogations"]
    ]  # fmt: skip
    assert derogations, "no derogation reached the simulator"
    assert {(item["homeId"], item["roomId"]) for item in derogations} <= living_rooms(clouds)
    eventually(lambda: living_room_setpoint(demo.loop, clouds) == 21)
    eventually(lambda: state(demo, target["id"])["attributes"]["temperature"] == 21)


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_is_the_temperature_in_the_living_room(demo: DemoRun, language: str) -> None:
    """The living room thermostat's reading, in the answer."""
    response = ask(demo, ASK_LIVING_ROOM[language], language)
    assert response["response_type"] == "query_answer", response
    room = room_thermostat(demo)
    reading = f"{room['attributes']['current_temperature']:g}"
    speech = response["speech"]["plain"]["speech"]
    assert reading in speech.replace(",", "."), speech


@pytest.mark.parametrize("language", LANGUAGES)
def test_turn_off_the_water_heater(demo: DemoRun, clouds: Simulator, language: str) -> None:
    """The Bobbie relay goes off in the cloud."""
    call(demo, "switch", "turn_on", "switch.water_heater")
    bobbie = serial(clouds, "Water heater")
    assert water_heater_on(demo.loop, clouds)
    mark = len(clouds.recorder)
    response = ask(demo, WATER_HEATER_OFF[language], language)
    assert response["response_type"] == "action_done", response
    assert [t["id"] for t in response["data"]["success"]] == ["switch.water_heater"]
    sent = sent_after(clouds, mark, "/v1/provider/send")
    assert any(body["serial_number"] == bobbie and body["state"] == "off" for body in sent)
    assert not water_heater_on(demo.loop, clouds)


@pytest.mark.parametrize("language", LANGUAGES)
def test_turn_on_the_air_conditioning_in_the_bedroom(
    demo: DemoRun, clouds: Simulator, language: str
) -> None:
    """An IR command switching the Melissa's air conditioner on."""
    call(demo, "climate", "turn_off", "climate.bedroom_ac")
    melissa = serial(clouds, "Bedroom AC")
    mark = len(clouds.recorder)
    response = ask(demo, AC_ON[language], language)
    assert response["response_type"] == "action_done", response
    assert "climate.bedroom_ac" in [t["id"] for t in response["data"]["success"]]
    sent = sent_after(clouds, mark, "/v1/provider/send")
    ir = [body for body in sent if body["serial_number"] == melissa]
    assert ir, "no IR command reached the simulator"
    assert ir[-1]["command"] == "send_ir_code"
    assert ir[-1].get("send_ir_code_options", ir[-1])["state"] == 1  # documented: 1 is on
    eventually(lambda: state(demo, "climate.bedroom_ac")["state"] != "off")
