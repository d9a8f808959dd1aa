"""Devices a cloud stopped listing: kept for a few answers before they are removed.

One empty or partial answer (a cloud glitch, a gateway that lost its list) would
otherwise remove devices at once, and with them the user's names, areas and
dashboard cards. A device is removed only once it has been missing from
`STALE_AFTER` answers in a row; until then its entities are unavailable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import logging
from typing import Final

STALE_AFTER: Final = 3


@dataclass(slots=True)
class MissingDevices:
    """How many answers in a row each device (by registry id) has been missing from."""

    what: str
    """Whose devices, for the log ("Home 1234", "The MClimate account")."""
    logger: logging.Logger
    answers: dict[str, int] = field(default_factory=dict)

    def stale(self, missing: Iterable[str]) -> list[str]:
        """Count one more answer; the devices to remove now.

        Logs one line when devices go missing, one when they are back (or removed).
        """
        was_missing = bool(self.answers)
        self.answers = {key: self.answers.get(key, 0) + 1 for key in missing}
        stale = [key for key, count in self.answers.items() if count >= STALE_AFTER]
        for key in stale:
            del self.answers[key]
        if stale:
            self.logger.info(
                "%s no longer lists %d device(s) after %d answers: removed",
                self.what,
                len(stale),
                STALE_AFTER,
            )
        elif self.answers and not was_missing:
            self.logger.info(
                "%s no longer lists %d device(s): unavailable, removed if still missing"
                " after %d answers",
                self.what,
                len(self.answers),
                STALE_AFTER,
            )
        elif was_missing and not self.answers:
            self.logger.info("%s lists all its devices again", self.what)
        return stale
