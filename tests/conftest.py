"""Fixtures of mockopik's own tests: an app per test, and one live server reset per test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import pytest
from flask import Flask

from mockopik.app import create_app
from mockopik.clock import SimulatedClock, frozen_at
from mockopik.config import ENV_PREFIX, REMOTE_URL_VARIABLE, Settings
from mockopik.http.server import LiveServer
from mockopik.runtime import Runtime
from tests.support import FlaskTransport, HttpTransport, Transport
from tests.timing import FakeTiming

NOW = datetime(2026, 11, 27, 10, 15, 30, 123456, tzinfo=timezone.utc)
_DEVELOPER_SETTINGS: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    """mockopik's tests set every setting they depend on: MOCKOPIK_* variables the developer exported
    do not reach them (nor the servers and commands they start), except MOCKOPIK_URL, which selects
    a running mock on purpose. Done before collection, so parametrized values cannot see them."""
    for name in [name for name in os.environ if name.startswith(ENV_PREFIX) and name != REMOTE_URL_VARIABLE]:
        _DEVELOPER_SETTINGS[name] = os.environ.pop(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    os.environ.update(_DEVELOPER_SETTINGS)


NOW_TEXT = "2026-11-27T10:15:30.123456Z"


def runtime_of(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["mockopik"]
    return runtime


@pytest.fixture
def clock() -> SimulatedClock:
    return frozen_at(NOW)


@pytest.fixture
def app(clock: SimulatedClock) -> Flask:
    """A fresh app with no seeded optimizations and a clock stopped at NOW."""
    return create_app(Settings.resolve({}), clock=clock, count=0)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    settings = Settings.resolve({}, port=0, count=0)
    with LiveServer(create_app(settings, clock=frozen_at(NOW)), settings) as server:
        yield server


@pytest.fixture(params=["flask", "http"])
def api(request: pytest.FixtureRequest, app: Flask) -> Transport:
    """The same calls through the Flask test client and over real HTTP (state reset first)."""
    if request.param == "flask":
        return FlaskTransport(app)
    server: LiveServer = request.getfixturevalue("live_server")
    runtime = runtime_of(server.app)
    runtime.reset()
    assert isinstance(runtime.clock, SimulatedClock)
    runtime.clock.set(NOW)
    return HttpTransport(server)


@pytest.fixture(params=["flask", "http"])
def make_api(request: pytest.FixtureRequest) -> Iterator[Callable[..., Transport]]:
    """Build an app with some settings changed, reached in-process or over HTTP."""
    servers: list[LiveServer] = []

    def build(**overrides: object) -> Transport:
        settings = Settings.resolve({}, port=0, count=0).replace(**overrides)
        app = create_app(settings, clock=frozen_at(NOW))
        if request.param == "flask":
            return FlaskTransport(app)
        server = LiveServer(app, settings).start()
        servers.append(server)
        return HttpTransport(server)

    yield build
    for server in servers:
        server.stop()


# -- fault injection and journal --------------------------------------------------------------


@pytest.fixture
def timing() -> FakeTiming:
    return FakeTiming()


@pytest.fixture
def http(live_server: LiveServer) -> HttpTransport:
    """Real HTTP to the shared live server, reset to its boot state (data, rules, journal) first."""
    live_server.app.extensions["mockopik"].reset()
    return HttpTransport(live_server)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long fuzz runs only when asked for (`pytest -m fuzz`)."""
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="long Schemathesis run: select it with -m fuzz")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)
