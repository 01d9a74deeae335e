"""The served mock under pressure: bodies over the limit refused from their headers, many idle
connections, slow injected answers, and a stop that is quick and lets requests in flight finish."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.http.body import FIXTURE_BODY_LIMIT
from mockopik.http.server import LiveServer
from tests.support import OPTIMIZATIONS

LIMIT = 20 * 1024 * 1024


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    overrides = getattr(request, "param", {})
    settings = Settings.resolve({}, port=0, count=0).replace(**overrides)
    with LiveServer(create_app(settings), settings) as served:
        yield served


def send_headers(server: LiveServer, path: str, length: int) -> socket.socket:
    """A connection that declared a body of `length` bytes and sent none of it."""
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    connection.sendall(
        f"POST {path} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )
    return connection


def answer(connection: socket.socket) -> tuple[str, bytes]:
    """The status line and body of the answer on `connection`, read until it closes."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode(), body


@pytest.mark.parametrize(
    ("path", "limit"),
    [(OPTIMIZATIONS, LIMIT), ("/api/_mockopik/faults", LIMIT), ("/_mockopik/fixtures", FIXTURE_BODY_LIMIT)],
)
def test_a_declared_body_over_the_limit_is_refused_from_its_headers(
    server: LiveServer, path: str, limit: int
) -> None:
    started = time.monotonic()
    with send_headers(server, path, limit + 1) as connection:
        status, body = answer(connection)

    assert time.monotonic() - started < 1
    assert (status, json.loads(body)) == (
        "HTTP/1.1 413 Request Entity Too Large",
        {"code": 413, "message": f"Request body is larger than the limit of {limit} bytes"},
    )
    assert requests.get(server.url + OPTIMIZATIONS, timeout=5).status_code == 200


def test_a_body_within_the_limit_is_waited_for(server: LiveServer) -> None:
    with send_headers(server, "/_mockopik/fixtures", LIMIT + 1) as connection:
        connection.settimeout(0.5)
        with pytest.raises(TimeoutError):
            connection.recv(1)


def test_idle_keep_alive_connections_do_not_lock_out_a_new_client(server: LiveServer) -> None:
    idle = []
    try:
        for _ in range(150):  # a browser, an SDK's pool and a test session, each keeping theirs open
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(b"GET /is-alive/ping HTTP/1.1\r\nHost: mock\r\n\r\n")
            assert connection.recv(4096).startswith(b"HTTP/1.1 200")
            idle.append(connection)
        started = time.monotonic()
        reply = requests.get(server.url + "/is-alive/ping", timeout=10)
        waited = time.monotonic() - started
    finally:
        for connection in idle:
            connection.close()

    assert (reply.status_code, waited < 1) == (200, True)


@pytest.mark.parametrize("server", [{"threads": 2}], indirect=True)
def test_injected_delays_do_not_take_the_workers(server: LiveServer) -> None:
    delayed = {"X-Mockopik-Fault": "delay=2s"}
    with ThreadPoolExecutor(6) as pool:
        slow = [
            pool.submit(requests.get, server.url + OPTIMIZATIONS, headers=delayed, timeout=10)
            for _ in range(6)
        ]
        time.sleep(0.3)
        started = time.monotonic()
        reply = requests.get(server.url + OPTIMIZATIONS, timeout=10)
        waited = time.monotonic() - started
        statuses = [future.result().status_code for future in slow]

    assert (reply.status_code, waited < 1) == (200, True)
    assert statuses == [200] * 6


def test_stopping_answers_the_requests_in_flight_and_ends_their_delays(server: LiveServer) -> None:
    answers: list[int] = []
    slow = threading.Thread(
        target=lambda: answers.append(
            requests.get(
                server.url + OPTIMIZATIONS, headers={"X-Mockopik-Fault": "delay=30s"}, timeout=10
            ).status_code
        )
    )
    slow.start()
    time.sleep(0.3)

    started = time.monotonic()
    server.stop()
    slow.join()

    assert (answers, time.monotonic() - started < 1) == ([200], True)
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + OPTIMIZATIONS, timeout=2)


def test_a_server_whose_wakeup_pipe_was_closed_under_it_still_stops(server: LiveServer) -> None:
    """The pipe that wakes the server's loop closed under it (seen, rarely, in a long test session):
    the loop drops the pipe, and a stop still closes every connection and the port."""
    with requests.Session() as client:
        assert client.get(server.url + OPTIMIZATIONS, timeout=5).status_code == 200
        os.close(server._listeners[0].trigger.trigger)  # the pipe's end that wakes the loop
        time.sleep(0.2)

        started = time.monotonic()
        server.stop()
        stopped_in = time.monotonic() - started

        assert stopped_in < 3
        with pytest.raises(requests.ConnectionError):
            client.get(server.url + OPTIMIZATIONS, timeout=2)


def test_sigterm_exits_at_once_with_much_data_and_answers_the_request_in_flight() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockopik", "serve", "--port", "0", "--count", "30000", "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    try:
        assert process.stderr is not None
        url = re.search(r"listening on (http://\S+) ", process.stderr.readline())
        assert url, "no startup line"
        answers: list[int] = []
        slow = threading.Thread(
            target=lambda: answers.append(
                requests.get(
                    url[1] + OPTIMIZATIONS, headers={"X-Mockopik-Fault": "delay=20s"}, timeout=30
                ).status_code
            )
        )
        slow.start()
        time.sleep(0.5)

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=15)
        took = time.monotonic() - started
        slow.join()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert (process.returncode, rest, answers) == (0, "mockopik stopped\n", [200])
    assert took < 3
