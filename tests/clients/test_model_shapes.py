"""Models are read once, at import: a cloud's first answer costs the loop nothing more."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
import textwrap

ROOT = Path(__file__).parents[2]

# A fresh interpreter: in this one, other tests have already parsed answers.
PROBE = textwrap.dedent(
    """
    import dataclasses
    from custom_components.smartlink_mclimate.clients.homesmartlink import models as _h
    from custom_components.smartlink_mclimate.clients.mclimate import models as _m
    from custom_components.smartlink_mclimate.clients.model import _SHAPES, Model

    def every(base):
        for cls in base.__subclasses__():
            yield cls
            yield from every(cls)

    models = {cls for cls in every(Model) if dataclasses.is_dataclass(cls)}
    print(len(models), sorted(cls.__qualname__ for cls in models - set(_SHAPES)))
    """
)


def test_every_model_is_worked_out_when_its_module_is_imported() -> None:
    """Type hints take milliseconds per model: in the loop, the first answer would stall it."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, left = done.stdout.split(" ", 1)
    assert int(count) > 30  # both clouds' models were found
    assert left.strip() == "[]"
