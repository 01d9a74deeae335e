"""Trials of optimizations listed as Opik experiments (findExperiments), for the UI's optimization page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from mockopik.domain.aggregates import experiment_scores
from mockopik.domain.models import (
    Dataset,
    ExperimentPage,
    ExperimentView,
    Optimization,
    ScoreAverage,
    Trial,
    TrialType,
)

# Spread of trace durations around a trial's median, for the p90 and p99 Opik reports.
_P90, _P99 = 1.6, 2.4


@dataclass(frozen=True)
class ExperimentQuery:
    """The parameters of findExperiments that mockopik serves (others are ignored)."""

    page: int = 1
    size: int = 10
    optimization_id: UUID | None = None
    types: frozenset[TrialType] | None = None
    name: str | None = None
    dataset_id: UUID | None = None


def find(
    optimizations: Iterable[Optimization], datasets: Mapping[UUID, Dataset], query: ExperimentQuery
) -> ExperimentPage:
    """The page of experiments (trials) that match `query`, newest first."""
    views = [
        experiment
        for optimization in optimizations
        if query.optimization_id in (None, optimization.id)
        and query.dataset_id in (None, optimization.dataset_id)
        for experiment in _experiments(optimization, datasets.get(optimization.dataset_id))
        if (query.types is None or experiment.type in query.types)
        and (not query.name or query.name.lower() in experiment.name.lower())
    ]
    views.sort(key=lambda experiment: experiment.id.int, reverse=True)
    start = (query.page - 1) * query.size
    return ExperimentPage(query.page, len(views), views[start : start + query.size])


def _experiments(optimization: Optimization, dataset: Dataset | None) -> Iterable[ExperimentView]:
    optimizer = optimization.metadata.get("optimizer") if isinstance(optimization.metadata, dict) else None
    ordered = sorted(optimization.trials, key=lambda trial: trial.created_at)
    for number, trial in enumerate(ordered, start=1):
        metadata = {"candidate_id": str(trial.candidate_id), "trial": number}
        if optimizer is not None:
            metadata["optimizer"] = optimizer
        yield ExperimentView(
            id=trial.id,
            dataset_name=dataset.name if dataset is not None and not dataset.deleted else None,
            dataset_id=optimization.dataset_id,
            project_id=optimization.project_id,
            name=f"{optimization.name}-{trial.type.value}-{number}",
            metadata=metadata,
            type=trial.type,
            optimization_id=optimization.id,
            feedback_scores=_scores(trial.feedback_scores),
            trace_count=trial.trace_count,
            created_at=trial.created_at,
            duration=_duration(trial),
            total_estimated_cost=trial.cost,
            last_updated_at=trial.created_at,
            created_by=optimization.created_by,
            last_updated_by=optimization.created_by,
            status="completed",
            experiment_scores=_scores(experiment_scores(trial, optimization.objective_name)),
        )


def _scores(scores: Mapping[str, float]) -> list[ScoreAverage] | None:
    return [ScoreAverage(name, scores[name]) for name in sorted(scores)] or None


def _duration(trial: Trial) -> dict[str, float] | None:
    if trial.duration is None:
        return None
    median = trial.duration
    return {"p50": median, "p90": round(median * _P90, 3), "p99": round(median * _P99, 3)}
