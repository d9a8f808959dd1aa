"""The fault matrix's results table, written from the outcomes of its tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cases import CLOUDS, ROWS

HEADER = """\
<!-- Written by tests/reliability (conftest.py) after a full run: do not edit. -->
| fault | Home SmartLink | MClimate |
| --- | --- | --- |
"""


@dataclass
class Results:
    """Outcomes by (table, row, column), and where the table goes."""

    path: Path
    outcomes: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def record(self, table: str, row: str, column: str, *, passed: bool) -> None:
        """One cell's outcome; a failure in any phase sticks."""
        key = (table, row, column)
        self.outcomes[key] = self.outcomes.get(key, True) and passed

    def write_if_complete(self, expected: set[tuple[str, str, str]]) -> None:
        """Rewrite the table when every expected cell ran, and only then."""
        if not expected <= set(self.outcomes):
            return
        lines = [HEADER]
        for row in ROWS:
            cells = []
            for cloud in CLOUDS:
                spec = getattr(row, cloud)
                if spec is None:
                    cells.append("n/a")
                    continue
                passed = self.outcomes[("polling", row.name, cloud)]
                cells.append(f"{'✅ survived' if passed else '❌ FAILED'}: {spec.expect}")
            lines.append(f"| {row.label} | {' | '.join(cells)} |\n")
        self.path.write_text("".join(lines), encoding="utf-8")
