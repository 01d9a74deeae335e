"""Scores, costs and durations of an optimization, computed from its trials as Opik does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mockopik.models import ScoreAverage, Trial, TrialType


@dataclass(frozen=True)
class Summary:
    num_trials: int
    feedback_scores: list[ScoreAverage] | None = None
    experiment_scores: list[ScoreAverage] | None = None
    baseline_objective_score: float | None = None
    best_objective_score: float | None = None
    baseline_duration: float | None = None
    best_duration: float | None = None
    baseline_cost: float | None = None
    best_cost: float | None = None
    total_optimization_cost: float | None = None


def summarize(trials: Sequence[Trial]) -> Summary:
    """Baseline = the earliest candidate, best = the top objective score; mini-batches excluded."""
    if not trials:
        return Summary(num_trials=0)
    candidates = sorted(
        (trial for trial in trials if trial.type is TrialType.TRIAL), key=lambda t: t.created_at
    )
    scored = [trial for trial in candidates if trial.objective_score is not None]
    baseline = candidates[0] if candidates else None
    best = max(scored, key=lambda t: t.objective_score or 0.0) if scored else None
    costs = [trial.cost for trial in trials if trial.cost is not None]
    return Summary(
        num_trials=len(trials),
        feedback_scores=_best_per_name(trial.feedback_scores for trial in trials),
        experiment_scores=_best_per_name(trial.experiment_scores for trial in trials),
        baseline_objective_score=baseline.objective_score if baseline else None,
        best_objective_score=best.objective_score if best else None,
        baseline_duration=baseline.duration if baseline else None,
        best_duration=best.duration if best else None,
        baseline_cost=_per_trace(baseline),
        best_cost=_per_trace(best),
        total_optimization_cost=round(sum(costs), 9) if costs else None,
    )


def _best_per_name(score_maps: Iterable[dict[str, float]]) -> list[ScoreAverage] | None:
    best: dict[str, float] = {}
    for scores in score_maps:
        for name, value in scores.items():
            best[name] = max(value, best.get(name, value))
    return [ScoreAverage(name, best[name]) for name in sorted(best)] or None


def _per_trace(trial: Trial | None) -> float | None:
    if trial is None or trial.cost is None:
        return None
    return round(trial.cost / trial.trace_count, 9) if trial.trace_count else trial.cost
