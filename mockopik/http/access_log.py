"""WSGI middleware writing one access-log line per request: who, what, status, size, time, fault."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mockopik.faults.rules import ConnectionFault
from mockopik.http.headers import FAULT_HEADER, HEALTH_PROBE_AGENT
from mockopik.http.secrets import masked_query_string

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Control characters, and the quote and backslash of the quoted request line, are written %-escaped.
_UNPRINTABLE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')


class AccessLog:
    """Wraps a WSGI app; after each response, `write` gets a line like
    `127.0.0.1 [2026-05-01T12:00:00Z] "GET /v1/private/optimizations?size=1 HTTP/1.1" 200 437B 1.8ms`
    (with ` fault=<rule>` appended when mockopik injected a fault; status `-` when the app left the
    request unanswered). Secret query parameters are masked and control characters %-escaped. The
    periodic probes of `mockopik health` (the HEALTHCHECK) are left out."""

    def __init__(
        self,
        app: WsgiApp,
        write: Callable[[str], None],
        timer: Callable[[], float] = time.perf_counter,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.write = write
        self.timer = timer
        self.wall_clock = wall_clock

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = self.timer()
        response: dict[str, str] = {}

        def recording_start_response(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            response["status"] = status.split(" ", 1)[0]
            response["fault"] = next((v for k, v in headers if k.lower() == FAULT_HEADER.lower()), "")
            return start_response(status, headers, *exc_info)

        try:
            body = self.app(environ, recording_start_response)
        except BaseException as unanswered:  # a connection fault (a BaseException) drops it: status `-`
            if isinstance(unanswered, ConnectionFault):
                response["fault"] = ", ".join(unanswered.fired)
            self.write(self._line(environ, response, 0, self.timer() - started))
            raise
        if environ.get("HTTP_USER_AGENT") == HEALTH_PROBE_AGENT:
            return body
        return self._logged(body, environ, response, started)

    def _logged(
        self, body: Iterable[bytes], environ: dict[str, Any], response: dict[str, str], started: float
    ) -> Iterator[bytes]:
        size = 0
        try:
            for chunk in body:
                size += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
            self.write(self._line(environ, response, size, self.timer() - started))

    def _line(self, environ: dict[str, Any], response: dict[str, str], size: int, seconds: float) -> str:
        target = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            target += "?" + masked_query_string(environ["QUERY_STRING"])
        if _UNPRINTABLE.search(target):  # a decoded %0a must not start a line of its own
            target = _UNPRINTABLE.sub(lambda char: f"%{ord(char[0]):02X}", target)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.wall_clock()))
        request_line = f"{environ.get('REQUEST_METHOD', '-')} {target} {environ.get('SERVER_PROTOCOL', '')}"
        line = (
            f'{environ.get("REMOTE_ADDR", "-")} [{stamp}] "{request_line.strip()}" '
            f"{response.get('status', '-')} {size}B {seconds * 1000:.1f}ms"
        )
        fault = response.get("fault")
        return f"{line} fault={fault}" if fault else line
