"""The README's reliability section, written from the outcomes of these tests.

After a run that included every reliability test (none deselected, none left
out by a stop at the first failure), the part of README.md between the two
markers is rewritten: the fault matrix cell by cell, then how many tests of
each kind ran and passed. A failure shows as such; nothing is written from a
partial run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .cases import CLOUDS, ROWS

START = "<!-- reliability:start (written by tests/reliability after a full run: do not edit) -->"
END = "<!-- reliability:end -->"
KINDS = {
    "test_matrix": "Fault matrix while polling (the table above)",
    "test_commands": "Faults during every command: translated error, state put back",
    "test_restarts": "Restarts, a simulated month, 20 reloads per account",
    "test_bad_input": "Bad input refused, translated, nothing stored or sent",
    "test_privacy": "No secret or personal data in logs or diagnostics; HTTPS only",
    "test_fuzz": "Fuzzed parsers: a model or the client's invalid-response error",
}


@dataclass
class Results:
    """Outcomes of the reliability tests, and the README they go to."""

    readme: Path
    cells: dict[tuple[str, str], bool] = field(default_factory=dict)
    tests: dict[str, bool] = field(default_factory=dict)  # node id -> passed
    kinds: dict[str, str] = field(default_factory=dict)  # node id -> module

    def record(
        self, nodeid: str, module: str, cell: tuple[str, str] | None, *, passed: bool
    ) -> None:
        """One phase of one test; a failure in any phase sticks."""
        self.tests[nodeid] = self.tests.get(nodeid, True) and passed
        self.kinds[nodeid] = module
        if cell is not None:
            self.cells[cell] = self.cells.get(cell, True) and passed

    def write_if_complete(self, collected: set[str]) -> bool:
        """Rewrite the README's section when every collected test and cell ran."""
        expected = {(row.name, cloud) for row in ROWS for cloud in CLOUDS if getattr(row, cloud)}
        if not collected or collected - set(self.tests) or not expected <= set(self.cells):
            return False
        if set(self.kinds.values()) != set(KINDS):
            return False
        text = self.readme.read_text(encoding="utf-8")
        before, start, rest = text.partition(START)
        _, end, after = rest.partition(END)
        if not start or not end:
            raise AssertionError(f"{self.readme.name} lacks the reliability markers")
        section = f"{START}\n{self.section()}{END}"
        self.readme.write_text(before + section + after, encoding="utf-8")
        return True

    def section(self) -> str:
        """The fault matrix, then the count of each kind of test."""
        lines = ["| fault | Home SmartLink | MClimate |\n", "| --- | --- | --- |\n"]
        for row in ROWS:
            cells = []
            for cloud in CLOUDS:
                spec = getattr(row, cloud)
                if spec is None:
                    cells.append("n/a")
                    continue
                passed = self.cells[(row.name, cloud)]
                cells.append(f"{'✅ survived' if passed else '❌ FAILED'}: {spec.expect}")
            lines.append(f"| {row.label} | {' | '.join(cells)} |\n")
        ran = Counter(self.kinds.values())
        passed = Counter(self.kinds[nodeid] for nodeid, ok in self.tests.items() if ok)
        lines += ["\n", "| proved by | tests | passed |\n", "| --- | ---: | ---: |\n"]
        lines += [
            f"| {label} | {ran[module]} | {passed[module]} |\n" for module, label in KINDS.items()
        ]
        return "".join(lines)
