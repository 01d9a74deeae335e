"""The request journal: what each request sent, how it was answered and which faults it met."""

from __future__ import annotations

import threading
import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

from mockopik.clock import format_instant
from mockopik.domain import json_text
from mockopik.http.body import gunzip, is_gzip

BODY_LIMIT = 64 * 1024
SECRET_HEADERS = frozenset({"authorization", "opikapikey"})
KEPT_HEADERS = frozenset(
    {"content-type", "content-encoding", "content-length", "comet-workspace", "user-agent", "origin"}
    | SECRET_HEADERS
)
KEPT_HEADER_PREFIXES = ("x-fern-", "x-opik-", "x-mockopik-")


@dataclass
class JournalEntry:
    """One received request; the answer part is filled in when the request ends."""

    id: int
    received_at: datetime
    method: str
    path: str
    query: dict[str, Any]
    operation: str | None
    workspace: str
    headers: dict[str, str]
    body: Any = None
    status: int | None = None
    faults: tuple[str, ...] = ()
    delay: float = 0.0
    duration: float | None = None

    @property
    def state(self) -> str:
        """`in flight` until the request ends, then `answered`, or `dropped` (a connection fault)."""
        if self.duration is None:
            return "in flight"
        return "dropped" if self.status is None else "answered"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "received_at": format_instant(self.received_at),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "operation": self.operation,
            "workspace": self.workspace,
            "headers": self.headers,
            "body": self.body,
            "state": self.state,
            "status": self.status,
            "faults": list(self.faults),
            "delay_ms": round(self.delay * 1000, 3),
            "duration_ms": None if self.duration is None else round(self.duration * 1000, 3),
        }


class Journal:
    """The last `size` requests, oldest first; safe to use from many threads."""

    def __init__(self, size: int) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._next_id = 1

    def record(self, **request: Any) -> JournalEntry:
        """A new entry for a request that has just arrived."""
        with self._lock:
            entry = JournalEntry(id=self._next_id, **request)
            self._next_id += 1
            if self._entries.maxlen:
                self._entries.append(entry)
            return entry

    def finish(self, entry: JournalEntry, **answer: Any) -> None:
        """Fill in how a request was answered (status, faults, delay, duration, body)."""
        with self._lock:
            for name, value in answer.items():
                setattr(entry, name, value)

    def entries(self, operation: str | None = None, method: str | None = None) -> list[dict[str, Any]]:
        """The entries as JSON, oldest first; `operation` is a glob, `method` a method name."""
        with self._lock:
            return [
                entry.to_json()
                for entry in self._entries
                if (operation is None or fnmatchcase(entry.operation or "", operation))
                and (method is None or entry.method == method.upper())
            ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._next_id = 1


def kept_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The request headers worth journaling; API keys are masked."""
    kept: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in KEPT_HEADERS or lowered.startswith(KEPT_HEADER_PREFIXES):
            kept[name] = _mask(value) if lowered in SECRET_HEADERS else value
    return kept


def _mask(secret: str) -> str:
    return secret[:4] + "***" if len(secret) > 8 else "***"


def flat_query(args: Mapping[str, list[str]]) -> dict[str, Any]:
    """Query parameters: one value as text, repeated ones as a list."""
    return {name: values[0] if len(values) == 1 else values for name, values in args.items()}


def describe_body(raw: bytes, complete: bool, content_encoding: str | None) -> Any:
    """The body as its JSON value when it is JSON, else as text; None when empty."""
    if not raw:
        return None
    if is_gzip(content_encoding):
        raw, complete = _gunzip_head(raw, complete)
    if complete:
        try:
            return json_text.loads(raw)
        except ValueError:
            pass
    text = raw.decode("utf-8", errors="replace")
    return text if complete else text + f" [... cut at {BODY_LIMIT} bytes]"


def _gunzip_head(raw: bytes, complete: bool) -> tuple[bytes, bool]:
    try:
        head = gunzip(raw, BODY_LIMIT)
    except zlib.error:
        return raw, complete
    return head.data, complete and head.whole
