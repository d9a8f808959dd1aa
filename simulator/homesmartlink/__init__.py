"""The simulated Home SmartLink partner API, under `/partners/1/`.

The vendor's document (seeds/homesmartlink-partner-api.txt) gives the shapes;
this package answers with exactly those shapes, typos included: the result key
is `reponse` for config and invitations, `response` everywhere else; `pv` and
`deviceCount` are strings; the second `consentDate` of UserDTO (the contact
email) is emitted as `email`.

Choices where the document is silent:
- Ids: homes, derogations and triggers get 24-hex MongoDB ObjectIds (creation
  timestamp, one random value per simulator, a counter); heater headers are 12
  upper-case hex digits; gateway tokens 16 lower-case hex digits; diagnosis
  message ids UUIDs. All deterministic for the scenario seed, whatever the
  clock says at start, so a demo's configured home ids survive a restart.
- Dates are JavaScript ISO strings in UTC with milliseconds
  ("2026-11-23T09:00:00.000Z"), as a Node/MongoDB backend writes them.
- One consenting user per home, email `user{n}@example.com` (n from 1), so
  invitations for an email return that one home; emails match case-insensitively.
- Homes are generated from counts (French room names, a heater or, in
  bathrooms, a towel dryer, in Prog or Manual mode) or laid out one by one in
  the scenario: any documented category and mode, several devices per room.
- Every category but "Gateway" heats and reports mode, sp and pv (the "None"
  category included). A "Gateway" item is the home's gateway listed among
  the devices: online as the gateway is, `lastUpdate` its last ping, and no
  mode, sp, pv or weekSchedule. Its header counts in the room's
  `accessories` and `deviceCount`.
- A home may have no gateway: its config answer has no `gateway` member, its
  invitation says `hasGateway: false` and `gatewayEnabled: false`, its
  diagnoses are NOK and its derogation messages are never acknowledged.
- In Prog mode the reported `sp` is the comfort setpoint inside a schedule
  range and comfort minus 3.5 degC (eco) outside, in the homes' local time.
  Stop reports sp 0 and Antifreeze sp 7; derogation deltas apply to heaters in
  Manual and Prog modes only (a stopped or frost-protected heater is not a
  comfort setpoint).
- `pv` is the effective setpoint plus a small fixed per-heater bias, as if the
  room had already reached it; heaters report every five minutes (`lastUpdate`).
- Derogation windows are local wall-clock times of their `date` in the
  scenario `timezone`; endTime 1440 is the next midnight. Windows in the past
  are accepted: their trigger messages go out at once. Overlapping derogations
  of one room add up.
- Each call to derogations makes one start trigger and one end trigger. A
  trigger sends one MQTT message per targeted home, 100 ms apart, when its time
  comes; a report lists only messages already sent (`first`/`last` are null
  before that). A message is acknowledged `ack_delay` seconds after sending if
  the home's gateway is online at that instant, otherwise never.
- GET users: page=1 and size=20 by default, no upper bound on size; values
  that are not integers >= 1 are a 400. With the scenario's `users_endpoint`
  off it answers 404 before any authentication, like every route a partner API
  older than 0.3.3 does not know.
- Diagnosis: status NOK when the gateway is offline (or missing) at request
  time; such a request stays FAILED. An accepted one is PENDING until
  `diagnosis_delay` seconds have passed, then DONE with a `diagnosis` member
  (gateway and heater health as of that moment), or FAILED if the gateway was
  offline by then.
- Errors are RFC 7807 problems: 401 bad credentials, 400 malformed body or
  invalid derogation (the `detail` names the first violation, nothing is
  stored), 404 unknown home, trigger or message.
"""

from .cloud import HomeSmartLinkCloud
from .state import (
    GatewayEntry,
    SimDiagnosis,
    SimGateway,
    SimHeater,
    SimHome,
    SimRoom,
    SimTrigger,
    SimUser,
    StoredDerogation,
)

__all__ = [
    "GatewayEntry",
    "HomeSmartLinkCloud",
    "SimDiagnosis",
    "SimGateway",
    "SimHeater",
    "SimHome",
    "SimRoom",
    "SimTrigger",
    "SimUser",
    "StoredDerogation",
]
