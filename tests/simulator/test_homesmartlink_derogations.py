"""The partner API's derogations, their monitoring reports, and two-step diagnoses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
import re
from typing import Any

import pytest

from simulator import Scenario, Simulator
from simulator.homesmartlink import HomeSmartLinkCloud, SimHeater
from simulator.scenario import HomeSmartLinkScenario
from tests.conftest import START, StartSimulator
from tests.simulator.conftest import Partner

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
UNKNOWN_ID = "0123456789abcdef01234567"

type Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture
def scenario() -> Scenario:
    """Two homes of four rooms; the bathroom towel dryer of each home is offline."""
    return Scenario(
        homesmartlink=HomeSmartLinkScenario(
            homes=2, rooms_per_home=4, heaters_per_room=1, offline_heaters=1
        )
    )


@pytest.fixture
def cloud(simulator: Simulator) -> HomeSmartLinkCloud:
    return simulator.homesmartlink


def first_heater(cloud: HomeSmartLinkCloud, home: int = 0, room: int = 0) -> SimHeater:
    return cloud.homes[home].rooms[room].heaters[0]


def derogation(cloud: HomeSmartLinkCloud, **changes: Any) -> dict[str, Any]:
    """A valid derogation of the first home's living room, 10:30-11:00 Paris time today."""
    item = {
        "homeId": cloud.home_ids[0],
        "roomId": 1,
        "startTime": 630,
        "endTime": 660,
        "delta": 2,
        "date": "2026-11-23",
    }
    item.update(changes)
    return item


async def derogate(partner: Partner, *items: dict[str, Any]) -> dict[str, Any]:
    status, body = await partner("POST", "derogations", {"derogations": list(items)})
    assert status == 200, body
    return dict(body)


async def report(partner: Partner, trigger: str) -> dict[str, Any]:
    status, body = await partner("POST", "report", {"trigger": trigger})
    assert status == 200
    assert set(body) == {"authorisation", "response"}
    assert set(body["response"]) == {"summary", "details"}
    return dict(body["response"])


# -- derogations -------------------------------------------------------------------------

REQUIRED = ("homeId", "roomId", "startTime", "endTime", "delta", "date")


def without(name: str) -> Mutation:
    return lambda item: item.pop(name)


def setting(name: str, value: Any) -> Mutation:
    return lambda item: item.__setitem__(name, value)


INVALID_ITEMS: list[tuple[str, Mutation, str]] = [
    *[
        (f"missing {name}", without(name), f"derogations[0].{name} is required")
        for name in REQUIRED
    ],
    ("homeId type", setting("homeId", 5), "homeId must be a string"),
    ("unknown home", setting("homeId", UNKNOWN_ID), "unknown home"),
    ("roomId type", setting("roomId", "1"), "roomId must be a number"),
    ("roomId bool", setting("roomId", True), "roomId must be a number"),
    ("unknown room", setting("roomId", 9), "no room 9"),
    ("fractional room", setting("roomId", 1.5), "no room 1.5"),
    ("delta too high", setting("delta", 6), "delta must be an integer from -5 to 5"),
    ("delta too low", setting("delta", -6), "delta must be an integer from -5 to 5"),
    ("delta float", setting("delta", 1.5), "delta must be an integer from -5 to 5"),
    ("delta bool", setting("delta", True), "delta must be an integer from -5 to 5"),
    ("start negative", setting("startTime", -5), "startTime must be an integer from 0 to 1440"),
    ("start text", setting("startTime", "600"), "startTime must be an integer from 0 to 1440"),
    ("start step", setting("startTime", 632), "startTime must be a multiple of 5"),
    ("end too late", setting("endTime", 1445), "endTime must be an integer from 0 to 1440"),
    ("end step", setting("endTime", 661), "endTime must be a multiple of 5"),
    ("end float", setting("endTime", 660.0), "endTime must be an integer from 0 to 1440"),
    ("end equals start", setting("endTime", 630), "endTime must be after startTime"),
    ("end before start", setting("endTime", 600), "endTime must be after startTime"),
    ("date with time", setting("date", "2026-11-23T10:00"), "full-date"),
    ("date order", setting("date", "23/11/2026"), "full-date"),
    ("date impossible", setting("date", "2026-13-01"), "full-date"),
    ("date number", setting("date", 20261123), "full-date"),
    ("empty object", lambda item: item.clear(), "derogations[0].homeId is required"),
]


@pytest.mark.parametrize(
    ("mutate", "detail"),
    [pytest.param(mutate, detail, id=name) for name, mutate, detail in INVALID_ITEMS],
)
async def test_derogation_rules_reject_and_store_nothing(
    partner: Partner, cloud: HomeSmartLinkCloud, mutate: Mutation, detail: str
) -> None:
    good = derogation(cloud, roomId=2)
    bad = derogation(cloud)
    mutate(bad)
    status, problem = await partner("POST", "derogations", {"derogations": [bad, good]})
    assert status == 400
    assert detail in problem["detail"]
    assert cloud.derogations == []
    assert cloud.triggers == {}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "'derogations' must be a non-empty array"),
        ({"derogations": []}, "'derogations' must be a non-empty array"),
        ({"derogations": {"homeId": "x"}}, "'derogations' must be a non-empty array"),
        ({"derogations": ["x"]}, "derogations[0]: must be an object"),
    ],
)
async def test_derogation_body_must_hold_a_non_empty_list(
    partner: Partner, cloud: HomeSmartLinkCloud, body: Any, detail: str
) -> None:
    status, problem = await partner("POST", "derogations", body)
    assert (status, problem["detail"]) == (400, detail)
    assert cloud.derogations == []


@pytest.mark.parametrize(
    ("name", "value"), [("startTime", 600), ("endTime", 690), ("date", "2026-11-24")]
)
async def test_derogations_of_one_call_share_one_window(
    partner: Partner, cloud: HomeSmartLinkCloud, name: str, value: Any
) -> None:
    items = [derogation(cloud), derogation(cloud, roomId=2, **{name: value})]
    status, problem = await partner("POST", "derogations", {"derogations": items})
    assert status == 400
    assert problem["detail"].startswith(f"derogations[1].{name}: all derogations must share")
    assert cloud.derogations == []


async def test_derogations_are_stored_with_ids_and_triggers(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    body = await derogate(
        partner,
        derogation(cloud, delta=-5, startTime=0, endTime=1440),
        derogation(cloud, roomId=2.0, delta=5, startTime=0, endTime=1440),
        derogation(cloud, homeId=cloud.home_ids[1], delta=0, startTime=0, endTime=1440),
    )
    assert set(body) == {"authorisation", "response", "startTrigger", "endTrigger"}
    ids = body["response"]
    assert len(ids) == 3
    assert len(set(ids)) == 3
    assert all(OBJECT_ID.fullmatch(value) for value in [*ids, body["startTrigger"]])
    assert body["startTrigger"] != body["endTrigger"]
    stored = cloud.derogations
    assert [d.derogation_id for d in stored] == ids
    assert [(d.room_id, d.delta) for d in stored] == [(1, -5), (2, 5), (1, 0)]
    # Local Paris day (UTC+1 in November): midnight to midnight.
    assert stored[0].starts_at == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert stored[0].ends_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert cloud.triggers[body["startTrigger"]].home_ids == tuple(cloud.home_ids)


async def test_derogation_times_are_local_to_the_homes(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    await derogate(partner, derogation(cloud, date="2027-07-01", startTime=600, endTime=720))
    (stored,) = cloud.derogations
    assert stored.date == date(2027, 7, 1)
    assert stored.starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # summer time, UTC+2
    assert stored.ends_at == datetime(2027, 7, 1, 10, 0, tzinfo=UTC)


async def test_a_derogation_changes_setpoints_only_in_its_room_and_window(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    salon, kitchen = first_heater(cloud, room=0), first_heater(cloud, room=1)
    other_salon = first_heater(cloud, home=1)
    for heater in (salon, kitchen, other_salon):
        cloud.set_heater_mode(heater.header, "Manual", comfort=20.0)

    async def reported() -> list[tuple[float, str]]:
        values = []
        for index, home in enumerate(cloud.home_ids):
            _, body = await partner("POST", "config", {"homeId": home})
            values += [(d["sp"], d["pv"]) for d in body["reponse"][: 2 - index]]
        return values

    def pv(heater: SimHeater, sp: float) -> str:
        return f"{sp + heater.pv_bias:.1f}"

    calm = [(20.0, pv(salon, 20)), (20.0, pv(kitchen, 20)), (20.0, pv(other_salon, 20))]
    for delta in (2, -1):  # two calls for the same room and window: the deltas add up
        await derogate(partner, derogation(cloud, delta=delta))
    assert await reported() == calm  # 10:00 Paris, before the window
    simulator.clock.advance(timedelta(minutes=30))  # 10:30: the window opens
    assert await reported() == [(21.0, pv(salon, 21)), calm[1], calm[2]]
    assert cloud.setpoint(salon) == 21.0
    simulator.clock.advance(timedelta(minutes=29, seconds=59))
    assert (await reported())[0][0] == 21.0
    simulator.clock.advance(1)  # 11:00: the window is closed
    assert await reported() == calm


async def test_a_derogation_leaves_stopped_heaters_alone(
    partner: Partner, cloud: HomeSmartLinkCloud
) -> None:
    salon = first_heater(cloud)
    cloud.set_heater_mode(salon.header, "Antifreeze")
    await derogate(partner, derogation(cloud, startTime=600, endTime=700, delta=3))
    _, body = await partner("POST", "config", {"homeId": cloud.home_ids[0]})
    assert body["reponse"][0]["sp"] == 7.0
    cloud.set_heater_mode(salon.header, "Prog", comfort=19.0)
    assert cloud.setpoint(salon) == 19.0 - 3.5 + 3


# -- report -------------------------------------------------------------------------------


def summary(sent: int, received: int, first: str | None, last: str | None) -> dict[str, Any]:
    return {"requested": 2, "sent": sent, "received": received, "first": first, "last": last}


async def test_report_follows_the_clock_and_the_gateways(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    first, second = cloud.home_ids
    cloud.set_gateway_online(second, False)
    result = await derogate(partner, derogation(cloud), derogation(cloud, homeId=second, roomId=3))

    start = result["startTrigger"]
    assert await report(partner, start) == {"summary": summary(0, 0, None, None), "details": []}

    simulator.clock.set(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))  # 10:30 Paris
    sent_first = "2026-11-23T09:30:00.000Z"
    assert await report(partner, start) == {
        "summary": summary(1, 0, sent_first, sent_first),
        "details": [{"acknowledge": False, "homeId": first, "sendAt": sent_first}],
    }
    simulator.clock.advance(0.1)
    sent_second = "2026-11-23T09:30:00.100Z"
    assert (await report(partner, start))["summary"] == summary(2, 0, sent_first, sent_second)
    simulator.clock.advance(1.9)  # the first gateway acknowledges after ack_delay
    body = await report(partner, start)
    assert body["summary"] == summary(2, 1, sent_first, sent_second)
    assert [d["acknowledge"] for d in body["details"]] == [True, False]
    simulator.clock.advance(timedelta(days=1))  # an offline gateway never acknowledges
    assert (await report(partner, start))["summary"]["received"] == 1

    end = result["endTrigger"]
    simulator.clock.set(datetime(2026, 11, 23, 9, 59, 59, tzinfo=UTC))
    assert (await report(partner, end))["summary"]["sent"] == 0
    simulator.clock.set(datetime(2026, 11, 23, 10, 0, 5, tzinfo=UTC))
    assert (await report(partner, end))["summary"] == summary(
        2, 1, "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.100Z"
    )


async def test_report_of_a_past_window_sends_at_once(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    result = await derogate(partner, derogation(cloud, startTime=480, endTime=540))  # over
    for trigger in (result["startTrigger"], result["endTrigger"]):
        body = await report(partner, trigger)
        assert body["details"][0]["sendAt"] == "2026-11-23T09:00:00.000Z"
    simulator.clock.advance(2)
    assert (await report(partner, result["startTrigger"]))["summary"]["received"] == 1


async def test_gateway_lost_before_the_ack_never_acknowledges(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    result = await derogate(partner, derogation(cloud, startTime=600, endTime=700))  # sent now
    simulator.clock.advance(1)
    cloud.set_gateway_online(cloud.home_ids[0], False)
    simulator.clock.advance(60)
    cloud.set_gateway_online(cloud.home_ids[0], True)
    assert (await report(partner, result["startTrigger"]))["summary"]["received"] == 0


async def test_a_home_without_gateway_never_acknowledges(
    start_simulator: StartSimulator, partner: Partner
) -> None:
    sim = await start_simulator(
        Scenario(homesmartlink=HomeSmartLinkScenario(homes=1, homes_without_gateway=1))
    )
    item = derogation(sim.homesmartlink, startTime=600, endTime=700)
    _, result = await partner("POST", "derogations", {"derogations": [item]}, sim=sim)
    sim.clock.advance(3600)
    _, body = await partner("POST", "report", {"trigger": result["startTrigger"]}, sim=sim)
    counts = body["response"]["summary"]
    assert (counts["requested"], counts["sent"], counts["received"]) == (1, 1, 0)


# -- diagnosis ------------------------------------------------------------------------------


async def diagnosis_result(partner: Partner, message_id: str) -> dict[str, Any]:
    status, body = await partner("PUT", "request", {"messageId": message_id})
    assert status == 200
    return dict(body["response"])


async def test_diagnosis_is_pending_then_done(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home = cloud.home(cloud.home_ids[0])
    status, body = await partner("POST", "request", {"homeId": home.home_id})
    assert status == 200
    assert set(body["response"]) == {"status", "messageId"}
    assert body["response"]["status"] == "OK"
    message_id = body["response"]["messageId"]
    created = "2026-11-23T09:00:00.000Z"

    pending = {"_created_at": created, "acknowledge": False, "status": "PENDING"}
    assert await diagnosis_result(partner, message_id) == pending
    simulator.clock.advance(299)
    assert await diagnosis_result(partner, message_id) == pending
    simulator.clock.advance(1)
    done = await diagnosis_result(partner, message_id)
    assert set(done) == {"_created_at", "acknowledge", "status", "diagnosis"}
    assert (done["_created_at"], done["acknowledge"], done["status"]) == (created, True, "DONE")
    diagnosis = done["diagnosis"]
    assert diagnosis["homeId"] == home.home_id
    assert home.gateway is not None
    assert diagnosis["gateway"]["online"] is True
    assert diagnosis["gateway"]["token"] == home.gateway.token
    assert diagnosis["gateway"]["lastPing"] == "2026-11-23T09:05:00.000Z"
    devices = diagnosis["devices"]
    assert [d["header"] for d in devices] == [h.header for h in home.heaters]
    assert [d["online"] for d in devices] == [True, True, True, False]
    assert set(devices[0]) >= {"header", "roomId", "online", "lastUpdate"}
    offline_seen = datetime.fromisoformat(devices[3]["lastUpdate"])
    assert START - offline_seen > timedelta(days=3)


async def test_diagnosis_of_an_offline_gateway_fails(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home_id = cloud.home_ids[1]
    cloud.set_gateway_online(home_id, False)
    _, body = await partner("POST", "request", {"homeId": home_id})
    assert body["response"]["status"] == "NOK"
    message_id = body["response"]["messageId"]
    for _ in range(2):
        assert await diagnosis_result(partner, message_id) == {
            "_created_at": "2026-11-23T09:00:00.000Z",
            "acknowledge": False,
            "status": "FAILED",
        }
        simulator.clock.advance(3600)


async def test_diagnosis_fails_when_the_gateway_leaves_meanwhile(
    partner: Partner, cloud: HomeSmartLinkCloud, simulator: Simulator
) -> None:
    home_id = cloud.home_ids[0]
    _, body = await partner("POST", "request", {"homeId": home_id})
    simulator.clock.advance(10)
    cloud.set_gateway_online(home_id, False)
    simulator.clock.advance(600)
    result = await diagnosis_result(partner, body["response"]["messageId"])
    assert (result["acknowledge"], result["status"]) == (False, "FAILED")


# -- unknown ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "endpoint", "body", "status", "detail"),
    [
        ("POST", "report", {"trigger": UNKNOWN_ID}, 404, f"Trigger {UNKNOWN_ID} not found"),
        ("POST", "report", {}, 400, "'trigger' is required and must be a non-empty string"),
        ("POST", "request", {"homeId": UNKNOWN_ID}, 404, f"Home {UNKNOWN_ID} not found"),
        ("PUT", "request", {"messageId": "nope"}, 404, "Message nope not found"),
        ("PUT", "request", {"id": "nope"}, 400, "'messageId' is required"),
    ],
)
async def test_unknown_or_missing_ids(
    partner: Partner, method: str, endpoint: str, body: Any, status: int, detail: str
) -> None:
    got, problem = await partner(method, endpoint, body)
    assert got == status
    assert problem["detail"].startswith(detail)
