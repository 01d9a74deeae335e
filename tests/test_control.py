"""The control API client: calls, errors that name the call, health checks, and where a mock is."""

from __future__ import annotations

import socket

import pytest

from mockopik.config import remote_url
from mockopik.http.server import LiveServer
from mockopik.testing.control import ControlClient, ControlError, check_health, local_url
from mockopik.version import __version__


def test_calls_decode_json_and_empty_answers(live_server: LiveServer) -> None:
    client = ControlClient(live_server.url + "/")
    assert client.call("GET", "health") == {"status": "ok", "version": __version__}
    assert client.call("POST", "/reset") is None


def test_a_failed_call_names_the_call_the_status_and_the_body(live_server: LiveServer) -> None:
    with pytest.raises(ControlError) as caught:
        ControlClient(live_server.url).call("POST", "no-such-thing", {"x": 1}, query={"a": "b", "skip": None})
    assert str(caught.value).startswith(
        f"POST {live_server.url}/_mockopik/no-such-thing?a=b answered 404: {{"
    )


def test_health_problems_are_described(live_server: LiveServer) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert check_health(live_server.url) is None
    assert check_health(f"http://127.0.0.1:{port}") == (
        f"GET http://127.0.0.1:{port}/_mockopik/health failed: [Errno 111] Connection refused"
    )


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({}, None),
        ({"MOCKOPIK_URL": "  "}, None),
        ({"MOCKOPIK_URL": "http://localhost:5173"}, "http://localhost:5173"),
        ({"MOCKOPIK_URL": "http://localhost:5173/"}, "http://localhost:5173"),
        ({"MOCKOPIK_URL": "http://localhost:5173/api/"}, "http://localhost:5173"),
    ],
)
def test_remote_url(environ: dict[str, str], url: str | None) -> None:
    assert remote_url(environ) == url


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:80"),
        ("0.0.0.0", "http://127.0.0.1:80"),
        ("::", "http://[::1]:80"),
        ("localhost", "http://localhost:80"),
        ("::1", "http://[::1]:80"),
    ],
)
def test_local_url(host: str, url: str) -> None:
    assert local_url(host, 80) == url
