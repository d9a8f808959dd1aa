"""Place the demo's devices in areas and name them for Assist, through the registries' APIs.

The first home is "your" home: its rooms are the areas Living room, Kitchen, Bedroom and
Bathroom (each heater joins its room), the MClimate devices join them, and Assist knows
them in English and French. Other homes belong to the partner's other customers: their
rooms get areas of their own ("Living room (Nantes)") and are not exposed to Assist,
so "the living room" means one room only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scripts.ha_api import HomeAssistantApi, JsonObject, poll

# Where the demo world's MClimate devices stand (simulator.scenario.Scenario.demo names).
MCLIMATE_AREAS = {
    "Bedroom AC": "Bedroom",
    "Water heater": "Bathroom",
    "Living room valve": "Living room",
    "Plug": "Kitchen",
}
# French names of the rooms, as Assist aliases.
AREA_ALIASES = {
    "Living room": ["Salon"],
    "Kitchen": ["Cuisine"],
    "Bedroom": ["Chambre"],
    "Bathroom": ["Salle de bain", "Salle de bains"],
}
# Other names Assist should know an MClimate device by, by device model.
MODEL_ALIASES = {
    "Melissa": ("climate", ["Air conditioning", "Climatisation"]),
    "Bobbie": ("switch", ["Chauffe-eau"]),
}
# The living room's Vicki valve stays out of Assist: Home Assistant sets the temperature
# of "the living room" only when one thermostat there answers to it (the room's).
HIDDEN_FROM_ASSIST = {"Vicki": "climate"}
ROOM_MODEL = "Room"


@dataclass
class Registries:
    """The areas, devices and entities of Home Assistant, read once."""

    areas: dict[str, JsonObject]
    devices: list[JsonObject]
    entities: list[JsonObject]

    @classmethod
    async def read(cls, api: HomeAssistantApi) -> Registries:
        """Read the three registries."""
        areas = await api.command("config/area_registry/list")
        return cls(
            {area["area_id"]: area for area in areas},
            await api.command("config/device_registry/list"),
            await api.command("config/entity_registry/list"),
        )

    def area_named(self, name: str) -> JsonObject | None:
        """The area of that name (compared as Home Assistant does: case-insensitively)."""
        wanted = name.casefold().replace(" ", "")
        for area in self.areas.values():
            if area["name"].casefold().replace(" ", "") == wanted:
                return area
        return None

    def entities_of(self, device_ids: Iterable[str]) -> list[JsonObject]:
        """The entities of these devices."""
        ids = set(device_ids)
        return [entity for entity in self.entities if entity["device_id"] in ids]


DEVICES_TIMEOUT = 90.0


async def wait_for_devices(
    api: HomeAssistantApi, hsl_entry_id: str, mclimate_entry_id: str, mclimate_devices: int
) -> None:
    """Wait until every home has its rooms and the MClimate account all its devices."""

    async def devices_exist() -> bool:
        registries = await Registries.read(api)
        homes = await _home_subentries(api, hsl_entry_id)
        rooms = {
            device["config_subentry_id"]
            for device in registries.devices
            if device["model"] == ROOM_MODEL and device["config_entry_id"] == hsl_entry_id
        }
        controllers = [
            device
            for device in registries.devices
            if device["config_entry_id"] == mclimate_entry_id and device["model"]
        ]
        return set(homes) <= rooms and len(controllers) >= mclimate_devices

    await poll(devices_exist, DEVICES_TIMEOUT, "the demo's devices did not all appear")


async def _home_subentries(api: HomeAssistantApi, entry_id: str) -> dict[str, str]:
    """The home subentries of a partner entry, in the order they were added: id -> title."""
    subentries = await api.command("config_entries/subentries/list", entry_id=entry_id)
    return {item["subentry_id"]: item["title"] for item in subentries}


async def lay_out(api: HomeAssistantApi, hsl_entry_id: str, mclimate_entry_id: str) -> None:
    """Areas, aliases and Assist exposure of the demo world."""
    homes = await _home_subentries(api, hsl_entry_id)
    own_home, *other_homes = homes
    registries = await Registries.read(api)
    for subentry_id in other_homes:
        await _move_home(api, registries, hsl_entry_id, subentry_id, _city(homes[subentry_id]))
    registries = await Registries.read(api)
    await _heaters_join_rooms(api, registries, hsl_entry_id)
    await _place_mclimate(api, registries, mclimate_entry_id)
    registries = await Registries.read(api)
    await _name_areas(api, registries)
    await _name_for_assist(api, registries, hsl_entry_id, own_home, mclimate_entry_id)
    other_devices = [
        device["id"]
        for device in registries.devices
        if device["config_entry_id"] == hsl_entry_id and device["config_subentry_id"] in other_homes
    ]
    hidden = [entity["entity_id"] for entity in registries.entities_of(other_devices)]
    for device in registries.devices:
        domain = HIDDEN_FROM_ASSIST.get(device["model"])
        if device["config_entry_id"] == mclimate_entry_id and domain:
            hidden += [
                entity["entity_id"]
                for entity in registries.entities_of([device["id"]])
                if entity["entity_id"].startswith(f"{domain}.")
            ]
    if hidden:
        await api.command(
            "homeassistant/expose_entity",
            assistants=["conversation"],
            entity_ids=hidden,
            should_expose=False,
        )


def _city(title: str) -> str:
    """A home's city from its title ("Nantes · 6552…f16c"), or the title itself."""
    return title.split(" · ", 1)[0]


def _devices_of(registries: Registries, entry_id: str, subentry_id: str) -> list[JsonObject]:
    return [
        device
        for device in registries.devices
        if device["config_entry_id"] == entry_id and device["config_subentry_id"] == subentry_id
    ]


async def _area_id(api: HomeAssistantApi, registries: Registries, name: str) -> str:
    """The id of the area of that name, created if needed."""
    if (area := registries.area_named(name)) is None:
        area = await api.command("config/area_registry/create", name=name)
        registries.areas[area["area_id"]] = area
    area_id: str = area["area_id"]
    return area_id


async def _move_home(
    api: HomeAssistantApi, registries: Registries, entry_id: str, subentry_id: str, city: str
) -> None:
    """Give another customer's rooms areas of their own: "Living room (Nantes)"."""
    for device in _devices_of(registries, entry_id, subentry_id):
        if device["area_id"] is None:
            continue
        room = registries.areas[device["area_id"]]["name"]
        if room.endswith(f"({city})"):
            continue
        area_id = await _area_id(api, registries, f"{room} ({city})")
        await _set_area(api, device, area_id)


async def _set_area(api: HomeAssistantApi, device: JsonObject, area_id: str) -> None:
    await api.command("config/device_registry/update", device_id=device["id"], area_id=area_id)
    device["area_id"] = area_id


async def _heaters_join_rooms(api: HomeAssistantApi, registries: Registries, entry_id: str) -> None:
    """A heater without an area goes where its room is."""
    by_id = {device["id"]: device for device in registries.devices}
    for device in registries.devices:
        parent = by_id.get(device["via_device_id"] or "")
        if (
            device["config_entry_id"] == entry_id
            and device["area_id"] is None
            and parent is not None
            and parent["model"] == ROOM_MODEL
            and parent["area_id"] is not None
        ):
            await _set_area(api, device, parent["area_id"])


async def _place_mclimate(api: HomeAssistantApi, registries: Registries, entry_id: str) -> None:
    """The demo's MClimate devices go to the rooms they are named after."""
    for device in registries.devices:
        area = MCLIMATE_AREAS.get(device["name"])
        if device["config_entry_id"] == entry_id and area and device["area_id"] is None:
            await _set_area(api, device, await _area_id(api, registries, area))


async def _name_areas(api: HomeAssistantApi, registries: Registries) -> None:
    """The rooms' French names, as area aliases."""
    for name, aliases in AREA_ALIASES.items():
        if (area := registries.area_named(name)) is not None:
            await api.command(
                "config/area_registry/update",
                area_id=area["area_id"],
                aliases=sorted({*area["aliases"], *aliases}),
            )


async def _name_for_assist(
    api: HomeAssistantApi,
    registries: Registries,
    hsl_entry_id: str,
    home: str,
    mclimate_entry_id: str,
) -> None:
    """Room thermostats answer to their room's French name; MClimate devices to theirs."""
    aliases: dict[str, list[str]] = {}
    for device in _devices_of(registries, hsl_entry_id, home):
        if device["model"] == ROOM_MODEL and device["area_id"]:
            area_name = registries.areas[device["area_id"]]["name"]
            french = AREA_ALIASES.get(area_name, [])
            for entity in registries.entities_of([device["id"]]):
                if entity["entity_id"].startswith("climate.") and french:
                    aliases[entity["entity_id"]] = french
    for device in registries.devices:
        if device["config_entry_id"] == mclimate_entry_id and device["model"] in MODEL_ALIASES:
            domain, names = MODEL_ALIASES[device["model"]]
            for entity in registries.entities_of([device["id"]]):
                if entity["entity_id"].startswith(f"{domain}."):
                    aliases[entity["entity_id"]] = names
    for entity_id, names in aliases.items():
        # None keeps the entity's own name among the names Assist knows it by.
        await api.command(
            "config/entity_registry/update", entity_id=entity_id, aliases=[None, *names]
        )
