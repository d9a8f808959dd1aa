"""Fixtures of the Home SmartLink tests."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (syrupy's own fixture shadows phcc's)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
