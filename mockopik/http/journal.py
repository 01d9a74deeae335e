"""The request journal: what each request sent, how it was answered and which faults it met.

It is bounded twice: in requests (`journal_size`) and in bytes (`journal_bytes`, the bodies, paths,
queries and headers it keeps). A body is kept as the bytes that came, up to BODY_LIMIT of them, and
read as JSON only when the journal is listed."""

from __future__ import annotations

import enum
import functools
import threading
import zlib
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict

from mockopik.clock import format_instant
from mockopik.domain import json_text
from mockopik.http.body import gunzip, is_gzip
from mockopik.http.secrets import MASK, is_secret, masked_json

BODY_LIMIT = 64 * 1024
KEPT_HEADERS = frozenset(
    {"content-type", "content-encoding", "content-length", "comet-workspace", "user-agent", "origin"}
)
KEPT_HEADER_PREFIXES = ("x-fern-", "x-opik-", "x-mockopik-")


class Body(NamedTuple):
    """The head of a request or response body as it came (gzip included): at most BODY_LIMIT bytes."""

    raw: bytes = b""
    complete: bool = True  # the whole body is in `raw`
    content_encoding: str | None = None

    def to_json(self) -> Any:
        """The body as its JSON value when it is JSON (secrets masked), else as text; None when empty."""
        return describe_body(self.raw, self.complete, self.content_encoding)


EMPTY_BODY = Body()


@dataclass(slots=True)
class JournalEntry:
    """One received request; the answer part is filled in when the request ends."""

    id: int
    received_at: datetime
    method: str
    path: str
    query_string: str  # as the request sent it (WSGI's QUERY_STRING): read when the entry is listed
    operation: str | None
    workspace: str
    headers: dict[str, str]
    body: Body = EMPTY_BODY
    response: Body = EMPTY_BODY  # the answer's body, once answered
    status: int | None = None
    faults: tuple[str, ...] = ()
    delay: float = 0.0
    duration: float | None = None
    evicted: bool = False
    request_size: int = field(init=False)  # what the request part keeps, counted once

    def __post_init__(self) -> None:
        texts = sum(len(key) + len(value) for key, value in self.headers.items())
        self.request_size = len(self.path) + len(self.query_string) + texts

    @property
    def state(self) -> str:
        """`in flight` until the request ends, then `answered`, or `dropped` (a connection fault)."""
        if self.duration is None:
            return "in flight"
        return "dropped" if self.status is None else "answered"

    @property
    def size(self) -> int:
        """What the entry keeps, in bytes (roughly: the texts and the body it holds)."""
        return self.request_size + len(self.body.raw) + len(self.response.raw)

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON; its body is read here (see `Body.to_json`)."""
        described = self.describe()
        described["body"], described["response"] = self.body.to_json(), self.response.to_json()
        return described

    def describe(self) -> dict[str, Any]:
        """The entry as JSON, its body left as None (cheap: it is taken under the journal's lock)."""
        return {
            "id": self.id,
            "received_at": format_instant(self.received_at),
            "method": self.method,
            "path": self.path,
            "query": flat_query(self.query_string),
            "operation": self.operation,
            "workspace": self.workspace,
            "headers": self.headers,
            "body": None,
            "state": self.state,
            "status": self.status,
            "faults": list(self.faults),
            "delay_ms": round(self.delay * 1000, 3),
            "duration_ms": None if self.duration is None else round(self.duration * 1000, 3),
            "response": None,
        }


class Journal:
    """The last `size` requests, oldest first, as long as they keep at most `max_bytes`; safe to use
    from many threads. With `size` 0 it keeps nothing (and the hooks do not call it)."""

    def __init__(self, size: int, max_bytes: int) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._entries: deque[JournalEntry] = deque()
        self._bytes = 0
        self._lock = threading.Lock()
        self._next_id = 1

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(
        self,
        received_at: datetime,
        method: str,
        path: str,
        query_string: str,
        operation: str | None,
        workspace: str,
        headers: dict[str, str],
    ) -> JournalEntry:
        """A new entry for a request that has just arrived (`query_string` as WSGI gives it)."""
        entry = JournalEntry(0, received_at, method, path, query_string, operation, workspace, headers)
        with self._lock:
            entry.id = self._next_id
            self._next_id += 1
            if self.enabled:
                self._entries.append(entry)
                self._bytes += entry.request_size
                if len(self._entries) > self.size or self._bytes > self.max_bytes:
                    self._evict()
            return entry

    def finish(
        self,
        entry: JournalEntry,
        status: int | None,
        faults: tuple[str, ...],
        delay: float,
        duration: float,
        body: Body,
        response: Body,
    ) -> None:
        """Fill in how a request was answered (status, faults, delay, duration, bodies)."""
        with self._lock:
            entry.status, entry.faults, entry.delay, entry.duration = status, faults, delay, duration
            entry.body, entry.response = body, response
            kept = len(body.raw) + len(response.raw)
            if kept and not entry.evicted and self.enabled:
                self._bytes += kept
                if self._bytes > self.max_bytes:
                    self._evict()

    def entries(
        self,
        operation: str | None = None,
        method: str | None = None,
        after: int = 0,
        limit: int | None = None,
        bodies: bool = True,
    ) -> list[dict[str, Any]]:
        """The entries as JSON, oldest first; `operation` is a glob, `method` a method name, `after`
        an entry id (only later entries), `limit` keeps the newest that many; without `bodies` the
        bodies are left None. The work is the entries returned, not the journal's size."""
        method = None if method is None else method.upper()
        chosen: list[JournalEntry] = []
        with self._lock:
            for entry in reversed(self._entries):  # newest first: stop at `after` or at `limit`
                if entry.id <= after or (limit is not None and len(chosen) >= limit):
                    break
                if (operation is None or fnmatchcase(entry.operation or "", operation)) and (
                    method is None or entry.method == method
                ):
                    chosen.append(entry)
            described = [(entry.describe(), entry.body, entry.response) for entry in reversed(chosen)]
        if bodies:  # bodies are read outside the lock: requests go on
            for answer, body, response in described:
                answer["body"], answer["response"] = body.to_json(), response.to_json()
        return [answer for answer, _, _ in described]

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry as JSON with its bodies; None when it is not kept (evicted, cleared, or to come)."""
        with self._lock:
            found = next((entry for entry in reversed(self._entries) if entry.id == entry_id), None)
            if found is None:
                return None
            answer, body, response = found.describe(), found.body, found.response
        answer["body"], answer["response"] = body.to_json(), response.to_json()
        return answer

    def latest(self) -> int:
        """The id of the newest entry (0: none since the last clear)."""
        with self._lock:
            return self._next_id - 1

    def clear(self) -> None:
        with self._lock:
            for entry in self._entries:
                entry.evicted = True
            self._entries.clear()
            self._bytes = 0
            self._next_id = 1

    def _evict(self) -> None:
        """Drop the oldest entries while there are too many or they keep too much (the newest stays)."""
        while len(self._entries) > self.size or (self._bytes > self.max_bytes and len(self._entries) > 1):
            oldest = self._entries.popleft()
            oldest.evicted = True
            self._bytes -= oldest.size


def kept_headers(environ: Mapping[str, Any]) -> dict[str, str]:
    """The request headers worth journaling, read from a WSGI environ in the order Werkzeug lists them;
    those that hold a secret are kept, masked whole."""
    kept: dict[str, str] = {}
    for key, name, masked in _journaled_keys(tuple(environ)):
        value = environ[key]
        if value or key.startswith("HTTP_"):  # an empty Content-Type or -Length is no header
            kept[name] = MASK if masked else value
    return kept


@functools.lru_cache(maxsize=256)
def _journaled_keys(environ_keys: tuple[str, ...]) -> tuple[tuple[str, str, bool], ...]:
    """The environ keys of the headers the journal keeps, with each header's name and whether it is
    masked: worked out once per set of keys (a client sends the same headers on each request)."""
    journaled = []
    for key in environ_keys:
        name, kind = _header_kind(key)
        if kind is not _Kind.SKIP:
            journaled.append((key, name, kind is _Kind.MASK))
    return tuple(journaled)


class _Kind(enum.Enum):
    KEEP = "keep"
    MASK = "mask"
    SKIP = "skip"


def _header_kind(environ_key: str) -> tuple[str, _Kind]:
    """The header name of a WSGI environ key (as Werkzeug spells it) and what the journal does with it."""
    if environ_key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        name = environ_key.replace("_", "-").title()
    elif environ_key.startswith("HTTP_") and environ_key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
        name = environ_key[5:].replace("_", "-").title()
    else:
        return "", _Kind.SKIP
    lowered = name.lower()
    if is_secret(lowered):
        return name, _Kind.MASK
    if lowered in KEPT_HEADERS or lowered.startswith(KEPT_HEADER_PREFIXES):
        return name, _Kind.KEEP
    return name, _Kind.SKIP


def flat_query(query_string: str) -> dict[str, Any]:
    """The parameters of a WSGI query string, read as Werkzeug reads `request.args`: one value as
    text, repeated ones as a list; secret ones masked."""
    args = MultiDict(
        parse_qsl(
            query_string.encode("latin-1", "replace").decode(errors="replace"),
            keep_blank_values=True,
            errors="werkzeug.url_quote",
        )
    )
    return {
        name: MASK if is_secret(name) else values[0] if len(values) == 1 else values
        for name, values in args.lists()
    }


def describe_body(raw: bytes, complete: bool, content_encoding: str | None) -> Any:
    """The body as its JSON value when it is JSON (secret keys masked), else as text; None when empty."""
    if not raw:
        return None
    if is_gzip(content_encoding):
        raw, complete = _gunzip_head(raw, complete)
    if complete:
        try:
            return masked_json(json_text.loads(raw))
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
