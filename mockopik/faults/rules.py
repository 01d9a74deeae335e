"""Fault rules: one JSON shape (file, environment, admin API, pytest), validated by marshmallow."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from uuid import UUID

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from mockopik.domain import json_text
from mockopik.faults.latency import LATENCY_SYNTAX, Latency, parse_latency
from mockopik.wire.messages import SCHEMA, walk

CONNECTION_FAULTS = ("reset", "empty", "truncate")
SETTINGS, API = "settings", "api"  # where a rule in force came from: boot (reset restores) or runtime
HEADER_RULE_ID = "header"
NO_BODY: Any = object()
MAX_RULES = 1000  # rules in force at once
MAX_BODY_BYTES = 64 * 1024  # the JSON of a rule's answer body
MAX_HEADERS = 50  # extra headers of a rule's answer
MAX_VALUES = 1000  # ids a rule makes vanish; values of one match criterion
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$")  # an HTTP token
_HEADER_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]{0,8192}$")  # one line of Latin-1 text
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


class ConnectionFault(BaseException):
    """Raised past the app (it is no Exception) so that the server drops the connection unanswered;
    `fired` names the rules that fired on the request."""

    def __init__(self, kind: str, fired: Sequence[str] = ()) -> None:
        super().__init__(kind)
        self.kind = kind
        self.fired = tuple(fired)


class RuleError(ValueError):
    """Rules that do not validate; the message lists every problem as `path: message`."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Request:
    """What a rule can match on in one request."""

    operation: str
    method: str
    path: str
    workspace: str
    optimization_id: str | None = None


@dataclass(frozen=True)
class Match:
    """Which requests a rule applies to; an empty criterion matches everything."""

    operation: tuple[str, ...] = ()
    method: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    workspace: tuple[str, ...] = ()
    optimization_id: tuple[str, ...] = ()

    def matches(self, request: Request) -> bool:
        return (
            _any_glob(self.operation, request.operation)
            and (not self.method or request.method in self.method)
            and (not self.path or any(_path_matches(glob, request.path) for glob in self.path))
            and (not self.workspace or request.workspace in self.workspace)
            and (not self.optimization_id or request.optimization_id in self.optimization_id)
        )


@dataclass(frozen=True)
class Window:
    """Seconds after the rule was added during which it is active (`end` None: for ever)."""

    start: float = 0.0
    end: float | None = None

    def contains(self, age: float) -> bool:
        return self.start <= age and (self.end is None or age < self.end)


@dataclass(frozen=True)
class Rule:
    """One fault rule: what it matches, what it does, and how often."""

    id: str
    match: Match = field(default_factory=Match)
    status: int | None = None
    body: Any = NO_BODY
    headers: Mapping[str, str] = field(default_factory=dict)
    retry_after: int | None = None
    latency: Latency | None = None
    connection: str | None = None
    vanish: tuple[UUID, ...] = ()
    probability: float = 1.0
    times: int | None = None
    after: int = 0
    window: Window | None = None

    @property
    def answers(self) -> bool:
        """Whether the rule replaces the response (rather than only delaying it or hiding ids)."""
        return self.status is not None or self.connection is not None

    def to_json(self) -> dict[str, Any]:
        """The rule in its JSON form, leaving out what was not given."""
        dumped: dict[str, Any] = RuleSchema(exclude=("body",)).dump(self)
        compact: dict[str, Any] = _compact(dumped)
        if self.body is not NO_BODY:
            compact["body"] = self.body
        return compact


def _compact(value: Any) -> Any:
    """Drop nulls and empty objects or lists, recursively."""
    if not isinstance(value, dict):
        return value
    pairs = ((key, _compact(item)) for key, item in value.items())
    return {key: item for key, item in pairs if item is not None and item != {} and item != []}


def _any_glob(globs: tuple[str, ...], value: str) -> bool:
    return not globs or any(fnmatchcase(value, glob) for glob in globs)


def _path_matches(glob: str, path: str) -> bool:
    """Paths match with or without the `/api` prefix and a trailing slash."""
    trimmed = path.rstrip("/") or "/"
    short = trimmed[4:] if trimmed.startswith("/api/") else trimmed
    return any(fnmatchcase(candidate, glob.rstrip("/") or "/") for candidate in (trimmed, short))


# -- schema ---------------------------------------------------------------------------------


class OneOrMany(fields.Field[tuple[str, ...]]):
    """A string or a list of strings; read as a tuple, written back as it is best read."""

    def __init__(self, item: fields.Field[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise ValidationError("must not be empty")
        if len(items) > MAX_VALUES:
            raise ValidationError(f"at most {MAX_VALUES} values")
        return tuple(dict.fromkeys(str(self.item.deserialize(item)) for item in items))

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if not value:
            return None
        return value[0] if len(value) == 1 else list(value)


class Upper(fields.String):
    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return str(super()._deserialize(value, attr, data, **kwargs)).strip().upper()


class LatencyField(fields.Field[Latency]):
    """A latency spec: milliseconds as a number, or text such as `2s`, `100-800`, `lognormal:200,p99=1500`."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Latency:
        try:
            return parse_latency(value)
        except ValueError as error:
            raise ValidationError(f"expected {LATENCY_SYNTAX}: {error}") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else str(value)


class MatchSchema(Schema):
    class Meta:
        unknown = RAISE

    operation = OneOrMany(fields.String(validate=validate.Length(min=1)))
    method = OneOrMany(Upper(validate=validate.OneOf(_METHODS)))
    path = OneOrMany(fields.String(validate=validate.Regexp(r"^[/*]", error="must start with /")))
    workspace = OneOrMany(fields.String(validate=validate.Length(min=1)))
    optimization_id = OneOrMany(fields.UUID())

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Match:
        return Match(**data)


class WindowSchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.Float(validate=validate.Range(min=0), load_default=0.0)
    end = fields.Float(validate=validate.Range(min=0, min_inclusive=False))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("end") is not None and data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Window:
        return Window(**data)


class RuleSchema(Schema):
    """A fault rule as JSON; unknown keys are refused so that typos do not go unnoticed."""

    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.String(validate=validate.Regexp(_RULE_ID, error="must be 1-64 letters, digits or ._:-"))
    match = fields.Nested(MatchSchema, load_default=Match)
    status = fields.Integer(strict=True, validate=validate.Range(400, 599))
    body = fields.Raw(allow_none=True, validate=lambda body: _small_json(body))  # null: an empty body
    headers = fields.Dict(
        keys=fields.String(validate=validate.Regexp(_HEADER_NAME, error="must be a header name")),
        values=fields.String(
            validate=validate.Regexp(_HEADER_VALUE, error="must be one line of Latin-1 text, 8192 at most")
        ),
        validate=validate.Length(max=MAX_HEADERS, error=f"at most {MAX_HEADERS} headers"),
    )
    retry_after = fields.Integer(strict=True, validate=validate.Range(min=0))
    latency = LatencyField()
    connection = fields.String(validate=validate.OneOf(CONNECTION_FAULTS))
    vanish = fields.List(
        fields.UUID(),
        validate=[validate.Length(min=1), validate.Length(max=MAX_VALUES, error=f"at most {MAX_VALUES} ids")],
    )
    probability = fields.Float(validate=validate.Range(0, 1), load_default=1.0)
    times = fields.Integer(strict=True, validate=validate.Range(min=1))
    after = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=0)
    window = fields.Nested(WindowSchema)

    @validates_schema
    def _one_effect(self, data: dict[str, Any], **kwargs: Any) -> None:
        answers = [name for name in ("status", "connection", "vanish") if name in data]
        if len(answers) > 1:
            raise ValidationError(f"{' and '.join(answers)} exclude each other", "_schema")
        if not answers and "latency" not in data:
            raise ValidationError("a rule needs an effect: status, latency, connection or vanish", "_schema")
        if any(name in data for name in ("body", "headers", "retry_after")) and "status" not in data:
            raise ValidationError("body, headers and retry_after need a status", "_schema")
        if "retry_after" in data and data["status"] not in (429, 503):
            raise ValidationError("needs status 429 or 503", "retry_after")
        if "vanish" in data:
            _check_vanish(data)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Rule:
        if "vanish" in data:
            data["vanish"] = tuple(dict.fromkeys(data["vanish"]))
        data.setdefault("id", "")
        return Rule(**data)


def _small_json(body: Any) -> None:
    size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_BODY_BYTES:
        raise ValidationError(f"at most {MAX_BODY_BYTES} bytes of JSON, got {size}")


def _check_vanish(data: dict[str, Any]) -> None:
    """Ids vanish for good or for a window: chance and counting would make the world incoherent."""
    if data["probability"] != 1 or data["after"] or "times" in data or "latency" in data:
        raise ValidationError("vanish takes no probability, times, after or latency", "vanish")
    match: Match = data["match"]
    if match != Match(workspace=match.workspace):
        raise ValidationError("a vanish rule can only match on workspace", "match")


def load_rules(value: Any, operations: Collection[str] | None = None) -> list[Rule]:
    """Rules from parsed JSON: one rule object or a list of them. RuleError lists every problem at
    once: shapes, and operation names that match none of `operations` (when given)."""
    items = value if isinstance(value, list) else [value]
    rules: list[Rule] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        where = f"rule {index + 1}: " if isinstance(value, list) else ""
        if not isinstance(item, dict):
            whole = "" if isinstance(value, list) else " or a list of rules"
            problems.append(f"{where}expected a rule (a JSON object){whole}")
            continue
        try:
            rules.append(RuleSchema().load(item))
        except ValidationError as error:
            problems.extend(f"{where}{problem}" for problem in _lines(error.messages))
        problems.extend(f"{where}{problem}" for problem in unknown_operations(_globs(item), operations))
    if problems:
        raise RuleError(problems)
    return rules


def unknown_operations(
    globs: Sequence[str], operations: Collection[str] | None, where: str = "match.operation"
) -> list[str]:
    """A problem for each operation glob that matches none of `operations` (None: any name goes)."""
    if operations is None:
        return []
    unknown = [glob for glob in globs if not any(fnmatchcase(name, glob) for name in operations)]
    known = ", ".join(sorted(operations))
    return [f"{where}: {glob!r} matches no operation ({known})" for glob in unknown]


def _globs(item: dict[str, Any]) -> list[str]:
    """The operation globs of a rule as JSON, whatever else is wrong with it."""
    match = item.get("match")
    globs = match.get("operation") if isinstance(match, dict) else None
    listed = [globs] if isinstance(globs, str) else globs if isinstance(globs, list) else []
    return [glob for glob in listed if isinstance(glob, str) and glob]


def _lines(messages: Any) -> Iterator[str]:
    """marshmallow's messages as `path: message` lines."""
    for path, message in walk(messages):
        where = ".".join(str(segment) for segment in path if segment != SCHEMA)
        yield f"{where}: {message}" if where else str(message)


def read_rules_source(source: str, operations: Collection[str] | None = None) -> list[Rule]:
    """The rules of a `faults` setting: inline JSON (starting with [ or {) or the path of a JSON file."""
    text = source if source.lstrip()[:1] in ("[", "{") else _read_file(source)
    try:
        value = json_text.loads(text)
    except ValueError as error:
        raise RuleError([f"not valid JSON: {error}"]) from None
    return load_rules(value, operations)


def _read_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RuleError([f"cannot read {path}: {error.strerror or error}"]) from None


def parse_fault_header(value: str) -> Rule:
    """The outcome a request forces with `X-Mockopik-Fault: status=503, delay=2s` (also `connection=`)."""
    names = {"status": "status", "delay": "latency", "connection": "connection", "retry_after": "retry_after"}
    raw: dict[str, Any] = {"id": HEADER_RULE_ID}
    for item in filter(None, (part.strip() for part in re.split(r"[,;]", value))):
        key, _, text = item.partition("=")
        key = key.strip().lower().replace("-", "_")
        if key not in names or not text.strip():
            raise RuleError([f"expected status=<code>, delay=<latency>, connection=<kind>, got {item!r}"])
        text = text.strip()
        raw[names[key]] = int(text) if key in ("status", "retry_after") and text.isdigit() else text
    return load_rules(raw)[0]
