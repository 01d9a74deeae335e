"""Aggregates computed from hand-built trials, as Opik's find query computes them (contract section 3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from mockopik.domain.aggregates import summarize
from mockopik.domain.models import ScoreAverage, Summary, Trial, TrialType

START = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
OBJECTIVE = "accuracy"


def trial(
    minute: int,
    score: float | None,
    *,
    candidate: int | None = None,
    mini: bool = False,
    traces: int = 10,
    duration: float | None = None,
    cost: float | None = None,
    feedback: dict[str, float] | None = None,
    experiment: dict[str, float] | None = None,
) -> Trial:
    """A trial `minute` minutes into the run; its candidate defaults to one of its own."""
    return Trial(
        id=UUID(int=minute + 1),
        type=TrialType.MINI_BATCH if mini else TrialType.TRIAL,
        created_at=START + timedelta(minutes=minute),
        candidate_id=UUID(int=1000 + (minute if candidate is None else candidate)),
        objective_score=score,
        feedback_scores=feedback or {},
        experiment_scores=experiment or {},
        duration=duration,
        cost=cost,
        trace_count=traces,
    )


def fields_of(summary: Summary) -> dict[str, Any]:
    """The summary as the API would show it: fields with a value only."""
    return {name: value for name, value in vars(summary).items() if value is not None}


CASES = [
    pytest.param([], {"num_trials": 0}, id="no trials: everything omitted, num_trials 0"),
    pytest.param(
        [
            trial(0, 0.5, duration=2.0, cost=0.2),
            trial(5, 0.8, duration=3.0, cost=0.6),
            trial(9, 0.7, cost=0.3),
        ],
        {
            "num_trials": 3,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.8)],
            "baseline_objective_score": 0.5,
            "best_objective_score": 0.8,
            "baseline_duration": 2.0,
            "best_duration": 3.0,
            "baseline_cost": 0.02,
            "best_cost": 0.06,
            "total_optimization_cost": 1.1,
        },
        id="baseline is the earliest candidate, best the top score; cost per trace; total of all",
    ),
    pytest.param(
        [trial(0, 0.4, cost=0.1), trial(1, 0.95, mini=True, cost=0.05), trial(2, 0.6, cost=0.1)],
        {
            "num_trials": 3,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.95)],
            "baseline_objective_score": 0.4,
            "best_objective_score": 0.6,
            "baseline_cost": 0.01,
            "best_cost": 0.01,
            "total_optimization_cost": 0.25,
        },
        id="a mini-batch counts in num_trials, scores and total cost, never as a candidate",
    ),
    pytest.param(
        [trial(0, 0.9, mini=True, duration=1.0, cost=0.1), trial(1, 0.7, mini=True)],
        {
            "num_trials": 2,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.9)],
            "total_optimization_cost": 0.1,
        },
        id="only mini-batches: no baseline and no best",
    ),
    pytest.param(
        [trial(3, 0.7), trial(0, 0.5), trial(1, 0.6)],
        {
            "num_trials": 3,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.7)],
            "baseline_objective_score": 0.5,
            "best_objective_score": 0.7,
        },
        id="baseline by date, not by position in the list",
    ),
    pytest.param(
        [trial(0, 0.5, traces=10), trial(1, 0.6, candidate=0, traces=30), trial(2, 0.55, traces=20)],
        {
            "num_trials": 3,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.6)],
            "baseline_objective_score": 0.575,
            "best_objective_score": 0.575,
        },
        id="trials of one candidate merge, weighted by their trace counts",
    ),
    pytest.param(
        [trial(0, None, duration=1.5, cost=0.3), trial(1, 0.4, duration=2.5, cost=0.5)],
        {
            "num_trials": 2,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.4)],
            "baseline_objective_score": 0.4,
            "best_objective_score": 0.4,
            "baseline_duration": 1.5,
            "best_duration": 2.5,
            "baseline_cost": 0.03,
            "best_cost": 0.05,
            "total_optimization_cost": 0.8,
        },
        id="each baseline value comes from the earliest candidate that has it (argMin skips nulls)",
    ),
    pytest.param(
        [trial(0, 0.9, traces=0, duration=4.0, cost=0.2), trial(1, 0.3)],
        {
            "num_trials": 2,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.9)],
            "baseline_objective_score": 0.3,
            "best_objective_score": 0.3,
            "total_optimization_cost": 0.2,
        },
        id="a trial without traces weighs nothing: no score, duration or cost per trace",
    ),
    pytest.param(
        [trial(0, 0.8, duration=1.0), trial(1, 0.8, duration=2.0)],
        {
            "num_trials": 2,
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.8)],
            "baseline_objective_score": 0.8,
            "best_objective_score": 0.8,
            "baseline_duration": 1.0,
            "best_duration": 1.0,
        },
        id="a tie for best goes to the earlier candidate",
    ),
    pytest.param(
        [
            trial(0, None, experiment={OBJECTIVE: 0.45, "pass_rate": 0.5}, feedback={"a": 0.2, "b": 0.9}),
            trial(1, None, experiment={OBJECTIVE: 0.65, "pass_rate": 0.4}, feedback={"a": 0.7}, mini=True),
        ],
        {
            "num_trials": 2,
            "feedback_scores": [ScoreAverage("a", 0.7), ScoreAverage("b", 0.9)],
            "experiment_scores": [ScoreAverage(OBJECTIVE, 0.65), ScoreAverage("pass_rate", 0.5)],
            "baseline_objective_score": 0.45,
            "best_objective_score": 0.45,
        },
        id="score maps: per name the best over every trial; the objective read from experiment scores",
    ),
]


@pytest.mark.parametrize(("trials", "expected"), CASES)
def test_aggregates_follow_opiks_find_query(trials: list[Trial], expected: dict[str, Any]) -> None:
    assert fields_of(summarize(trials, OBJECTIVE)) == expected


def test_the_objective_score_is_the_experiment_score_named_after_the_objective() -> None:
    trials = [trial(0, None, experiment={"f1": 0.3, "accuracy": 0.9})]

    assert summarize(trials, "f1").baseline_objective_score == 0.3
    assert summarize(trials, "recall").baseline_objective_score is None
