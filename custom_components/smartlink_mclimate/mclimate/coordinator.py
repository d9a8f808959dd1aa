"""One coordinator per MClimate account: each controller's data, and now and then the list.

A cycle fetches each online controller of a documented type: one request per
controller, the API's minimum. The controller list (every page, 30 controllers
a page) is read at set-up and then every `DISCOVERY_EVERY` cycles (ten
minutes): it is what shows controllers that appear or disappear, the
documented `online` flag, the Melissa LED state (`_relation`) and the
recorded IR commands (`controller_log`), none of which a fetch carries. A
command re-reads its own controller at once, so only changes made elsewhere
(the MClimate app) wait for the next listing; a controller going offline
shows at once anyway, because its fetch fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from ..clients import (
    CloudAuthenticationError,
    CloudConnectionError,
    CloudError,
    CloudRateLimitedError,
)
from ..clients.mclimate import (
    Controller,
    ControllerType,
    IrCommand,
    MClimateClient,
    MelissaFan,
    MelissaMode,
    MelissaState,
    ProviderData,
)
from ..const import DOMAIN, LOGGER
from ..helpers import update_errors
from ..missing import MissingDevices
from .expiry import async_check_token_expiry

if TYPE_CHECKING:
    from ..runtime import SmartLinkMClimateConfigEntry

UPDATE_INTERVAL: Final = timedelta(seconds=60)
DISCOVERY_EVERY: Final = 10
"""Cycles between two readings of the controller list: ten minutes at one a minute."""
# At most this many fetches in flight: the cloud limits requests per minute, not
# connections, so more parallelism buys little, while a burst of dozens of
# requests on one token invites 429s. Four keeps a 30-device cycle within a few
# seconds at typical cloud latency.
FETCH_CONCURRENCY: Final = 4
# What a Melissa is assumed to do when nothing is known: off, at a middle setpoint.
DEFAULT_IR_COMMAND: Final = IrCommand(
    state=MelissaState.OFF, mode=MelissaMode.AUTO, temp=22, fan=MelissaFan.AUTO
)
UNKNOWN_TYPE_ISSUE: Final = "unknown_controller_type"


@dataclass(frozen=True, slots=True)
class ControllerData:
    """A controller as listed, its last good sensor data, and why its last fetch failed."""

    controller: Controller
    data: ProviderData | None = None
    error: str | None = None

    @property
    def available(self) -> bool:
        """Online by the documented flag, fetched, and not failing."""
        return self.controller.online is not False and self.data is not None and not self.error


@dataclass(frozen=True, slots=True)
class MClimateData:
    """What one cycle knows: controllers of documented types, and the others."""

    controllers: dict[str, ControllerData] = field(default_factory=dict)
    unknown: tuple[Controller, ...] = ()


class MClimateCoordinator(DataUpdateCoordinator[MClimateData]):
    """The account's controllers and their data, polled together every minute."""

    config_entry: SmartLinkMClimateConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: SmartLinkMClimateConfigEntry, client: MClimateClient
    ) -> None:
        """Poll the account every minute."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            # Not the title: it holds the account's e-mail, and logs get shared.
            name=f"MClimate account {entry.entry_id[-6:]}",
            update_interval=UPDATE_INTERVAL,
        )
        self.client = client
        self._semaphore = asyncio.Semaphore(FETCH_CONCURRENCY)
        # The IR state each Melissa is assumed to be in (IR has no feedback).
        self.assumed_ir: dict[str, IrCommand] = {}
        self._unknown_types: set[str] = set()
        self._listed: list[Controller] = []
        self._cycles_since_listing = DISCOVERY_EVERY  # list at the first refresh
        self._missing = MissingDevices("The MClimate account", LOGGER)
        self.unlisted: set[str] = set()
        """Serials no longer listed whose devices (and entities) are still kept."""
        self.controller_devices: dict[str, dr.DeviceEntry] = {}
        """Each controller's device, once its first entity made it (see `entity`)."""

    def assumed_command(self, serial: str) -> IrCommand:
        """What a Melissa is assumed to do: the last command sent or recorded, else off."""
        if serial in self.assumed_ir:
            return self.assumed_ir[serial]
        known = self.data.controllers.get(serial) if self.data else None
        recorded = known.controller.last_ir_command if known else None
        return recorded or DEFAULT_IR_COMMAND

    async def _async_update_data(self) -> MClimateData:
        """List the controllers when due, then fetch those that are online."""
        with update_errors():
            listing = self._cycles_since_listing >= DISCOVERY_EVERY
            if listing:
                self._listed = await self.client.get_controllers()
                self._cycles_since_listing = 0
            self._cycles_since_listing += 1
            listed = self._listed
            known = [c for c in listed if c.controller_type is not None]
            fetched = await asyncio.gather(*(self._fetch(c) for c in known))
            unreachable = [err for _, err in fetched if err is not None]
            if unreachable and len(unreachable) == len(fetched):
                raise unreachable[0]  # no controller answered: the cloud is out of reach
        data = MClimateData(
            controllers=self._keep_unchanged(state for state, _ in fetched),
            unknown=tuple(c for c in listed if c.controller_type is None),
        )
        self._log_changes(data)
        self._report_unknown_types(data)
        if listing:
            self._remove_stale_devices(data)
        async_check_token_expiry(self.hass, self.config_entry)
        return data

    def _keep_unchanged(self, states: Iterable[ControllerData]) -> dict[str, ControllerData]:
        """The cycle's controllers by serial, each unchanged one as the object it was.

        Every entity of a controller compares what it shows with what it showed:
        with the same object, that is an identity check, instead of comparing
        whole controllers for each of their entities (3,000 for 200 controllers,
        which held the loop for 10 ms).
        """
        previous = self.data.controllers if self.data else {}
        kept: dict[str, ControllerData] = {}
        for state in states:
            serial = state.controller.serial_number
            old = previous.get(serial)
            kept[serial] = old if old == state else state
        return kept

    async def _fetch(
        self, controller: Controller
    ) -> tuple[ControllerData, CloudConnectionError | None]:
        """One controller's data; its own failure is kept, an account failure raised.

        A connection failure is returned too: when every fetch of a cycle has one,
        the cloud itself is out of reach (the list, read only now and then, would
        have said so before).
        """
        previous = self.data.controllers.get(controller.serial_number) if self.data else None
        kept = previous.data if previous else None
        if controller.online is False:
            return ControllerData(controller, kept, "offline"), None
        kind = ControllerType(controller.type)
        try:
            async with self._semaphore:
                fetched = await self.client.fetch(controller.serial_number, kind)
        except (CloudAuthenticationError, CloudRateLimitedError):
            raise  # the account's token or budget, not this controller
        except CloudConnectionError as err:
            return ControllerData(controller, kept, str(err)), err
        except CloudError as err:
            return ControllerData(controller, kept, str(err)), None
        return ControllerData(controller, fetched), None

    async def async_refresh_controller(
        self, serial: str, answer: ProviderData | None = None, *, relisted: bool = False
    ) -> None:
        """Confirm a command on that controller only, with the answer it gave if any.

        `relisted` also reads the controller itself (for `_relation`, e.g. the
        LED state). A failure here is the controller's own, seen until the next cycle.
        """
        current = self.data.controllers[serial]
        controller = current.controller
        try:
            if relisted:
                controller = await self.client.get_controller(serial)
                # Later cycles start from the list: keep this fresher reading there.
                self._listed = [
                    controller if c.serial_number == serial else c for c in self._listed
                ]
            if answer is None:
                answer = await self.client.fetch(serial, ControllerType(controller.type))
        except CloudError as err:
            fresh = replace(current, controller=controller, error=str(err))
            if relisted:  # what the command changed is only in the list: read it next cycle
                self._cycles_since_listing = DISCOVERY_EVERY
        else:
            fresh = ControllerData(controller, answer)
        data = replace(self.data, controllers={**self.data.controllers, serial: fresh})
        self._log_changes(data)
        self.async_set_updated_data(data)

    def _log_changes(self, data: MClimateData) -> None:
        """Log once when a controller becomes unavailable and once when it is back."""
        before = self.data.controllers if self.data else {}
        for serial, state in data.controllers.items():
            was = before.get(serial)
            if was is not None and was.available and not state.available:
                LOGGER.info("MClimate controller %s is unavailable: %s", serial, state.error)
            elif was is not None and not was.available and state.available:
                LOGGER.info("MClimate controller %s is available again", serial)

    def _report_unknown_types(self, data: MClimateData) -> None:
        """One repair issue per undocumented controller type, gone with the type."""
        types = {c.type for c in data.unknown}
        for kind in types - self._unknown_types:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{UNKNOWN_TYPE_ISSUE}_{kind}",
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=UNKNOWN_TYPE_ISSUE,
                translation_placeholders={"type": kind},
            )
        for kind in self._unknown_types - types:
            ir.async_delete_issue(self.hass, DOMAIN, f"{UNKNOWN_TYPE_ISSUE}_{kind}")
        self._unknown_types = types

    def _remove_stale_devices(self, data: MClimateData) -> None:
        """Devices of controllers missing from a few listings in a row leave the registry."""
        registry = dr.async_get(self.hass)
        missing: dict[str, set[str]] = {}
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            serials = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if serials and serials.isdisjoint(data.controllers) and not device.entry_type:
                missing[device.id] = serials
        for device_id in self._missing.stale(missing):
            registry.async_update_device(
                device_id, remove_config_entry_id=self.config_entry.entry_id
            )
            for serial in missing.pop(device_id):
                self.assumed_ir.pop(serial, None)
                self.controller_devices.pop(serial, None)
        self.unlisted = {serial for serials in missing.values() for serial in serials}

    @callback
    def async_add_listener_for_new(self, add: Callable[[list[str]], None]) -> Callable[[], None]:
        """Call `add` with serials not seen before, now and after each update."""
        seen: set[str] = set()

        @callback
        def check() -> None:
            # A controller whose device was removed may come back: its entities with it.
            seen.intersection_update(self.data.controllers.keys() | self.unlisted)
            new = [serial for serial in self.data.controllers if serial not in seen]
            seen.update(new)
            if new:
                add(new)

        check()
        return self.async_add_listener(check)
