"""pytest fixtures for testing against mockopik; registered through the `pytest11` entry point.

This module is imported by every pytest run of everyone who installed mockopik, so it imports
nothing heavy: the app, Flask and the HTTP server load only when a test asks for a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from mockopik.config import REMOTE_URL_VARIABLE, admin_token_from, remote_url

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from mockopik.testing.client import Mockopik

MARKER_ARGUMENTS = ("scenario", "seed", "count", "faults", "pace")
FROZEN = 0.0  # the clock's pace in a test unless it asks for another: the same results on every run
SDK_ENVIRONMENT = {"OPIK_SENTRY_ENABLE": "false", "OPIK_ANALYTICS_ENABLE": "false"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "mockopik(scenario=None, seed=None, count=None, faults=(), pace=0): start the test with this "
        "data, these fault rules and this clock pace in the `mockopik` fixture",
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    url = remote_url()
    return f"mockopik: fixtures drive the mock at {url} ({REMOTE_URL_VARIABLE})" if url else None


@pytest.fixture(scope="session")
def mockopik_settings() -> dict[str, Any]:
    """Settings of the session's in-process mock, over the MOCKOPIK_* environment (and `host`
    127.0.0.1, `port` 0). Override it in a conftest.py, keeping `scope="session"`."""
    return {}


@pytest.fixture(scope="session")
def mockopik_server(mockopik_settings: dict[str, Any]) -> Iterator[Mockopik]:
    """The session's mock: started in a thread on a free port (one per xdist worker), or the one
    already running at MOCKOPIK_URL (with the admin token of MOCKOPIK_ADMIN_TOKEN, if it needs one)."""
    from mockopik.testing.client import Mockopik
    from mockopik.testing.control import check_health, local_url

    url = remote_url()
    if url is not None:
        problem = check_health(url)
        if problem is not None:
            pytest.fail(f"{REMOTE_URL_VARIABLE}={url}: no healthy mockopik there: {problem}", pytrace=False)
        yield Mockopik(url, token=admin_token_from())
        return

    from mockopik.app import create_app
    from mockopik.config import Settings, SettingsError
    from mockopik.http.server import LiveServer

    try:
        settings = Settings.resolve(**{"host": "127.0.0.1", "port": 0, **mockopik_settings})
    except SettingsError as error:
        raise _failure(f"mockopik_settings: {error}") from None
    with LiveServer(create_app(settings), settings) as server:
        yield Mockopik(local_url(settings.host, server.port), server.app, token=settings.admin_token)


@pytest.fixture
def mockopik(request: pytest.FixtureRequest, mockopik_server: Mockopik) -> Mockopik:
    """The mock, reset to its boot state, then set up as the `mockopik` marker asks; its clock stands
    still (pace 0) unless the marker gives a pace."""
    from mockopik.testing.client import Mockopik
    from mockopik.testing.control import ControlError

    mock = Mockopik(mockopik_server.url, mockopik_server.app, token=mockopik_server.control.token)
    arguments = _marker_arguments(request.node)
    try:
        mock.reset()
        data = {name: arguments[name] for name in ("scenario", "seed", "count") if name in arguments}
        if data:
            mock.reseed(**data)
        for rule in arguments.get("faults", ()):
            mock.add_fault(rule)
        mock.set_pace(arguments.get("pace", FROZEN))
    except ControlError as error:
        raise _failure(f"mockopik: {error}") from None
    return mock


@pytest.fixture
def mockopik_app(mockopik: Mockopik) -> Flask:
    """The Flask app behind `mockopik` (same state); skips the test against MOCKOPIK_URL."""
    if mockopik.app is None:
        pytest.skip(f"needs the in-process mockopik, but {REMOTE_URL_VARIABLE}={mockopik.url}")
    return mockopik.app


@pytest.fixture
def mockopik_client(mockopik_app: Flask) -> FlaskClient:
    """A Flask test client of `mockopik_app`: requests without HTTP, same state as `mockopik`."""
    return mockopik_app.test_client()


@pytest.fixture
def mockopik_sdk(mockopik: Mockopik, monkeypatch: pytest.MonkeyPatch) -> Mockopik:
    """Points the Opik SDK at the mock for this test, through its environment: OPIK_URL_OVERRIDE,
    OPIK_WORKSPACE (and OPIK_API_KEY when the in-process mock requires one), with Sentry and
    analytics off. Returns `mockopik`."""
    monkeypatch.setenv("OPIK_URL_OVERRIDE", mockopik.api_url)
    monkeypatch.setenv("OPIK_WORKSPACE", mockopik.workspace)
    for name, value in SDK_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    api_key = mockopik.runtime.settings.api_key if mockopik.app is not None else None
    if api_key is not None:
        monkeypatch.setenv("OPIK_API_KEY", api_key)
    return mockopik


def _failure(message: str) -> BaseException:
    """A fixture failure shown as its message alone, without a traceback."""
    return pytest.fail.Exception(message, pytrace=False)


def _marker_arguments(node: pytest.Item) -> dict[str, Any]:
    """The `mockopik` markers' arguments, the closest marker winning (test over class over module)."""
    arguments: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers("mockopik"))):
        unknown = sorted(set(marker.kwargs) - set(MARKER_ARGUMENTS))
        if marker.args or unknown:
            given = ", ".join([*map(repr, marker.args), *unknown])
            pytest.fail(
                f"@pytest.mark.mockopik takes only the keywords {', '.join(MARKER_ARGUMENTS)}; got {given}",
                pytrace=False,
            )
        arguments.update({name: value for name, value in marker.kwargs.items() if value is not None})
    return arguments
