"""Scores, costs and durations of an optimization, computed from its trials as Opik's find query does.

Opik (`OptimizationDAO.FIND`) works per *candidate*: the trials that are neither mini-batches nor
mutations, grouped by `candidate_id`. A candidate's objective score is the trace-count-weighted mean of
its trials' objective scores, its duration the trace-count-weighted mean of their median trace durations, its
cost the summed cost per trace. Best = the candidate with the top score; baseline = the earliest
candidate. ClickHouse's `argMin`/`argMax` skip NULLs, so each baseline and best value comes from
the earliest (top-scoring) candidate that *has* that value. Mini-batches and mutations still count
in `num_trials`, the score maps and the total cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from mockopik.domain.models import ScoreAverage, Summary, Trial

COST_DIGITS = 9  # Opik's scores, durations and costs are decimals with 9 fraction digits


class Candidate(NamedTuple):
    """One prompt candidate: its trials' metrics merged the way Opik weights them."""

    first_created_at: datetime
    score: float | None
    duration: float | None
    cost: float | None


def summarize(trials: Sequence[Trial], objective_name: str) -> Summary:
    """Every aggregate field of an optimization; a field is None when nothing gives it a value."""
    if not trials:
        return Summary(num_trials=0)
    candidates = sorted(_candidates(trials, objective_name), key=lambda c: c.first_created_at)
    ranked = sorted(
        (c for c in candidates if c.score is not None), key=lambda c: c.score or 0.0, reverse=True
    )
    costs = [trial.cost for trial in trials if trial.cost is not None]
    return Summary(
        num_trials=len({trial.id for trial in trials}),
        feedback_scores=_best_per_name(trial.feedback_scores for trial in trials),
        experiment_scores=_best_per_name(experiment_scores(trial, objective_name) for trial in trials),
        baseline_objective_score=_first(candidates, lambda c: c.score),
        best_objective_score=_first(ranked, lambda c: c.score),
        baseline_duration=_first(candidates, lambda c: c.duration),
        best_duration=_first(ranked, lambda c: c.duration),
        baseline_cost=_first(candidates, lambda c: c.cost),
        best_cost=_first(ranked, lambda c: c.cost),
        total_optimization_cost=round(sum(costs), COST_DIGITS) if costs else None,
    )


def objective_score(trial: Trial, objective_name: str) -> float | None:
    """The trial's score for the objective: its own, else its experiment score of that name."""
    if trial.objective_score is not None:
        return trial.objective_score
    return trial.experiment_scores.get(objective_name)


def experiment_scores(trial: Trial, objective_name: str) -> dict[str, float]:
    """The trial's experiment scores, its objective score among them."""
    score = objective_score(trial, objective_name)
    return trial.experiment_scores if score is None else {**trial.experiment_scores, objective_name: score}


def _candidates(trials: Sequence[Trial], objective_name: str) -> Iterable[Candidate]:
    groups: dict[UUID, list[Trial]] = {}
    for trial in trials:
        if trial.type.is_candidate:
            groups.setdefault(trial.candidate_id, []).append(trial)
    for group in groups.values():
        traces = sum(t.trace_count for t in group)
        costs = [t.cost for t in group if t.cost is not None]
        yield Candidate(
            first_created_at=min(t.created_at for t in group),
            score=_weighted([(objective_score(t, objective_name), t.trace_count) for t in group]),
            duration=_weighted([(t.duration, t.trace_count) for t in group]),
            cost=round(sum(costs) / traces, COST_DIGITS) if costs and traces else None,
        )


def _weighted(values: list[tuple[float | None, int]]) -> float | None:
    """sum(value * traces) / sum(traces of the rows with a value); None when that weight is 0."""
    counted = [(value, traces) for value, traces in values if value is not None and traces]
    if not counted:
        return None
    if len({value for value, _ in counted}) == 1:
        return counted[0][0]  # one value: itself, without float noise from multiplying and dividing
    mean = math.fsum(value * traces for value, traces in counted) / sum(traces for _, traces in counted)
    return round(mean, COST_DIGITS)


def _first(candidates: Iterable[Candidate], value: Callable[[Candidate], float | None]) -> float | None:
    return next((v for v in map(value, candidates) if v is not None), None)


def _best_per_name(score_maps: Iterable[dict[str, float]]) -> list[ScoreAverage] | None:
    """Opik's maxMap: per score name, the highest value over the trials, in name order."""
    best: dict[str, float] = {}
    for scores in score_maps:
        for name, value in scores.items():
            best[name] = max(value, best.get(name, value))
    return [ScoreAverage(name, best[name]) for name in sorted(best)] or None
