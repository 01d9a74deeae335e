"""Seeded timelines of an optimization's trials: baseline first, candidates improving, mini-batches."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from mockopik.data import vocabulary as words
from mockopik.domain.ids import id_at
from mockopik.domain.models import OptimizationStatus, Trial, TrialType

MINI_BATCH_OPTIMIZERS = frozenset(
    {"GepaOptimizer", "EvolutionaryOptimizer", "HierarchicalReflectiveOptimizer"}
    | {"gepa", "evolutionary", "hierarchical_reflective"}
)
UNKNOWN_MODEL = (1.8, 0.002)


@dataclass(frozen=True)
class Step:
    """One planned trial, dated by its offset from the run's creation."""

    offset: timedelta
    type: TrialType
    candidate: int
    score: float
    feedback_scores: dict[str, float]
    duration: float
    cost: float | None
    trace_count: int


@dataclass(frozen=True)
class RunPlan:
    """What a run did, relative to its creation: its trials and when it was last updated."""

    steps: tuple[Step, ...]
    last_update: timedelta

    def trials(self, created: datetime, rng: random.Random) -> list[Trial]:
        """The trials with ids minted from their dates (a candidate's id from its first trial)."""
        candidates: dict[int, UUID] = {}
        trials = []
        for step in self.steps:
            moment = created + step.offset
            trial_id = id_at(moment, rng)
            candidate_id = candidates.setdefault(step.candidate, id_at(moment, rng))
            trials.append(
                Trial(
                    id=trial_id,
                    type=step.type,
                    created_at=moment,
                    candidate_id=candidate_id,
                    objective_score=step.score,
                    feedback_scores=dict(step.feedback_scores),
                    duration=step.duration,
                    cost=step.cost,
                    trace_count=step.trace_count,
                )
            )
        return trials


def plan_run(
    rng: random.Random,
    status: OptimizationStatus,
    optimizer: str,
    model: str,
    objective: str,
    budget: timedelta | None = None,
    fail_at_start: float = 0.25,
) -> RunPlan:
    """A run's trials, as many as its status allows; `budget` bounds a run still in progress, and
    a failed run fails before its first trial with probability `fail_at_start`."""
    planned = rng.randint(4, 14)
    wanted = {
        OptimizationStatus.INITIALIZED: 0,
        OptimizationStatus.RUNNING: planned,
        OptimizationStatus.CANCELLED: rng.randint(1, planned - 1),
        OptimizationStatus.ERROR: 0 if rng.random() < fail_at_start else rng.randint(1, planned // 2),
        OptimizationStatus.COMPLETED: planned,
    }[status]
    median, cost_per_trace = words.MODELS.get(model, UNKNOWN_MODEL)
    samples, mini_batch, parallel = (
        rng.choice((20, 30, 50, 100, 150)),
        rng.choice((5, 8, 10)),
        rng.choice((4, 8, 12)),
    )
    secondary = rng.choice(words.SECONDARY_METRICS) if rng.random() < 0.3 else None
    setup = rng.uniform(2.0, 25.0)
    elapsed = setup
    best = baseline = rng.uniform(0.25, 0.7)
    best_candidate = 0
    steps: list[Step] = []
    for index in range(wanted):
        kind, candidate, traces = TrialType.TRIAL, index, samples
        if index == 0:
            score = baseline
        elif optimizer in MINI_BATCH_OPTIMIZERS and rng.random() < 0.35:
            kind, traces, score = TrialType.MINI_BATCH, mini_batch, _clamp(best + rng.gauss(0.0, 0.08))
        elif index > 2 and rng.random() < 0.06:
            candidate, score = (
                best_candidate,
                _clamp(best + rng.gauss(0.0, 0.01)),
            )  # the best, evaluated again
        else:
            score = _clamp(best + rng.gauss(0.03, 0.1) * (1.0 - best))  # less room to improve near the top
            if score > best:
                best, best_candidate = score, index
        duration = round(median * rng.lognormvariate(0.0, 0.25), 3)
        took = traces * duration / parallel + rng.uniform(1.0, 6.0)
        if budget is not None and elapsed + took >= budget.total_seconds():
            break
        feedback = {objective: round(score, 4)}
        if secondary:
            feedback[secondary] = round(rng.uniform(0.5, 0.98), 4)
        cost = round(traces * cost_per_trace * rng.uniform(0.8, 1.25), 6) if cost_per_trace else None
        steps.append(
            Step(
                timedelta(seconds=elapsed), kind, candidate, round(score, 4), feedback, duration, cost, traces
            )
        )
        elapsed += took + rng.uniform(3.0, 45.0)  # the optimizer's LLM proposes the next candidates
    return RunPlan(tuple(steps), _last_update(rng, status, optimizer, setup, elapsed))


def _last_update(
    rng: random.Random, status: OptimizationStatus, optimizer: str, setup: float, elapsed: float
) -> timedelta:
    """Terminal runs were last updated when they ended; the SDK does not touch a running run, while
    a Studio worker marks its run running when it starts."""
    if status.terminal:
        return timedelta(seconds=elapsed + rng.uniform(0.3, 4.0))
    if status is OptimizationStatus.RUNNING and optimizer in words.STUDIO_OPTIMIZERS:
        return timedelta(seconds=setup / 2)
    return timedelta(0)


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))
