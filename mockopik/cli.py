"""The `mockopik` command: serve the mock API; every setting is also a flag."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

import click

from mockopik import OPIK_VERSION, __version__
from mockopik.config import Settings, SettingsError, env_name
from mockopik.control import local_url, wait_until_healthy

F = TypeVar("F", bound=Callable[..., Any])
METAVARS = {"int": "N", "float": "X", "bool": "BOOL", "str": "TEXT", "str | None": "TEXT"}


def settings_options(command: F) -> F:
    """One `--flag` per Settings field (text parsed as the environment variable would be)."""
    defaults = Settings()
    for spec in reversed(dataclasses.fields(Settings)):
        default = getattr(defaults, spec.name)
        shown = ",".join(default) if isinstance(default, tuple) else default
        shown = "none" if shown in (None, "") else shown
        help_text = f"{spec.metadata['doc']}.  [env: {env_name(spec.name)}; default: {shown}]"
        flag = "--" + spec.name.replace("_", "-")
        metavar = METAVARS.get(str(spec.type), "A,B" if str(spec.type).startswith("tuple") else "VALUE")
        command = click.option(flag, spec.name, default=None, metavar=metavar, help=help_text)(command)
    return command


class SettingUsageError(click.ClickException):
    """A bad setting: one `Error: ...` line (no usage text), exit status 2 like other usage errors."""

    exit_code = 2


def resolve_settings(flags: dict[str, Any]) -> Settings:
    """Settings from the environment and the flags given; a bad value stops with one clear line."""
    try:
        return Settings.resolve(**flags)
    except SettingsError as error:
        given_as_flag = flags.get(error.name) is not None
        name = "--" + error.name.replace("_", "-") if given_as_flag else error.name
        raise SettingUsageError(f"{name}: {error.detail}") from None


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run `mockopik COMMAND --help` for a command's options.",
)
@click.version_option(
    __version__, prog_name="mockopik", message=f"%(prog)s %(version)s (Opik {OPIK_VERSION})"
)
def main() -> None:
    """A local mock server of the Opik Optimizations REST API.

    \b
    mockopik serve                       serve on 127.0.0.1:5173, the Opik SDK's default
    mockopik serve --port 8080 --seed 7  another port, other data
    mockopik health --wait 10            wait until a served mockopik answers
    """


@main.command()
@settings_options
@click.option("-q", "--quiet", is_flag=True, help="Do not log each request.")
def serve(quiet: bool, **flags: Any) -> None:
    """Serve the Opik Optimizations API until Ctrl-C or SIGTERM.

    Every option can also be set by its MOCKOPIK_* environment variable; options win.
    Requests are logged to stderr, one line each, unless --quiet is given.
    """
    from mockopik.app import create_app
    from mockopik.server import LiveServer

    settings = resolve_settings(flags)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    with contextlib.suppress(KeyboardInterrupt):  # also while the data is being built
        app = create_app(settings)
        try:
            server = LiveServer(app, settings, access_log=None if quiet else _log)
        except OSError as error:
            raise click.ClickException(f"cannot listen on {settings.host}:{settings.port}: {error}") from None
        sdk_url = local_url(settings.host, server.port) + "/api"
        _log(
            f"mockopik {__version__} (Opik {OPIK_VERSION}) listening on {server.url} ({_data(settings)}); "
            f"Opik SDK base URL: {sdk_url}"
        )
        server.serve_forever()
    _log("mockopik stopped")


@main.command()
@click.option(
    "--url", metavar="URL", help="Base URL of the mockopik to check.  [default: from MOCKOPIK_HOST/PORT]"
)
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Keep trying this long before giving up.  [default: 0, one try]",
)
def health(url: str | None, wait_seconds: float) -> None:
    """Check that a mockopik answers /_mockopik/health; exit status 0 when it does.

    Without --url, the address comes from the settings `serve` would use (MOCKOPIK_HOST and
    MOCKOPIK_PORT), so the container's HEALTHCHECK follows a changed port.
    """
    if url is None:
        settings = resolve_settings({})
        url = local_url(settings.host, settings.port)
    problem = wait_until_healthy(url, wait_seconds)
    if problem is not None:
        raise click.ClickException(f"{url} is not healthy: {problem}")
    click.echo(f"{url} is healthy")


def _data(settings: Settings) -> str:
    """Which data the server starts with (scenario and fixture settings are read when present)."""
    fixtures = getattr(settings, "fixtures", None)
    if fixtures:
        return f"fixtures {fixtures}"
    scenario = getattr(settings, "scenario", None)
    if scenario:
        return f"scenario {scenario}, seed {settings.seed}"
    return f"seed {settings.seed}, {settings.count} optimizations"


def _log(line: str) -> None:
    click.echo(line, err=True)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
