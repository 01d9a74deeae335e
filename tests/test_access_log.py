"""The access log middleware: one line per request, with the fault that fired; health probes left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.faults.rules import ConnectionFault
from mockopik.http.access_log import AccessLog
from mockopik.http.headers import HEALTH_PROBE_AGENT
from mockopik.http.server import LiveServer


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
        (
            "200 OK",
            [],
            environ(QUERY_STRING="size=1&api_key=sk-123&apiKey=k&token=t&max_tokens=5&access_token=a"),
            '10.0.2.2 [2026-05-01T12:00:00Z] "GET /v1/private/optimizations?size=1&api_key=***&apiKey=***'
            '&token=***&max_tokens=5&access_token=*** HTTP/1.1" 200 5B 250.0ms',
        ),
        (
            "404 NOT FOUND",
            [],
            environ(PATH_INFO='/x HTTP/1.1" 200 5B 1.0ms\n10.0.0.1 [2026-05-01T12:00:00Z] "GET /\\\x00\x7f'),
            '10.0.2.2 [2026-05-01T12:00:00Z] "GET /x HTTP/1.1%22 200 5B 1.0ms%0A10.0.0.1 '
            '[2026-05-01T12:00:00Z] %22GET /%5C%00%7F HTTP/1.1" 404 5B 250.0ms',
        ),
    ],
    ids=["plain", "fault", "secrets masked", "control characters escaped"],
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


def test_a_request_left_unanswered_is_logged_with_no_status_and_its_fault() -> None:
    def dropping_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise ConnectionFault("reset", ["drop-deletes"])

    lines: list[str] = []
    ticks = iter([1.0, 1.002])
    logged = AccessLog(dropping_app, lines.append, lambda: next(ticks), lambda: 0.0)
    with pytest.raises(ConnectionFault):
        logged(environ(REQUEST_METHOD="DELETE"), lambda *args: None)
    assert lines == [
        '10.0.2.2 [1970-01-01T00:00:00Z] "DELETE /v1/private/optimizations HTTP/1.1" - 0B 2.0ms fault=drop-deletes'
    ]


@pytest.mark.parametrize("kind", ["reset", "empty", "truncate"])
def test_a_served_connection_fault_leaves_its_line(kind: str) -> None:
    lines: list[str] = []
    settings = Settings.resolve({}, port=0, count=0)
    with LiveServer(create_app(settings), settings, access_log=lines.append) as server:
        url = f"{server.url}/v1/private/optimizations"
        with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            requests.get(url, headers={"X-Mockopik-Fault": f"connection={kind}"}, timeout=10)
        assert requests.get(url, timeout=10).status_code == 200
    status = "200" if kind == "truncate" else "-"  # a truncated answer has its status line
    request, answer = (line.split('" ', 1) for line in lines)
    assert request[1].startswith(f"{status} ")
    assert request[1].endswith(" fault=header")
    assert answer[1].startswith("200 ")
    assert "fault=" not in answer[1]


def test_a_url_cannot_write_a_line_of_its_own() -> None:
    lines: list[str] = []
    settings = Settings.resolve({}, port=0, count=0)
    with LiveServer(create_app(settings), settings, access_log=lines.append) as server:
        forged = "%0a10.0.0.9%20[2026-05-01T12:00:00Z]%20%22DELETE%20/_mockopik/fixtures%22%20204"
        requests.get(f"{server.url}/v1/private/x{forged}?api_key=sk-1", timeout=10)

    assert len(lines) == 1
    assert (
        '"GET /v1/private/x%0A10.0.0.9 [2026-05-01T12:00:00Z] %22DELETE /_mockopik/fixtures%22 204'
        '?api_key=*** HTTP/1.1" 404 ' in lines[0]
    )
