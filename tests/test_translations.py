"""Translations: English mirrors strings.json, French says everything English says."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "smartlink_mclimate"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load(name: str) -> dict[str, Any]:
    return json.loads((INTEGRATION / name).read_text(encoding="utf-8"))


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_english_is_strings_json() -> None:
    assert load("translations/en.json") == load("strings.json")


def test_no_unresolved_references() -> None:
    """Custom integrations get no [%key:…%] resolution: every string must be literal."""
    for key, text in flatten(load("strings.json")).items():
        assert "[%key:" not in text, key


def test_french_has_every_string_with_the_same_placeholders() -> None:
    english = flatten(load("translations/en.json"))
    french = flatten(load("translations/fr.json"))
    assert french.keys() == english.keys()
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(french[key])) == set(PLACEHOLDER.findall(text)), key
        assert french[key] != text or not text.strip(), f"{key} is not translated"
