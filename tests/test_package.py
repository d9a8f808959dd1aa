"""What HACS and Home Assistant read from the package: manifest, HACS file, brand, quality scale."""

from __future__ import annotations

import json
from pathlib import Path
import re

from PIL import Image
import yaml

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / "smartlink_mclimate"
QUALITY_RULES = 54


def test_manifest_is_a_cloud_polling_custom_integration() -> None:
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    assert manifest["domain"] == INTEGRATION.name
    assert manifest["name"] == "Home SmartLink & MClimate"
    assert manifest["config_flow"] is True
    assert manifest["dependencies"] == ["application_credentials"]
    assert manifest["iot_class"] == "cloud_polling"
    # Only what Home Assistant itself installs, at the version it installs (nothing to download).
    assert manifest["requirements"] == ["mashumaro>=3.23"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["codeowners"]
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")


def test_hacs_minimum_is_the_tested_home_assistant() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    from homeassistant.const import __version__  # noqa: PLC0415

    assert hacs["homeassistant"] == __version__


def test_brand_icons_have_the_sizes_home_assistant_serves() -> None:
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        with Image.open(INTEGRATION / "brand" / name) as image:
            assert image.size == (size, size), name


def test_quality_scale_names_every_rule_with_a_valid_status() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    assert len(rules) == QUALITY_RULES
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in ("done", "todo", "exempt"), rule
            if status["status"] == "exempt":
                assert status.get("comment"), f"{rule}: an exemption says why"
        else:
            assert status in ("done", "todo"), rule
