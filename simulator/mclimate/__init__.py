"""The simulated MClimate cloud: OAuth2 sign-in, token exchange and the HAL API.

Shapes follow the vendor's document (seeds/mclimate-api.txt). Where it is
silent or contradicts itself, this simulator decides as follows:

- Sign-in lives at /oauth/authorize (the real page is auth.seemelissa.com/).
  No redirect URI is registered for the simulated client, so `redirect_uri`
  is required there. Codes live ten minutes and work once. At the token
  endpoint `redirect_uri` stays optional, but when sent it must equal the
  authorize one. `grant_type` and the documented misspelling `grent_type` are
  both read; each one sent must name the same supported grant. Client errors
  carry an OAuth `error` member (invalid_request, invalid_client,
  invalid_grant, unsupported_grant_type) next to the RFC 7807 members.
- No refresh token is documented, so by default none is issued: an expired
  or revoked access token can only be replaced by signing in again. The
  scenario's `refresh_tokens` (an invention) adds a `refresh_token` to every
  token answer and accepts `grant_type: refresh_token` with `refresh_token`,
  `client_id` and `client_secret` in a JSON body, like the exchange. Each
  refresh token works once (the answer carries the next one) and never
  expires; revoking the app's access revokes them too.
- A missing Authorization header, and a bare "Bearer" without a token (the
  document's own sample call), answer the documented `missingHeader` body.
- Collections: see `hal` (`total` counts this answer, an empty page answers
  the entity shape, `limit` accepts 1 to 100). Filters, `sort` (comma
  separated, `-` for descending) and `fields` must name fields of the
  resource, else 400; `controller_log` is a list, so it may be asked for in
  `fields` but neither filters nor sorts. Only `fields` is accepted on an
  entity. `online=true|false|1|0` filters booleans.
- `controller_log` (the document's member, always `[]` in its samples) lists
  the commands the controller accepted, oldest first, the last 20: each entry
  is the /provider/send body as received (flat IR members or the nested
  `send_ir_code_options`, without `serial_number`) plus its `created` time
  ("YYYY-MM-DD HH:MM:SS", UTC). It is the same in the collection and in the
  entity answer.
- `_relation` appears on Melissa controllers only. The `/v1/controller/{serial}`
  link template of users/me is served as an alias of `/v1/controllers/{serial}`.
- Controllers are named "<Label> <serial prefix>" unless the scenario's
  `names` says otherwise. The scenario's `unknown_types` add one controller of
  each undocumented type: firmware "V0.9", no command, and a fetch answer of
  `{"online": true, "uptime": seconds}`.
- Fetching from or sending to an offline controller answers 409 "Controller
  offline": the cloud itself works, so a 5xx would be wrong, and a 200 with an
  empty `provider` would look like a device without sensors. A 4xx with its
  own status lets a client mark just that device unavailable.
- Provider values (deterministic for the seed and the simulated clock):
  rooms follow a daily cycle and drift towards what the devices do (an AC in
  heat or cool mode, a radiator valve's target) with a first-order lag. Melissa
  raw values are the SHT sensor encodings of the reported values. Vicki
  `uptime` is seconds since boot; `motorPosition` maps the target linearly
  onto `motorRange` (5 degC closed, 30 degC fully open). With the scenario's
  `vicki_flags` (an invention) a Vicki answer adds booleans `openWindow` and
  `childLock`. A smart plug answers `{"online": true, "power": "on"|"off"}`,
  mirroring its `switch_on_off` values.
- /v1/providers/send (the document's curl samples) is an alias of
  /v1/provider/send. `set_read_mode`, seen in one curl sample with meaningless
  values, is not a known command. Vicki has no documented command; the
  simulator serves `set_motor_position` with `position` (or `target`) 5 to 30.
  `switch_on_off` and `set_motor_position` answer the device's new data.
"""

from .cloud import MClimateCloud
from .hal import PAGE_SIZE
from .provider import provider_data
from .state import (
    BobbieState,
    MelissaState,
    SimController,
    SimUser,
    SmartPlugState,
    UnknownState,
    VickiState,
)

__all__ = [
    "PAGE_SIZE",
    "BobbieState",
    "MClimateCloud",
    "MelissaState",
    "SimController",
    "SimUser",
    "SmartPlugState",
    "UnknownState",
    "VickiState",
    "provider_data",
]
