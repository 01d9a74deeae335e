"""Fixture files (JSON, format 1): read with every problem listed, never half-loaded; written byte-stable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from marshmallow import ValidationError

from mockopik.data.fixture_schemas import (
    FORMAT,
    DatasetSchema,
    FixtureDocumentSchema,
    OptimizationSchema,
    ProjectSchema,
)
from mockopik.domain import json_text
from mockopik.domain.collector import collector_paused
from mockopik.domain.errors import ErrorListError
from mockopik.domain.ids import is_v7
from mockopik.domain.models import Dataset, Optimization, Project, Schedule, StatusChange, Trial
from mockopik.domain.store import Store
from mockopik.domain.workspace import Workspace
from mockopik.wire.messages import SCHEMA, Segment, walk

_PLAIN_NAME = re.compile(r"^[A-Za-z_][\w-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a fixture file: where (`workspaces.default.optimizations[4].status`) and what."""

    path: tuple[Segment, ...]
    message: str

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}" if self.path else self.message


class FixtureError(ErrorListError):
    """A fixture file that cannot be loaded; answered as 400 `{"errors": [...]}` by the admin API."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.problems = sorted(
            problems, key=lambda p: [(0, s) if isinstance(s, int) else (1, s) for s in p.path]
        )
        super().__init__([str(problem) for problem in self.problems], status=400)
        self.source = source

    def __str__(self) -> str:
        count = len(self.problems)
        listing = "".join(f"\n  {error}" for error in self.errors)
        return f"{self.source}: {count} problem{'s' if count != 1 else ''}, nothing loaded:{listing}"


@dataclass(frozen=True)
class Generate:
    """A document that asks for generated data (a recipe) instead of listing records."""

    recipe: str
    seed: int | None = None
    count: int | None = None


def format_path(path: Sequence[Segment]) -> str:
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        elif _PLAIN_NAME.match(segment):
            text += f".{segment}" if text else segment
        else:
            text += f"[{json.dumps(segment, ensure_ascii=False)}]"
    return text


# -- reading ---------------------------------------------------------------------------------------


def read_file(path: str | Path, user: str) -> dict[str, Workspace] | Generate:
    """The records (or the recipe) of the fixture file at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise FixtureError(str(path), [Problem((), f"Cannot read the file: {reason}.")]) from None
    return load(parse(text, str(path)), str(path), user)


def parse(text: str, source: str) -> Any:
    """The JSON value of `text`; NaN and Infinity are not JSON."""
    try:
        return json_text.loads(text, allow_nan=False)
    except json.JSONDecodeError as error:
        problem = f"Not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        raise FixtureError(source, [Problem((), problem)]) from None
    except ValueError as error:
        raise FixtureError(source, [Problem((), f"Not valid JSON: {error}.")]) from None


def load(document: Any, source: str, user: str) -> dict[str, Workspace] | Generate:
    """Validate a parsed document whole; any problem raises FixtureError listing them all."""
    if not isinstance(document, dict):
        example = f'{{"format": {FORMAT}, "workspaces": {{}}}}'
        raise FixtureError(source, [Problem((), f"A fixture file holds one JSON object, such as {example}.")])
    try:
        valid, shapes = FixtureDocumentSchema().load(document), []
    except ValidationError as error:
        valid, shapes = None, problems(error.messages)
    wrong = [*shapes, *_references(document)]  # every problem at once: shapes and references
    if valid is None or wrong:
        raise FixtureError(source, wrong)
    if "generate" in valid:
        return Generate(**valid["generate"])
    return {name: _workspace(space, user) for name, space in valid["workspaces"].items()}


def problems(messages: Any) -> list[Problem]:
    """marshmallow's error messages as problems, ordered by where they are. A message under a Dict
    entry's `key` is about the key itself; `_schema` and a Dict entry's `value` add nothing to where."""
    found = []
    for path, message in walk(messages):
        where = tuple(segment for segment in path if segment not in (SCHEMA, "key", "value"))
        about_key = "key" in path[len(path) - 1 :]
        found.append(Problem(where, f"Key: {_sentence(message)}" if about_key else _sentence(message)))
    return sorted(found, key=_position)


def _position(problem: Problem) -> list[tuple[int, int | str]]:
    return [(0, s) if isinstance(s, int) else (1, s) for s in problem.path]


def _sentence(message: object) -> str:
    """Opik's own messages ("must not be blank") written like marshmallow's ("Must not be blank.")."""
    text = str(message)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _references(document: dict[str, Any]) -> Iterator[Problem]:
    """What a schema cannot see, in the records that can be read: unique ids and names, references
    between records, v7 ids. Values the schema refuses are left to its own problems."""
    spaces = document.get("workspaces")
    for name, space in spaces.items() if isinstance(spaces, dict) else ():
        if isinstance(space, dict):
            yield from _check(name, {kind: _readable(space.get(kind)) for kind in _RECORD_KINDS})


_RECORD_KINDS = ("datasets", "projects", "optimizations")
_ID_KEYS = ("id", "dataset_id", "project_id")


def _readable(records: Any) -> list[dict[str, Any]]:
    """Raw records with their ids read as UUIDs (None when unreadable); positions kept."""
    if not isinstance(records, list):
        return []
    readable = []
    for record in records:
        record = dict(record) if isinstance(record, dict) else {}
        for key in _ID_KEYS:
            if key in record:
                record[key] = _uuid(record[key])
        if "trials" in record:
            record["trials"] = _readable(record["trials"])
        schedule = record.get("schedule")
        record["schedule"] = {
            "trials": _readable(schedule.get("trials") if isinstance(schedule, dict) else [])
        }
        readable.append(record)
    return readable


def _uuid(value: Any) -> UUID | None:
    """A UUID as the schema reads one (marshmallow's fields.UUID), else None."""
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _check(name: str, space: dict[str, Any]) -> Iterator[Problem]:
    """Unique ids and names, references between records, v7 ids (None: unreadable, not checked)."""
    where = ("workspaces", name)
    datasets = _index(space.get("datasets", []))
    projects = _index(space.get("projects", []))
    yield from _duplicates(where, "datasets", space.get("datasets", []), "id")
    yield from _duplicates(where, "projects", space.get("projects", []), "id")
    yield from _duplicates(where, "projects", space.get("projects", []), "name")
    live = [d for d in space.get("datasets", []) if d.get("deleted") is not True]
    yield from _duplicates(where, "datasets", live, "name", among="datasets not deleted")
    optimizations = space.get("optimizations", [])
    yield from _duplicates(where, "optimizations", optimizations, "id")
    trial_ids: dict[UUID, str] = {}
    for index, optimization in enumerate(optimizations):
        at = (*where, "optimizations", index)
        if optimization.get("id") is not None and not is_v7(optimization["id"]):
            yield Problem(
                (*at, "id"), "Not a version 7 UUID (Opik's optimization ids are time-ordered v7 UUIDs)."
            )
        if optimization.get("dataset_id") is not None and optimization["dataset_id"] not in datasets:
            yield Problem(
                (*at, "dataset_id"), f"No dataset with id {optimization['dataset_id']} in this workspace."
            )
        if optimization.get("project_id") is not None and optimization["project_id"] not in projects:
            yield Problem(
                (*at, "project_id"), f"No project with id {optimization['project_id']} in this workspace."
            )
        scheduled = optimization.get("schedule", {}).get("trials", [])
        for where_trial, trial in [
            *(
                ((*at, "trials", number), trial)
                for number, trial in enumerate(optimization.get("trials", []))
            ),
            *(((*at, "schedule", "trials", number), trial) for number, trial in enumerate(scheduled)),
        ]:
            if trial.get("id") is None:
                continue
            here = format_path(where_trial)
            earlier = trial_ids.setdefault(trial["id"], here)
            if earlier != here:
                yield Problem((*where_trial, "id"), f"Duplicate id {trial['id']} (also at {earlier}).")


def _index(records: list[dict[str, Any]]) -> set[UUID]:
    return {record["id"] for record in records if record.get("id") is not None}


def _duplicates(
    where: tuple[Segment, ...], kind: str, records: list[dict[str, Any]], key: str, among: str | None = None
) -> Iterator[Problem]:
    seen: dict[Any, int] = {}
    positions = {id(record): index for index, record in enumerate(records)}
    for record in records:
        if not isinstance(record.get(key), (str, UUID)):
            continue  # missing or unreadable: the schema says so
        first = seen.setdefault(record[key], positions[id(record)])
        if first != positions[id(record)]:
            also = format_path((*where, kind, first))
            yield Problem(
                (*where, kind, positions[id(record)], key),
                f"Duplicate {key} {record[key]} among {among or kind} (also at {also}).",
            )


def _workspace(space: dict[str, Any], user: str) -> Workspace:
    """The records of a validated workspace; the file's keys are the models' field names."""
    workspace = Workspace()
    workspace.configuration = space.get("configuration")
    for dataset in space.get("datasets", []):
        workspace.add_dataset(Dataset(**dataset))
    for project in space.get("projects", []):
        workspace.add_project(Project(**_with_audit(project, user)))
    for record in space.get("optimizations", []):
        trials = [_trial(trial) for trial in record.get("trials", [])]
        schedule = _schedule(record.get("schedule", {}))
        optimization = Optimization(**{**_with_audit(record, user), "trials": trials, "schedule": schedule})
        workspace.put(optimization)
    return workspace


def _trial(record: dict[str, Any]) -> Trial:
    return Trial(**{"candidate_id": record["id"], **record})


def _schedule(record: dict[str, Any]) -> Schedule | None:
    """A live run's schedule, in the order of its instants (None when it holds nothing)."""
    trials = sorted((_trial(trial) for trial in record.get("trials", [])), key=lambda trial: trial.created_at)
    statuses = sorted((StatusChange(**change) for change in record.get("statuses", [])), key=lambda c: c.at)
    return Schedule(tuple(trials), tuple(statuses)) if trials or statuses else None


def _with_audit(record: dict[str, Any], user: str) -> dict[str, Any]:
    """Who made a record and when it last changed, when the file leaves them out: the user, at creation."""
    created_by = record.get("created_by", user)
    return {
        "created_by": created_by,
        "last_updated_at": record["created_at"],
        "last_updated_by": created_by,
        **record,
    }


# -- writing ---------------------------------------------------------------------------------------


def dump(workspaces: Mapping[str, Workspace]) -> dict[str, Any]:
    """The fixture document of a data set: workspaces by name, optimizations newest first."""
    return {
        "format": FORMAT,
        "workspaces": {
            name: {
                **({"configuration": space.configuration} if space.configuration is not None else {}),
                "datasets": DatasetSchema(many=True).dump(space.datasets.values()),
                "projects": ProjectSchema(many=True).dump(space.projects.values()),
                "optimizations": OptimizationSchema(many=True).dump(space.newest_first()),
            }
            for name, space in sorted(workspaces.items())
            if space.datasets or space.projects or space.optimizations or space.configuration is not None
        },
    }


@collector_paused
def dump_store(store: Store) -> dict[str, Any]:
    """The fixture document of a store's whole state at the clock's now, taken under its lock."""
    with store.lock:
        store.settle()
        return dump({name: store.workspace(name) for name in store.workspace_names()})


def dumps(document: Mapping[str, Any]) -> str:
    """A fixture file's text: one record (or trial) per line inside an indented outline, UTF-8 kept;
    the same data gives the same bytes."""
    return "".join(_outline(document, 0)) + "\n"


_EXPANDED = frozenset(
    {
        *("", "workspaces", "workspace", "datasets", "projects", "optimizations", "optimizations[]"),
        *("trials", "schedule", "statuses"),
    }
)


def _outline(value: Any, depth: int, label: str = "") -> Iterator[str]:
    """The document, workspaces, record lists, optimizations and schedules are spread over lines; the
    other records (datasets, projects, trials, status changes) and values stay on one line each."""
    if label not in _EXPANDED or not value or not isinstance(value, (dict, list)):
        yield _compact(value)
        return
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict):
        yield "{"
        for index, (name, item) in enumerate(value.items()):
            yield f"{',' if index else ''}\n{inner}{_compact(name)}: "
            yield from _outline(item, depth + 1, "workspace" if label == "workspaces" else name)
        yield f"\n{outer}}}"
    else:
        yield "["
        for index, item in enumerate(value):
            yield f"{',' if index else ''}\n{inner}"
            yield from _outline(item, depth + 1, f"{label}[]")
        yield f"\n{outer}]"


_ONE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
_compact = _ONE_LINE.encode
