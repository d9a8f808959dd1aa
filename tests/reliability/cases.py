"""The fault matrix's rows, shared by its tests and the table they write.

Each row is a way a cloud fails; each cloud column says how it is made to
fail (`Spec`) and what the integration must do about it (`Expect`). A cell
is None where a cloud's document offers nothing to damage that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Expect(StrEnum):
    """What the integration must do while the fault lasts."""

    UNAVAILABLE = "affected entities unavailable, then back"
    TOLERATED = "read as usual"
    SLOWER = "unavailable, polled after Retry-After, then back"
    REAUTH = "re-authentication asked, polling stopped"
    UNKNOWN = "that reading unknown, the rest as usual"
    KEPT = "devices kept, their entities unavailable, then back"


@dataclass(frozen=True, kw_only=True)
class Spec:
    """How to make one cloud fail in one way."""

    kind: str  # a simulator fault kind, or "refused" (the server stops), or "cut"
    expect: Expect
    edit: tuple[str, Any] | None = None  # a faults.py edit and its argument
    options: dict[str, Any] = field(default_factory=dict)
    account_wide: bool = False  # the fault hits every home / controller of the account
    listing: bool = False  # aimed at the account's listing, not one home's or device's read


@dataclass(frozen=True, kw_only=True)
class Row:
    """One failure, as each cloud suffers it."""

    name: str
    label: str
    homesmartlink: Spec | None
    mclimate: Spec | None


U, T = Expect.UNAVAILABLE, Expect.TOLERATED
ROWS: tuple[Row, ...] = (
    Row(
        name="timeout",
        label="latency beyond the timeout",
        homesmartlink=Spec(kind="latency", expect=U, options={"delay": 1.5}),
        mclimate=Spec(kind="latency", expect=U, options={"delay": 1.5}),
    ),
    Row(
        name="refused",
        label="connection refused",
        homesmartlink=Spec(kind="refused", expect=U, account_wide=True),
        mclimate=Spec(kind="refused", expect=U, account_wide=True),
    ),
    Row(
        name="cut",
        label="connection dropped mid-answer",
        homesmartlink=Spec(kind="cut", expect=U),
        mclimate=Spec(kind="cut", expect=U),
    ),
    *(
        Row(
            name=f"http_{status}",
            label=f"HTTP {status}",
            homesmartlink=Spec(kind="status", expect=U, options={"status": status}),
            mclimate=Spec(kind="status", expect=U, options={"status": status}),
        )
        for status in (500, 502, 503)
    ),
    Row(
        name="rate_limited",
        label="429 with Retry-After",
        homesmartlink=Spec(kind="rate_limit", expect=Expect.SLOWER, options={"retry_after": 300}),
        mclimate=Spec(
            kind="rate_limit",
            expect=Expect.SLOWER,
            options={"retry_after": 300},
            account_wide=True,
        ),
    ),
    Row(
        name="unauthorized",
        label="401 on a running entry",
        homesmartlink=Spec(kind="unauthorized", expect=Expect.REAUTH),
        mclimate=Spec(kind="unauthorized", expect=Expect.REAUTH, account_wide=True),
    ),
    Row(
        name="malformed",
        label="malformed JSON",
        homesmartlink=Spec(kind="malformed", expect=U),
        mclimate=Spec(kind="malformed", expect=U),
    ),
    Row(
        name="missing_key",
        label="a documented key missing",
        homesmartlink=Spec(kind="drop_fields", expect=U, options={"fields": ("reponse",)}),
        mclimate=Spec(kind="drop_fields", expect=U, options={"fields": ("temp",)}),
    ),
    Row(
        name="unknown_key",
        label="an unknown extra key",
        homesmartlink=Spec(kind="drop_fields", expect=T, edit=("add_unknown", None)),
        mclimate=Spec(kind="drop_fields", expect=T, edit=("add_unknown", None)),
    ),
    Row(
        name="empty_list",
        label="an empty list",
        homesmartlink=Spec(kind="drop_fields", expect=Expect.KEPT, edit=("empty_list", "reponse")),
        mclimate=Spec(
            kind="drop_fields",
            expect=Expect.KEPT,
            edit=("empty_list", "controller"),
            account_wide=True,
            listing=True,
        ),
    ),
    Row(
        name="number_as_text",
        label="a number as a string (`sp`, `humidity`)",
        homesmartlink=Spec(kind="drop_fields", expect=T, edit=("as_text", "sp")),
        mclimate=Spec(kind="drop_fields", expect=T, edit=("as_text", "humidity")),
    ),
    Row(
        name="id_as_text",
        label="an id as a string (`roomId`, `room_id`)",
        homesmartlink=Spec(kind="drop_fields", expect=T, edit=("as_text", "roomId")),
        mclimate=Spec(kind="drop_fields", expect=T, edit=("as_text", "room_id")),
    ),
    Row(
        name="null_value",
        label="a reading as null (`pv`, `temp`)",
        homesmartlink=Spec(
            kind="drop_fields", expect=Expect.UNKNOWN, edit=("set_member", ("pv", None))
        ),
        mclimate=Spec(kind="drop_fields", expect=U, edit=("set_member", ("temp", None))),
    ),
    Row(
        name="other_spelling",
        label="the other documented spelling (`reponse`/`response`)",
        homesmartlink=Spec(
            kind="rename_fields", expect=T, options={"renames": {"reponse": "response"}}
        ),
        mclimate=None,
    ),
)
CLOUDS: tuple[str, ...] = ("homesmartlink", "mclimate")
