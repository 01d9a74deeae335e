"""findOptimizations: its query, and the page it finds in a workspace (a slice of an index when it can)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import islice
from uuid import UUID

from mockopik.domain.filters import Filter, like
from mockopik.domain.models import Optimization, OptimizationStatus, Page
from mockopik.domain.workspace import Workspace

Check = Callable[[Optimization], bool]


@dataclass(frozen=True)
class FindQuery:
    """The parameters of findOptimizations, parsed."""

    page: int = 1
    size: int = 10
    name: str | None = None
    dataset_id: UUID | None = None
    dataset_name: str | None = None
    dataset_deleted: bool | None = None
    project_id: UUID | None = None
    filters: Sequence[Filter] = ()


def find(space: Workspace, query: FindQuery, hidden: AbstractSet[UUID]) -> Page:
    """The page of `query`, newest first. The search starts from the fewest records an index gives for
    one of its criteria (every record, the project's, those in a status, those whose name matches),
    and tests the others on those; when no criterion is left to test, the page is a slice."""
    start = (query.page - 1) * query.size
    base, checks = _plan(space, query, hidden)
    if not checks:
        chosen = list(base[start : start + query.size])
        return Page(query.page, len(base), [space.view(optimization) for optimization in chosen])
    predicate = checks[0] if len(checks) == 1 else (lambda o: all(check(o) for check in checks))
    matching = filter(predicate, base)
    skipped = sum(1 for _ in islice(matching, start))
    chosen = list(islice(matching, query.size))
    total = skipped + len(chosen) + sum(1 for _ in matching)
    return Page(query.page, total, [space.view(optimization) for optimization in chosen])


def _plan(
    space: Workspace, query: FindQuery, hidden: AbstractSet[UUID]
) -> tuple[Sequence[Optimization], list[Check]]:
    """Where the search starts, and the checks the records found there must pass."""
    indexed: list[tuple[Sequence[Optimization], Check]] = []  # records that pass a check, and the check
    checks: list[Check] = []
    if hidden:
        checks.append(lambda o: o.id not in hidden)
    if query.name:
        # OptimizationDAO: ilike(name, CONCAT('%', :name, '%')), the name not escaped
        named = like(f"%{query.name}%", ignore_case=True)
        fragment = query.name.lower()
        found = space.named(fragment) if "\\" not in fragment and "\x00" not in fragment else None
        if found is not None:
            indexed.append((found, lambda o: named(o.name)))
        else:
            checks.append(lambda o: named(o.name))
    if query.dataset_id is not None:
        dataset_id = query.dataset_id
        checks.append(lambda o: o.dataset_id == dataset_id)
    if query.dataset_name:
        part = query.dataset_name.lower()
        matching = {d.id for d in space.datasets.values() if not d.deleted and part in d.name.lower()}
        checks.append(lambda o: o.dataset_id in matching)
    if query.dataset_deleted is not None:
        wanted = query.dataset_deleted
        checks.append(lambda o: _dataset_deleted(space, o) == wanted)
    if query.project_id is not None:
        project_id = query.project_id
        indexed.append((space.in_project(project_id), lambda o: o.project_id == project_id))
    for each in query.filters:
        if each.field == "status" and each.operator == "=":
            indexed.append((_in_status(space, each.value or ""), each.predicate()))
        else:
            checks.append(each.predicate())
    if not indexed:
        return space.newest_first(), checks
    smallest = min(range(len(indexed)), key=lambda index: len(indexed[index][0]))
    checks.extend(check for index, (_, check) in enumerate(indexed) if index != smallest)
    return indexed[smallest][0], checks


def _in_status(space: Workspace, value: str) -> Sequence[Optimization]:
    """The records a `status = value` filter keeps (none when the value is no status)."""
    try:
        return space.with_status(OptimizationStatus(value))
    except ValueError:
        return ()


def _dataset_deleted(space: Workspace, optimization: Optimization) -> bool:
    dataset = space.datasets.get(optimization.dataset_id)
    return dataset is None or dataset.deleted
