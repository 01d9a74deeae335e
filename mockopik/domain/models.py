"""The records the store keeps: datasets, projects, optimizations and their trials."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID


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
    """The experiment types linked to an optimization."""

    TRIAL = "trial"
    MINI_BATCH = "mini-batch"


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
    """An experiment run by an optimization: one evaluated candidate (or a mini-batch of one)."""

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


@dataclass
class Optimization:
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
    trials: list[Trial] = field(default_factory=list)


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
    """A trial as Opik lists it among experiments (the optimization page of the UI reads these)."""

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
    duration: dict[str, float] | None
    total_estimated_cost: float | None
    last_updated_at: datetime
    created_by: str
    last_updated_by: str
    status: str
    experiment_scores: list[ScoreAverage] | None


@dataclass(frozen=True)
class ExperimentPage:
    page: int
    total: int
    content: list[ExperimentView]
