"""MClimate API client: Melissa, Bobbie, Vicki and smart plugs (no Home Assistant inside)."""

from .api import DEFAULT_API_URL, ControllerOfflineError, MClimateClient, TokenSource
from .models import (
    BobbieData,
    Controller,
    ControllerRelations,
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
    exchange_code,
    refresh_token,
)

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_AUTHORIZE_URL",
    "DEFAULT_TOKEN_URL",
    "BobbieData",
    "Controller",
    "ControllerOfflineError",
    "ControllerRelations",
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
    "exchange_code",
    "refresh_token",
]
