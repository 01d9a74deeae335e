"""The data an instance starts with (fixture file, scenario, or seed and count), kept to reset to."""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from mockopik.clock import Clock, parse_instant
from mockopik.config import Settings, SettingsError
from mockopik.data.fixture_files import FixtureError, Generate, Problem, load, read_file
from mockopik.data.generated import TIMELINE, generated
from mockopik.data.recipes import DEFAULT_RECIPE, RECIPES
from mockopik.data.scenarios import scenario_path
from mockopik.domain.collector import collector_paused
from mockopik.domain.lazy_trials import LazyTrials
from mockopik.domain.models import Optimization, Schedule, Trial
from mockopik.domain.workspace import Workspace

R = TypeVar("R")

Workspaces = dict[str, Workspace]


@dataclass(frozen=True)
class Snapshot:
    """A data set kept aside; every `fresh()` is a new set of workspaces over its records, which the
    store may change freely (it replaces a record it changes, never edits it)."""

    workspaces: Mapping[str, Workspace]

    @collector_paused
    def fresh(self) -> Workspaces:
        return {name: _copy(space) for name, space in self.workspaces.items()}


def _copy(space: Workspace) -> Workspace:
    """The records themselves are shared: the store never edits a record, it puts an edited copy in
    its place (a reset of 100,000 runs costs their indexes, not a copy of each)."""
    return Workspace.holding(
        space.datasets.values(),
        space.projects.values(),
        space.optimizations.values(),
        copy.deepcopy(space.configuration),
    )


def boot_snapshot(settings: Settings, clock: Clock) -> Snapshot:
    """What `settings` ask to serve: a fixture file, else a scenario, else `count` runs from `seed`."""
    if settings.fixtures and settings.scenario:
        raise SettingsError("fixtures", "give either a fixture file or a scenario, not both")
    if settings.fixtures:
        return materialize(Path(settings.fixtures), Generate(DEFAULT_RECIPE), settings, clock)
    return reseed(settings, clock, settings.scenario)


def describe(fixtures: str | None, scenario: str | None, seed: int, count: int) -> str:
    """What a data set is, in a few words: a fixture file, a scenario, or generated runs."""
    if fixtures:
        return f"fixtures {fixtures}"
    if scenario:
        return f"scenario {scenario}, seed {seed}"
    return f"seed {seed}, {count} optimizations"


def reseed(
    settings: Settings,
    clock: Clock,
    scenario: str | None = None,
    seed: int | None = None,
    count: int | None = None,
) -> Snapshot:
    """A scenario's data, or generated runs; `seed` and `count` (when given) size generated data."""
    wanted = Generate(DEFAULT_RECIPE, seed, count)
    if scenario:
        return materialize(scenario_path(scenario), wanted, settings, clock)
    return generate(wanted, settings, clock)


@collector_paused
def materialize(source: Path, wanted: Generate, settings: Settings, clock: Clock) -> Snapshot:
    """The records of a fixture file; a generating file is run with `wanted`'s seed and count, if given."""
    return _records(read_file(source, settings.user), wanted, settings, clock, str(source))


@collector_paused
def load_document(document: object, source: str, settings: Settings, clock: Clock) -> Snapshot:
    """The records of a parsed fixture document (generated, if it asks for a recipe)."""
    return _records(load(document, source, settings.user), Generate(DEFAULT_RECIPE), settings, clock, source)


def _records(
    loaded: Workspaces | Generate, wanted: Generate, settings: Settings, clock: Clock, source: str
) -> Snapshot:
    if isinstance(loaded, Generate):
        seed = wanted.seed if wanted.seed is not None else loaded.seed
        count = wanted.count if wanted.count is not None else loaded.count
        return generate(Generate(loaded.recipe, seed, count), settings, clock, source)
    return Snapshot(loaded)


@collector_paused
def generate(spec: Generate, settings: Settings, clock: Clock, source: str = "generate") -> Snapshot:
    """Generated data: `spec`'s recipe, its seed and count or else the settings'."""
    if spec.recipe not in RECIPES:
        known = ", ".join(RECIPES)
        raise FixtureError(
            source, [Problem(("generate", "recipe"), f"Unknown recipe {spec.recipe!r} (known: {known}).")]
        )
    seed = settings.seed if spec.seed is None else spec.seed
    count = settings.count if spec.count is None else spec.count
    if count > CACHED_COUNT:
        generated = _generate(spec.recipe, seed, count, settings.user)
    else:
        generated = _generated(spec.recipe, seed, count, settings.user)
    return shifted(generated, reference_time(settings, clock) - TIMELINE)


def _generate(recipe: str, seed: int, count: int, user: str) -> Snapshot:
    return Snapshot(generated(recipe, seed, count, user))


# Generating is pure: a data set asked again (a test suite's apps, a seed request) is kept, when small.
# A large one is not: kept, it would hold a second copy of every run beside the one served, dated later.
CACHED_COUNT = 2000
_generated = functools.lru_cache(maxsize=2)(_generate)


def shifted(snapshot: Snapshot, delta: timedelta) -> Snapshot:
    """The same records with every date moved by `delta` (ids, and so their order, unchanged)."""
    if not delta:
        return snapshot
    workspaces = {}
    for name, space in snapshot.workspaces.items():
        workspaces[name] = Workspace.holding(
            (_later(dataset, delta, "created_at") for dataset in space.datasets.values()),
            (_later(project, delta, "created_at", "last_updated_at") for project in space.projects.values()),
            (_later_run(optimization, delta) for optimization in space.optimizations.values()),
            space.configuration,
        )
    return Snapshot(workspaces)


def _later_run(run: Optimization, delta: timedelta) -> Optimization:
    """A copy of the run (a slotted record: it copies itself) with its dates moved by `delta`."""
    moved = copy.copy(run)
    moved.created_at, moved.last_updated_at = run.created_at + delta, run.last_updated_at + delta
    moved.trials = _later_trials(run.trials, delta)
    moved.schedule = _later_schedule(run.schedule, delta)
    return moved


def _later_trials(trials: Sequence[Trial], delta: timedelta) -> Sequence[Trial]:
    if isinstance(trials, LazyTrials):
        return trials.moved(delta)  # dated when they are made
    return [_later(trial, delta, "created_at") for trial in trials]


def _later_schedule(schedule: Schedule | None, delta: timedelta) -> Schedule | None:
    if schedule is None:
        return None
    return Schedule(
        tuple(_later(trial, delta, "created_at") for trial in schedule.trials),
        tuple(_later(change, delta, "at") for change in schedule.statuses),
    )


def _later(record: R, delta: timedelta, *names: str) -> R:
    """A copy of `record` (a record with a `__dict__`) with its `names` dates moved by `delta`, its
    fields copied as they are (six times faster than `dataclasses.replace`, which runs the constructor
    again)."""
    moved = object.__new__(type(record))
    fields = moved.__dict__
    fields.update(vars(record))
    for name in names:
        fields[name] = fields[name] + delta
    return moved


def reference_time(settings: Settings, clock: Clock) -> datetime:
    """The instant generated data is dated back from: the clock's now, or the instant the settings pin."""
    if settings.reference_time == "now":
        return clock.now()
    moment = parse_instant(settings.reference_time)
    if moment is None:
        raise SettingsError(
            "reference_time", f"expected an ISO-8601 instant, got {settings.reference_time!r}"
        )
    return moment
