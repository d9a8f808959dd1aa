"""The MClimate OAuth2 implementation Home Assistant builds from application credentials."""

from __future__ import annotations

from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.setup import async_setup_component

from custom_components.smartlink_mclimate import application_credentials
from custom_components.smartlink_mclimate.application_credentials import (
    MClimateOAuth2Implementation,
)
from custom_components.smartlink_mclimate.const import DOMAIN


async def test_credentials_give_mclimate_implementation(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential("my-client", "my-secret"), "mclimate_cred"
    )
    implementations = await config_entry_oauth2_flow.async_get_implementations(hass, DOMAIN)

    implementation = implementations["mclimate_cred"]
    assert isinstance(implementation, MClimateOAuth2Implementation)
    assert implementation.name == "MClimate"
    assert implementation.client_id == "my-client"
    assert implementation.authorize_url == "https://auth.seemelissa.com/"
    assert implementation.token_url == "https://developer-api.seemelissa.com/v1/token"
    assert implementation.api_url == "https://developer-api.seemelissa.com/v1"


async def test_authorization_server_and_dialog_links(hass: HomeAssistant) -> None:
    server = await application_credentials.async_get_authorization_server(hass)
    assert server.authorize_url == "https://auth.seemelissa.com/"
    assert server.token_url == "https://developer-api.seemelissa.com/v1/token"
    placeholders = await application_credentials.async_get_description_placeholders(hass)
    assert placeholders == {"developer_url": "https://developers.mclimate.eu"}
