"""One workspace's records, indexed for the reads the UI makes, and the views of its optimizations."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar
from uuid import UUID

from sortedcontainers import SortedKeyList

from mockopik.domain import aggregates
from mockopik.domain.filters import is_literal, like_expression
from mockopik.domain.models import Dataset, Optimization, OptimizationStatus, OptimizationView, Project

VIEWS_KEPT = 4096  # views kept per workspace (those of the records read last)
READS_KEPT = 64  # results of reads kept per workspace until it changes (see `kept`)
R = TypeVar("R")
_SEPARATOR = "\x00"  # between the names of the name index: no search fragment holds it


class Workspace:
    """One workspace's records; optimizations are also kept sorted newest first, so a page is a slice,
    and the live ones (with a schedule) are indexed by the instant of their next change.

    Stored optimizations are replaced, never edited: the view of a record is built once and kept (by
    the record's identity), and indexes by status, by project and of the names are built when first
    asked for, then kept up to date."""

    def __init__(self) -> None:
        self.datasets: dict[UUID, Dataset] = {}
        self.projects: dict[UUID, Project] = {}
        self._optimizations: dict[UUID, Optimization] = {}
        self._newest_first = _newest_first_list()
        self._live: dict[UUID, datetime] = {}  # live run id -> its next change
        self._next_due: datetime | None = None  # no later than the earliest of those
        self._live_datasets: dict[str, Dataset] = {}
        self._projects_by_name: dict[str, Project] = {}
        # WorkspaceConfiguration (timeout_to_mark_thread_as_inactive, truncation_on_tables, color_map)
        self.configuration: dict[str, Any] | None = None
        self._views: dict[int, tuple[Optimization, str | None, OptimizationView]] = {}
        self._by_status: dict[OptimizationStatus, Any] | None = None  # SortedKeyLists, newest first
        self._by_project: dict[UUID | None, Any] | None = None
        self._names: _NameIndex | None = None
        self._reads: dict[Hashable, Any] = {}

    @classmethod
    def holding(
        cls,
        datasets: Iterable[Dataset],
        projects: Iterable[Project],
        optimizations: Iterable[Optimization],
        configuration: dict[str, Any] | None = None,
    ) -> Workspace:
        """A workspace of these records (the optimizations' ids all different)."""
        space = cls()
        space.configuration = configuration
        for dataset in datasets:
            space.add_dataset(dataset)
        for project in projects:
            space.add_project(project)
        space.put_all(optimizations)
        return space

    @property
    def optimizations(self) -> Mapping[UUID, Optimization]:
        """The optimizations by id (read-only: change them with `put` and `remove`)."""
        return MappingProxyType(self._optimizations)

    def put(self, optimization: Optimization) -> None:
        """Insert an optimization, or replace the one with its id."""
        replaced = self._optimizations.get(optimization.id)
        if replaced is None or replaced.name != optimization.name:
            self._names = None
        self.remove(optimization.id, renamed=False)
        self._reads.clear()
        self._optimizations[optimization.id] = optimization
        self._newest_first.add(optimization)
        self._index(optimization)

    def put_all(self, optimizations: Iterable[Optimization]) -> None:
        """Insert many optimizations at once (ids not yet in the workspace): one sort, not one per record."""
        added = list(optimizations)
        self._reads.clear()
        self._optimizations.update((optimization.id, optimization) for optimization in added)
        self._newest_first.update(added)
        self._by_status = self._by_project = self._names = None  # built again when next asked for
        for optimization in added:
            self._index_live(optimization)

    def remove(self, optimization_id: UUID, renamed: bool = True) -> None:
        """Remove an optimization (`renamed`: whether its name leaves the name index)."""
        removed = self._optimizations.pop(optimization_id, None)
        if removed is None:
            return
        self._reads.clear()
        self._newest_first.remove(removed)
        self._live.pop(optimization_id, None)
        self._views.pop(id(removed), None)
        if self._by_status is not None:
            self._by_status[removed.status].remove(removed)
        if self._by_project is not None:
            self._by_project[removed.project_id].remove(removed)
        if renamed:
            self._names = None

    def _index(self, optimization: Optimization) -> None:
        self._index_live(optimization)
        if self._by_status is not None:
            self._by_status.setdefault(optimization.status, _newest_first_list()).add(optimization)
        if self._by_project is not None:
            self._by_project.setdefault(optimization.project_id, _newest_first_list()).add(optimization)

    def _index_live(self, optimization: Optimization) -> None:
        if optimization.schedule is not None:
            due = self._live[optimization.id] = optimization.schedule.next_at
            self._next_due = due if self._next_due is None else min(self._next_due, due)

    @property
    def has_live_runs(self) -> bool:
        return bool(self._live)

    def due(self, now: datetime) -> list[Optimization]:
        """The live runs with a change scheduled by `now` (none, at the cost of one comparison, when the
        earliest change is later)."""
        if self._next_due is None or now < self._next_due:
            return []
        found = [self._optimizations[run_id] for run_id, at in self._live.items() if at <= now]
        if not found:  # the earliest change was replaced or removed: find the next one
            self._next_due = min(self._live.values(), default=None)
        return found

    def newest_first(self) -> Sequence[Optimization]:
        """Every optimization, newest first (a sorted sequence: sliced, not scanned)."""
        ordered: Sequence[Optimization] = self._newest_first
        return ordered

    def with_status(self, status: OptimizationStatus) -> Sequence[Optimization]:
        """The optimizations in `status`, newest first (a sorted sequence: sliced, not scanned)."""
        if self._by_status is None:
            self._by_status = _grouped(self._newest_first, lambda optimization: optimization.status)
        found: Sequence[Optimization] = self._by_status.get(status, ())
        return found

    def in_project(self, project_id: UUID | None) -> Sequence[Optimization]:
        """The optimizations of a project (None: of none), newest first (sliced, not scanned)."""
        if self._by_project is None:
            self._by_project = _grouped(self._newest_first, lambda optimization: optimization.project_id)
        found: Sequence[Optimization] = self._by_project.get(project_id, ())
        return found

    def named(self, fragment: str) -> list[Optimization] | None:
        """The optimizations whose lowercased name holds `fragment` (lowercase, no NUL), newest first,
        found in one text of every name, not by testing each record; `fragment` is plain text, or a
        LIKE pattern without backslashes (`%` any text, `_` any character). None when a name holds a
        NUL (then the index cannot tell where a name ends)."""
        if self._names is None:
            self._names = _NameIndex(self._newest_first)
        found = self._names.holding(fragment)
        return None if found is None else [self._optimizations[each] for each in found]

    def view(self, optimization: Optimization) -> OptimizationView:
        """The optimization as the API returns it, built once per stored record (and dataset name)."""
        dataset = self.datasets.get(optimization.dataset_id)
        dataset_name = dataset.name if dataset is not None and not dataset.deleted else None
        kept = self._views.get(id(optimization))
        if kept is not None and kept[0] is optimization and kept[1] == dataset_name:
            return kept[2]
        view = _view(optimization, dataset_name)
        if len(self._views) >= VIEWS_KEPT:
            del self._views[next(iter(self._views))]  # the first kept goes
        self._views[id(optimization)] = (optimization, dataset_name, view)
        return view

    def kept(self, key: Hashable, read: Callable[[], R]) -> R:
        """What `read()` gives, kept under `key` until a record of the workspace is added, replaced or
        removed (`read` must depend on the workspace's records and `key` only)."""
        if key in self._reads:
            found: R = self._reads[key]
            return found
        value = read()
        if len(self._reads) >= READS_KEPT:
            self._reads.clear()
        self._reads[key] = value
        return value

    def add_dataset(self, dataset: Dataset) -> None:
        self._reads.clear()
        self.datasets[dataset.id] = dataset
        if not dataset.deleted:
            self._live_datasets[dataset.name] = dataset

    def add_project(self, project: Project) -> None:
        self._reads.clear()
        self.projects[project.id] = project
        self._projects_by_name.setdefault(project.name, project)

    def live_dataset_named(self, name: str) -> Dataset | None:
        dataset = self._live_datasets.get(name)
        return dataset if dataset is not None and not dataset.deleted else None

    def project_named(self, name: str) -> Project | None:
        return self._projects_by_name.get(name)


class _NameIndex:
    """Every optimization's lowercased name in one text, newest first, so that a search is a few
    `str.find` calls in place of one test per record."""

    def __init__(self, optimizations: Iterable[Optimization]) -> None:
        self._ids: list[UUID] = []
        self._starts: list[int] = []
        names: list[str] = []
        at = 0
        for optimization in optimizations:
            name = optimization.name.lower()
            self._ids.append(optimization.id)
            self._starts.append(at)
            names.append(name)
            at += len(name) + len(_SEPARATOR)
        self._text = _SEPARATOR.join(names)
        self._broken = _SEPARATOR in "".join(names)

    def holding(self, fragment: str) -> list[UUID] | None:
        """The ids, in order, of the names that hold `fragment` (None: the index cannot tell)."""
        if self._broken:
            return None
        starts, ids = self._starts, self._ids
        if is_literal(fragment):
            find = functools.partial(self._text.find, fragment)
        else:
            search = re.compile(like_expression(fragment, "[^\x00]")).search
            find = functools.partial(_found_at, search, self._text)
        found: list[UUID] = []
        at = find(0)
        while at >= 0:
            index = bisect_right(starts, at) - 1
            found.append(ids[index])
            if index + 1 == len(starts):
                break
            at = find(starts[index + 1])
        return found


def _found_at(search: Callable[[str, int], re.Match[str] | None], text: str, start: int) -> int:
    match = search(text, start)
    return -1 if match is None else match.start()


def _newest_first_list() -> Any:
    return SortedKeyList(key=_newest_first)


def _newest_first(optimization: Optimization) -> int:
    return -optimization.id.int


def _grouped(ordered: Iterable[Optimization], key: Any) -> dict[Any, Any]:
    """The optimizations split by `key`, each group a newest-first sorted list."""
    groups: dict[Any, list[Optimization]] = {}
    for optimization in ordered:
        groups.setdefault(key(optimization), []).append(optimization)
    indexed: dict[Any, Any] = {}
    for value, members in groups.items():
        indexed[value] = sorted_list = _newest_first_list()
        sorted_list.update(members)
    return indexed


def _view(optimization: Optimization, dataset_name: str | None) -> OptimizationView:
    """The view shares the record's values: neither the store nor a reader edits them."""
    return OptimizationView(
        id=optimization.id,
        name=optimization.name,
        dataset_name=dataset_name,
        project_id=optimization.project_id,
        objective_name=optimization.objective_name,
        status=optimization.status,
        metadata=optimization.metadata,
        studio_config=optimization.studio_config,
        error_info=optimization.error_info,
        dataset_id=optimization.dataset_id,
        created_at=optimization.created_at,
        created_by=optimization.created_by,
        last_updated_at=optimization.last_updated_at,
        last_updated_by=optimization.last_updated_by,
        summary=aggregates.summarize(optimization.trials, optimization.objective_name),
    )
