"""Async client of the Home SmartLink partner API (HTTP Basic, JSON, `/partners/1/`).

One method per documented endpoint. Answers become typed models; every
failure becomes a `CloudError`. The client secret only ever lives in the
Authorization header: never in repr, exceptions or logs.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp

from ..budget import RequestBudget
from ..errors import CloudResponseError
from ..http import JsonHttpClient
from .models import (
    Derogation,
    DerogationResult,
    Diagnosis,
    DiagnosisAnswer,
    DiagnosisRequest,
    DiagnosisRequestAnswer,
    HomeConfig,
    Invitation,
    Invitations,
    Report,
    ReportAnswer,
    User,
    Users,
    validate_derogations,
)

API_PREFIX = "/partners/1"
DEFAULT_PAGE_SIZE = 20  # what the cloud is assumed to use without `size`
ALL_USERS_PAGE_SIZE = 100
MAX_USER_PAGES = 1000  # a guard against a cloud that never returns a short page


class HomeSmartLinkClient(JsonHttpClient):
    """The partner API, for one partner account (client id and secret)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        budget: RequestBudget | None = None,
    ) -> None:
        """Use the caller's session; `base_url` is the root given at registration.

        A client id holding ":" cannot be sent in Basic authentication: ValueError.
        """
        super().__init__(session, base_url, budget=budget)
        self.client_id = client_id
        # aiohttp's own Basic encoding (its BasicAuth tuple is deprecated in 3.14).
        self.__authorization = aiohttp.encode_basic_auth(client_id, client_secret)

    def __repr__(self) -> str:
        """Name the endpoint and the partner, never the secret."""
        return f"{type(self).__name__}(base_url={self.base_url!r}, client_id={self.client_id!r})"

    async def _auth_headers(self) -> dict[str, str]:
        """The documented Basic authentication header."""
        return {"Authorization": self.__authorization}

    async def get_home_config(self, home_id: str) -> HomeConfig:
        """A home's devices (with their state) and its gateway."""
        return await self._call(
            "POST", f"{API_PREFIX}/config", HomeConfig, json_body={"homeId": home_id}
        )

    async def get_invitations(self, email: str) -> list[Invitation]:
        """The homes a user (by email) has access to."""
        answer = await self._call(
            "POST", f"{API_PREFIX}/invitations", Invitations, json_body={"email": email}
        )
        return list(answer.invitations)

    async def set_derogations(self, derogations: Sequence[Derogation]) -> DerogationResult:
        """Schedule derogations sharing one window; invalid ones raise ValueError unsent."""
        validate_derogations(derogations)
        body = {"derogations": [derogation.to_dict() for derogation in derogations]}
        return await self._call(
            "POST", f"{API_PREFIX}/derogations", DerogationResult, json_body=body
        )

    async def get_report(self, trigger: str) -> Report:
        """How far the messages of a derogation trigger were sent and acknowledged."""
        answer = await self._call(
            "POST", f"{API_PREFIX}/report", ReportAnswer, json_body={"trigger": trigger}
        )
        return answer.response

    async def get_users(self, page: int = 1, size: int = DEFAULT_PAGE_SIZE) -> list[User]:
        """One page of consenting users; page n skips the first (n - 1) * size users."""
        if page < 1 or size < 1:
            raise ValueError("page and size must be at least 1")
        params: dict[str, str | int] = {"page": page, "size": size}
        return list((await self._call("GET", f"{API_PREFIX}/users", Users, params=params)).users)

    async def get_all_users(self, size: int = ALL_USERS_PAGE_SIZE) -> list[User]:
        """Every consenting user, walking pages until a short one.

        Users seen twice (the collection moved while paging, or a cloud that
        ignores `page`) are kept once; a page bringing nothing new ends the walk.
        """
        users: dict[str, User] = {}
        for page in range(1, MAX_USER_PAGES + 1):
            batch = await self.get_users(page=page, size=size)
            new = [user for user in batch if user.home_id not in users]
            users.update((user.home_id, user) for user in new)
            if len(batch) < size or not new:
                return list(users.values())
        raise CloudResponseError(
            f"GET {API_PREFIX}/users: still full pages after {MAX_USER_PAGES} pages"
        )

    async def request_diagnosis(self, home_id: str) -> DiagnosisRequest:
        """Ask a home's gateway for a diagnosis; read it later with `get_diagnosis`."""
        answer = await self._call(
            "POST", f"{API_PREFIX}/request", DiagnosisRequestAnswer, json_body={"homeId": home_id}
        )
        return answer.response

    async def get_diagnosis(self, message_id: str) -> Diagnosis:
        """The result of a diagnosis request (`ready` once the gateway answered)."""
        answer = await self._call(
            "PUT", f"{API_PREFIX}/request", DiagnosisAnswer, json_body={"messageId": message_id}
        )
        return answer.response
