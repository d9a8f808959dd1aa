"""The integration's own translation keys, read from strings.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STRINGS: dict[str, Any] = json.loads(
    (
        Path(__file__).parents[2] / "custom_components" / "smartlink_mclimate" / "strings.json"
    ).read_text(encoding="utf-8")
)
EXCEPTIONS: frozenset[str] = frozenset(STRINGS["exceptions"])
