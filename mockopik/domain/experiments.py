"""Trials of optimizations listed as Opik experiments (findExperiments, getExperimentById)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mockopik.domain.aggregates import COST_DIGITS, experiment_scores
from mockopik.domain.collector import collector_paused
from mockopik.domain.lazy_trials import may_hold_any
from mockopik.domain.models import Dataset, ExperimentPage, ExperimentView, Optimization, ScoreAverage, Trial
from mockopik.domain.sorting import Sorting, map_value, ordered

# ExperimentSortingFactory's fields, in its order: what `sorting` takes and `sortable_by` reports.
SORTABLE_FIELDS = (
    "id",
    "name",
    "created_at",
    "last_updated_at",
    "created_by",
    "last_updated_by",
    "tags",
    "trace_count",
    "total_estimated_cost",
    "total_estimated_cost_avg",
    "feedback_scores.*",
    "experiment_scores.*",
    "duration.*",
)
# Spread of trace durations around a trial's median, for the p90 and p99 Opik reports.
P90, P99 = 1.6, 2.4
MILLISECONDS = 1000


@dataclass(frozen=True)
class ExperimentQuery:
    """The parameters of findExperiments that mockopik serves (others are ignored)."""

    page: int = 1
    size: int = 10
    optimization_id: UUID | None = None
    types: frozenset[str] | None = None  # None or empty: every type
    name: str | None = None
    dataset_id: UUID | None = None
    project_id: UUID | None = None
    experiment_ids: frozenset[UUID] | None = None
    sorting: Sorting | None = None


@collector_paused
def find(
    optimizations: Iterable[Optimization], datasets: Mapping[UUID, Dataset], query: ExperimentQuery
) -> ExperimentPage:
    """The page of experiments (trials) that match `query`, newest first unless sorted otherwise.

    Only the page's trials become views unless the sorting reads a view's value; the walk over every
    run's trials (made as they are read) runs with the garbage collector paused."""
    matches = [
        (optimization, trial)
        for optimization in optimizations
        if query.optimization_id in (None, optimization.id)
        and query.dataset_id in (None, optimization.dataset_id)
        and query.project_id in (None, optimization.project_id)
        and (query.experiment_ids is None or may_hold_any(optimization.trials, query.experiment_ids))
        for trial in optimization.trials
        if (not query.types or trial.type.value in query.types)
        and (not query.name or query.name.lower() in trial.name.lower())
        and (query.experiment_ids is None or trial.id in query.experiment_ids)
    ]
    start = (query.page - 1) * query.size
    if query.sorting is None:
        matches.sort(key=lambda match: match[1].id.int, reverse=True)
        chosen = [
            view(run, trial, datasets.get(run.dataset_id))
            for run, trial in matches[start : start + query.size]
        ]
    else:
        views = [view(run, trial, datasets.get(run.dataset_id)) for run, trial in matches]
        chosen = ordered(views, query.sorting, _sort_value, lambda experiment: experiment.id.int)[
            start : start + query.size
        ]
    return ExperimentPage(query.page, len(matches), chosen, SORTABLE_FIELDS)


def view(optimization: Optimization, trial: Trial, dataset: Dataset | None) -> ExperimentView:
    """A trial as an experiment: its own name and metadata, its scores, durations in milliseconds."""
    average_cost = (
        round(trial.cost / trial.trace_count, COST_DIGITS)
        if trial.cost is not None and trial.trace_count
        else None
    )
    return ExperimentView(
        id=trial.id,
        dataset_name=dataset.name if dataset is not None and not dataset.deleted else None,
        dataset_id=optimization.dataset_id,
        project_id=optimization.project_id,
        name=trial.name,
        metadata=_metadata(trial),
        type=trial.type,
        optimization_id=optimization.id,
        feedback_scores=_scores(trial.feedback_scores),
        trace_count=trial.trace_count,
        created_at=trial.created_at,
        duration=_duration(trial),
        total_estimated_cost=trial.cost,
        total_estimated_cost_avg=average_cost,
        last_updated_at=trial.created_at,
        created_by=optimization.created_by,
        last_updated_by=optimization.created_by,
        status="completed",
        experiment_scores=_scores(experiment_scores(trial, optimization.objective_name)),
    )


def _metadata(trial: Trial) -> dict[str, Any]:
    """What the optimizer logged, with the candidate Opik groups the trial under."""
    return {**(trial.metadata or {}), "candidate_id": str(trial.candidate_id)}


def _scores(scores: Mapping[str, float]) -> list[ScoreAverage] | None:
    return [ScoreAverage(name, scores[name]) for name in sorted(scores)] or None


def _duration(trial: Trial) -> dict[str, float] | None:
    """Percentiles of the trace durations in milliseconds (Opik's ExperimentDAO), from the median."""
    if trial.duration is None:
        return None
    median = round(trial.duration * MILLISECONDS, 6)
    return {"p50": median, "p90": round(median * P90, 3), "p99": round(median * P99, 3)}


def _sort_value(experiment: ExperimentView, sorting: Sorting) -> Any:
    if sorting.base in ("feedback_scores", "experiment_scores"):
        scores = getattr(experiment, sorting.base) or []
        return map_value({score.name: score.value for score in scores}, sorting.key)
    if sorting.base == "duration":
        return map_value(experiment.duration, sorting.key)
    if sorting.field == "tags":
        return ""
    value = getattr(experiment, sorting.field)
    return value.int if isinstance(value, UUID) else value
