"""Projects and datasets as Opik lists them (findProjects, getProjectStats, findDatasets), and what a
dataset's trials were evaluated on: pure reads of one workspace's records."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from mockopik.domain.lazy_trials import last_trial_at, may_hold_any, most_traces
from mockopik.domain.models import Dataset, Optimization, Project, Trial
from mockopik.domain.sorting import Sorting, ordered
from mockopik.domain.workspace import Workspace

# SortingFactoryProjects' and SortingFactoryDatasets' fields, in their order.
PROJECT_SORTABLE_FIELDS = ("id", "name", "last_updated_at", "created_at", "last_updated_trace_at")
DATASET_SORTABLE_FIELDS = (
    "id",
    "name",
    "description",
    "tags",
    "created_at",
    "last_updated_at",
    "created_by",
    "last_updated_by",
    "last_created_experiment_at",
    "last_created_optimization_at",
    "duration",
    "feedback_scores.*",
    "data.*",
    "output.*",
    "input.*",
    "metadata.*",
    "comments",
    "total_estimated_cost",
    "usage.*",
)
DATASET_SIZES = (50, 100, 150, 200, 300)


@dataclass(frozen=True)
class ListQuery:
    """Paging, a name fragment and sorting: the parameters the project and dataset lists share."""

    page: int = 1
    size: int = 10
    name: str | None = None
    sorting: Sorting | None = None
    project_id: UUID | None = None
    with_experiments_only: bool = False
    with_optimizations_only: bool = False


@dataclass(frozen=True)
class Listing:
    """A page of any list: its number, every match counted, the records, what it can be sorted by."""

    page: int
    total: int
    content: list[Any]
    sortable_by: tuple[str, ...]


@dataclass(frozen=True)
class DatasetSummary:
    """A dataset with what Opik counts about it: items, experiments and optimizations run on it."""

    dataset: Dataset
    dataset_items_count: int
    experiment_count: int
    optimization_count: int
    most_recent_experiment_at: datetime | None
    most_recent_optimization_at: datetime | None
    created_by: str

    @property
    def last_updated_at(self) -> datetime:
        return self.dataset.created_at

    @property
    def last_updated_by(self) -> str:
        return self.created_by

    @property
    def last_created_experiment_at(self) -> datetime | None:
        return self.most_recent_experiment_at

    @property
    def last_created_optimization_at(self) -> datetime | None:
        return self.most_recent_optimization_at


@dataclass(frozen=True)
class Evaluation:
    """One trial to compare on a dataset, with what its items need from the optimization."""

    optimization_id: UUID
    objective_name: str
    user: str
    trial: Trial


@dataclass(frozen=True)
class Evaluations:
    """A dataset (None when unknown), its number of items, and the trials asked for that ran on it."""

    dataset: Dataset | None
    item_count: int
    runs: tuple[Evaluation, ...]


def find_projects(space: Workspace, query: ListQuery) -> Listing:
    """findProjects: a name fragment (any case), newest first unless sorted."""
    matching = [
        project
        for project in space.projects.values()
        if not query.name or query.name.lower() in project.name.lower()
    ]
    chosen = ordered(matching, query.sorting, _attribute, lambda project: project.id.int)
    return _page(query, chosen, PROJECT_SORTABLE_FIELDS)


def find_datasets(space: Workspace, query: ListQuery, user: str) -> Listing:
    """findDatasets (and a project's datasets: those its optimizations ran on); deleted ones are gone."""
    by_dataset: dict[UUID, list[Optimization]] = {}
    for optimization in space.optimizations.values():
        by_dataset.setdefault(optimization.dataset_id, []).append(optimization)
    summaries = []
    for dataset in space.datasets.values():
        runs = by_dataset.get(dataset.id, [])
        if dataset.deleted or (query.name and query.name.lower() not in dataset.name.lower()):
            continue
        if query.project_id is not None and all(run.project_id != query.project_id for run in runs):
            continue
        summary = _summary(dataset, runs, user)
        if (query.with_experiments_only and not summary.experiment_count) or (
            query.with_optimizations_only and not summary.optimization_count
        ):
            continue
        summaries.append(summary)
    chosen = ordered(summaries, query.sorting, _dataset_value, lambda summary: summary.dataset.id.int)
    return _page(query, chosen, DATASET_SORTABLE_FIELDS)


def evaluations(space: Workspace, dataset_id: UUID, experiment_ids: Iterable[UUID] | None) -> Evaluations:
    """The trials among `experiment_ids` (None: all) that ran on the dataset, and how many items it has."""
    wanted = None if experiment_ids is None else set(experiment_ids)
    runs = [
        optimization for optimization in space.optimizations.values() if optimization.dataset_id == dataset_id
    ]
    found = tuple(
        Evaluation(run.id, run.objective_name, run.created_by, trial)
        for run in runs
        if wanted is None or may_hold_any(run.trials, wanted)
        for trial in run.trials
        if wanted is None or trial.id in wanted
    )
    dataset = space.datasets.get(dataset_id)
    count = item_count(dataset, runs) if dataset is not None else 0
    return Evaluations(dataset, count, found)


def item_count(dataset: Dataset, runs: Iterable[Optimization] = ()) -> int:
    """A dataset's number of items: a size of its own (from its id), or more if a trial of `runs`
    evaluated more."""
    return max([own_size(dataset.id), *(most_traces(run.trials) for run in runs)])


@functools.lru_cache(maxsize=4096)
def own_size(dataset_id: UUID) -> int:
    """The size a dataset has from its id (drawn once per dataset, not once per run on it)."""
    return random.Random(f"size:{dataset_id}").choice(DATASET_SIZES)


def _summary(dataset: Dataset, runs: list[Optimization], user: str) -> DatasetSummary:
    """Counted from each run's trials without making lazy ones."""
    latest = [moment for moment in (last_trial_at(run.trials) for run in runs) if moment is not None]
    return DatasetSummary(
        dataset=dataset,
        dataset_items_count=item_count(dataset, runs),
        experiment_count=sum(len(run.trials) for run in runs),
        optimization_count=len(runs),
        most_recent_experiment_at=max(latest, default=None),
        most_recent_optimization_at=max((run.created_at for run in runs), default=None),
        created_by=user,
    )


def _page(query: ListQuery, chosen: list[Any], sortable: tuple[str, ...]) -> Listing:
    start = (query.page - 1) * query.size
    return Listing(query.page, len(chosen), chosen[start : start + query.size], sortable)


def _attribute(project: Project, sorting: Sorting) -> Any:
    value = getattr(project, sorting.field, None)
    return value.int if isinstance(value, UUID) else value


def _dataset_value(summary: DatasetSummary, sorting: Sorting) -> Any:
    field = {
        "last_created_experiment_at": "most_recent_experiment_at",
        "last_created_optimization_at": "most_recent_optimization_at",
    }.get(sorting.field, sorting.field)
    if hasattr(summary, field):
        return getattr(summary, field)
    value = getattr(summary.dataset, field, None)
    if field == "last_updated_at":
        value = summary.dataset.created_at
    return value.int if isinstance(value, UUID) else value
