"""Frozen settings resolved from defaults < MOCKOPIK_* environment < explicit arguments."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from mockopik.clock import Duration, format_instant, parse_duration, parse_instant
from mockopik.faults.latency import LATENCY_SYNTAX, Latency, parse_latency

ENV_PREFIX = "MOCKOPIK_"


class SettingsError(ValueError):
    """A setting has a value mockopik cannot use; the message names the setting."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


class ExplainedValueError(ValueError):
    """A parse failure whose message says what is wrong; it is shown after the expected form."""


@dataclass(frozen=True)
class Kind:
    """How one setting is parsed from text (environment, CLI) or checked from a Python value."""

    expected: str
    parse: Callable[[object], object]


def _whole(low: int, high: int | None = None) -> Kind:
    def parse(raw: object) -> int:
        if isinstance(raw, bool):
            raise ValueError(raw)
        value = int(raw.strip()) if isinstance(raw, str) else raw
        if not isinstance(value, int) or value < low or (high is not None and value > high):
            raise ValueError(raw)
        return value

    bound = f"from {low} to {high}" if high is not None else f"of {low} or more"
    return Kind(f"a whole number {bound}", parse)


def _parse_text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw.strip()


def _parse_optional_text(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return _parse_text(raw)


def _parse_names(raw: object) -> tuple[str, ...]:
    if isinstance(raw, str):
        items = raw.split(",")
    elif isinstance(raw, (list, tuple)) and all(isinstance(item, str) for item in raw):
        items = list(raw)
    else:
        raise ValueError(raw)
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


TEXT = Kind("a non-blank text", _parse_text)
OPTIONAL_TEXT = Kind("a text (empty for none)", _parse_optional_text)
NAMES = Kind("a comma-separated list of names", _parse_names)
PORT = _whole(0, 65535)
POSITIVE = _whole(1)
NATURAL = _whole(0)


# -- kinds of the fault-injection settings --


def _parse_rate(raw: object) -> float:
    value = float(raw.strip()) if isinstance(raw, str) else raw
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(raw)
    return float(value)


def _parse_optional_latency(raw: object) -> Latency | None:
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "0", "off", "none"}):
        return None
    if isinstance(raw, Latency):
        return raw
    try:
        return parse_latency(raw)
    except ValueError as error:
        raise ExplainedValueError(error) from None


def _parse_duration(raw: object) -> Duration:
    try:
        return raw if isinstance(raw, Duration) else parse_duration(raw)
    except ValueError as error:
        raise ExplainedValueError(error) from None


def _parse_fault_rules(raw: object) -> str | None:
    """A rules source: a path, JSON text, or rules as Python lists and dicts. The rules are checked,
    every problem at once, when an app is built with them (`mockopik.runtime.boot_rules`)."""
    if isinstance(raw, (list, dict)):
        raw = json.dumps(raw)
    return _parse_optional_text(os.fspath(raw) if isinstance(raw, os.PathLike) else raw)


def _parse_optional_seed(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return cast(int, NATURAL.parse(raw))


LATENCY = Kind(f"a latency: {LATENCY_SYNTAX}; empty or off for none", _parse_optional_latency)
RATE = Kind("a number from 0 to 1", _parse_rate)
DURATION = Kind("a duration: milliseconds, or with a unit (250ms, 2s, 1m)", _parse_duration)
FAULT_RULES = Kind("a JSON file of fault rules, or rules as inline JSON", _parse_fault_rules)
ONE_MINUTE = Duration(60.0)
OPTIONAL_SEED = Kind("a whole number of 0 or more (empty: the data seed)", _parse_optional_seed)
DEFAULT_REFERENCE_TIME = "now"
# Generated data is made on this fixed timeline (its ids are minted from these dates), then dated back
# from the reference instant: the same seed gives the same ids whenever a mock starts.
TIMELINE = "2026-11-01T12:00:00.000000Z"


def _parse_reference_time(raw: object) -> str:
    """`now`, or an ISO-8601 instant with a zone, normalized to 2026-11-01T12:00:00.000000Z."""
    text = _parse_text(raw)
    if text.lower() == "now":
        return "now"
    moment = parse_instant(text)
    if moment is None:
        raise ValueError(raw)
    return format_instant(moment)


REFERENCE_TIME = Kind("an ISO-8601 instant such as 2026-11-01T12:00:00Z, or now", _parse_reference_time)
MAX_PACE = 1_000_000


def _parse_pace(raw: object) -> float:
    value = float(raw.strip()) if isinstance(raw, str) else raw
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_PACE:
        raise ValueError(raw)
    return float(value)


PACE = Kind(f"a number from 0 to {MAX_PACE:,}", _parse_pace)


def _parse_workspace_version(raw: object) -> str:
    """`version_1` or `version_2` (also `v1`, `v2`, `1`, `2`)."""
    text = _parse_text(raw).lower().removeprefix("version_").removeprefix("v")
    if text not in ("1", "2"):
        raise ValueError(raw)
    return f"version_{text}"


WORKSPACE_VERSION = Kind("version_1 or version_2 (or v1, v2)", _parse_workspace_version)


def _setting(default: Any, kind: Kind, doc: str) -> Any:
    return field(default=default, metadata={"kind": kind, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Everything a mockopik instance is configured with; build it with `Settings.resolve`."""

    host: str = _setting("127.0.0.1", TEXT, "Interface the server listens on")
    port: int = _setting(5173, PORT, "TCP port (0 picks a free one)")
    threads: int = _setting(8, POSITIVE, "Worker threads of the HTTP server")
    connection_limit: int = _setting(
        1000, POSITIVE, "Connections the HTTP server keeps open at once (idle keep-alive ones included)"
    )
    channel_timeout: int = _setting(120, POSITIVE, "Seconds an idle connection stays open")
    seed: int = _setting(0, NATURAL, "Seed of the generated data")
    count: int = _setting(25, NATURAL, "Number of generated optimizations")
    workspaces: tuple[str, ...] = _setting(
        (), NAMES, "Workspaces that exist (empty: any workspace is accepted)"
    )
    api_key: str | None = _setting(
        None, OPTIONAL_TEXT, "API key every request must send in Authorization (empty: none)"
    )
    admin_token: str | None = _setting(
        None, OPTIONAL_TEXT, "Token the admin API requires as Authorization: Bearer <token> (empty: none)"
    )
    admin_origins: tuple[str, ...] = _setting(
        (), NAMES, "Web origins whose pages may call the admin API (empty: same-origin pages only)"
    )
    max_body_bytes: int = _setting(
        20 * 1024 * 1024, POSITIVE, "Largest request body accepted, after gzip decompression"
    )
    user: str = _setting("admin", TEXT, "User name written to created_by / last_updated_by")
    # -- fault injection (mockopik.faults) --
    latency: Latency | None = _setting(  # noqa: RUF009 (Latency is frozen)
        None, LATENCY, "Delay of every Opik response: " + LATENCY_SYNTAX
    )
    not_found_rate: float = _setting(0.0, RATE, "Share of get/update-by-id requests answered with their 404")
    error_rate: float = _setting(0.0, RATE, "Share of Opik requests answered with a 500")
    faults: str | None = _setting(None, FAULT_RULES, "Fault rules: a JSON file, or the rules as inline JSON")
    fault_seed: int | None = _setting(None, OPTIONAL_SEED, "Seed of the fault RNG (empty: the data seed)")
    max_delay: Duration = _setting(ONE_MINUTE, DURATION, "Longest delay any fault injects")  # noqa: RUF009
    journal_size: int = _setting(1000, NATURAL, "Requests kept in the request journal (0: none)")
    journal_bytes: int = _setting(
        16 * 1024 * 1024,
        POSITIVE,
        "Bytes of bodies and headers the journal keeps (the oldest requests go first)",
    )
    # -- data: scenarios, fixture files and the reference instant of generated data --
    scenario: str | None = _setting(
        None, OPTIONAL_TEXT, "Named data set to serve instead of seed/count (mockopik fixtures scenarios)"
    )
    fixtures: str | None = _setting(
        None, OPTIONAL_TEXT, "Fixture file (JSON, format 1) to serve instead of generated data"
    )
    pace: float = _setting(
        1.0, PACE, "Simulated seconds per real second (0 freezes the clock, 60: an hour a minute)"
    )
    state: str | None = _setting(
        None,
        OPTIONAL_TEXT,
        "SQLite file that keeps the data across restarts, each write saved (empty: none)",
    )
    reference_time: str = _setting(
        DEFAULT_REFERENCE_TIME,
        REFERENCE_TIME,
        "Instant generated data is dated back from: now (the start), or an ISO-8601 instant",
    )

    # -- the Opik UI --
    workspace_version: str = _setting(
        "version_2",
        WORKSPACE_VERSION,
        "Pages the Opik UI shows: version_2 (project pages) or version_1 (workspace pages)",
    )

    @classmethod
    def resolve(cls, environ: Mapping[str, str] | None = None, /, **overrides: object) -> Settings:
        """Defaults, then `MOCKOPIK_*` variables of `environ` (os.environ if None), then overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for spec in dataclasses.fields(cls):
            variable = env_name(spec.name)
            if variable in env:
                values[spec.name] = _convert(variable, spec.metadata["kind"], env[variable])
        return cls(**values).replace(**overrides)  # type: ignore[arg-type]

    def replace(self, **overrides: object) -> Settings:
        """A copy with the given settings changed (None leaves a setting as it is)."""
        known = {spec.name: spec for spec in dataclasses.fields(self)}
        changes: dict[str, object] = {}
        for name, raw in overrides.items():
            if name not in known:
                raise SettingsError(name, "not a mockopik setting")
            if raw is not None:
                changes[name] = _convert(name, known[name].metadata["kind"], raw)
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def env_name(setting: str) -> str:
    """The environment variable that sets `setting`."""
    return ENV_PREFIX + setting.upper()


def _convert(name: str, kind: Kind, raw: object) -> object:
    try:
        return kind.parse(raw)
    except (TypeError, ValueError) as error:
        reason = f" ({error})" if isinstance(error, ExplainedValueError) else ""
        raise SettingsError(name, f"expected {kind.expected}, got {raw!r}{reason}") from None


SECRET_SETTINGS = ("api_key", "admin_token")  # shown masked by /_mockopik/config


def admin_token_from(environ: Mapping[str, str] | None = None) -> str | None:
    """The admin token MOCKOPIK_ADMIN_TOKEN sets, for clients of a mock running elsewhere."""
    env = os.environ if environ is None else environ
    return _parse_optional_text(env.get(env_name("admin_token")))


# The pytest plugin drives an already running mockopik (a container, say) when this names its URL.
REMOTE_URL_VARIABLE = ENV_PREFIX + "URL"


def remote_url(environ: Mapping[str, str] | None = None) -> str | None:
    """MOCKOPIK_URL without a trailing `/` or `/api`, or None when unset or blank."""
    env = os.environ if environ is None else environ
    url = env.get(REMOTE_URL_VARIABLE, "").strip().rstrip("/").removesuffix("/api")
    return url or None
