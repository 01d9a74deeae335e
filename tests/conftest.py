"""Fixtures of mockopik's own tests: an app per test, and one live server reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.server import LiveServer
from tests.support import FlaskTransport, HttpTransport
from tests.timing import FakeTiming

EMPTY = {"count": 0}


@pytest.fixture
def app() -> Flask:
    """A fresh app with no seeded optimizations."""
    return create_app(Settings.resolve({}), **EMPTY)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    settings = Settings.resolve({}, port=0, **EMPTY)
    with LiveServer(create_app(settings), settings) as server:
        yield server


@pytest.fixture(params=["flask", "http"])
def api(request: pytest.FixtureRequest, app: Flask) -> FlaskTransport | HttpTransport:
    """The same calls through the Flask test client and over real HTTP (state reset first)."""
    if request.param == "flask":
        return FlaskTransport(app)
    server: LiveServer = request.getfixturevalue("live_server")
    server.app.extensions["mockopik"].reset()
    return HttpTransport(server)


# -- fault injection and journal --------------------------------------------------------------


@pytest.fixture
def timing() -> FakeTiming:
    return FakeTiming()


@pytest.fixture
def http(live_server: LiveServer) -> HttpTransport:
    """Real HTTP to the shared live server, reset to its boot state (data, rules, journal) first."""
    live_server.app.extensions["mockopik"].reset()
    return HttpTransport(live_server)
