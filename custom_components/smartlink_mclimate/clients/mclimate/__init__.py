"""MClimate API client: Melissa, Bobbie, Vicki and smart plugs (no Home Assistant inside)."""

from .api import DEFAULT_API_URL, ControllerOfflineError, MClimateClient, TokenSource
from .models import (
    BobbieData,
    Controller,
    ControllerType,
    IrCommand,
    MelissaData,
    MelissaFan,
    MelissaMode,
    MelissaRelation,
    MelissaState,
    ProviderData,
    SmartPlugData,
    User,
    VickiData,
)
from .oauth import (
    DEFAULT_AUTHORIZE_URL,
    DEFAULT_TOKEN_URL,
    Token,
    build_authorize_url,
    exchange_code,
)

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_AUTHORIZE_URL",
    "DEFAULT_TOKEN_URL",
    "BobbieData",
    "Controller",
    "ControllerOfflineError",
    "ControllerType",
    "IrCommand",
    "MClimateClient",
    "MelissaData",
    "MelissaFan",
    "MelissaMode",
    "MelissaRelation",
    "MelissaState",
    "ProviderData",
    "SmartPlugData",
    "Token",
    "TokenSource",
    "User",
    "VickiData",
    "build_authorize_url",
    "exchange_code",
]
