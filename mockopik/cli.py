"""The `mockopik` command: serve the mock API; every setting is also a flag."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mockopik.config import TIMELINE, Settings, SettingsError, env_name
from mockopik.testing.control import ControlClient, ControlError, local_url, wait_until_healthy
from mockopik.version import OPIK_VERSION, __version__

if TYPE_CHECKING:
    from mockopik.http.server import LiveServer

F = TypeVar("F", bound=Callable[..., Any])
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
EXPORT_TIMEOUT = 120.0  # a large data set takes seconds to write
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
    return checked(Settings.resolve, flags=flags, **flags)


R = TypeVar("R")


def checked(action: Callable[..., R], *args: Any, flags: dict[str, Any], **kwargs: Any) -> R:
    """`action` run so that a bad setting or a broken fixture file stops with one clear error."""
    from mockopik.data.fixture_files import FixtureError

    try:
        return action(*args, **kwargs)
    except SettingsError as error:
        given_as_flag = flags.get(error.name) is not None
        name = "--" + error.name.replace("_", "-") if given_as_flag else error.name
        raise SettingUsageError(f"{name}: {error.detail}") from None
    except FixtureError as error:
        raise click.ClickException(str(error)) from None


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
    from mockopik.http.server import LiveServer

    settings = resolve_settings(flags)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    stopped = threading.Event()
    with contextlib.suppress(KeyboardInterrupt):  # while the data is being built
        app = checked(create_app, settings, flags=flags)
        try:
            server = LiveServer(app, settings, access_log=None if quiet else _log)
        except OSError as error:
            raise click.ClickException(f"cannot listen on {settings.host}:{settings.port}: {error}") from None
        runtime = app.extensions["mockopik"]
        runtime.keep_data_from_collector()
        source = runtime.source
        _log(
            f"mockopik {__version__} (Opik {OPIK_VERSION}) listening on {server.url} ({source}); "
            f"Opik SDK base URL: {_sdk_url(settings.host, server.port)}"
        )
        _stop_on_signals(server, stopped)
        server.serve_forever()
    _log("mockopik stopped")
    if stopped.is_set():
        runtime.close()
        _exit_now()


_URL = click.option(
    "--url",
    metavar="URL",
    help="Base URL of the running mockopik.  [default: from MOCKOPIK_HOST and MOCKOPIK_PORT]",
)


def _served_url(url: str | None) -> str:
    """The given URL, else where `mockopik serve` listens with the same settings (MOCKOPIK_HOST/PORT),
    so that a command follows a changed port, in a container too."""
    if url is not None:
        return url.rstrip("/")
    settings = resolve_settings({})
    return local_url(settings.host, settings.port)


@main.command()
@_URL
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
    url = _served_url(url)
    problem = wait_until_healthy(url, wait_seconds)
    if problem is not None:
        raise click.ClickException(f"{url} is not healthy: {problem}")
    click.echo(f"{url} is healthy")


@main.group()
def fixtures() -> None:
    """Fixture files (JSON, format 1): generate, export from a running mock, check; list scenarios."""


@fixtures.command()
@click.option("--seed", default=None, metavar="N", help="Seed of the generated data.  [default: 0]")
@click.option("--count", default=None, metavar="N", help="Number of optimizations.  [default: 25]")
@click.option("--scenario", default=None, metavar="NAME", help="A named scenario instead of seed/count.")
@click.option(
    "--reference-time",
    default=TIMELINE,
    metavar="INSTANT",
    show_default=True,
    help="Instant the data is dated back from, or now.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
def generate(output: str | None, **flags: Any) -> None:
    """Write generated data (or a scenario) as a fixture file a person can read and edit."""
    from mockopik.clock import SystemClock
    from mockopik.data import boot, fixture_files

    settings = resolve_settings(flags)
    clock = SystemClock()
    workspaces = checked(boot.boot_snapshot, settings, clock, flags=flags).fresh()
    _write(fixture_files.dumps(fixture_files.dump(workspaces)).encode("utf-8"), output)


@fixtures.command()
@_URL
@click.option(
    "--admin-token",
    metavar="TOKEN",
    help="The admin token the mock requires, if any.  [default: from MOCKOPIK_ADMIN_TOKEN]",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
def export(url: str | None, admin_token: str | None, output: str | None) -> None:
    """Save the state of a running mock as a fixture file (GET /_mockopik/fixtures)."""
    token = admin_token or resolve_settings({}).admin_token
    try:
        client = ControlClient(_served_url(url), timeout=EXPORT_TIMEOUT, token=token)
        exported = client.fetch("GET", "fixtures")
    except ControlError as error:
        raise click.ClickException(f"cannot export: {error}") from None
    _write(exported, output)


@fixtures.command()
@click.argument("path", type=click.Path(dir_okay=False))
def check(path: str) -> None:
    """Validate a fixture file: every problem is listed, with where it is; exit status 1 if any."""
    from mockopik.data.fixture_files import Generate, read_file

    loaded = checked(read_file, path, Settings().user, flags={})
    if isinstance(loaded, Generate):
        click.echo(f"{path}: ok, generates data with recipe {loaded.recipe}")
        return
    runs = sum(len(space.optimizations) for space in loaded.values())
    click.echo(f"{path}: ok, {len(loaded)} workspace(s), {runs} optimization(s)")


@fixtures.command()
def scenarios() -> None:
    """List the named scenarios (mockopik serve --scenario NAME)."""
    from mockopik.data import scenarios as named

    for name in named.scenario_names():
        click.echo(f"{name:<12} {named.describe(name)}")


def _write(data: bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        with open(output, "wb") as file:
            file.write(data)


def _sdk_url(host: str, port: int) -> str:
    """What to give the Opik SDK; listening on every interface (a container, say), the URL depends on
    where the client is and which port was published, so say so."""
    here = local_url(host, port) + "/api"
    if host not in WILDCARD_HOSTS:
        return here
    return (
        f"{here} on this machine; through a published port (docker run -p 8080:{port}) or from "
        "another machine: http://<host>:<published port>/api"
    )


def _log(line: str) -> None:
    click.echo(line, err=True)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_signals(server: LiveServer, stopped: threading.Event) -> None:
    """SIGTERM and Ctrl-C stop the server from a thread of their own, while its loop sends what the
    requests in flight answer (see `LiveServer.stop`)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        if not stopped.is_set():
            stopped.set()
            threading.Thread(target=server.stop, name="mockopik-stop", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _exit_now() -> None:
    """Exit without tearing down the data, object by object: with tens of thousands of runs that
    takes the interpreter seconds, and there is nothing left to save (writes are on disk already)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


_OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write: YAML for .yaml/.yml, else JSON (default: JSON on stdout).",
)


@main.command()
@_OUTPUT
def openapi(output: str | None) -> None:
    """Write mockopik's OpenAPI document (generated from its schemas)."""
    from mockopik.contract.openapi import render

    _write(render(output or "-").encode("utf-8"), output)


_AGAINST = click.option(
    "--against", required=True, metavar="SPEC", help="Opik's OpenAPI document (YAML or JSON)."
)


def _opik_document(path: str) -> dict[str, Any]:
    from mockopik.contract.diff import load_document

    try:
        return load_document(path)
    except (OSError, ValueError) as error:
        raise click.UsageError(f"--against: {error}") from None


@main.group()
def contract() -> None:
    """Compare mockopik with Opik's OpenAPI spec."""


@contract.command("diff")
@_AGAINST
@click.option("-v", "--verbose", is_flag=True, help="List every known deliberate drift too.")
def contract_diff(against: str, verbose: bool) -> None:
    """What differs in the Optimizations API; exit status 1 if anything is not a known drift."""
    from mockopik.contract.diff import check, render

    try:
        report = check(_opik_document(against))
    except (AttributeError, KeyError, TypeError, ValueError) as error:  # not shaped as OpenAPI 3
        raise click.UsageError(f"--against: cannot read it as OpenAPI 3: {error!r}") from None
    click.echo(render(report, verbose=verbose))
    raise SystemExit(1 if report.undocumented else 0)


@contract.command("drift")
def contract_drift() -> None:
    """Print the deliberate drift list (the README's table)."""
    from mockopik.contract.drift import markdown_table

    click.echo(markdown_table())


@contract.command("schemathesis-config")
def contract_schemathesis_config() -> None:
    """Print the path of the Schemathesis settings that fit mockopik (for --config-file)."""
    from mockopik.contract.openapi import SCHEMATHESIS_CONFIG

    click.echo(SCHEMATHESIS_CONFIG)


@contract.command("apply-drift")
@_AGAINST
@_OUTPUT
def contract_apply_drift(against: str, output: str | None) -> None:
    """Write Opik's document with the deliberate drift applied: what the backend does, for Schemathesis."""
    from mockopik.contract.drift import as_backend
    from mockopik.contract.openapi import build_spec, render

    document = as_backend(_opik_document(against), build_spec())
    _write(render(output or "-", document).encode("utf-8"), output)
