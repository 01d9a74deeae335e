"""Generated data sets: read ready-made when the package ships them, else made with Faker.

The data sets a plain start or a shipped scenario asks for (the default 25 runs, `large`'s 10,000,
`running`, `studio`, `failures`) are made once, by `python -m mockopik.data.generated`, and shipped
pickled in `prebuilt/`. A start reads them instead of importing Faker and drawing every run: the
default data set starts without Faker, `large` in a fraction of the time. Each file names the modules
that make its records and a digest of their sources: a file the code has moved on from is not read
(the data set is made again), and a test keeps the shipped files current.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import subprocess
import sys
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from mockopik import config
from mockopik.data.recipes import DEFAULT_RECIPE, RECIPES
from mockopik.domain.collector import collector_paused
from mockopik.domain.store import DEFAULT_WORKSPACE
from mockopik.domain.workspace import Workspace

# The instant generated data is minted on: its runs are dated back from it (then moved to the
# reference time), so the same seed gives the same ids whenever a mock starts.
TIMELINE = datetime.fromisoformat(config.TIMELINE.replace("Z", "+00:00"))
PREBUILT = Path(__file__).parent / "prebuilt"
PREBUILT_USER = "admin"  # the data sets shipped are those of the default user
FORMAT = 1
PACKAGE = Path(__file__).parents[1]  # the mockopik package
MAKER = "mockopik.data.factories"  # the module that makes generated data: it and what it imports

Workspaces = dict[str, Workspace]
Records = tuple[list[Any], list[Any], list[Any], dict[str, Any] | None]  # datasets, projects, runs, config


def generated(recipe: str, seed: int, count: int, user: str) -> Workspaces:
    """`count` runs mixed by `recipe` from `seed`, for `user`, dated back from TIMELINE."""
    return read_prebuilt(recipe, seed, count, user) or make(recipe, seed, count, user)


@collector_paused
def make(recipe: str, seed: int, count: int, user: str) -> Workspaces:
    """The data set made afresh (Faker is imported here, by the factories, when first needed)."""
    from mockopik.data.factories import build_workspace

    return {DEFAULT_WORKSPACE: build_workspace(seed, count, RECIPES[recipe], TIMELINE, user)}


def prebuilt_path(recipe: str, seed: int, count: int) -> Path:
    return PREBUILT / f"{recipe}-{seed}-{count}.pickle"


@collector_paused
def read_prebuilt(recipe: str, seed: int, count: int, user: str) -> Workspaces | None:
    """The shipped data set, when there is one and the code that made it is the code running."""
    path = prebuilt_path(recipe, seed, count)
    if user != PREBUILT_USER or not path.is_file():
        return None
    with path.open("rb") as file:
        header = json.loads(file.readline())
        if header["format"] != FORMAT or header["digest"] != sources_digest(tuple(header["modules"])):
            return None
        records: dict[str, Records] = pickle.loads(zlib.decompress(file.read()))
    return {name: Workspace.holding(*parts) for name, parts in records.items()}


@functools.cache
def sources_digest(modules: tuple[str, ...]) -> str:
    """A digest of these modules' sources (paths relative to the package)."""
    digest = hashlib.sha256()
    for module in modules:
        path = PACKAGE / module
        digest.update(module.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return digest.hexdigest()


def maker_modules() -> tuple[str, ...]:
    """The package's modules that making a data set runs: the factories and all they import, as a
    fresh interpreter imports them (paths relative to the package)."""
    listing = (
        f"import sys, {MAKER}\n"
        "for module in list(sys.modules.values()):\n"
        "    print(getattr(module, '__file__', None) or '')\n"
    )
    command = [sys.executable, "-c", listing]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = {Path(line) for line in output.splitlines() if line}
    return tuple(sorted(str(path.relative_to(PACKAGE)) for path in found if path.is_relative_to(PACKAGE)))


def shipped_sets() -> Iterator[tuple[str, int, int]]:
    """What a start asks for with the default settings: no scenario, and each generating scenario."""
    from mockopik.data.fixture_files import Generate, read_file
    from mockopik.data.scenarios import scenario_names, scenario_path

    defaults = config.Settings()
    yield DEFAULT_RECIPE, defaults.seed, defaults.count
    for name in scenario_names():
        document = read_file(scenario_path(name), PREBUILT_USER)
        if isinstance(document, Generate):
            seed = defaults.seed if document.seed is None else document.seed
            count = defaults.count if document.count is None else document.count
            yield document.recipe, seed, count


def prebuilt_file(recipe: str, seed: int, count: int, modules: tuple[str, ...]) -> bytes:
    """The file of a shipped data set: a JSON header line, then its records pickled and compressed."""
    made = make(recipe, seed, count, PREBUILT_USER)
    records = {name: _records(space) for name, space in made.items()}
    header = {"format": FORMAT, "modules": list(modules), "digest": sources_digest(modules)}
    return json.dumps(header).encode() + b"\n" + zlib.compress(pickle.dumps(records, protocol=5), 9)


def _records(space: Workspace) -> Records:
    optimizations = list(space.optimizations.values())
    return list(space.datasets.values()), list(space.projects.values()), optimizations, space.configuration


def write_prebuilt(sets: Iterable[tuple[str, int, int]]) -> list[Path]:
    """Make the shipped data sets again, in place of the files there were."""
    modules = maker_modules()
    for stale in PREBUILT.glob("*.pickle"):
        stale.unlink()
    PREBUILT.mkdir(exist_ok=True)
    written = []
    for recipe, seed, count in sorted(set(sets)):
        path = prebuilt_path(recipe, seed, count)
        path.write_bytes(prebuilt_file(recipe, seed, count, modules))
        written.append(path)
    return written


def main() -> None:
    for path in write_prebuilt(shipped_sets()):
        print(f"{path.relative_to(PACKAGE)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
