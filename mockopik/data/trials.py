"""Seeded timelines of an optimization's trials, as `opik-optimizer` logs them: a baseline, then candidates
that descend from earlier ones (their prompts evolving), screened on mini-batches, scored per trace."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from mockopik.data import vocabulary as words
from mockopik.data.item_themes import Theme
from mockopik.data.prompts import Messages, crossover, evolve
from mockopik.domain.ids import id_at
from mockopik.domain.lazy_trials import TrialSource
from mockopik.domain.models import OptimizationStatus, Schedule, StatusChange, Trial, TrialType
from mockopik.domain.names import generated_name

MINI_BATCH_OPTIMIZERS = frozenset(
    {"GepaOptimizer", "EvolutionaryOptimizer", "HierarchicalReflectiveOptimizer"}
    | {"gepa", "evolutionary", "hierarchical_reflective"}
)
MUTATION_OPTIMIZERS = frozenset({"EvolutionaryOptimizer", "evolutionary"})
MERGING_OPTIMIZERS = frozenset({"GepaOptimizer", "EvolutionaryOptimizer", "gepa", "evolutionary"})
FEW_SHOT_OPTIMIZERS = frozenset({"FewShotBayesianOptimizer", "MiproOptimizer"})
# Metrics that score a trace 0 or 1: a trial's score is then the share of its traces that passed.
BINARY_METRICS = frozenset(
    {"accuracy", "equals", "exact_match", "json_schema_validator", "hallucination_free", "hallucination"}
)
STUDIO_CLASSES = {
    "gepa": "GepaOptimizer",
    "evolutionary": "EvolutionaryOptimizer",
    "hierarchical_reflective": "HierarchicalReflectiveOptimizer",
}
OPTIMIZER_VERSION = "3.2.0"  # the opik-optimizer release whose experiment configuration this mirrors
PROMPT_NAME = "chat-prompt"
UNKNOWN_MODEL = (1.8, 0.002)


@dataclass(frozen=True, slots=True)
class RunSpec:
    """What a run optimizes: the optimizer, model and objective, the dataset and the baseline prompt."""

    optimizer: str
    model: str
    objective: str
    theme: Theme
    baseline: Messages
    dataset_name: str
    dataset_id: UUID
    dataset_size: int
    project_name: str | None = None
    temperature: float = 0.0


class Step(NamedTuple):
    """One planned experiment, dated by its offset from the run's creation."""

    offset: timedelta
    type: TrialType
    candidate: int
    parents: tuple[int, ...]
    step_index: int
    prompt: Messages
    feedback_scores: dict[str, float]
    duration: float
    cost: float | None
    trace_count: int


class Outline(NamedTuple):
    """What a plan's experiments are in short: how many, the most traces one has, the offsets of the
    first and the last."""

    experiments: int
    most_traces: int
    first: timedelta
    last: timedelta


@dataclass(frozen=True)
class RunPlan:
    """What a run did, relative to its creation: its experiments (or only their outline), when it was
    last updated, the status it has then, and when it started running (a Studio worker picks it up a
    little after its creation)."""

    spec: RunSpec
    steps: tuple[Step, ...]
    last_update: timedelta
    status: OptimizationStatus
    started: timedelta
    outline: Outline

    def schedule(
        self, created: datetime, rng: random.Random, studio: bool, error_info: dict[str, Any] | None = None
    ) -> Schedule:
        """The whole run still to come, for a run created at `created` (a finished plan's): a Studio run is
        marked running when the worker starts, then come its trials, then its end (with `error_info`)."""
        trials = tuple(self.trials(created, rng))
        end = StatusChange(created + self.last_update, self.status, error_info)
        start = (StatusChange(created + self.started, OptimizationStatus.RUNNING),) if studio else ()
        return Schedule(trials, (*start, end))

    def trials(self, created: datetime, rng: random.Random, shift: timedelta = timedelta(0)) -> list[Trial]:
        """The experiments, with ids minted from their dates (a candidate's id from its first one), then
        dated `shift` later."""
        candidates: dict[int, UUID] = {}
        trials = []
        for step in self.steps:
            moment = created + step.offset
            trial_id = id_at(moment, rng)
            candidate_id = candidates.setdefault(step.candidate, id_at(moment, rng))
            metadata = self._metadata(step, candidate_id, [candidates[parent] for parent in step.parents])
            trials.append(
                Trial(
                    id=trial_id,
                    type=step.type,
                    created_at=moment + shift,
                    candidate_id=candidate_id,
                    feedback_scores=dict(step.feedback_scores),
                    duration=step.duration,
                    cost=step.cost,
                    trace_count=step.trace_count,
                    name=generated_name(rng),
                    metadata=metadata,
                )
            )
        return trials

    def _metadata(self, step: Step, candidate: UUID, parents: list[UUID]) -> dict[str, Any]:
        """The experiment configuration `opik-optimizer` logs, with the step and lineage the UI reads
        (the values the run's trials have alike are shared by them: nothing edits a trial's metadata)."""
        return {
            **self._run_metadata,
            "configuration": {
                "prompt": {PROMPT_NAME: step.prompt},
                **self._run_configuration,
            },
            "step_index": step.step_index,
            "candidate_id": str(candidate),
            "parent_candidate_ids": [str(parent) for parent in parents],
        }

    @functools.cached_property
    def _run_metadata(self) -> dict[str, Any]:
        spec = self.spec
        optimizer = STUDIO_CLASSES.get(spec.optimizer, spec.optimizer)
        metadata: dict[str, Any] = {
            "optimizer": optimizer,
            "metric": spec.objective,
            "dataset_training": spec.dataset_name,
            "dataset_training_id": str(spec.dataset_id),
        }
        if spec.project_name:
            metadata["project_name"] = spec.project_name
        metadata["optimizer_metadata"] = {
            "name": optimizer,
            "version": OPTIMIZER_VERSION,
            "model": spec.model,
            "seed": 42,
            "num_threads": 8,
        }
        return metadata

    @functools.cached_property
    def _run_configuration(self) -> dict[str, Any]:
        """The configuration of every trial of the run, but its prompt."""
        return {
            "prompt_name": {PROMPT_NAME: PROMPT_NAME},
            "tools": [],
            "model": self.spec.model,
            "model_parameters": {"temperature": self.spec.temperature},
        }


@dataclass
class _Search:
    """The state of a run being planned: its candidates' prompts and the best one so far."""

    spec: RunSpec
    prompts: list[Messages] = field(default_factory=list)
    best: float = 0.0
    best_candidate: int = 0

    def propose(self, rng: random.Random, prompts: random.Random | None) -> tuple[Messages, tuple[int, ...]]:
        """A new candidate's prompt and parents: the best so far, changed or merged with another. The
        parents come from `rng`, the prompt from `prompts` (None: the parent's, unchanged)."""
        parent = self.best_candidate
        few_shot = self.spec.optimizer in FEW_SHOT_OPTIMIZERS
        if self.spec.optimizer in MERGING_OPTIMIZERS and len(self.prompts) > 2 and rng.random() < 0.25:
            other = rng.choice([index for index in range(len(self.prompts)) if index != parent])
            if prompts is None:
                return self.prompts[parent], (parent, other)
            merged = crossover(prompts, self.prompts[parent], self.prompts[other])
            if merged in (self.prompts[parent], self.prompts[other]):  # one parent held it all: change it too
                merged = evolve(prompts, merged, self.spec.theme, few_shot)
            return merged, (parent, other)
        if prompts is None:
            return self.prompts[parent], (parent,)
        return evolve(prompts, self.prompts[parent], self.spec.theme, few_shot), (parent,)


def plan_run(
    rng: random.Random,
    status: OptimizationStatus,
    spec: RunSpec,
    fail_at_start: float = 0.25,
    prompts: random.Random | None = None,
) -> RunPlan:
    """A run's experiments, as many as its status allows (a run in progress: all it will have); a
    failed run fails before its first trial with probability `fail_at_start`. The candidates' prompts
    are drawn from `prompts`, the rest from `rng`, so a plan's timeline and scores are the same with or
    without them; without them (None), the plan holds the outline of its experiments, not the steps
    (what a finished generated run keeps, its trials made later from the whole plan drawn again)."""
    planned = rng.randint(4, 14)
    cancelled_after = rng.randint(1, planned - 1)  # drawn whatever the status, as are the failed ones
    failed_after = 0 if rng.random() < fail_at_start else rng.randint(1, planned // 2)
    wanted = {
        "initialized": 0,
        "running": planned,
        "cancelled": cancelled_after,
        "error": failed_after,
        "completed": planned,
    }[status.value]
    median, cost_per_trace = words.MODELS.get(spec.model, UNKNOWN_MODEL)
    samples = min(spec.dataset_size, rng.choice((20, 30, 50, 100, 150)))
    mini_batch, parallel = min(samples, rng.choice((5, 8, 10))), rng.choice((4, 8, 12))
    secondary = rng.choice(words.SECONDARY_METRICS) if rng.random() < 0.3 else None
    setup = rng.uniform(2.0, 25.0)
    elapsed, per_round = setup, rng.randint(1, 3)
    search = _Search(spec, [spec.baseline], best=rng.uniform(0.25, 0.7))
    steps: list[Step] = []
    parents_of: dict[int, tuple[int, ...]] = {}  # a candidate's parents, as its first step has them
    count = most_traces = 0
    first = last = 0.0
    screened: int | None = None  # a candidate that passed its mini-batch and awaits a full trial
    # the loop runs for every step of every generated run: its lookups are made once
    uniform, gauss, draw, objective = rng.uniform, rng.gauss, rng.random, spec.objective
    mutates, screens = spec.optimizer in MUTATION_OPTIMIZERS, spec.optimizer in MINI_BATCH_OPTIMIZERS
    trial, mutation, mini_batch_kind = TrialType.TRIAL, TrialType.MUTATION, TrialType.MINI_BATCH
    while count < wanted:
        kind, traces = trial, samples
        parents: tuple[int, ...] = ()
        if not count:
            candidate, prompt, score = 0, spec.baseline, search.best
        elif screened is not None:
            candidate, prompt, parents = screened, search.prompts[screened], parents_of[screened]
            score, screened = _improve(rng, search.best), None
        elif mutates and draw() < 0.15:
            kind, traces = mutation, mini_batch
            prompt, parents = search.propose(rng, prompts)
            candidate, score = len(search.prompts), _clamp(search.best + gauss(-0.05, 0.1))
            search.prompts.append(prompt)
        elif screens and draw() < 0.4:
            kind, traces = mini_batch_kind, mini_batch
            prompt, parents = search.propose(rng, prompts)
            candidate, score = len(search.prompts), _clamp(search.best + gauss(0.0, 0.08))
            search.prompts.append(prompt)
            screened = candidate if draw() < 0.6 else None
        elif count > 2 and draw() < 0.06:  # the best, evaluated again
            candidate = search.best_candidate
            prompt, parents = search.prompts[candidate], parents_of[candidate]
            score = _clamp(search.best + gauss(0.0, 0.01))
        else:
            prompt, parents = search.propose(rng, prompts)
            candidate, score = len(search.prompts), _improve(rng, search.best)
            search.prompts.append(prompt)
        score = _quantized(score, traces, objective)
        if kind is trial and score > search.best:
            search.best, search.best_candidate = score, candidate
        duration = round(median * rng.lognormvariate(0.0, 0.25), 3)
        took = traces * duration / parallel + uniform(1.0, 6.0)
        secondary_score = uniform(0.5, 0.98) if secondary else 0.0
        cost_share = uniform(0.8, 1.25) if cost_per_trace else 0.0
        if prompts is not None:  # an outline draws the same numbers and keeps none of them
            feedback = {objective: score}
            if secondary:
                feedback[secondary] = _quantized(secondary_score, traces, secondary)
            cost = round(traces * cost_per_trace * cost_share, 6) if cost_per_trace else None
            step_index = 0 if candidate == 0 else 1 + (candidate - 1) // per_round
            offset = timedelta(seconds=elapsed)
            steps.append(
                Step(offset, kind, candidate, parents, step_index, prompt, feedback, duration, cost, traces)
            )
        parents_of.setdefault(candidate, parents)
        first, last = first if count else elapsed, elapsed
        count, most_traces = count + 1, max(most_traces, traces)
        elapsed += took + uniform(3.0, 45.0)  # the optimizer's LLM proposes the next candidates
    last_update = _last_update(rng, status, spec.optimizer, setup, elapsed)
    outline = Outline(count, most_traces, timedelta(seconds=first), timedelta(seconds=last))
    return RunPlan(spec, tuple(steps), last_update, status, timedelta(seconds=setup / 2), outline)


def _improve(rng: random.Random, best: float) -> float:
    """A new candidate's score: often a little better, less room to improve near the top."""
    return _clamp(best + rng.gauss(0.03, 0.1) * (1.0 - best))


def _quantized(score: float, traces: int, metric: str) -> float:
    """A trial's mean trace score: a share of passing traces for a 0/1 metric, else 4 decimals."""
    if metric in BINARY_METRICS and traces:
        return round(round(score * traces) / traces, 9)
    return round(score, 4)


def _last_update(
    rng: random.Random, status: OptimizationStatus, optimizer: str, setup: float, elapsed: float
) -> timedelta:
    """Terminal runs were last updated when they ended; the SDK does not touch a running run, while
    a Studio worker marks its run running when it starts."""
    if status.terminal:
        return timedelta(seconds=elapsed + rng.uniform(0.3, 4.0))
    if status is OptimizationStatus.RUNNING and optimizer in words.STUDIO_OPTIMIZERS:
        return timedelta(seconds=setup / 2)  # RunPlan.started
    return timedelta(0)


def _clamp(score: float) -> float:
    return min(1.0, max(0.0, score))


@dataclass(slots=True, eq=False)
class PlannedTrials(TrialSource):
    """The trials of a finished generated run, made on demand from the run's own seed: its plan is
    drawn again (prompts included) and its trials minted from `minted`, then dated `shift` later.
    Never changed once made (`moved` makes another)."""

    seed: int
    status: OptimizationStatus
    spec: RunSpec
    fail_at_start: float
    minted: datetime  # the run's creation on the timeline its ids are minted from
    shift: timedelta
    count: int
    most_traces: int
    first_offset: timedelta
    last_offset: timedelta

    @classmethod
    def of(cls, seed: int, plan: RunPlan, fail_at_start: float, minted: datetime) -> PlannedTrials:
        """The source of `plan`'s trials (a plan drawn from `plan_stream(seed)`, its prompts or not)."""
        count, most_traces, first, last = plan.outline
        return cls(
            seed, plan.status, plan.spec, fail_at_start, minted, timedelta(0), count, most_traces, first, last
        )

    def trials(self) -> list[Trial]:
        rng = plan_stream(self.seed)
        plan = plan_run(rng, self.status, self.spec, self.fail_at_start, prompt_stream(self.seed))
        return plan.trials(self.minted, rng, self.shift)

    def moved(self, delta: timedelta) -> PlannedTrials:
        return PlannedTrials(
            self.seed,
            self.status,
            self.spec,
            self.fail_at_start,
            self.minted,
            self.shift + delta if self.shift else delta,  # one `delta` shared by the runs moved together
            self.count,
            self.most_traces,
            self.first_offset,
            self.last_offset,
        )

    @property
    def last_created_at(self) -> datetime | None:
        return self.minted + self.shift + self.last_offset if self.count else None

    def may_hold(self, trial_id: UUID) -> bool:
        millis = trial_id.int >> 80
        first, last = (_millis(self.minted + offset) for offset in (self.first_offset, self.last_offset))
        return bool(self.count) and first <= millis <= last


def plan_stream(seed: int) -> random.Random:
    """The random stream of a generated run's plan and trials."""
    return random.Random(seed << 1)


def prompt_stream(seed: int) -> random.Random:
    """The random stream of a generated run's candidate prompts (apart, so a plan drawn without them
    is the same)."""
    return random.Random(seed << 1 | 1)


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
