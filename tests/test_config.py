"""Settings: defaults < MOCKOPIK_* environment < arguments; bad values name their variable."""

from __future__ import annotations

import pytest

from mockopik.app import create_app
from mockopik.config import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.resolve({})

    assert (settings.host, settings.port, settings.threads) == ("127.0.0.1", 5173, 8)
    assert (settings.workspaces, settings.api_key, settings.user) == ((), None, "admin")


def test_environment_over_defaults_and_arguments_over_environment() -> None:
    environ = {"MOCKOPIK_PORT": "8080", "MOCKOPIK_SEED": "7", "MOCKOPIK_WORKSPACES": "a, b,a", "OTHER": "x"}

    settings = Settings.resolve(environ, seed=9)

    assert (settings.port, settings.seed, settings.workspaces) == (8080, 9, ("a", "b"))


def test_create_app_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKOPIK_USER", "robot")

    app = create_app(count=1)

    runtime = app.extensions["mockopik"]
    assert (runtime.settings.user, runtime.settings.count) == ("robot", 1)


def test_settings_are_frozen() -> None:
    settings = Settings.resolve({})

    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MOCKOPIK_PORT": "http"}, "MOCKOPIK_PORT: expected a whole number from 0 to 65535, got 'http'"),
        ({"MOCKOPIK_PORT": "70000"}, "MOCKOPIK_PORT: expected a whole number from 0 to 65535, got '70000'"),
        ({"MOCKOPIK_THREADS": "0"}, "MOCKOPIK_THREADS: expected a whole number of 1 or more, got '0'"),
        ({"MOCKOPIK_SEED": "-1"}, "MOCKOPIK_SEED: expected a whole number of 0 or more, got '-1'"),
        ({"MOCKOPIK_HOST": " "}, "MOCKOPIK_HOST: expected a non-blank text, got ' '"),
        (
            {"MOCKOPIK_MAX_BODY_BYTES": "1e6"},
            "MOCKOPIK_MAX_BODY_BYTES: expected a whole number of 1 or more, got '1e6'",
        ),
    ],
)
def test_a_bad_environment_value_names_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.resolve(environ)

    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"port": True}, "port: expected a whole number from 0 to 65535, got True"),
        ({"workspaces": 3}, "workspaces: expected a comma-separated list of names, got 3"),
        ({"colour": "blue"}, "colour: not a mockopik setting"),
    ],
)
def test_a_bad_argument_names_the_setting(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.resolve({}, **overrides)

    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "expected"), [("", None), ("  ", None), ("key-1", "key-1"), (" key-2 ", "key-2")]
)
def test_optional_text_settings(text: str, expected: str | None) -> None:
    assert Settings.resolve({"MOCKOPIK_API_KEY": text}).api_key == expected
