"""The access log middleware: one line per request, with the fault that fired; health probes left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from mockopik.http.access_log import AccessLog
from mockopik.http.headers import HEALTH_PROBE_AGENT


def app_answering(status: str, headers: list[tuple[str, str]], body: bytes) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(status, headers)
        return [body[:2], body[2:]]

    return app


def environ(**extra: str) -> dict[str, Any]:
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/v1/private/optimizations",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.2.2",
    }
    return {**base, **extra}


@pytest.mark.parametrize(
    ("status", "headers", "request_environ", "line"),
    [
        (
            "200 OK",
            [],
            environ(QUERY_STRING="size=1"),
            '10.0.2.2 [2026-05-01T12:00:00Z] "GET /v1/private/optimizations?size=1 HTTP/1.1" 200 5B 250.0ms',
        ),
        (
            "404 NOT FOUND",
            [("X-Mockopik-Fault", "vanish-1")],
            environ(REQUEST_METHOD="PUT"),
            '10.0.2.2 [2026-05-01T12:00:00Z] "PUT /v1/private/optimizations HTTP/1.1" 404 5B 250.0ms fault=vanish-1',
        ),
    ],
)
def test_one_line_per_request(
    status: str, headers: list[tuple[str, str]], request_environ: dict[str, Any], line: str
) -> None:
    lines: list[str] = []
    ticks = iter([10.0, 10.25])
    logged = AccessLog(
        app_answering(status, headers, b"hello"), lines.append, lambda: next(ticks), lambda: 1777636800.0
    )
    body = b"".join(logged(request_environ, lambda *args: None))
    assert (body, lines) == (b"hello", [line])


def test_health_probes_are_not_logged() -> None:
    lines: list[str] = []
    logged = AccessLog(app_answering("200 OK", [], b"{}"), lines.append)
    body = b"".join(
        logged(environ(PATH_INFO="/_mockopik/health", HTTP_USER_AGENT=HEALTH_PROBE_AGENT), lambda *args: None)
    )
    assert (body, lines) == (b"{}", [])


def test_a_request_left_unanswered_is_logged_with_no_status() -> None:
    def dropping_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise ConnectionAbortedError("dropped on purpose")

    lines: list[str] = []
    ticks = iter([1.0, 1.002])
    logged = AccessLog(dropping_app, lines.append, lambda: next(ticks), lambda: 0.0)
    with pytest.raises(ConnectionAbortedError):
        logged(environ(REQUEST_METHOD="DELETE"), lambda *args: None)
    assert lines == ['10.0.2.2 [1970-01-01T00:00:00Z] "DELETE /v1/private/optimizations HTTP/1.1" - 0B 2.0ms']
