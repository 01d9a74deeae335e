"""The `mockopik` command in-process: help, version, flags and environment reaching the settings, errors."""

from __future__ import annotations

import dataclasses
import signal
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mockopik.cli import main
from mockopik.config import Settings
from mockopik.http.server import LiveServer
from mockopik.version import __version__


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[LiveServer]]:
    """`mockopik serve` returns at once instead of serving; the servers it built are collected
    (and the SIGTERM handler it installs is put back afterwards)."""
    servers: list[LiveServer] = []
    previous_handler = signal.getsignal(signal.SIGTERM)

    def record(server: LiveServer) -> None:
        servers.append(server)

    monkeypatch.setattr(LiveServer, "serve_forever", record)
    yield servers
    signal.signal(signal.SIGTERM, previous_handler)
    for server in servers:
        server.stop()


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    clean = {spec_env: None for spec_env in _all_env_names()}
    return CliRunner().invoke(main, list(args), env={**clean, **(env or {})}, prog_name="mockopik")


def _all_env_names() -> list[str]:
    return [f"MOCKOPIK_{spec.name.upper()}" for spec in dataclasses.fields(Settings)]


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"mockopik {__version__} (Opik 2.2.122)\n")


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: mockopik [OPTIONS] COMMAND [ARGS]...\n")
    commands = result.stdout.split("Commands:\n", 1)[1]
    assert {"health", "serve"} <= {line.split()[0] for line in commands.splitlines() if line.strip()}


@pytest.mark.parametrize("spec", dataclasses.fields(Settings), ids=lambda spec: spec.name)
def test_serve_help_has_a_flag_per_setting_with_its_variable(spec: dataclasses.Field[Any]) -> None:
    help_text = " ".join(run("serve", "--help").stdout.split())
    assert f"--{spec.name.replace('_', '-')} " in help_text
    assert f"[env: MOCKOPIK_{spec.name.upper()}; default: " in help_text


@pytest.mark.parametrize(
    ("flag", "shown"),
    [
        ("--host TEXT", "default: 127.0.0.1]"),
        ("--port N", "default: 5173]"),
        ("--workspaces A,B", "default: none]"),
        ("--api-key TEXT", "default: none]"),
    ],
)
def test_serve_help_shows_what_a_flag_takes_and_its_default(flag: str, shown: str) -> None:
    help_text = " ".join(run("serve", "--help").stdout.split())
    assert help_text.index(shown, help_text.index(flag + " ")) < help_text.index(
        " --", help_text.index(flag + " ")
    )


def test_serve_help_mentions_quiet_and_signals() -> None:
    result = run("serve", "-h")
    assert result.exit_code == 0
    assert "Serve the Opik Optimizations API until Ctrl-C or SIGTERM." in result.stdout
    assert "-q, --quiet" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {}, {}),
        (["--seed", "7", "--count", "3"], {}, {"seed": 7, "count": 3}),
        ([], {"MOCKOPIK_SEED": "9", "MOCKOPIK_USER": "ci"}, {"seed": 9, "user": "ci"}),
        (["--seed", "1"], {"MOCKOPIK_SEED": "9"}, {"seed": 1}),
        (
            ["--workspaces", "default,team-a", "--api-key", "k"],
            {},
            {"workspaces": ("default", "team-a"), "api_key": "k"},
        ),
        (["--threads", "2", "--max-body-bytes", "1024"], {}, {"threads": 2, "max_body_bytes": 1024}),
    ],
)
def test_flags_and_environment_reach_the_settings(
    served: list[LiveServer], args: list[str], env: dict[str, str], expected: dict[str, Any]
) -> None:
    result = run("serve", "--port", "0", "--quiet", *args, env=env)
    assert result.exit_code == 0, result.output
    runtime = served[0].app.extensions["mockopik"]
    assert runtime.settings == Settings.resolve({}, port=0, **expected)


def test_startup_line_says_where_what_and_the_sdk_url(served: list[LiveServer]) -> None:
    result = run("serve", "--port", "0", "--seed", "3", "--count", "5")
    url = served[0].url
    assert result.stderr.splitlines() == [
        f"mockopik {__version__} (Opik 2.2.122) listening on {url} (seed 3, 5 optimizations); "
        f"Opik SDK base URL: {url}/api",
        "mockopik stopped",
    ]


def test_listening_on_every_interface_says_which_sdk_url_to_use_where(served: list[LiveServer]) -> None:
    result = run("serve", "--host", "0.0.0.0", "--port", "0")
    port = served[0].port
    assert f"listening on http://0.0.0.0:{port} (" in result.stderr
    assert result.stderr.splitlines()[0].endswith(
        f"Opik SDK base URL: http://127.0.0.1:{port}/api on this machine; through a published port "
        f"(docker run -p 8080:{port}) or from another machine: http://<host>:<published port>/api"
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--port", "abc"], {}, "--port: expected a whole number from 0 to 65535, got 'abc'"),
        (["--threads", "0"], {}, "--threads: expected a whole number of 1 or more, got '0'"),
        (["--user", " "], {}, "--user: expected a non-blank text, got ' '"),
        ([], {"MOCKOPIK_SEED": "-1"}, "MOCKOPIK_SEED: expected a whole number of 0 or more, got '-1'"),
        (
            [],
            {"MOCKOPIK_PORT": "99999"},
            "MOCKOPIK_PORT: expected a whole number from 0 to 65535, got '99999'",
        ),
    ],
)
def test_a_bad_setting_stops_with_one_clear_line(args: list[str], env: dict[str, str], message: str) -> None:
    result = run("serve", *args, env=env)
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_a_port_in_use_stops_with_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert len(result.stderr.splitlines()) == 1


def test_health_of_a_running_mock(live_server: LiveServer) -> None:
    result = run("health", "--url", live_server.url)
    assert (result.exit_code, result.stdout) == (0, f"{live_server.url} is healthy\n")


def test_health_follows_the_port_setting(live_server: LiveServer) -> None:
    result = run("health", env={"MOCKOPIK_PORT": str(live_server.port)})
    assert (result.exit_code, result.stdout) == (0, f"http://127.0.0.1:{live_server.port} is healthy\n")


def test_health_of_nothing_fails_with_one_line() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = run("health", "--url", f"http://127.0.0.1:{port}", "--wait", "0.3")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: http://127.0.0.1:{port} is not healthy: GET ")
    assert len(result.stderr.splitlines()) == 1
