"""The README's reliability section is written only from a complete run, failures shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.cases import CLOUDS, ROWS
from tests.reliability.results import END, KINDS, START, Results

README = f"# Title\n\nBefore.\n\n{START}\nold table\n{END}\n\nAfter.\n"


def complete(
    results: Results, *, failed: tuple[str, str] | None = None, matrix_only: bool = False
) -> set[str]:
    """Record one passing test per matrix cell and one per other kind; return their ids."""
    ids = set()
    for row in ROWS:
        for cloud in CLOUDS:
            if getattr(row, cloud) is not None:
                nodeid = f"test_matrix.py::test[{row.name}-{cloud}]"
                ok = (row.name, cloud) != failed
                results.record(nodeid, "test_matrix", (row.name, cloud), passed=ok)
                ids.add(nodeid)
    for module in KINDS:
        if module != "test_matrix" and not matrix_only:
            results.record(f"{module}.py::test", module, None, passed=True)
            ids.add(f"{module}.py::test")
    return ids


def test_a_complete_run_rewrites_only_the_section(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    results = Results(readme)
    ids = complete(results, failed=("http_500", "mclimate"))
    assert results.write_if_complete(ids)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nBefore.\n\n")
    assert text.endswith(f"{END}\n\nAfter.\n")
    assert "old table" not in text
    row = next(line for line in text.splitlines() if line.startswith("| HTTP 500 |"))
    assert row.split(" | ")[1].startswith("✅ survived")
    assert row.split(" | ")[2].startswith("❌ FAILED")
    counts = next(line for line in text.splitlines() if line.startswith("| Fault matrix"))
    cells = sum(1 for r in ROWS for c in CLOUDS if getattr(r, c))
    assert counts.endswith(f"| {cells} | {cells - 1} |")


def test_a_partial_run_writes_nothing(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    results = Results(readme)
    ids = complete(results)
    assert not results.write_if_complete(ids | {"test_bad_input.py::not_run"})

    narrowed = Results(readme)  # e.g. pytest tests/reliability/test_matrix.py
    assert not narrowed.write_if_complete(complete(narrowed, matrix_only=True))
    assert readme.read_text(encoding="utf-8") == README


def test_a_readme_without_markers_is_an_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# No markers\n", encoding="utf-8")
    results = Results(readme)
    with pytest.raises(AssertionError, match="markers"):
        results.write_if_complete(complete(results))
