"""The in-memory store: records per workspace, newest first, behind one lock; no Flask here."""

from __future__ import annotations

import copy
import dataclasses
import functools
import heapq
import itertools
import random
import threading
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from mockopik.clock import Clock
from mockopik.domain import experiments, finding, lifecycle, live
from mockopik.domain.changes import Change, Saver
from mockopik.domain.errors import (
    BadRequestError,
    NotFoundError,
    optimization_not_found,
    project_not_found,
    update_target_not_found,
)
from mockopik.domain.experiments import ExperimentQuery
from mockopik.domain.finding import FindQuery
from mockopik.domain.ids import IdMinter, is_v7
from mockopik.domain.lazy_trials import trial_with_id
from mockopik.domain.models import (
    CANCELLABLE_STATUSES,
    Dataset,
    ExperimentPage,
    ExperimentView,
    Optimization,
    OptimizationStatus,
    OptimizationUpdate,
    OptimizationView,
    OptimizationWrite,
    Page,
    Project,
)
from mockopik.domain.names import generated_name
from mockopik.domain.workspace import Workspace

DEFAULT_WORKSPACE = "default"
R = TypeVar("R")


@dataclass(frozen=True)
class InProgress:
    """A run in progress, in its workspace, with the trials it will have when it ends (None: its client
    drives it, so nobody knows)."""

    workspace: str
    view: OptimizationView
    planned_trials: int | None


@dataclass(frozen=True)
class Census:
    """The number of records of one workspace."""

    optimizations: int
    datasets: int
    projects: int


class Store:
    """All workspaces; every public method takes the one lock, so threads never see half a write."""

    def __init__(self, clock: Clock, user: str, rng: random.Random) -> None:
        self.clock = clock
        self.user = user
        self.rng = rng
        self.ids = IdMinter(clock, rng)
        self.lock = threading.RLock()
        self._workspaces: dict[str, Workspace] = {}
        # Ids that read as deleted (fault injection's vanish rules): get, update and find skip them.
        self.hidden_ids: Callable[[str], AbstractSet[UUID]] = lambda workspace: frozenset()
        self.saver: Saver | None = None  # keeps each change before it is applied (the state file)
        self.studio_worker: live.StudioWorker | None = None  # executes new Studio runs

    # -- workspaces and bulk access -------------------------------------------------------

    def workspace(self, name: str) -> Workspace:
        """The named workspace, created empty on first use."""
        with self.lock:
            return self._existing_or_new(name)

    def _read(self, name: str) -> Workspace:
        """The named workspace for reading, its live runs played up to the clock's now (called under the
        lock): an unknown name reads as empty and is not created."""
        space = self._workspaces.get(name)
        if space is None:
            return Workspace()
        if space.has_live_runs:
            now = self.clock.now()
            due = space.due(now)
            if due:
                self._commit(name, Change(optimizations=[live.settle(run, now) for run in due]))
        return space

    def settle(self) -> None:
        """Play every workspace's live runs up to the clock's now (before the whole state is read)."""
        with self.lock:
            for name in list(self._workspaces):
                self._read(name)

    def workspace_names(self) -> list[str]:
        with self.lock:
            return sorted(self._workspaces)

    def replace_all(self, workspaces: dict[str, Workspace]) -> None:
        """Swap in a whole new data set at once (reset, reseed, fixture load)."""
        with self.lock:
            if self.saver is not None:
                self.saver.save_all(workspaces)
            self._workspaces = workspaces

    def _commit(self, workspace: str, change: Change) -> None:
        """Apply a write's change whole, once the saver (if any) has kept it; called under the lock."""
        if not change:
            return
        if self.saver is not None:
            self.saver.save(workspace, change)
        change.apply_to(self._existing_or_new(workspace))

    def _existing_or_new(self, name: str) -> Workspace:
        """The named workspace, created empty if there is none (called under the lock)."""
        space = self._workspaces.get(name)
        if space is None:
            space = self._workspaces[name] = Workspace()
        return space

    def reseed(self, seed: int) -> None:
        """Restart the random sequence behind new ids and generated names."""
        with self.lock:
            self.rng.seed(seed)
            self.ids.reset()

    # -- optimizations ----------------------------------------------------------------------

    def upsert_optimization(self, workspace: str, write: OptimizationWrite) -> UUID:
        """createOptimization and upsertOptimization: insert, or replace an existing id."""
        if write.id is not None and not is_v7(write.id):
            raise BadRequestError("Invalid UUID for id", details="Optimization id must be a version 7 UUID")
        with self.lock:
            space = self._read(workspace)
            now = self.clock.now()
            change = Change()
            project_id = self._resolve_project(space, write, now, change)
            dataset = space.live_dataset_named(write.dataset_name) or self._new_dataset(
                write.dataset_name, now, change
            )
            optimization_id = write.id or self.ids.mint()
            existing: Optimization | None = space.optimizations.get(optimization_id)
            last_updated_at = write.last_updated_at or now
            if existing is None:
                status = OptimizationStatus.INITIALIZED if write.studio_config else write.status
                created = Optimization(
                    id=optimization_id,
                    name=write.name if write.name and write.name.strip() else generated_name(self.rng),
                    dataset_id=dataset.id,
                    objective_name=write.objective_name,
                    status=status,
                    created_at=now,
                    created_by=self.user,
                    last_updated_at=last_updated_at,
                    last_updated_by=self.user,
                    project_id=project_id,
                    metadata=copy.deepcopy(write.metadata),
                    studio_config=copy.deepcopy(write.studio_config),
                    error_info=copy.deepcopy(write.error_info),
                )
                if created.studio_config is not None and self.studio_worker is not None:
                    created.schedule = self.studio_worker.plan(created, dataset)  # Opik queues its job
                change.optimizations.append(created)
                self._commit(workspace, change)
                return optimization_id
            restart = lifecycle.is_restart(existing, write)
            drops_guessed_failure = restart and lifecycle.is_system_detected_failure(existing)
            existing = copy.copy(existing)  # edited whole, then committed in place of the stored one
            change.optimizations.append(existing)
            if write.name and write.name.strip():
                existing.name = write.name
            existing.dataset_id = dataset.id
            existing.objective_name = write.objective_name
            existing.status = write.status
            existing.project_id = project_id
            existing.metadata = copy.deepcopy(write.metadata)
            if write.studio_config is not None:
                existing.studio_config = copy.deepcopy(write.studio_config)
            if write.error_info is not None or drops_guessed_failure:
                existing.error_info = copy.deepcopy(write.error_info)
            if restart:  # a new attempt: the server stamps both dates
                existing.created_at = last_updated_at = now
            existing.last_updated_at = last_updated_at
            existing.last_updated_by = self.user
            existing.schedule = None  # the client drives the run from now on
            self._commit(workspace, change)
            return optimization_id

    def get_optimization(self, workspace: str, optimization_id: UUID) -> OptimizationView:
        with self.lock:
            space = self._read(workspace)
            optimization = space.optimizations.get(optimization_id)
            if optimization is None or optimization_id in self.hidden_ids(workspace):
                raise optimization_not_found(optimization_id)
            return space.view(optimization)

    def optimization_record(
        self, workspace: str, optimization_id: UUID
    ) -> tuple[Optimization | None, str | None]:
        """A visible run as the store keeps it (trials included; None when unknown), and its live
        dataset's name."""
        with self.lock:
            space = self._read(workspace)
            optimization = space.optimizations.get(optimization_id)
            if optimization is None or optimization_id in self.hidden_ids(workspace):
                return None, None
            dataset = space.datasets.get(optimization.dataset_id)
            return optimization, dataset.name if dataset is not None and not dataset.deleted else None

    def update_optimization(self, workspace: str, optimization_id: UUID, update: OptimizationUpdate) -> None:
        """updateOptimizationsById: change only what is given; `{}` changes nothing."""
        if update.is_empty:
            return
        with self.lock:
            stored = self._read(workspace).optimizations.get(optimization_id)
            if stored is None or optimization_id in self.hidden_ids(workspace):
                raise update_target_not_found(optimization_id)
            plan = lifecycle.plan_update(stored, update)
            if plan.skipped:
                return
            optimization = copy.copy(stored)  # edited whole, then committed in place of the stored one
            if update.name is not None:
                optimization.name = update.name
            if update.status is not None:
                optimization.status = update.status
                optimization.schedule = None  # a status the client sets stops the run's own progress
            if update.error_info is not None or plan.clears_error_info:
                optimization.error_info = copy.deepcopy(update.error_info)
            if update.metadata is not None:
                optimization.metadata = lifecycle.merged_metadata(optimization.metadata, update.metadata)
            optimization.last_updated_at = self.clock.now()
            optimization.last_updated_by = self.user
            self._commit(workspace, Change(optimizations=[optimization]))

    def delete_optimizations(self, workspace: str, ids: Iterable[UUID]) -> None:
        """deleteOptimizationsById: unknown ids are ignored."""
        with self.lock:
            stored = self._read(workspace).optimizations
            self._commit(workspace, Change(removed=[id_ for id_ in dict.fromkeys(ids) if id_ in stored]))

    def find_optimizations(self, workspace: str, query: FindQuery) -> Page:
        """findOptimizations: newest first; without criteria a page is a slice, not a scan."""
        with self.lock:
            space, hidden = self._read(workspace), frozenset(self.hidden_ids(workspace))
            return space.kept((finding.FindQuery, query, hidden), lambda: finding.find(space, query, hidden))

    def find_experiments(self, workspace: str, query: ExperimentQuery) -> ExperimentPage:
        """findExperiments over the trials of the workspace's optimizations (vanished ones left out)."""
        with self.lock:
            space, hidden = self._read(workspace), frozenset(self.hidden_ids(workspace))
            runs = functools.partial(self._visible, workspace, space, query.optimization_id)
            return space.kept(
                (ExperimentQuery, query, hidden), lambda: experiments.find(runs(), space.datasets, query)
            )

    def get_experiment(self, workspace: str, experiment_id: UUID) -> ExperimentView:
        """getExperimentById: a trial of any (visible) optimization of the workspace."""
        with self.lock:
            space = self._read(workspace)
            for optimization in self._visible(workspace, space, None):
                trial = trial_with_id(optimization.trials, experiment_id)
                if trial is not None:
                    return experiments.view(optimization, trial, space.datasets.get(optimization.dataset_id))
            raise NotFoundError(f"Not found experiment with id '{experiment_id}'")

    def read(self, workspace: str, reader: Callable[[Workspace], R]) -> R:
        """`reader` applied to a workspace's records under the lock (an unknown workspace reads as empty)."""
        with self.lock:
            return reader(self._read(workspace))

    def _visible(self, workspace: str, space: Workspace, only: UUID | None) -> list[Optimization]:
        """The workspace's optimizations (just `only`, if given) that no vanish rule hides."""
        hidden = self.hidden_ids(workspace)
        if only is not None:
            found = space.optimizations.get(only)
            candidates: Iterable[Optimization] = [found] if found is not None else []
        else:
            candidates = space.newest_first()
        return [optimization for optimization in candidates if optimization.id not in hidden]

    def census(self) -> dict[str, Census]:
        """How many records each workspace holds (workspaces with none left out)."""
        with self.lock:
            counted = {
                name: Census(len(space.optimizations), len(space.datasets), len(space.projects))
                for name, space in sorted(self._workspaces.items())
            }
        return {name: counts for name, counts in counted.items() if any(dataclasses.astuple(counts))}

    def in_progress(self, limit: int) -> list[InProgress]:
        """Up to `limit` runs that are running or initialized, newest first, with their workspace (the
        views of those only: a workspace of thousands of runs in progress costs no more than `limit`)."""
        with self.lock:
            found: list[tuple[str, Workspace, Optimization]] = []
            for name in sorted(self._workspaces):
                space, hidden = self._read(name), self.hidden_ids(name)
                moving = heapq.merge(
                    *(space.with_status(status) for status in CANCELLABLE_STATUSES),
                    key=lambda optimization: -optimization.id.int,
                )
                visible = (optimization for optimization in moving if optimization.id not in hidden)
                found.extend((name, space, optimization) for optimization in itertools.islice(visible, limit))
            found.sort(key=lambda item: item[2].id.int, reverse=True)
            return [
                InProgress(name, space.view(optimization), live.planned_trials(optimization))
                for name, space, optimization in found[:limit]
            ]

    # -- projects ---------------------------------------------------------------------------

    def get_project(self, workspace: str, project_id: UUID) -> Project:
        with self.lock:
            project = self._read(workspace).projects.get(project_id)
            if project is None:
                raise project_not_found()
            return copy.copy(project)

    # -- helpers ----------------------------------------------------------------------------

    def _resolve_project(
        self, space: Workspace, write: OptimizationWrite, now: Any, change: Change
    ) -> UUID | None:
        if write.project_id is not None:
            if write.project_id not in space.projects:
                raise BadRequestError(f"Project id: {write.project_id} not found")
            return write.project_id
        if write.project_name is None:
            return None
        project = space.project_named(write.project_name)
        if project is None:
            project = Project(self.ids.mint(), write.project_name, now, self.user, now, self.user)
            change.projects.append(project)
        return project.id

    def _new_dataset(self, name: str, now: Any, change: Change) -> Dataset:
        dataset = Dataset(self.ids.mint(), name, now)
        change.datasets.append(dataset)
        return dataset
