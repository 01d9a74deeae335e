"""The records the store keeps: datasets, projects, optimizations and their trials."""

from __future__ import annotations

import operator
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from mockopik.domain.names import generated_name


class OptimizationStatus(str, Enum):
    """Opik's OptimizationStatus; the value is the wire form, the name the Java constant."""

    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    INITIALIZED = "initialized"
    ERROR = "error"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset(
    {OptimizationStatus.COMPLETED, OptimizationStatus.CANCELLED, OptimizationStatus.ERROR}
)
CANCELLABLE_STATUSES = (OptimizationStatus.RUNNING, OptimizationStatus.INITIALIZED)


class TrialType(str, Enum):
    """The experiment types linked to an optimization (Opik's ExperimentType, but `regular`)."""

    TRIAL = "trial"
    MINI_BATCH = "mini-batch"
    MUTATION = "mutation"

    @property
    def is_candidate(self) -> bool:
        """Whether Opik's OptimizationDAO counts it as a candidate evaluation (not a screening)."""
        return self is TrialType.TRIAL


# Opik's ExperimentType values that findExperiments accepts in `types`.
EXPERIMENT_TYPES = ("regular", *(kind.value for kind in TrialType))


@dataclass
class Dataset:
    id: UUID
    name: str
    created_at: datetime
    deleted: bool = False


@dataclass
class Project:
    id: UUID
    name: str
    created_at: datetime
    created_by: str
    last_updated_at: datetime
    last_updated_by: str
    description: str | None = None


@dataclass(frozen=True)
class Trial:
    """An experiment run by an optimization: one evaluated candidate (or a mini-batch or mutation of one).

    `feedback_scores` are the means of its items' trace scores; `objective_score` and `experiment_scores`
    are experiment-level scores; `duration` is the median trace duration in seconds. `name` is the
    experiment's own, fixed when it is created (a blank one is Opik's generated name, from the id);
    `metadata` is what the optimizer logged with it (step, candidate lineage, prompt configuration)."""

    id: UUID
    type: TrialType
    created_at: datetime
    candidate_id: UUID
    objective_score: float | None = None
    feedback_scores: dict[str, float] = field(default_factory=dict)
    experiment_scores: dict[str, float] = field(default_factory=dict)
    duration: float | None = None
    cost: float | None = None
    trace_count: int = 0
    name: str = ""
    metadata: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", generated_name(random.Random(self.id.int)))


@dataclass(frozen=True)
class StatusChange:
    """A status a live run takes on its own at `at` (as its optimizer or Studio worker reports it),
    with the error_info it reports."""

    at: datetime
    status: OptimizationStatus
    error_info: dict[str, Any] | None = None


@dataclass(frozen=True)
class Schedule:
    """What a live run will do on its own: the trials it has not created yet and its status changes,
    each in the order of its instant. A run without one changes only when a client writes to it."""

    trials: tuple[Trial, ...] = ()
    statuses: tuple[StatusChange, ...] = ()

    @property
    def next_at(self) -> datetime:
        """The instant of its next trial or status change."""
        upcoming = [changes[0] for changes in (self.trials, self.statuses) if changes]
        return min(item.created_at if isinstance(item, Trial) else item.at for item in upcoming)


@dataclass(slots=True)
class Optimization:
    """A run as the store keeps it (slotted: a data set holds 100,000 of them). Never edited once
    stored: a write puts an edited copy (`copy.copy`) in its place."""

    id: UUID
    name: str
    dataset_id: UUID
    objective_name: str
    status: OptimizationStatus
    created_at: datetime
    created_by: str
    last_updated_at: datetime
    last_updated_by: str
    project_id: UUID | None = None
    metadata: Any = None
    studio_config: dict[str, Any] | None = None
    error_info: dict[str, Any] | None = None
    trials: Sequence[Trial] = field(default_factory=list)
    schedule: Schedule | None = None  # a live run's future (seeded in-progress runs, Studio runs)

    def __copy__(self) -> Optimization:
        return Optimization(*_optimization_fields(self))


_optimization_fields = operator.attrgetter(*Optimization.__slots__)  # every field, in their order


@dataclass(frozen=True)
class OptimizationWrite:
    """A create or upsert request, after validation (read-only and unknown keys dropped)."""

    dataset_name: str
    objective_name: str
    status: OptimizationStatus
    id: UUID | None = None
    name: str | None = None
    project_name: str | None = None
    project_id: UUID | None = None
    metadata: Any = None
    studio_config: dict[str, Any] | None = None
    error_info: dict[str, Any] | None = None
    last_updated_at: datetime | None = None


@dataclass(frozen=True)
class OptimizationUpdate:
    """An update-by-id request: only the fields given change."""

    name: str | None = None
    status: OptimizationStatus | None = None
    error_info: dict[str, Any] | None = None
    metadata: Any = None

    @property
    def is_empty(self) -> bool:
        return all(value is None for value in (self.name, self.status, self.error_info, self.metadata))


@dataclass(frozen=True)
class ScoreAverage:
    name: str
    value: float


@dataclass(frozen=True)
class Summary:
    """An optimization's aggregate fields, computed from its trials (`aggregates.summarize`)."""

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


@dataclass(frozen=True)
class OptimizationView:
    """A consistent snapshot of one optimization as the API returns it (None = omitted)."""

    id: UUID
    name: str
    dataset_name: str | None
    project_id: UUID | None
    objective_name: str
    status: OptimizationStatus
    metadata: Any
    studio_config: dict[str, Any] | None
    error_info: dict[str, Any] | None
    dataset_id: UUID
    created_at: datetime
    created_by: str
    last_updated_at: datetime
    last_updated_by: str
    summary: Summary


@dataclass(frozen=True)
class Page:
    page: int
    total: int
    content: list[OptimizationView]


@dataclass(frozen=True)
class ExperimentView:
    """A trial as Opik lists it among experiments (the UI's optimization and trial pages read these)."""

    id: UUID
    dataset_name: str | None
    dataset_id: UUID
    project_id: UUID | None
    name: str
    metadata: dict[str, Any]
    type: TrialType
    optimization_id: UUID
    feedback_scores: list[ScoreAverage] | None
    trace_count: int
    created_at: datetime
    duration: dict[str, float] | None  # percentiles of the trace durations, in milliseconds
    total_estimated_cost: float | None
    total_estimated_cost_avg: float | None
    last_updated_at: datetime
    created_by: str
    last_updated_by: str
    status: str
    experiment_scores: list[ScoreAverage] | None

    @property
    def dataset_item_count(self) -> int:
        """The items the experiment ran on: one trace each."""
        return self.trace_count


@dataclass(frozen=True)
class ExperimentPage:
    page: int
    total: int
    content: list[ExperimentView]
    sortable_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatasetItem:
    """A row of a dataset: what an optimization's trials were evaluated on."""

    id: UUID
    data: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class ExperimentItem:
    """One trace of an experiment: a dataset item, what the prompt answered, its scores and cost."""

    id: UUID
    experiment_id: UUID
    dataset_item_id: UUID
    trace_id: UUID
    input: dict[str, Any]
    output: dict[str, Any]
    feedback_scores: dict[str, float]
    duration: float | None  # milliseconds, as Opik's traces report it
    total_estimated_cost: float | None
    created_at: datetime

    @property
    def last_updated_at(self) -> datetime:
        return self.created_at

    @property
    def scores(self) -> list[ScoreAverage]:
        return [ScoreAverage(name, self.feedback_scores[name]) for name in sorted(self.feedback_scores)]


@dataclass(frozen=True)
class ComparedItem:
    """A dataset item with the experiment items of the experiments being compared."""

    item: DatasetItem
    experiment_items: tuple[ExperimentItem, ...]

    @property
    def id(self) -> UUID:
        return self.item.id

    @property
    def data(self) -> dict[str, Any]:
        return self.item.data

    @property
    def created_at(self) -> datetime:
        return self.item.created_at
