"""The data sets shipped ready-made are current, are what generating them gives, and spare a start Faker."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockopik.data import generated
from mockopik.domain.lazy_trials import LazyTrials
from mockopik.domain.workspace import Workspace

SHIPPED = sorted(set(generated.shipped_sets()))
REBUILD = "the shipped data sets are stale: run `python -m mockopik.data.generated` and commit mockopik/data/prebuilt"


def canonical(value: Any) -> Any:
    """A value as plain tuples, its records field by field (a run's trials: their source)."""
    if isinstance(value, Workspace):
        return canonical(generated._records(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (canonical(getattr(value, field.name)) for field in dataclasses.fields(value))
        return (type(value).__name__, *fields)
    if isinstance(value, LazyTrials):
        return ("LazyTrials", canonical(value.source))
    if isinstance(value, dict):
        return ("dict", *((canonical(key), canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(canonical(item) for item in value))
    return value


def test_the_shipped_data_sets_are_those_a_start_asks_for_made_by_this_code() -> None:
    shipped = sorted(generated.PREBUILT.glob("*.pickle"))
    assert shipped == sorted(generated.prebuilt_path(*wanted) for wanted in SHIPPED), REBUILD
    modules = generated.maker_modules()
    for path in shipped:
        header = json.loads(path.read_bytes().split(b"\n", 1)[0])
        assert header == {
            "format": generated.FORMAT,
            "modules": list(modules),
            "digest": generated.sources_digest(modules),
        }, REBUILD


@pytest.mark.parametrize(("recipe", "seed", "count"), SHIPPED)
def test_a_shipped_data_set_is_what_generating_it_gives(recipe: str, seed: int, count: int) -> None:
    read = generated.read_prebuilt(recipe, seed, count, generated.PREBUILT_USER)
    assert read is not None, REBUILD
    made = generated.make(recipe, seed, count, generated.PREBUILT_USER)
    assert canonical(read) == canonical(made)


def test_a_data_set_not_shipped_is_generated() -> None:
    assert generated.read_prebuilt("team", 0, 25, "someone-else") is None
    assert generated.read_prebuilt("team", 1, 25, generated.PREBUILT_USER) is None
    made = generated.generated("team", 0, 25, "someone-else")
    runs = list(made["default"].optimizations.values())
    assert {run.created_by for run in runs} == {"someone-else"}


def test_a_file_the_code_has_moved_on_from_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = generated.prebuilt_path("team", 0, 25).read_bytes()
    header, records = source.split(b"\n", 1)
    moved_on = {**json.loads(header), "digest": "0" * 64}
    (tmp_path / "team-0-25.pickle").write_bytes(json.dumps(moved_on).encode() + b"\n" + records)
    monkeypatch.setattr(generated, "PREBUILT", tmp_path)

    assert generated.read_prebuilt("team", 0, 25, generated.PREBUILT_USER) is None
    assert canonical(generated.generated("team", 0, 25, generated.PREBUILT_USER)) == canonical(
        generated.make("team", 0, 25, generated.PREBUILT_USER)
    )


STARTS = """
import sys
from mockopik.app import create_app
from mockopik.config import Settings
for scenario in (None, "large", "running", "studio", "failures"):
    app = create_app(Settings.resolve({}), scenario=scenario)
    assert app.test_client().get("/v1/private/optimizations?size=1").status_code == 200
print(sorted(name for name in sys.modules if name.split(".")[0] == "faker"))
"""


def test_a_start_on_shipped_data_does_not_import_faker() -> None:
    output = subprocess.run([sys.executable, "-c", STARTS], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"
