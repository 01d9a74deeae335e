"""What one write changes in a workspace, built whole before anything is applied, and who keeps it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from mockopik.domain.models import Dataset, Optimization, Project


class Records(Protocol):
    """Where a change is applied (a workspace of the store)."""

    def add_dataset(self, dataset: Dataset) -> None: ...

    def add_project(self, project: Project) -> None: ...

    def put(self, optimization: Optimization) -> None: ...

    def remove(self, optimization_id: UUID) -> None: ...


@dataclass
class Change:
    """The records one write adds or replaces, and the optimizations it removes, in one workspace.

    A write builds its change first (new records, or edited copies of stored ones): when something
    fails on the way, nothing has been touched."""

    datasets: list[Dataset] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    optimizations: list[Optimization] = field(default_factory=list)
    removed: list[UUID] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.datasets or self.projects or self.optimizations or self.removed)

    def apply_to(self, records: Records) -> None:
        """Put the change in place; nothing here can fail half-way."""
        for dataset in self.datasets:
            records.add_dataset(dataset)
        for project in self.projects:
            records.add_project(project)
        for optimization in self.optimizations:
            records.put(optimization)
        for optimization_id in self.removed:
            records.remove(optimization_id)


class Saver(Protocol):
    """Keeps what the store holds somewhere that outlives the process (the state file). The store
    calls it under its lock, before applying a change: when it raises, the change is not applied."""

    def save(self, workspace: str, change: Change) -> None:
        """Keep one write's change."""

    def save_all(self, workspaces: Mapping[str, Any]) -> None:
        """Keep a whole new data set (workspaces by name), in place of everything kept before."""
