"""The API clients must stay publishable as libraries: no Home Assistant import."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
import textwrap

PACKAGE = Path(__file__).parents[2] / "custom_components" / "smartlink_mclimate"
CLIENTS = PACKAGE / "clients"

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


def client_modules() -> list[str]:
    """Every module of the clients package, found on disk (a new one is checked at once)."""
    modules = []
    for path in sorted(CLIENTS.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    return modules


def _probe(*modules: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE, str(PACKAGE), *modules],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_every_client_module_is_found() -> None:
    modules = client_modules()
    assert "clients" in modules
    assert "clients.homesmartlink.api" in modules
    assert "clients.mclimate.oauth" in modules
    assert len(modules) == len(list(CLIENTS.rglob("*.py")))


def test_clients_import_without_home_assistant() -> None:
    modules = client_modules()
    result = _probe(*modules)
    assert result.returncode == 0, result.stderr
    for name in modules:
        assert f"smartlink_mclimate.{name}" in result.stdout


def test_probe_catches_a_home_assistant_import() -> None:
    """The guard itself works: the integration's own config flow is refused."""
    result = _probe("config_flow")
    assert result.returncode != 0
    assert "API client imported homeassistant" in result.stderr
