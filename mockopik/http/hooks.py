"""Request hooks: each non-admin request is journaled, and meets the fault injector as its view begins
(after the API key check, as Opik's resources come after its authentication)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar, cast

import flask
from flask import Flask, Response, current_app, request

from mockopik.clock import Clock
from mockopik.domain.errors import BadRequestError
from mockopik.domain.ids import parse_uuid
from mockopik.domain.store import DEFAULT_WORKSPACE
from mockopik.faults.answers import injected_answer
from mockopik.faults.injector import NO_FAULT, Decision, FaultInjector, Timing
from mockopik.faults.rules import HEADER_RULE_ID, ConnectionFault, Request, RuleError, parse_fault_header
from mockopik.http.headers import FAULT_HEADER, WORKSPACE_HEADER
from mockopik.http.journal import (
    BODY_LIMIT,
    EMPTY_BODY,
    Body,
    Journal,
    JournalEntry,
    kept_headers,
)

ADMIN_PREFIXES = ("/_mockopik", "/api/_mockopik")
_STATE = "mockopik.hooks"
_CAPTURE = "mockopik.body_capture"
_SLEEPER = "mockopik.sleeper"
_PASSAGE = "mockopik.passage"  # the request's _Passage, in its WSGI environ
_WORKSPACE_KEY = "HTTP_" + WORKSPACE_HEADER.upper().replace("-", "_")
_FAULT_KEY = "HTTP_" + FAULT_HEADER.upper().replace("-", "_")
_CHUNK = 64 * 1024

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
View = TypeVar("View", bound=Callable[..., Response])
# How an injected delay is slept: given the timing's sleep and the seconds (see `sleep_with`).
Sleeper = Callable[[Callable[[float], None], float], None]


class Observed(Protocol):
    """What the hooks work with: the journal, the fault injector, and the clocks they read."""

    @property
    def journal(self) -> Journal: ...

    @property
    def faults(self) -> FaultInjector: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def timing(self) -> Timing: ...


def install(app: Flask, observed: Observed, operations: Mapping[str, str]) -> None:
    """Wire the hooks into `app`; `operations` gives the operationId of each endpoint serving one."""
    if observed.journal.enabled:
        app.wsgi_app = _BodyCapture(app.wsgi_app)  # type: ignore[method-assign]
    app.extensions[_STATE] = observed
    app.before_request(functools.partial(_before, observed, dict(operations)))
    app.after_request(_after)


def sleep_with(app: Flask, sleeper: Sleeper) -> None:
    """Sleep injected delays through `sleeper` (the server lends a thread meanwhile)."""
    app.extensions[_SLEEPER] = sleeper


def wake_sleepers(app: Flask) -> None:
    """End the injected delays in progress at once (the server is stopping)."""
    observed: Observed = app.extensions[_STATE]
    observed.timing.wake()


_ADMIN_SUBPATHS = tuple(prefix + "/" for prefix in ADMIN_PREFIXES)


def is_admin(path: str) -> bool:
    return path.startswith(_ADMIN_SUBPATHS) or path in ADMIN_PREFIXES


def requested_workspace() -> str:
    """The workspace the request names in Comet-Workspace (missing or blank: the default one)."""
    return _workspace_of(request.environ)


def _workspace_of(environ: Mapping[str, Any]) -> str:
    named: str = environ.get(_WORKSPACE_KEY, "")
    return named.strip() or DEFAULT_WORKSPACE


class _Passage:
    """One request on its way through the hooks (`entry`: its journal entry, if the journal is on)."""

    __slots__ = ("decision", "entry", "observed", "operation", "started", "workspace")

    def __init__(
        self, observed: Observed, entry: JournalEntry | None, started: float, operation: str, workspace: str
    ) -> None:
        self.observed = observed
        self.entry = entry
        self.started = started
        self.operation = operation
        self.workspace = workspace
        self.decision = NO_FAULT


def _before(observed: Observed, operations: Mapping[str, str]) -> None:
    current: flask.Request = cast(Any, request)._get_current_object()  # one lookup instead of one per use
    method, path = current.method, current.path
    if method == "OPTIONS" or is_admin(path):
        return
    environ = current.environ
    operation = operations.get(current.endpoint or "", "")
    workspace = _workspace_of(environ)
    journal = observed.journal
    entry = (
        journal.record(
            observed.clock.now(),
            method,
            path,
            environ.get("QUERY_STRING", ""),
            operation or None,
            workspace,
            kept_headers(environ),
        )
        if journal.enabled
        else None
    )
    environ[_PASSAGE] = _Passage(observed, entry, observed.timing.elapsed(), operation, workspace)


def with_faults(view: View) -> View:
    """`view`, meeting the fault injector first: delays, injected answers, dropped connections."""

    @functools.wraps(view)
    def faulted(*args: Any, **kwargs: Any) -> Response:
        _inject_faults()
        return view(*args, **kwargs)

    return cast(View, faulted)


def _inject_faults() -> None:
    environ = request.environ
    passage: _Passage | None = environ.get(_PASSAGE)
    if passage is None or not passage.operation:
        return
    runtime = passage.observed
    forced = environ.get(_FAULT_KEY)
    if forced is None and runtime.faults.idle:
        return  # no rule in force, none forced: nothing to decide
    facts = _facts(passage)
    passage.decision = _decide(runtime, facts, forced)
    if passage.decision.delay:
        sleeper: Sleeper | None = current_app.extensions.get(_SLEEPER)
        if sleeper is None:
            runtime.timing.sleep(passage.decision.delay)
        else:
            sleeper(runtime.timing.sleep, passage.decision.delay)
    answer = passage.decision.answer
    if answer is not None and answer.connection in ("reset", "empty"):
        _finish(runtime, passage, environ, None)
        raise ConnectionFault(answer.connection, passage.decision.fired)
    if answer is not None and answer.status is not None:
        raise injected_answer(answer, facts, passage.decision.incident)


def _decide(runtime: Observed, facts: Request, forced: str | None) -> Decision:
    if forced is None:
        return runtime.faults.decide(facts)
    try:
        rule = parse_fault_header(forced)
    except RuleError as error:
        request.environ[_PASSAGE].decision = Decision((HEADER_RULE_ID,))
        raise BadRequestError(f"Invalid {FAULT_HEADER} header: {error}") from None
    return runtime.faults.force(rule)


def _after(response: Response) -> Response:
    environ = request.environ
    passage: _Passage | None = environ.get(_PASSAGE)
    if passage is None:
        return response
    decision = passage.decision
    if decision.fired:
        response.headers[FAULT_HEADER] = ", ".join(decision.fired)
    if decision.answer is not None and decision.answer.connection == "truncate":
        _truncate(response)
    _finish(passage.observed, passage, environ, response.status_code, response)
    return response


def _facts(passage: _Passage) -> Request:
    """What fault rules match a request on."""
    target = parse_uuid((request.view_args or {}).get("id", ""))
    return Request(
        operation=passage.operation,
        method=request.method,
        path=request.path,
        workspace=passage.workspace,
        optimization_id=None if target is None else str(target),
    )


def _finish(
    runtime: Observed,
    passage: _Passage,
    environ: Mapping[str, Any],
    status: int | None,
    response: Response | None = None,
) -> None:
    if passage.entry is None:
        return
    capture: _Tee | None = environ.get(_CAPTURE)
    body = EMPTY_BODY
    if capture is not None:
        raw, complete = capture.head()
        body = Body(raw, complete, environ.get("HTTP_CONTENT_ENCODING"))
    runtime.journal.finish(
        passage.entry,
        status,
        passage.decision.fired,
        passage.decision.delay,
        runtime.timing.elapsed() - passage.started,
        body,
        _answer_body(response),
    )


def _answer_body(response: Response | None) -> Body:
    """The head of what a response sends (nothing for a dropped connection or a streamed answer)."""
    if response is None or response.is_streamed:
        return EMPTY_BODY
    sent = response.get_data()
    if not sent:
        return EMPTY_BODY
    encodings = response.headers.getlist("Content-Encoding")  # (a missing header costs `get` an exception)
    return Body(sent[:BODY_LIMIT], len(sent) <= BODY_LIMIT, encodings[0] if encodings else None)


def _truncate(response: Response) -> None:
    """Announce the whole body but send half of it: the server then closes the connection."""
    body = response.get_data()
    response.headers["Content-Length"] = str(len(body))
    response.response = [body[: len(body) // 2]]


class _BodyCapture:
    """WSGI middleware keeping the head of each request body for the journal, whoever reads it."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if "wsgi.input" in environ and _may_have_body(environ):
            environ["wsgi.input"] = environ[_CAPTURE] = _Tee(environ)
        return self.app(environ, start_response)


def _may_have_body(environ: dict[str, Any]) -> bool:
    """Whether a request can bring a body: a Content-Length other than 0, or a chunked one."""
    return environ.get("CONTENT_LENGTH", "") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in environ


class _Tee:
    """A request body stream that remembers its first BODY_LIMIT bytes as they are read."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self._stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH") or ""
        self._length = int(length) if length.isdigit() else None
        self._bounded = self._length is not None or bool(environ.get("wsgi.input_terminated"))
        self._kept = bytearray()
        self._total = 0
        self._ended = False

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._stream.read() if size is None or size < 0 else self._stream.read(size)
        return self._keep(data, size != 0)

    def readline(self, size: int | None = -1) -> bytes:
        data: bytes = self._stream.readline() if size is None or size < 0 else self._stream.readline(size)
        return self._keep(data, size != 0)

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def _keep(self, data: bytes, asked: bool) -> bytes:
        if asked and not data:
            self._ended = True
        room = BODY_LIMIT - len(self._kept)
        if room > 0:
            self._kept += data[:room]
        self._total += len(data)
        return data

    def head(self) -> tuple[bytes, bool]:
        """The kept bytes, reading what nobody read yet up to the limit; and whether that is all."""
        while self._bounded and not self._ended and self._total <= BODY_LIMIT:
            left = BODY_LIMIT + 1 - self._total
            if self._length is not None:
                left = min(left, self._length - self._total)
                if left <= 0:
                    break
            self.read(min(left, _CHUNK))
        complete = self._total <= BODY_LIMIT and (self._ended or self._total == self._length)
        return bytes(self._kept), complete
