"""Add an account: a Home SmartLink partner (credentials) or an MClimate household (OAuth2)."""

from __future__ import annotations

from collections.abc import Mapping
from ipaddress import ip_address
import logging
import os
import re
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    FlowType,
    OptionsFlow,
    SubentryFlowContext,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import callback
from homeassistant.data_entry_flow import UnknownHandler
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2FlowHandler
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio as vol
from yarl import URL

from .application_credentials import MClimateOAuth2Implementation
from .clients import CloudAuthenticationError, CloudError
from .clients.homesmartlink.api import HomeSmartLinkClient
from .clients.mclimate.api import DEFAULT_API_URL, MClimateClient
from .clients.mclimate.oauth import DEFAULT_AUTHORIZE_URL
from .const import (
    CONF_API_URL,
    CONF_AUTHORIZE_URL,
    CONF_BASE_URL,
    CONF_SERVICE,
    DOMAIN,
    LOGGER,
    SUBENTRY_HOME,
    Service,
)
from .homesmartlink.flow import HomeSmartLinkOptionsFlow, HomeSubentryFlow, async_check_partner

# The "MClimate on another server" menu entry is for developers (another host, the
# simulator): households see it only when this variable is "1" (scripts/develop sets it).
DEVELOPER_ENV = "SMARTLINK_MCLIMATE_DEVELOPER"

MAX_URL_LENGTH = 2048
MAX_SECRET_LENGTH = 1024
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}", re.ASCII)
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}", re.ASCII)

URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))

HOMESMARTLINK_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_BASE_URL): URL_SELECTOR,
        vol.Required(CONF_CLIENT_ID): str,
        vol.Required(CONF_CLIENT_SECRET): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
    }
)
MCLIMATE_SERVER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_API_URL, default=DEFAULT_API_URL): URL_SELECTOR,
        vol.Required(CONF_AUTHORIZE_URL, default=DEFAULT_AUTHORIZE_URL): URL_SELECTOR,
    }
)
REAUTH_HOMESMARTLINK_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_SECRET): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        )
    }
)


class SmartLinkMClimateConfigFlow(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """One flow, two services: a menu picks which."""

    DOMAIN = DOMAIN
    VERSION = 1

    def __init__(self) -> None:
        """No MClimate server chosen yet: the implementation's own are used."""
        super().__init__()
        self._mclimate_server: dict[str, str] | None = None
        self._ask_mclimate_server = False  # the developers' entry: once credentials are picked

    @property
    def logger(self) -> logging.Logger:
        """Logger of the OAuth2 part of the flow."""
        return LOGGER

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """A Home SmartLink account holds homes; an MClimate account finds its devices."""
        if config_entry.data[CONF_SERVICE] == Service.HOMESMARTLINK:
            return {SUBENTRY_HOME: HomeSubentryFlow}
        return {}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only Home SmartLink accounts have options."""
        return bool(config_entry.data[CONF_SERVICE] == Service.HOMESMARTLINK)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Options of a Home SmartLink account (MClimate accounts have none)."""
        if config_entry.data[CONF_SERVICE] != Service.HOMESMARTLINK:
            raise UnknownHandler
        return HomeSmartLinkOptionsFlow()

    async def async_on_create_entry(self, result: ConfigFlowResult) -> ConfigFlowResult:
        """A new partner account goes on to add its first home (as core ntfy does)."""
        entry = result["result"]
        if entry.data[CONF_SERVICE] == Service.HOMESMARTLINK:
            home_flow = await self.hass.config_entries.subentries.async_init(
                (entry.entry_id, SUBENTRY_HOME), context=SubentryFlowContext(source=SOURCE_USER)
            )
            result["next_flow"] = (FlowType.CONFIG_SUBENTRIES_FLOW, home_flow["flow_id"])
        return result

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask which service to add."""
        options: list[str] = [Service.HOMESMARTLINK, Service.MCLIMATE]
        if os.environ.get(DEVELOPER_ENV) == "1":
            options.append("mclimate_server")
        return self.async_show_menu(step_id="user", menu_options=options)

    # -- Home SmartLink: partner credentials -------------------------------------------

    async def async_step_homesmartlink(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Partner base URL, client id and secret, checked against the cloud."""
        errors: dict[str, str] = {}
        if user_input is not None:
            base_url = _clean_url(user_input[CONF_BASE_URL])
            client_id = str(user_input[CONF_CLIENT_ID]).strip()
            errors = _credential_errors(base_url, client_id, user_input[CONF_CLIENT_SECRET])
            if not errors:
                await self.async_set_unique_id(f"{Service.HOMESMARTLINK}:{client_id}")
                self._abort_if_unique_id_configured()
                errors = await self._async_check_partner(
                    base_url, client_id, user_input[CONF_CLIENT_SECRET]
                )
            if not errors:
                return self.async_create_entry(
                    title=f"Home SmartLink ({client_id})",
                    data={
                        CONF_SERVICE: Service.HOMESMARTLINK,
                        CONF_BASE_URL: base_url,
                        CONF_CLIENT_ID: client_id,
                        CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
                    },
                )
        return self.async_show_form(
            step_id=Service.HOMESMARTLINK,
            data_schema=self.add_suggested_values_to_schema(HOMESMARTLINK_SCHEMA, user_input),
            errors=errors,
        )

    async def _async_check_partner(
        self, base_url: str, client_id: str, client_secret: str
    ) -> dict[str, str]:
        """Errors for the form, or none when the cloud accepts the credentials."""
        client = HomeSmartLinkClient(
            async_get_clientsession(self.hass), base_url, client_id, client_secret
        )
        try:
            await async_check_partner(client)
        except CloudAuthenticationError:
            return {CONF_CLIENT_SECRET: "invalid_auth"}
        except CloudError as err:
            LOGGER.debug("Home SmartLink check failed: %s", err)
            return {CONF_BASE_URL: "cannot_connect"}
        except Exception:
            LOGGER.exception("Unexpected error while checking the Home SmartLink account")
            return {"base": "unknown"}
        return {}

    # -- MClimate: OAuth2 through application credentials ------------------------------

    async def async_step_mclimate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to MClimate in the browser."""
        return await self.async_step_pick_implementation()

    async def async_step_mclimate_server(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """MClimate on servers of your choice: another host, or the local simulator.

        The vendor's own document names two API hosts, so the root stays editable.
        Asked once the application credentials are picked, just before signing in:
        without credentials Home Assistant asks for them and starts the flow again,
        which asked for the servers a second time.
        """
        if user_input is None and not self._ask_mclimate_server:
            self._ask_mclimate_server = True
            return await self.async_step_pick_implementation()
        errors: dict[str, str] = {}
        if user_input is not None:
            server = {key: _clean_url(user_input[key]) for key in MCLIMATE_SERVER_SCHEMA.schema}
            errors = {key: error for key, url in server.items() if (error := _url_error(url))}
            if not errors:
                self._mclimate_server = server
                return await self.async_step_auth()
        return self.async_show_form(
            step_id="mclimate_server",
            data_schema=self.add_suggested_values_to_schema(MCLIMATE_SERVER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_auth(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Send the browser to the chosen MClimate server's sign-in page."""
        if user_input is None and self._ask_mclimate_server and self._mclimate_server is None:
            return await self.async_step_mclimate_server()  # the developers' servers first
        if (
            user_input is None
            and self._mclimate_server is not None
            and isinstance(self.flow_impl, MClimateOAuth2Implementation)
        ):
            self.flow_impl = self.flow_impl.for_server(
                self._mclimate_server[CONF_API_URL], self._mclimate_server[CONF_AUTHORIZE_URL]
            )
        return await super().async_step_auth(user_input)

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Identify the MClimate account before creating (or re-authenticating) it."""
        server = {CONF_API_URL: DEFAULT_API_URL, CONF_AUTHORIZE_URL: DEFAULT_AUTHORIZE_URL}
        if isinstance(self.flow_impl, MClimateOAuth2Implementation):
            server = {
                CONF_API_URL: self.flow_impl.api_url,
                CONF_AUTHORIZE_URL: self.flow_impl.authorize_url,
            }
        api_url = server[CONF_API_URL]
        client = MClimateClient(
            async_get_clientsession(self.hass), data["token"]["access_token"], base_url=api_url
        )
        try:
            user = await client.get_user()
        except CloudError as err:
            LOGGER.debug("MClimate account check failed: %s", err)
            return self.async_abort(reason="cannot_connect")
        except Exception:
            LOGGER.exception("Unexpected error while identifying the MClimate account")
            return self.async_abort(reason="unknown")
        await self.async_set_unique_id(f"{Service.MCLIMATE}:{user.user_id}")
        data = {**data, CONF_SERVICE: Service.MCLIMATE, **server}
        if self.source == SOURCE_REAUTH:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(self._get_reauth_entry(), data=data)
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(self._get_reconfigure_entry(), data=data)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=self._mclimate_title(user.user_id), data=data)

    def _mclimate_title(self, user_id: int) -> str:
        """The entry title: "MClimate", with the account's number beside another one.

        Never the e-mail the account signs in with: Home Assistant quotes entry titles in
        its own log lines ("... not ready yet"), and the account device, named after the
        entry, names its sensors' entity ids.
        """
        others = [
            entry
            for entry in self._async_current_entries(include_ignore=False)
            if entry.data.get(CONF_SERVICE) == Service.MCLIMATE
        ]
        return f"MClimate {user_id}" if others else "MClimate"

    # -- reconfiguration ---------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an account signs in; each service has its own step."""
        if self._get_reconfigure_entry().data[CONF_SERVICE] == Service.HOMESMARTLINK:
            return await self.async_step_reconfigure_homesmartlink()
        if self._get_reconfigure_entry().data[CONF_SERVICE] == Service.MCLIMATE:
            return await self.async_step_reconfigure_mclimate()
        return self.async_abort(reason="reconfigure_not_supported")

    async def async_step_reconfigure_mclimate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in again, re-picking the credentials (and, for developers, the servers).

        As core `watts` does: the same account only, and the entry reloads with the new token.
        """
        if os.environ.get(DEVELOPER_ENV) == "1":
            return await self.async_step_mclimate_server()
        entry = self._get_reconfigure_entry()
        if CONF_AUTHORIZE_URL in entry.data:  # keep the servers where the account lives
            self._mclimate_server = {
                CONF_API_URL: entry.data[CONF_API_URL],
                CONF_AUTHORIZE_URL: entry.data[CONF_AUTHORIZE_URL],
            }
        return await self.async_step_pick_implementation()

    async def async_step_reconfigure_homesmartlink(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A new base URL or credentials of the same partner (as core peblar does)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            base_url = _clean_url(user_input[CONF_BASE_URL])
            client_id = str(user_input[CONF_CLIENT_ID]).strip()
            errors = _credential_errors(base_url, client_id, user_input[CONF_CLIENT_SECRET])
            if not errors:
                await self.async_set_unique_id(f"{Service.HOMESMARTLINK}:{client_id}")
                self._abort_if_unique_id_mismatch(reason="wrong_partner")
                errors = await self._async_check_partner(
                    base_url, client_id, user_input[CONF_CLIENT_SECRET]
                )
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={
                        CONF_BASE_URL: base_url,
                        CONF_CLIENT_ID: client_id,
                        CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
                    },
                )
        suggested = user_input or {
            CONF_BASE_URL: entry.data[CONF_BASE_URL],
            CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID],
        }
        return self.async_show_form(
            step_id="reconfigure_homesmartlink",
            data_schema=self.add_suggested_values_to_schema(HOMESMARTLINK_SCHEMA, suggested),
            errors=errors,
        )

    # -- re-authentication -------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The cloud refused the stored credentials or token."""
        if entry_data[CONF_SERVICE] == Service.MCLIMATE:
            return await self.async_step_reauth_mclimate()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the partner for a new client secret."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None and not _is_secret(user_input[CONF_CLIENT_SECRET]):
            errors = {CONF_CLIENT_SECRET: "invalid_secret"}
        elif user_input is not None:
            errors = await self._async_check_partner(
                entry.data[CONF_BASE_URL],
                entry.data[CONF_CLIENT_ID],
                user_input[CONF_CLIENT_SECRET],
            )
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_HOMESMARTLINK_SCHEMA,
            errors=errors,
            description_placeholders={"client_id": entry.data[CONF_CLIENT_ID]},
        )

    async def async_step_reauth_mclimate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm, then sign in to MClimate again with the same credentials."""
        if user_input is None:
            return self.async_show_form(step_id="reauth_mclimate")
        entry = self._get_reauth_entry()
        if CONF_AUTHORIZE_URL in entry.data:  # sign in again where the account lives
            self._mclimate_server = {
                CONF_API_URL: entry.data[CONF_API_URL],
                CONF_AUTHORIZE_URL: entry.data[CONF_AUTHORIZE_URL],
            }
        return await self.async_step_pick_implementation(
            {"implementation": entry.data["auth_implementation"]}
        )


def _clean_url(value: Any) -> str:
    """A URL as typed, without surrounding blanks or a trailing slash."""
    return str(value).strip().rstrip("/")


def _url_error(value: str) -> str | None:
    """Why a base URL is refused (None: it is fine).

    Only HTTPS leaves the machine: plain HTTP is for a server on a loopback
    address (the simulator, a local proxy). Credentials in the URL, odd hosts
    and absurd lengths are refused before any request.
    """
    if len(value) > MAX_URL_LENGTH:
        return "invalid_url"
    try:
        url = URL(value)
    except ValueError:
        return "invalid_url"
    host = url.host or ""
    if (
        url.scheme not in ("http", "https")
        or not _HOST.fullmatch(host)
        or url.user is not None
        or url.password is not None
    ):
        return "invalid_url"
    if url.scheme == "http" and not _is_loopback(host):
        return "insecure_url"
    return None


def _is_loopback(host: str) -> bool:
    """Whether `host` is this machine (localhost or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _is_secret(value: Any) -> bool:
    """A client secret: text of sensible length, without control characters."""
    return isinstance(value, str) and 0 < len(value) <= MAX_SECRET_LENGTH and value.isprintable()


def _credential_errors(base_url: str, client_id: str, client_secret: Any) -> dict[str, str]:
    """Form errors of the partner form found without asking the cloud."""
    errors: dict[str, str] = {}
    if error := _url_error(base_url):
        errors[CONF_BASE_URL] = error
    # HTTP Basic cannot carry a ":" in the id; ids are plain identifiers, not text.
    if not _CLIENT_ID.fullmatch(client_id):
        errors[CONF_CLIENT_ID] = "invalid_client_id"
    if not _is_secret(client_secret):
        errors[CONF_CLIENT_SECRET] = "invalid_secret"
    return errors
