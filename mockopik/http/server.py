"""A waitress server (one process, many threads) running a mockopik app, in the foreground or not.

It refuses a body over the limit from its headers, drops or resets the connection of a request that
meets a connection fault, lends a thread to each request that sleeps an injected delay, and stops
within a grace period, letting requests in flight finish and sending what they answered."""

from __future__ import annotations

import contextlib
import functools
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask
from waitress.utilities import Error, RequestEntityTooLarge
from waitress.wasyncore import close_all, loop

from mockopik.config import Settings
from mockopik.faults.rules import ConnectionFault
from mockopik.http import hooks
from mockopik.http.access_log import AccessLog
from mockopik.http.body import FIXTURE_BODY_LIMIT, body_limit, too_large
from mockopik.http.responses import json_body

SHUTDOWN_GRACE = 2.0  # seconds requests in flight get to finish when the server stops
MAX_SPARE_THREADS = 256  # threads lent at once to requests sleeping an injected delay
_LINGER_NONE = struct.pack("ii", 1, 0)


class _DroppingTask(WSGITask):  # type: ignore[misc]
    """A task that writes nothing and closes its connection when the app raises ConnectionFault."""

    dropped = False

    def execute(self) -> None:
        try:
            super().execute()
        except ConnectionFault as fault:
            self.dropped = True
            self.close_on_finish = True
            if fault.kind == "reset":
                # Closing with a zero linger time sends a TCP RST instead of a FIN.
                self.channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_NONE)

    def finish(self) -> None:
        if not self.dropped:
            super().finish()


class _BodyTooLarge(Error):  # type: ignore[misc]
    """Opik's 413, answered before the body is read (and the connection closed)."""

    code = 413
    reason = "Request Entity Too Large"

    def __init__(self, limit: int) -> None:
        super().__init__("")
        self.limit = limit

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        body = json_body(too_large(self.limit).body())
        return f"{self.code} {self.reason}", [("Content-Type", "application/json")], body


class _HeadersFirstParser(HTTPRequestParser):  # type: ignore[misc]
    """A request parser that refuses a declared Content-Length over the path's limit as soon as the
    headers are in, instead of reading (and buffering) the body first."""

    limit_of: Callable[[str], int]  # the body limit of a path (set per server)
    error: Error | None

    def received(self, data: bytes) -> int:
        had_headers = self.headers_finished
        consumed: int = super().received(data)
        if self.headers_finished and not had_headers and self.content_length > 0:
            limit = self.limit_of(self.path)
            refused = self.error is None or isinstance(self.error, RequestEntityTooLarge)
            if refused and self.content_length > limit:
                self.error = _BodyTooLarge(limit)
                self.completed = True
        return consumed


def _channel_class(limit_of: Callable[[str], int]) -> type[HTTPChannel]:
    parser = type("MockopikRequestParser", (_HeadersFirstParser,), {"limit_of": staticmethod(limit_of)})
    attributes = {"task_class": _DroppingTask, "parser_class": parser}
    return type("MockopikChannel", (HTTPChannel,), attributes)


def _wait_until_idle(dispatcher: Any, timeout: float = 1.0) -> None:
    """Let the worker threads reach their wait for work: a request that comes before makes waitress
    log a spurious `Task queue depth is 1`."""
    deadline = time.monotonic() + timeout
    while dispatcher.active_count > 0 and time.monotonic() < deadline:
        time.sleep(0.001)


class LiveServer:
    """Serves an app on `host:port` (port 0 picks a free one); `url` tells where.

    With `access_log`, each request is also written there as one line (see `AccessLog`)."""

    def __init__(self, app: Any, settings: Settings, access_log: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.threads = settings.threads
        channels: dict[int, Any] = {}
        try:
            self._server = create_server(
                AccessLog(app, access_log) if access_log is not None else app,
                map=channels,
                host=settings.host,
                port=settings.port,
                threads=settings.threads,
                ident="mockopik",
                clear_untrusted_proxy_headers=True,
                connection_limit=settings.connection_limit,
                channel_timeout=settings.channel_timeout,
                # waitress's own check stays above every limit of ours, which come first
                max_request_body_size=max(settings.max_body_bytes, FIXTURE_BODY_LIMIT) + 1,
                asyncore_use_poll=hasattr(select, "poll"),  # select() stops at 1024 sockets
            )
        except OSError:  # the port is taken, say: close what waitress opened before failing
            close_all(channels)
            raise
        self._map = channels
        _wait_until_idle(self._server.task_dispatcher)
        # A host name with several addresses (IPv4 and IPv6) gets one listener each.
        self._listeners = [server for server in channels.values() if isinstance(server, BaseWSGIServer)]
        channel_class = _channel_class(functools.partial(body_limit, max_body_bytes=settings.max_body_bytes))
        for listener in self._listeners:
            listener.channel_class = channel_class
        self.host = settings.host
        self.port: int = self._listeners[0].effective_port
        self._thread: threading.Thread | None = None
        self._serving = False
        self._spare = 0
        self._stopping = False
        self._flushing = False  # stopping: connections close once flushed (read by the loop)
        self._closing = False  # stopping: the loop closes every socket and ends
        self._threads_lock = threading.Lock()
        hooks.sleep_with(app, self._sleep_beside_workers)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop` is called (from another thread, say)."""
        self._serving = True
        adjustments = self._server.adj
        try:
            while self._map and not self._closing:
                loop(adjustments.asyncore_loop_timeout, adjustments.asyncore_use_poll, self._map, count=1)
                if self._flushing:
                    self._close_when_flushed()
        except (SystemExit, KeyboardInterrupt):  # as waitress's own loop does
            self._server.task_dispatcher.shutdown()
        finally:
            close_all(self._map)
            for listener in self._listeners:  # a pipe taken under the loop leaves its copy open
                if listener.trigger.socket is not None:
                    listener.trigger.socket.close()

    def start(self) -> LiveServer:
        """Serve from a background thread."""
        # Serving from now on: a `stop` that comes before the thread runs the loop hands the closing
        # to the loop too, instead of closing the sockets under it.
        self._serving = True
        self._thread = threading.Thread(target=self.serve_forever, name="mockopik-server", daemon=True)
        self._thread.start()
        return self

    def stop(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Stop accepting, give the requests in flight up to `grace` seconds to finish (injected
        delays end at once), send what they answered, then close every connection."""
        deadline = time.monotonic() + grace
        with self._threads_lock:
            if self._stopping:
                return
            self._stopping = True
        for listener in self._listeners:
            listener.accepting = False
        hooks.wake_sleepers(self.app)
        self._server.task_dispatcher.shutdown(timeout=max(0.0, deadline - time.monotonic()))
        if not self._serving:  # nothing runs the server's loop: close from here
            close_all(self._map)
            return
        self._flushing = True
        self._wake_loop()
        while self._connections() and time.monotonic() < deadline:
            time.sleep(0.01)
        self._closing = True
        self._wake_loop()
        if self._thread is not None:
            self._thread.join(timeout=grace)
            self._thread = None

    def _wake_loop(self) -> None:
        """Wake the server's loop to act on `stop` at once. Should the pipe it is woken through have
        been closed under it (seen, rarely, in a long test session), the loop still acts on `stop`
        within a tick of its own (a second)."""
        with contextlib.suppress(OSError):
            self._listeners[0].trigger.pull_trigger()

    def _connections(self) -> list[HTTPChannel]:
        return [channel for channel in self._map.copy().values() if isinstance(channel, HTTPChannel)]

    def _close_when_flushed(self) -> None:
        """In the server's loop, once stopping: each connection closes once what it has to send is sent."""
        for channel in self._connections():
            channel.close_when_flushed = True

    def _sleep_beside_workers(self, sleep: Callable[[float], None], seconds: float) -> None:
        """Sleep an injected delay while a spare thread serves in this worker's place, so that slow
        answers never hold up the others."""
        lent = self._lend_threads(1)
        try:
            sleep(seconds)
        finally:
            if lent:
                self._lend_threads(-1)

    def _lend_threads(self, step: int) -> bool:
        with self._threads_lock:
            if self._stopping or (step > 0 and self._spare >= MAX_SPARE_THREADS):
                return False
            self._spare += step
            self._server.task_dispatcher.set_thread_count(self.threads + self._spare)
            return True

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
