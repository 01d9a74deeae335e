"""Generated data looks like a real team's and is consistent: statuses, trials, dates, ids, sharing."""

from __future__ import annotations

import functools
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from mockopik.data import vocabulary
from mockopik.data.factories import build_workspace
from mockopik.data.item_themes import theme_of
from mockopik.data.prompts import BASELINES
from mockopik.data.recipes import RECIPES
from mockopik.domain.models import Optimization, OptimizationStatus, TrialType
from mockopik.domain.workspace import Workspace
from mockopik.wire.schemas import ErrorInfoSchema, OptimizationStudioConfigSchema

REFERENCE = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
GENERATED_NAME = re.compile(r"^[a-z]+_[a-z]+_\d{1,4}$")
UI_METRICS = {"equals", "json_schema_validator", "geval", "levenshtein_ratio"}
UI_OPTIMIZERS = {"gepa", "evolutionary", "hierarchical_reflective"}
CASES = [(recipe, seed) for recipe in RECIPES for seed in (0, 1, 2)]


@functools.cache
def generated(recipe: str, seed: int, count: int = 120) -> Workspace:
    """Built once per arguments (the tests only read it)."""
    return build_workspace(seed, count, RECIPES[recipe], REFERENCE, "admin")


def runs(space: Workspace) -> list[Optimization]:
    return list(space.newest_first())


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def id_millis(value: UUID) -> int:
    return value.int >> 80


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_statuses_agree_with_trials_and_dates(recipe: str, seed: int) -> None:
    for run in runs(generated(recipe, seed)):
        last_trial = max((t.created_at for t in run.trials), default=run.created_at)
        assert run.created_at <= run.last_updated_at <= REFERENCE
        assert all(run.created_at < t.created_at <= REFERENCE for t in run.trials)
        if run.status is OptimizationStatus.INITIALIZED:
            assert (run.trials, run.last_updated_at, run.studio_config is not None) == (
                [],
                run.created_at,
                True,
            )
        if run.status in (
            OptimizationStatus.COMPLETED,
            OptimizationStatus.ERROR,
            OptimizationStatus.CANCELLED,
        ):
            assert run.last_updated_at > last_trial
        if run.status in (OptimizationStatus.COMPLETED, OptimizationStatus.CANCELLED):
            assert run.trials
        assert (run.error_info is not None) == (run.status is OptimizationStatus.ERROR)


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_ids_are_v7_minted_from_created_at(recipe: str, seed: int) -> None:
    space = generated(recipe, seed)
    records = [*space.datasets.values(), *space.projects.values(), *runs(space)]
    trials = [t for run in runs(space) for t in run.trials]

    assert all(r.id.version == 7 and id_millis(r.id) == millis(r.created_at) for r in records)
    assert all(t.id.version == 7 and id_millis(t.id) == millis(t.created_at) for t in trials)
    newest_first_by_id = [run.created_at for run in runs(space)]
    assert newest_first_by_id == sorted(newest_first_by_id, reverse=True)


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_trials_start_with_a_baseline_and_runs_span_recent_weeks(recipe: str, seed: int) -> None:
    space = generated(recipe, seed)
    oldest = REFERENCE - timedelta(days=RECIPES[recipe].days + 1)

    assert all(run.trials[0].type is TrialType.TRIAL for run in runs(space) if run.trials)
    assert all(oldest <= run.created_at for run in runs(space))


def test_a_team_shares_datasets_and_projects_and_has_lost_some_datasets() -> None:
    space = generated("team", 0, count=200)
    per_dataset = Counter(run.dataset_id for run in runs(space))
    per_project = Counter(run.project_id for run in runs(space))

    assert len(space.datasets) == 40
    assert len(space.projects) == 6
    assert per_dataset.most_common(1)[0][1] >= 20
    assert per_project.most_common(1)[0][1] >= 40
    assert 3 <= sum(d.deleted for d in space.datasets.values()) <= 15
    assert any(space.datasets[run.dataset_id].deleted for run in runs(space))
    assert all(run.created_at > space.datasets[run.dataset_id].created_at for run in runs(space))
    assert len({d.name for d in space.datasets.values() if not d.deleted}) == sum(
        not d.deleted for d in space.datasets.values()
    )


def test_a_team_mixes_statuses_names_and_studio_runs() -> None:
    everything = runs(generated("team", 0, count=200))
    statuses = Counter(run.status for run in everything)
    generated_names = [run.name for run in everything if GENERATED_NAME.match(run.name)]

    assert set(statuses) >= set(OptimizationStatus) - {OptimizationStatus.INITIALIZED}
    assert statuses[OptimizationStatus.RUNNING] + statuses[OptimizationStatus.INITIALIZED] == 3
    assert statuses[OptimizationStatus.COMPLETED] > len(everything) / 2
    assert len(everything) / 3 < len(generated_names) < len(everything)
    assert 15 < sum(run.studio_config is not None for run in everything) < 60


@pytest.mark.parametrize("recipe", ["running", "studio", "failures"])
def test_scenario_recipes_put_the_ui_in_their_state(recipe: str) -> None:
    everything = runs(generated(recipe, 0, count=16))
    statuses = Counter(run.status for run in everything)

    if recipe == "running":
        assert statuses[OptimizationStatus.RUNNING] + statuses[OptimizationStatus.INITIALIZED] == 6
        assert all(run.created_at > REFERENCE - timedelta(days=4) for run in everything)
    if recipe == "studio":
        assert all(run.studio_config is not None and run.metadata is None for run in everything)
    if recipe == "failures":
        assert set(statuses) == {OptimizationStatus.ERROR, OptimizationStatus.CANCELLED}
        assert any(not run.trials for run in everything if run.status is OptimizationStatus.ERROR)


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_sdk_runs_carry_optimizer_metadata_and_studio_runs_a_valid_config(recipe: str, seed: int) -> None:
    for run in runs(generated(recipe, seed)):
        if run.studio_config is None:
            assert run.metadata["optimizer"] in vocabulary.SDK_OPTIMIZERS
            assert run.metadata["model"] in vocabulary.MODELS
            assert set(run.metadata) <= {"optimizer", "model", "name", "agent_class"}
            theme = theme_of(generated(recipe, seed).datasets[run.dataset_id].name)
            assert run.objective_name in BASELINES[theme.name].metrics
        else:
            config = run.studio_config
            assert OptimizationStudioConfigSchema().load(config) == config
            assert config["evaluation"]["metrics"][0]["type"] == run.objective_name in UI_METRICS
            assert config["optimizer"]["type"] in UI_OPTIMIZERS
            assert config["dataset_name"] == generated(recipe, seed).datasets[run.dataset_id].name


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_errors_carry_a_plausible_exception_and_traceback(recipe: str, seed: int) -> None:
    for run in runs(generated(recipe, seed)):
        if run.error_info is not None:
            info = run.error_info
            assert ErrorInfoSchema().load(info) == info
            last_line = info["traceback"].splitlines()[-1]
            assert info["traceback"].startswith("Traceback (most recent call last):\n  File ")
            assert last_line.startswith(f"{info['exception_type']}: ")
            assert (
                last_line == f"{info['exception_type']}: {info.get('message', last_line.split(': ', 1)[1])}"
            )
