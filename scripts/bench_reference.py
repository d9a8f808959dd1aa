"""What the benchmark compares the integration's set-up with (P4).

Two references, each set up in the same Home Assistant right after the
integration, so both pay for the same registry size:

- `template_sensors`: as many template sensors as the integration shows
  entities, the minimal entity platform the issue names. It registers one
  entity per entity shown and no device.
- `same_shape`: the cheapest config-entry platform with the integration's
  registry shape: as many devices, registered entities, and entities
  disabled by default, whose entities do nothing but show a constant (its
  devices created once, entities pointing at them, as the integration's). What
  the integration costs above it is its own code (HTTP, parsing,
  coordinators, timers); what it costs Home Assistant to hold that many
  devices and entries is the floor no implementation of the same entity
  model goes under.
"""

from __future__ import annotations

from typing import Any

REFERENCE_DOMAIN = "bench_reference"


async def preload(hass: Any, platforms: dict[str, list[str]]) -> None:
    """Import every integration and platform the measured phases set up.

    Importing, and setting up the entity components, is paid once per Home
    Assistant start, not per entity: left in, the template integration's 0.3 s
    of imports made the reference look costly at small sizes, and setting up
    the calendar component counted as a stall of the integration's.
    """
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.setup import async_setup_component  # noqa: PLC0415

    for domain, names in platforms.items():
        integration = await loader.async_get_integration(hass, domain)
        await integration.async_get_component()
        await integration.async_get_platforms(names)
        for name in names:
            # The entity components too (sensor, calendar...): each is set up once
            # per start, by the first integration that has such entities.
            if not await async_setup_component(hass, name, {}):
                raise RuntimeError(f"could not set up {name}")


async def template_sensors(hass: Any, count: int) -> bool:
    """Set up `count` template sensors with unique ids (registry entries)."""
    from homeassistant.setup import async_setup_component  # noqa: PLC0415

    sensors = [
        {"name": f"bench {i}", "state": "21", "unique_id": f"bench_{i}"} for i in range(count)
    ]
    return bool(await async_setup_component(hass, "template", {"template": [{"sensor": sensors}]}))


async def same_shape(hass: Any, shown: int, registered: int, devices: int) -> bool:
    """Set up a config entry of `devices` devices and `registered` entities, `shown` enabled."""
    from homeassistant.components.sensor import SensorEntity  # noqa: PLC0415
    from homeassistant.config_entries import ConfigFlow  # noqa: PLC0415
    from homeassistant.const import Platform  # noqa: PLC0415
    from homeassistant.helpers import device_registry as dr  # noqa: PLC0415
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        MockModule,
        MockPlatform,
        mock_config_flow,
        mock_integration,
        mock_platform,
    )

    class ConstantSensor(SensorEntity):
        _attr_has_entity_name = True
        _attr_native_value = "21"

        def __init__(self, number: int, device: Any) -> None:
            self._attr_unique_id = f"constant_{number}"
            self._attr_name = f"Constant {number}"
            self._attr_entity_registry_enabled_default = number < shown
            self.device_entry = device  # created once, as the integration does

    async def setup_entry(hass: Any, entry: Any) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.SENSOR])
        return True

    async def setup_sensors(hass: Any, entry: Any, add_entities: Any) -> None:
        registry = dr.async_get(hass)
        made = [
            registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                identifiers={(REFERENCE_DOMAIN, f"device_{number}")},
                name=f"Device {number}",
            )
            for number in range(devices)
        ]
        add_entities(ConstantSensor(number, made[number % devices]) for number in range(registered))

    mock_integration(hass, MockModule(REFERENCE_DOMAIN, async_setup_entry=setup_entry))
    mock_platform(hass, f"{REFERENCE_DOMAIN}.config_flow")
    mock_platform(hass, f"{REFERENCE_DOMAIN}.sensor", MockPlatform(async_setup_entry=setup_sensors))
    entry = MockConfigEntry(domain=REFERENCE_DOMAIN, title="Same shape")
    entry.add_to_hass(hass)
    with mock_config_flow(REFERENCE_DOMAIN, ConfigFlow):  # an entry's domain needs a flow
        return bool(await hass.config_entries.async_setup(entry.entry_id))


def shape_of(hass: Any, entry_ids: list[str]) -> dict[str, int]:
    """Devices, registered entities and entities with a state of some config entries."""
    from homeassistant.helpers import (  # noqa: PLC0415
        device_registry as dr,
        entity_registry as er,
    )

    entities = [
        entry
        for entry_id in entry_ids
        for entry in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    ]
    return {
        "devices": sum(
            len(dr.async_entries_for_config_entry(dr.async_get(hass), entry_id))
            for entry_id in entry_ids
        ),
        "registered": len(entities),
        "shown": sum(1 for entry in entities if hass.states.get(entry.entity_id) is not None),
    }


def reference_entry_ids(hass: Any) -> list[str]:
    """The same-shape reference's config entry."""
    return [entry.entry_id for entry in hass.config_entries.async_entries(REFERENCE_DOMAIN)]
