"""The homes a scenario describes, built deterministically for its seed.

Generated homes (the counts of the scenario) are first written as a layout,
so generated and laid-out homes go through the same builder and draw from the
seeded generator in the same order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import random

from simulator.scenario import DeviceSpec, HomeSmartLinkScenario, HomeSpec, RoomSpec

from .state import (
    OFFLINE_FOR,
    REPORT_PERIOD,
    GatewayEntry,
    ObjectIds,
    SimGateway,
    SimHeater,
    SimHome,
    SimRoom,
    SimUser,
    WeekSchedule,
)

# Ids and creation dates derive from this fixed instant, not from the clock, so a
# seed gives the same home ids at every start (a demo's configuration keeps working).
HISTORY_END = datetime(2025, 9, 1, tzinfo=UTC)
ROOM_NAMES = (
    "Salon",
    "Cuisine",
    "Chambre 1",
    "Salle de bain",
    "Bureau",
    "Chambre 2",
    "Salle à manger",
    "Chambre 3",
    "Entrée",
    "Buanderie",
)
FIRST_NAMES = ("Camille", "Louis", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Arthur", "Inès")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")
STREETS = ("rue de la Paix", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Pasteur")
CITIES = (("Lyon", "69003"), ("Nantes", "44000"), ("Lille", "59000"), ("Rennes", "35000"))
BATHROOM_COMFORT = 22.0
COMFORTS = (19.0, 19.5, 20.0, 20.5, 21.0)
# Words that tell a room's use (French and English), hence its week schedule.
ROOM_KINDS = (
    ("bedroom", ("chambre", "bedroom")),
    ("bathroom", ("salle de bain", "bathroom")),
    ("office", ("bureau", "office")),
)

Range = tuple[int, int]


def _week(weekday: tuple[Range, ...], weekend: tuple[Range, ...]) -> WeekSchedule:
    return (weekday,) * 5 + (weekend,) * 2


SCHEDULES: dict[str, WeekSchedule] = {
    "living": _week(((390, 480), (1050, 1320)), ((480, 1350),)),
    "bedroom": _week(((390, 450), (1140, 1350)), ((480, 600), (1140, 1380))),
    "bathroom": _week(((360, 480), (1140, 1260)), ((480, 660), (1140, 1260))),
    "office": _week(((480, 1080),), ()),
}


def room_kind(name: str) -> str:
    """What a room is used for, from its name: living, bedroom, bathroom or office."""
    folded = name.casefold()
    for kind, words in ROOM_KINDS:
        if any(word in folded for word in words):
            return kind
    return "living"


def generated_layout(config: HomeSmartLinkScenario) -> list[HomeSpec]:
    """The homes the counts of the scenario describe."""
    names = [
        ROOM_NAMES[index] if index < len(ROOM_NAMES) else f"Pièce {index + 1}"
        for index in range(config.rooms_per_home)
    ]
    homes = []
    for number in range(config.homes):
        rooms = [
            RoomSpec(name, [_generated_device(name) for _ in range(config.heaters_per_room)])
            for name in names
        ]
        devices = [device for room in rooms for device in room.devices]
        if devices:
            devices[0].mode = "Prog"  # every home shows a week schedule
        for device in devices[len(devices) - min(config.offline_heaters, len(devices)) :]:
            device.online = False
        if number >= config.homes - config.homes_without_gateway:
            gateway = "none"
        else:
            gateway = "online" if config.gateway_online else "offline"
        homes.append(HomeSpec(rooms=rooms, gateway=gateway))
    return homes


def _generated_device(room_name: str) -> DeviceSpec:
    bathroom = room_kind(room_name) == "bathroom"
    return DeviceSpec(category="TowelDryier" if bathroom else "Heater", mode=None)


def build_homes(
    config: HomeSmartLinkScenario, rng: random.Random, ids: ObjectIds, built_at: datetime
) -> list[SimHome]:
    """Every home of the scenario, in order; the n-th belongs to user{n}@example.com."""
    layout = config.layout or generated_layout(config)
    return [
        _build_home(spec, rng, ids, number, built_at) for number, spec in enumerate(layout, start=1)
    ]


def _build_home(
    spec: HomeSpec, rng: random.Random, ids: ObjectIds, number: int, built_at: datetime
) -> SimHome:
    created_at = HISTORY_END - timedelta(days=rng.randint(0, 900), seconds=rng.randrange(86400))
    home_id = ids.object_id(created_at)
    city, zip_code = rng.choice(CITIES)
    user = SimUser(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        zip_code=zip_code,
        city=city,
        prm_id=f"{rng.randrange(10**13, 10**14):014d}",
        consent_date=created_at + timedelta(days=rng.randint(1, 30)),
        email=f"user{number}@example.com",
    )
    rooms: list[SimRoom] = []
    entry: GatewayEntry | None = None
    for room_id, room_spec in enumerate(spec.rooms, start=1):
        room = SimRoom(room_id=room_id, name=room_spec.name)
        for device in room_spec.devices:
            if device.category == "Gateway":
                header = f"{rng.getrandbits(48):012X}"
                entry = GatewayEntry(header, room_id, room.name, rng.choice((310, 312)))
            else:
                room.heaters.append(_build_heater(device, rng, home_id, room, built_at))
        rooms.append(room)
    gateway = None
    if spec.gateway != "none":
        online = spec.gateway == "online"
        installed = created_at + timedelta(days=rng.randint(0, 10), seconds=rng.randrange(86400))
        gateway = SimGateway(
            token=f"{rng.getrandbits(64):016x}",
            version=rng.choice(("2.3.8", "2.4.1", "2.5.0")),
            installation_date=installed,
            history=[(built_at if online else built_at - OFFLINE_FOR, online)],
            entry=entry,
        )
    return SimHome(home_id, created_at, user, rooms, gateway)


def _build_heater(
    spec: DeviceSpec, rng: random.Random, home_id: str, room: SimRoom, built_at: datetime
) -> SimHeater:
    kind = room_kind(room.name)
    mode = spec.mode if spec.mode is not None else rng.choice(("Prog", "Prog", "Manual"))
    comfort = spec.comfort
    if comfort is None:
        comfort = BATHROOM_COMFORT if kind == "bathroom" else rng.choice(COMFORTS)
    heater = SimHeater(
        home_id=home_id,
        header=f"{rng.getrandbits(48):012X}",
        room_id=room.room_id,
        room_name=room.name,
        category=spec.category,
        software_version=rng.choice((118, 121, 124)),
        mode=mode,
        comfort=comfort,
        schedule=SCHEDULES[kind],
        pv_bias=rng.choice((-0.5, -0.3, 0.0, 0.2, 0.4)),
        report_offset=rng.randrange(REPORT_PERIOD),
        rssi=-rng.randint(45, 85),
    )
    if not spec.online:
        heater.online = False
        heater.offline_since = built_at - OFFLINE_FOR - timedelta(seconds=heater.report_offset)
    return heater
