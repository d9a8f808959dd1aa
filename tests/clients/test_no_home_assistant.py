"""The API clients must stay publishable as libraries: no Home Assistant import."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
import textwrap

PACKAGE = Path(__file__).parents[2] / "custom_components" / "smartlink_mclimate"

# Runs in a fresh interpreter: the integration package is registered as a bare
# namespace (its __init__, which is Home Assistant glue, never runs) and any
# attempt to import homeassistant fails loudly.
PROBE = textwrap.dedent(
    """
    import importlib, importlib.abc, sys, types

    class NoHomeAssistant(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "homeassistant" or name.startswith("homeassistant."):
                raise ImportError(f"API client imported {name}")
            return None

    sys.meta_path.insert(0, NoHomeAssistant())
    package = types.ModuleType("smartlink_mclimate")
    package.__path__ = [sys.argv[1]]
    sys.modules["smartlink_mclimate"] = package
    for name in sys.argv[2:]:
        importlib.import_module(f"smartlink_mclimate.{name}")
    print(sorted(m for m in sys.modules if m.startswith("smartlink_mclimate.")))
    """
)
CLIENT_MODULES = [
    "cloud",
    "cloud.reader",
    "homesmartlink.api",
    "homesmartlink.models",
    "mclimate.api",
    "mclimate.models",
    "mclimate.oauth",
]


def test_clients_import_without_home_assistant() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE, str(PACKAGE), *CLIENT_MODULES],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for name in CLIENT_MODULES:
        assert f"smartlink_mclimate.{name}" in result.stdout


def test_probe_catches_a_home_assistant_import() -> None:
    """The guard itself works: the integration's own __init__ is refused."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE, str(PACKAGE), "config_flow"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "API client imported homeassistant" in result.stderr
