"""Generated trials look like what `opik-optimizer` logs: a baseline at step 0, candidates descending from
earlier ones with prompts that evolve from the baseline, per-trace feedback scores and no experiment scores."""

from __future__ import annotations

import re

import pytest

from mockopik.data.item_themes import theme_of
from mockopik.data.prompts import baseline_messages
from mockopik.data.trials import BINARY_METRICS, MINI_BATCH_OPTIMIZERS, MUTATION_OPTIMIZERS, STUDIO_CLASSES
from mockopik.domain import aggregates
from mockopik.domain.models import Optimization, TrialType
from tests.test_generated_data import CASES, generated, runs

GENERATED_NAME = re.compile(r"^[a-z]+_[a-z]+_\d{1,4}$")


def with_trials(recipe: str, seed: int) -> list[Optimization]:
    return [run for run in runs(generated(recipe, seed)) if run.trials]


def model_of(run: Optimization) -> str:
    return str(run.studio_config["llm_model"]["model"] if run.studio_config else run.metadata["model"])


def optimizer_of(run: Optimization) -> str:
    return str(run.studio_config["optimizer"]["type"] if run.studio_config else run.metadata["optimizer"])


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_candidates_descend_from_earlier_ones(recipe: str, seed: int) -> None:
    for run in with_trials(recipe, seed):
        ordered = sorted(run.trials, key=lambda trial: trial.created_at)
        seen: set[str] = set()
        assert ordered[0].metadata is not None
        assert (ordered[0].metadata["step_index"], ordered[0].metadata["parent_candidate_ids"]) == (0, [])
        for trial in ordered:
            metadata = trial.metadata or {}
            assert metadata["candidate_id"] == str(trial.candidate_id)
            assert isinstance(metadata["step_index"], int)
            assert set(metadata["parent_candidate_ids"]) <= seen
            assert (metadata["step_index"] == 0) == (trial.candidate_id == ordered[0].candidate_id)
            seen.add(metadata["candidate_id"])


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_prompts_evolve_from_the_baseline(recipe: str, seed: int) -> None:
    for run in with_trials(recipe, seed):
        prompts = {}
        for trial in sorted(run.trials, key=lambda trial: trial.created_at):
            configuration = (trial.metadata or {})["configuration"]
            assert (configuration["model"], set(configuration)) == (
                model_of(run),
                {"prompt", "prompt_name", "tools", "model", "model_parameters"},
            )
            messages = configuration["prompt"]["chat-prompt"]
            prompts[str(trial.candidate_id)] = messages[0]["content"].split("\n")
            parents = (trial.metadata or {})["parent_candidate_ids"]
            if not parents:
                theme = theme_of(generated(recipe, seed).datasets[run.dataset_id].name)
                assert messages == baseline_messages(theme, braces=2 if run.studio_config else 1)
            for parent in parents:  # every line of a parent stays (the role may be put before the first)
                child = prompts[str(trial.candidate_id)]
                assert all(any(line.endswith(kept) for line in child) for kept in prompts[parent])
                assert prompts[parent] != child or trial.candidate_id in seen_twice(run)


def seen_twice(run: Optimization) -> set[object]:
    """Candidates evaluated more than once (a screened candidate's full trial, the best re-evaluated)."""
    counts: dict[object, int] = {}
    for trial in run.trials:
        counts[trial.candidate_id] = counts.get(trial.candidate_id, 0) + 1
    return {candidate for candidate, count in counts.items() if count > 1}


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_runs_log_feedback_scores_per_trace_and_no_experiment_scores(recipe: str, seed: int) -> None:
    """opik-optimizer scores each trace with the objective metric and logs no experiment scores, so a run
    shows its best feedback score and, without an objective experiment score, no best candidate."""
    for run in with_trials(recipe, seed):
        summary = aggregates.summarize(run.trials, run.objective_name)
        assert (summary.experiment_scores, summary.best_objective_score, summary.best_duration) == (
            None,
            None,
            None,
        )
        assert summary.baseline_duration is not None
        for trial in run.trials:
            assert (trial.objective_score, trial.experiment_scores) == (None, {})
            assert run.objective_name in trial.feedback_scores
            for name, value in trial.feedback_scores.items():
                passed = value * trial.trace_count
                assert name not in BINARY_METRICS or passed == pytest.approx(round(passed), abs=1e-6)


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_experiment_types_follow_the_optimizer(recipe: str, seed: int) -> None:
    for run in with_trials(recipe, seed):
        kinds = {trial.type for trial in run.trials}
        optimizer = optimizer_of(run)
        assert TrialType.MINI_BATCH not in kinds or optimizer in MINI_BATCH_OPTIMIZERS
        assert TrialType.MUTATION not in kinds or optimizer in MUTATION_OPTIMIZERS
        assert all(
            (trial.metadata or {})["optimizer"] == STUDIO_CLASSES.get(optimizer, optimizer)
            for trial in run.trials
        )


@pytest.mark.parametrize(("recipe", "seed"), CASES)
def test_trials_have_their_own_generated_names(recipe: str, seed: int) -> None:
    for run in with_trials(recipe, seed):
        assert all(GENERATED_NAME.match(trial.name) for trial in run.trials)
        assert all(run.name not in trial.name for trial in run.trials)
