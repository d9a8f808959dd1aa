"""Flows of a Home SmartLink partner account: its homes (config subentries) and its options.

A home is added from the partner's consenting users, from a user's e-mail
(invitations), by its id, or all consenting homes at once. Every home is
checked with `POST config` before it is added. Users' names, addresses and
e-mails are personal data: a home is shown by its city and id only, and
nothing about users is logged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from http import HTTPStatus
import re
from typing import Any, NoReturn
from zoneinfo import available_timezones

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
    SubentryFlowResult,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_EMAIL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import dt as dt_util
import probatio as vol

from ..clients import CloudAuthenticationError, CloudError, CloudRequestError
from ..clients.homesmartlink import HomeSmartLinkClient, Invitation, User
from ..const import (
    CONF_BASE_URL,
    CONF_DEROGATION_DURATION,
    CONF_FOLLOW_CONSENTS,
    CONF_HOME_ID,
    CONF_TIME_ZONE,
    DEFAULT_DEROGATION_DURATION,
    DEFAULT_FOLLOW_CONSENTS,
    LOGGER,
    MAX_DEROGATION_DURATION,
    MIN_DEROGATION_DURATION,
)
from .consents import async_clear_consent_issues
from .data import HomeSmartLinkRuntimeData
from .homes import async_add_home, home_subentries, home_title

# A partner API older than 0.3.3 has no `GET users` (404). `POST invitations` exists in
# every version and needs the partner's credentials: asked about an address nobody can
# own (the reserved `.invalid` domain, RFC 2606), it answers 2xx with no home for good
# credentials and 401 for bad ones, and reads no one's personal data. (`POST config`
# with a made-up home would answer 404 too, but whether a server checks the home or the
# credentials first is not documented; a 2xx is unambiguous.)
CREDENTIALS_CHECK_EMAIL = "credentials-check@example.invalid"
# Homes checked at once by "add every consenting home": quick for hundreds of homes,
# and gentle on a partner API whose request limit is not documented.
CHECK_CONCURRENCY = 4
UNKNOWN_HOME_STATUSES = (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)

# Home ids are opaque strings in the document; these are what an id can sensibly hold,
# so text pasted by mistake (or crafted) is refused before it reaches the cloud.
HOME_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}", re.ASCII)
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", re.ASCII
)

MAX_TIME_ZONE_LENGTH = 64  # the longest IANA names are about 30 characters

ADD_HOME_MENU = ["pick_user", "email", "home_id", "add_all"]
ADD_HOME_MENU_WITHOUT_USERS = ["email", "home_id"]


# -- talking to the cloud -----------------------------------------------------------


def account_client(hass: HomeAssistant, entry: ConfigEntry[Any]) -> HomeSmartLinkClient:
    """The loaded account's client (its request budget counts flows too), or a new one."""
    runtime = getattr(entry, "runtime_data", None)
    if isinstance(runtime, HomeSmartLinkRuntimeData):
        return runtime.client
    return HomeSmartLinkClient(
        async_get_clientsession(hass),
        entry.data[CONF_BASE_URL],
        entry.data[CONF_CLIENT_ID],
        entry.data[CONF_CLIENT_SECRET],
    )


async def async_users_available(client: HomeSmartLinkClient) -> bool:
    """Whether the cloud lists consenting users (`GET users`, API 0.3.3 and later)."""
    try:
        await client.get_users(page=1, size=1)
    except CloudRequestError as err:
        if err.status == HTTPStatus.NOT_FOUND:
            return False
        raise
    return True


async def async_check_partner(client: HomeSmartLinkClient) -> bool:
    """Prove the partner credentials (CloudError if not); True when users can be listed."""
    if await async_users_available(client):
        return True
    await client.get_invitations(CREDENTIALS_CHECK_EMAIL)
    return False


def _home_label(home_id: str, city: str | None) -> SelectOptionDict:
    """How a home is offered: its city and full id, nothing personal beyond that."""
    return SelectOptionDict(value=home_id, label=f"{city} · {home_id}" if city else home_id)


def _markdown_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _gateway_mark(invitation: Invitation) -> str:
    """The gateway state as a mark the step's (translated) description explains."""
    if invitation.has_gateway is False:
        return "—"
    if invitation.gateway_enabled is None:
        return "?"
    return "✅" if invitation.gateway_enabled else "⚠️"


def _invitation_rows(invitations: Iterable[Invitation]) -> str:
    """Table rows (city, rooms, gateway, id) under the step description's header."""
    return "\n".join(
        f"| {_markdown_cell(invitation.city or '—')} | {len(invitation.rooms)} "
        f"| {_gateway_mark(invitation)} | {invitation.home_id} |"
        for invitation in invitations
    )


class HomeSubentryFlow(ConfigSubentryFlow):
    """Add a home to a partner account, in one of four ways."""

    def __init__(self) -> None:
        """Nothing fetched yet."""
        self._client: HomeSmartLinkClient | None = None
        self._users: dict[str, User] = {}
        self._invitations: dict[str, Invitation] = {}

    @property
    def client(self) -> HomeSmartLinkClient:
        """The account's client."""
        if self._client is None:
            self._client = account_client(self.hass, self._get_entry())
        return self._client

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Offer the ways to add a home the partner's API supports."""
        try:
            users_available = await async_users_available(self.client)
        except Exception as err:
            self._abort(err)
        menu = ADD_HOME_MENU if users_available else ADD_HOME_MENU_WITHOUT_USERS
        return self.async_show_menu(step_id="user", menu_options=menu)

    # -- from the consenting users -------------------------------------------------

    async def async_step_pick_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Pick one home among the consenting users' homes not added yet."""
        errors: dict[str, str] = {}
        if user_input is not None:
            home_id = user_input[CONF_HOME_ID]
            city = self._users[home_id].city
            if not (errors := await self._async_check_home(home_id)):
                return self._create_home(home_id, city)
        else:
            await self._async_fetch_new_users()
        options = [_home_label(user.home_id, user.city) for user in self._users.values()]
        schema = vol.Schema(
            {
                vol.Required(CONF_HOME_ID): SelectSelector(
                    SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
                )
            }
        )
        return self.async_show_form(step_id="pick_user", data_schema=schema, errors=errors)

    async def async_step_add_all(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add every consenting home not added yet, each checked first."""
        errors: dict[str, str] = {}
        if user_input is not None:
            entry = self._get_entry()
            added = home_subentries(entry)
            pending = [user for user in self._users.values() if user.home_id not in added]
            try:
                known = await self._async_known_homes(user.home_id for user in pending)
            except CloudAuthenticationError as err:
                self._abort(err)
            except CloudError:
                errors = {"base": "cannot_connect"}
            except Exception:
                LOGGER.exception("Unexpected error while checking the consenting homes")
                errors = {"base": "unknown"}
            else:
                for user in pending:
                    if user.home_id in known:
                        async_add_home(self.hass, entry, user.home_id, user.city)
                return self.async_abort(
                    reason="homes_added",
                    description_placeholders={
                        "added": str(len(known)),
                        "unknown": str(len(pending) - len(known)),
                    },
                )
        else:
            await self._async_fetch_new_users()
        return self.async_show_form(
            step_id="add_all",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders={"count": str(len(self._users))},
        )

    async def _async_fetch_new_users(self) -> None:
        """Read every page of users and keep those whose home is not added yet."""
        try:
            users = await self.client.get_all_users()
        except Exception as err:
            self._abort(err)
        added = home_subentries(self._get_entry())
        self._users = {user.home_id: user for user in users if user.home_id not in added}
        if not self._users:
            raise AbortFlow("no_new_homes")

    async def _async_known_homes(self, home_ids: Iterable[str]) -> set[str]:
        """The homes the cloud knows, checked a few at a time; unknown ones are left out.

        The first failure (other than an unknown home) stops the checks not yet sent
        and is raised, an authentication failure first.
        """
        semaphore = asyncio.Semaphore(CHECK_CONCURRENCY)
        failures: list[CloudError] = []

        async def known(home_id: str) -> str | None:
            async with semaphore:
                if failures:
                    return None
                try:
                    await self.client.get_home_config(home_id)
                except CloudRequestError as err:
                    if err.status not in UNKNOWN_HOME_STATUSES:
                        failures.append(err)
                    return None
                except CloudError as err:
                    failures.append(err)
                    return None
            return home_id

        results = await asyncio.gather(*(known(home_id) for home_id in home_ids))
        if failures:
            auth = (err for err in failures if isinstance(err, CloudAuthenticationError))
            raise next(auth, failures[0])
        return {home_id for home_id in results if home_id is not None}

    # -- from a user's e-mail --------------------------------------------------------

    async def async_step_email(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the e-mail of a user who shared homes with the partner."""
        errors: dict[str, str] = {}
        if user_input is not None and not _EMAIL.fullmatch(str(user_input[CONF_EMAIL]).strip()):
            errors = {CONF_EMAIL: "invalid_email"}
        elif user_input is not None:
            try:
                invitations = await self.client.get_invitations(user_input[CONF_EMAIL].strip())
            except CloudAuthenticationError as err:
                self._abort(err)
            except CloudError:
                errors = {"base": "cannot_connect"}
            except Exception:
                LOGGER.exception("Unexpected error while finding a user's homes")
                errors = {"base": "unknown"}
            else:
                if invitations:
                    self._invitations = {item.home_id: item for item in invitations}
                    return await self.async_step_invitation()
                errors = {CONF_EMAIL: "no_homes_for_email"}
        schema = vol.Schema(
            {
                vol.Required(CONF_EMAIL): TextSelector(
                    TextSelectorConfig(type=TextSelectorType.EMAIL)
                )
            }
        )
        return self.async_show_form(
            step_id="email",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_invitation(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Pick one of the user's homes, shown by city, rooms and gateway state."""
        errors: dict[str, str] = {}
        if user_input is not None:
            home_id = user_input[CONF_HOME_ID]
            city = self._invitations[home_id].city
            if not (errors := await self._async_check_home(home_id)):
                return self._create_home(home_id, city)
        homes = self._invitations.values()
        schema = vol.Schema(
            {
                vol.Required(CONF_HOME_ID): SelectSelector(
                    SelectSelectorConfig(
                        options=[_home_label(home.home_id, home.city) for home in homes],
                        mode=SelectSelectorMode.LIST,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="invitation",
            data_schema=schema,
            errors=errors,
            description_placeholders={"homes": _invitation_rows(homes)},
        )

    # -- by id -----------------------------------------------------------------------

    async def async_step_home_id(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Type the id of a home."""
        errors: dict[str, str] = {}
        if user_input is not None:
            home_id = str(user_input[CONF_HOME_ID]).strip()
            if not home_id:
                errors = {CONF_HOME_ID: "unknown_home"}
            elif not HOME_ID.fullmatch(home_id):
                errors = {CONF_HOME_ID: "invalid_home_id"}
            elif not (errors := await self._async_check_home(home_id)):
                return self._create_home(home_id, None)
        schema = vol.Schema({vol.Required(CONF_HOME_ID): str})
        return self.async_show_form(
            step_id="home_id",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    # -- shared ----------------------------------------------------------------------

    async def _async_check_home(self, home_id: str) -> dict[str, str]:
        """Form errors that say why a home cannot be added (none: it can)."""
        if home_id in home_subentries(self._get_entry()):
            raise AbortFlow("already_configured")
        try:
            await self.client.get_home_config(home_id)
        except CloudAuthenticationError as err:
            self._abort(err)
        except CloudRequestError as err:
            if err.status in UNKNOWN_HOME_STATUSES:
                return {CONF_HOME_ID: "unknown_home"}
            return {"base": "cannot_connect"}
        except CloudError:
            return {"base": "cannot_connect"}
        except Exception:
            LOGGER.exception("Unexpected error while checking a home")
            return {"base": "unknown"}
        return {}

    def _create_home(self, home_id: str, city: str | None) -> SubentryFlowResult:
        """The home subentry, as the contract with the entities describes it."""
        return self.async_create_entry(
            title=home_title(home_id, city), data={CONF_HOME_ID: home_id}, unique_id=home_id
        )

    def _abort(self, err: Exception) -> NoReturn:
        """End the flow on a failure; refused credentials also start re-authentication.

        Called while handling `err`, so an unexpected one is logged with its traceback.
        """
        if isinstance(err, CloudAuthenticationError):
            self._get_entry().async_start_reauth(self.hass)
            raise AbortFlow("invalid_auth")
        if isinstance(err, CloudError):
            raise AbortFlow("cannot_connect")
        LOGGER.exception("Unexpected error while adding a home")
        raise AbortFlow("unknown")


# -- options -----------------------------------------------------------------------


async def _async_is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this system knows."""
    if not name or len(name) > MAX_TIME_ZONE_LENGTH or not name.isascii():
        return False
    try:
        return await dt_util.async_get_time_zone(name) is not None
    except ValueError, OSError:  # not a zone key (empty, absolute, "..") or not a file name
        return False


class HomeSmartLinkOptionsFlow(OptionsFlowWithReload):
    """How long a target temperature lasts, the homes' time zone, following consents."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form; the entry reloads when something changed."""
        errors: dict[str, str] = {}
        if user_input is not None:
            minutes = float(user_input[CONF_DEROGATION_DURATION])
            duration = int(minutes)
            time_zone = str(user_input[CONF_TIME_ZONE]).strip()
            if duration != minutes or duration % MIN_DEROGATION_DURATION:
                errors[CONF_DEROGATION_DURATION] = "invalid_duration"
            if not await _async_is_time_zone(time_zone):
                errors[CONF_TIME_ZONE] = "invalid_time_zone"
            if not errors:
                if not user_input[CONF_FOLLOW_CONSENTS]:
                    async_clear_consent_issues(self.hass, self.config_entry)
                return self.async_create_entry(
                    data={
                        CONF_DEROGATION_DURATION: duration,
                        CONF_TIME_ZONE: time_zone,
                        CONF_FOLLOW_CONSENTS: bool(user_input[CONF_FOLLOW_CONSENTS]),
                    }
                )
        current = {
            CONF_DEROGATION_DURATION: DEFAULT_DEROGATION_DURATION,
            CONF_TIME_ZONE: self.hass.config.time_zone,
            CONF_FOLLOW_CONSENTS: DEFAULT_FOLLOW_CONSENTS,
            **self.config_entry.options,
            **(user_input or {}),
        }
        zones = sorted(await self.hass.async_add_executor_job(available_timezones))
        schema = vol.Schema(
            {
                vol.Required(CONF_DEROGATION_DURATION): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_DEROGATION_DURATION,
                        max=MAX_DEROGATION_DURATION,
                        step=MIN_DEROGATION_DURATION,
                        unit_of_measurement="min",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(CONF_TIME_ZONE): SelectSelector(
                    SelectSelectorConfig(
                        options=zones, custom_value=True, mode=SelectSelectorMode.DROPDOWN
                    )
                ),
                vol.Required(CONF_FOLLOW_CONSENTS): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, current),
            errors=errors,
        )
