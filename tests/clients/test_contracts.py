"""Contract tests: the vendors' own examples, served as they are, read into the expected models.

The MClimate fixtures are the document's examples (its `{…}` placeholders
left out, its curly quotes made straight) or, where it lists members without
an example (the provider answers), those members with plausible values; the
Home SmartLink ones are built from the document's DTO schemas. Snapshots show
every value read, so a reviewer can check them against the fixtures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import aiohttp
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.smartlink_mclimate.clients import CloudAuthenticationError
from custom_components.smartlink_mclimate.clients.homesmartlink import (
    Derogation,
    DerogationResult,
    Diagnosis,
    DiagnosisRequest,
    HomeConfig,
    HomeSmartLinkClient,
    Invitation,
    Report,
    User,
)
from custom_components.smartlink_mclimate.clients.mclimate import (
    BobbieData,
    Controller,
    ControllerType,
    IrCommand,
    MClimateClient,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaState,
    User as MClimateUser,
    VickiData,
)
from tests.clients.stand_in import FIXTURES, Answer, StandIn, load


@dataclass(frozen=True)
class Clients:
    """Both clients, pointed at the stand-in."""

    homesmartlink: HomeSmartLinkClient
    mclimate: MClimateClient


@pytest.fixture
def clients(stand_in: StandIn, session: aiohttp.ClientSession) -> Clients:
    return Clients(
        HomeSmartLinkClient(session, stand_in.url, "mycompany", "12345667"),
        MClimateClient(session, "token", base_url=f"{stand_in.url}/v1"),
    )


type Call = Callable[[Clients], Awaitable[Any]]

DEROGATION = Derogation(
    home_id="65f1c0a2e4b0a1b2c3d4e5f6",
    room_id=1,
    start_time=510,
    end_time=600,
    delta=2,
    date=date(2024, 10, 21),
)

# fixture, route it answers, the public call that reads it, the model it reads into
CONTRACTS: list[tuple[str, str, Call, type]] = [
    (
        "homesmartlink/config.json",
        "POST /partners/1/config",
        lambda c: c.homesmartlink.get_home_config("65f1c0a2e4b0a1b2c3d4e5f6"),
        HomeConfig,
    ),
    (
        "homesmartlink/invitations.json",
        "POST /partners/1/invitations",
        lambda c: c.homesmartlink.get_invitations("johndoe@apple.com"),
        Invitation,
    ),
    (
        "homesmartlink/users.json",
        "GET /partners/1/users",
        lambda c: c.homesmartlink.get_users(),
        User,
    ),
    (
        "homesmartlink/derogations.json",
        "POST /partners/1/derogations",
        lambda c: c.homesmartlink.set_derogations([DEROGATION]),
        DerogationResult,
    ),
    (
        "homesmartlink/report.json",
        "POST /partners/1/report",
        lambda c: c.homesmartlink.get_report("6716170e8f1b2c3d4e5f6a73"),
        Report,
    ),
    (
        "homesmartlink/request_post.json",
        "POST /partners/1/request",
        lambda c: c.homesmartlink.request_diagnosis("65f1c0a2e4b0a1b2c3d4e5f6"),
        DiagnosisRequest,
    ),
    (
        "homesmartlink/request_put.json",
        "PUT /partners/1/request",
        lambda c: c.homesmartlink.get_diagnosis("3b8f0c2e-5d4a-4e6b-9f1a-2c7d8e9f0a1b"),
        Diagnosis,
    ),
    ("mclimate/users_me.json", "GET /v1/users/me", lambda c: c.mclimate.get_user(), MClimateUser),
    (
        "mclimate/controller.json",
        "GET /v1/controllers/UV4R7S6",
        lambda c: c.mclimate.get_controller("UV4R7S6"),
        Controller,
    ),
    (
        "mclimate/controllers_page.json",
        "GET /v1/controllers",
        lambda c: c.mclimate.get_controllers(),
        Controller,
    ),
    (
        "mclimate/controllers.json",
        "GET /v1/controllers",
        lambda c: c.mclimate.get_controllers(type="melissa"),
        Controller,
    ),
    (
        "mclimate/fetch_melissa.json",
        "POST /v1/provider/fetch",
        lambda c: c.mclimate.fetch("NFKI513WA3L", ControllerType.MELISSA),
        MelissaData,
    ),
    (
        "mclimate/fetch_bobbie.json",
        "POST /v1/provider/fetch",
        lambda c: c.mclimate.fetch("B0BB1E", "bobbie"),
        BobbieData,
    ),
    (
        "mclimate/fetch_bobbie.json",
        "POST /v1/provider/send",
        lambda c: c.mclimate.switch("B0BB1E", ControllerType.BOBBIE, on=True),
        BobbieData,
    ),
    (
        "mclimate/fetch_vicki.json",
        "POST /v1/provider/fetch",
        lambda c: c.mclimate.fetch("V1CK1", ControllerType.VICKI),
        VickiData,
    ),
    (  # IR has no feedback: the answer's bytes are taken, the command sent is returned
        "mclimate/send_ir_code.json",
        "POST /v1/provider/send",
        lambda c: c.mclimate.send_ir_code(
            "NFKI513WA3L",
            state=MelissaState.ON,
            mode=MelissaMode.COOL,
            temp=18,
            fan=MelissaFan.AUTO,
        ),
        IrCommand,
    ),
]


def test_every_fixture_is_a_contract() -> None:
    used = {name for name, *_ in CONTRACTS} | {"mclimate/unauthorized.json"}
    assert used == {str(path.relative_to(FIXTURES)) for path in FIXTURES.rglob("*.json")}


@pytest.mark.parametrize(
    ("fixture", "route", "call", "model"),
    CONTRACTS,
    ids=[f"{name}-{route}" for name, route, *_ in CONTRACTS],
)
async def test_document_answers_read_into_models(
    stand_in: StandIn,
    clients: Clients,
    snapshot: SnapshotAssertion,
    fixture: str,
    route: str,
    call: Call,
    model: type,
) -> None:
    method, path = route.split()
    stand_in.answer(method, path, load(fixture))
    result = await call(clients)
    items = result if isinstance(result, list) else [result]
    assert items
    assert all(type(item) is model for item in items)
    assert result == snapshot


async def test_unauthorized_body_keeps_detail_and_auth_errors(
    stand_in: StandIn, clients: Clients
) -> None:
    stand_in.answer("GET", "/v1/users/me", Answer(401, load("mclimate/unauthorized.json")))
    with pytest.raises(CloudAuthenticationError) as err:
        await clients.mclimate.get_user()
    assert err.value.status == 401
    assert err.value.detail == "Unauthorized"  # the document's `detail` is empty: its title
    assert dict(err.value.auth_errors) == {"missingHeader": "Please provide Authorization header"}
    assert str(err.value) == "GET /users/me: HTTP 401 (Unauthorized)"
