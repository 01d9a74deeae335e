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

F = TypeVar("F", bound=Callable[..., Any])


def settings_options(command: F) -> F:
    """One `--flag` per Settings field (text parsed as the environment variable would be)."""
    defaults = Settings()
    for spec in reversed(dataclasses.fields(Settings)):
        default = getattr(defaults, spec.name)
        shown = ",".join(default) if isinstance(default, tuple) else default
        help_text = f"{spec.metadata['doc']}.  [env: {env_name(spec.name)}; default: {shown}]"
        flag = "--" + spec.name.replace("_", "-")
        command = click.option(flag, spec.name, default=None, metavar="VALUE", help=help_text)(command)
    return command


def resolve_settings(flags: dict[str, Any]) -> Settings:
    """Settings from the environment and the flags given; a bad value is a usage error."""
    try:
        return Settings.resolve(**flags)
    except SettingsError as error:
        given_as_flag = flags.get(error.name) is not None
        name = "--" + error.name.replace("_", "-") if given_as_flag else error.name
        raise click.UsageError(f"{name}: {error.detail}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(
    __version__, prog_name="mockopik", message=f"%(prog)s %(version)s (Opik {OPIK_VERSION})"
)
def main() -> None:
    """A local mock server of the Opik Optimizations REST API."""


@main.command()
@settings_options
def serve(**flags: Any) -> None:
    """Serve the Opik Optimizations API until Ctrl-C or SIGTERM."""
    from mockopik.app import create_app
    from mockopik.server import LiveServer

    settings = resolve_settings(flags)
    try:
        app = create_app(settings)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None
    server = LiveServer(app, settings)
    click.echo(
        f"mockopik {__version__} listening on {server.url} "
        f"(seed {settings.seed}, {settings.count} optimizations); "
        f"Opik SDK base URL: {server.url}/api",
        err=True,
    )
    signal.signal(signal.SIGTERM, _stop_on_signal)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    click.echo("mockopik stopped", err=True)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
