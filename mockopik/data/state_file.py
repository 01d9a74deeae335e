"""The state file (`--state`): the data in SQLite, each write committed before it is answered.

One row per record (a dataset, a project, an optimization with its trials), in the fixture file's
record format; a write replaces or deletes its rows in one transaction, a reset or a load rewrites
them all in one. SQLite's write-ahead log keeps the file whole when the process dies mid-write, and
an exclusive lock keeps a second mockopik off the file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mockopik.config import SettingsError
from mockopik.data import fixture_files
from mockopik.data.fixture_schemas import FORMAT, DatasetSchema, OptimizationSchema, ProjectSchema
from mockopik.domain import json_text
from mockopik.domain.changes import Change
from mockopik.domain.workspace import Workspace

_KINDS = {"datasets": DatasetSchema(), "projects": ProjectSchema(), "optimizations": OptimizationSchema()}
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
# Each commit reaches the disk (fsync of the write-ahead log) before the answer goes out: neither a
# killed process nor a power cut loses what was answered. It costs about 1.5 ms a write, which the
# other threads spend parsing and answering (create throughput stays at 0.65-0.7x of memory only).
SYNCHRONOUS = "FULL"
Row = tuple[str, str, str, str]
# A replaced record keeps its place (its rowid): datasets and projects list in the order they came.
_UPSERT = (
    "INSERT INTO records VALUES (?, ?, ?, ?) "
    "ON CONFLICT (workspace, kind, id) DO UPDATE SET body = excluded.body"
)


class StateFile:
    """The data of one mockopik in the SQLite file at `path`, created when missing."""

    def __init__(self, path: str, user: str) -> None:
        self.path = path
        self.user = user
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=0.5)
            self._db.execute("PRAGMA locking_mode = EXCLUSIVE")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            with self._transaction():  # takes the exclusive lock, for as long as the file is open
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS records (workspace TEXT NOT NULL, kind TEXT NOT NULL, "
                    "id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (workspace, kind, id))"
                )
            saved_format = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.Error as error:
            raise SettingsError("state", f"cannot use {path} as a state file: {_reason(error)}") from None
        if saved_format is not None and saved_format[0] != str(FORMAT):
            raise SettingsError("state", f"{path} holds state format {saved_format[0]}, not {FORMAT}")

    def load(self) -> dict[str, Workspace] | None:
        """The data the file holds (checked as a fixture file is), or None when it holds none yet."""
        if self._db.execute("SELECT 1 FROM meta WHERE key = 'format'").fetchone() is None:
            return None
        workspaces: dict[str, dict[str, list[Any]]] = {}
        rows = self._db.execute("SELECT workspace, kind, body FROM records ORDER BY rowid")
        for workspace, kind, body in rows:  # in the order the records came, as the store keeps them
            records = workspaces.setdefault(workspace, {name: [] for name in _KINDS})
            records[kind].append(json_text.loads(body))
        document = {"format": FORMAT, "workspaces": workspaces}
        loaded = fixture_files.load(document, self.path, self.user)
        assert isinstance(loaded, dict)  # a state is records, never a recipe
        return loaded

    def save(self, workspace: str, change: Change) -> None:
        """Keep one write's change (the store's Saver)."""
        rows = list(_rows(workspace, "datasets", change.datasets))
        rows += _rows(workspace, "projects", change.projects)
        rows += _rows(workspace, "optimizations", change.optimizations)
        gone = [(workspace, "optimizations", str(optimization_id)) for optimization_id in change.removed]
        with self._transaction():
            self._db.executemany(_UPSERT, rows)
            self._db.executemany("DELETE FROM records WHERE workspace = ? AND kind = ? AND id = ?", gone)

    def save_all(self, workspaces: Mapping[str, Workspace]) -> None:
        """Keep a whole new data set in place of the old one (the store's Saver)."""
        rows = [row for name, space in workspaces.items() for row in _workspace_rows(name, space)]
        with self._transaction():
            self._db.execute("DELETE FROM records")
            self._db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", rows)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (str(FORMAT),))

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back when something fails on the way."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _workspace_rows(name: str, space: Workspace) -> Iterator[Row]:
    yield from _rows(name, "datasets", space.datasets.values())
    yield from _rows(name, "projects", space.projects.values())
    yield from _rows(name, "optimizations", space.optimizations.values())


def _rows(workspace: str, kind: str, records: Iterable[Any]) -> Iterator[Row]:
    schema = _KINDS[kind]
    for record in records:
        yield workspace, kind, str(record.id), _ENCODER.encode(schema.dump(record))


def _reason(error: sqlite3.Error) -> str:
    text = str(error)
    return "another mockopik has it open" if "locked" in text else text
