"""mockopik's OpenAPI document, generated with apispec from the marshmallow schemas that do the work."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import Schema, fields

from mockopik.contract.operations import ANY_REQUEST, OPERATIONS, Cause, Operation
from mockopik.version import OPIK_VERSION, __version__
from mockopik.wire import jackson, queries

OPENAPI_VERSION = "3.1.0"
# The Schemathesis settings that fit mockopik's document (and Opik's, with the drift applied).
SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
WRITE, PUBLIC = "_Write", "_Public"
JSON = "application/json"

# Opik's @Pattern for "null or not blank" (an optional @NotBlank text).
NULL_OR_NOT_BLANK = r"(?s)^\s*(\S.*\S|\S)\s*$"
UNTYPED_FIELDS = (fields.Raw, fields.Function, fields.Constant)


# -- generation -----------------------------------------------------------------------------------


class _Side:
    """The components of one side of the API (request bodies or responses), each named as Opik does."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        plugin = MarshmallowPlugin(schema_name_resolver=self.name)
        self.spec = APISpec("mockopik", __version__, OPENAPI_VERSION, plugins=[plugin])
        self.converter: Any = cast(Any, plugin.converter)  # apispec's converter is untyped
        for field_class, openapi_type in _FIELD_TYPES.items():
            self.converter.map_to_openapi_type(field_class, *openapi_type)
        self.converter.add_attribute_function(_described)
        self.converter.add_attribute_function(_validators)

    def name(self, schema: type[Schema] | Schema) -> str:
        schema_class = resolve_schema_cls(schema)
        assert isinstance(schema_class, type)
        named: str | Mapping[str, str] | None = getattr(schema_class, "opik_name", None)
        if named is not None:
            return named if isinstance(named, str) else named[self.suffix]
        return schema_class.__name__.removesuffix("Schema") + self.suffix

    def ref(self, schema: type[Schema] | Schema) -> dict[str, Any]:
        """A reference to `schema`, adding it (and what it nests) to the components."""
        reference: dict[str, Any] = self.converter.resolve_nested_schema(schema)
        return reference

    def parameters(self, query: Schema) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = self.converter.schema2parameters(query, location="query")
        return parameters

    def components(self) -> dict[str, Any]:
        components: dict[str, Any] = self.spec.to_dict().get("components", {}).get("schemas", {})
        return components


_FIELD_TYPES: dict[type[fields.Field[Any]], tuple[str, str | None]] = {
    jackson.Instant: ("string", "date-time"),
    fields.Enum: ("string", None),
    queries.QueryInt: ("integer", "int32"),
}


def _described(self: Any, field: fields.Field[Any], **kwargs: Any) -> dict[str, Any]:
    """A field holding JSON that a schema class describes (metadata `described_by`); apispec reads the
    field's other metadata (description, type, pattern, ...) itself. A field whose class says nothing
    of its JSON (Raw, Function, Constant) must say it in its metadata."""
    described_by = field.metadata.get("described_by")
    if described_by is not None:
        reference: dict[str, Any] = self.resolve_nested_schema(described_by)
        return reference
    untyped = isinstance(field, UNTYPED_FIELDS) and not {"type", "description"} & set(field.metadata)
    if untyped and isinstance(field.parent, Schema):
        raise TypeError(
            f"{type(field.parent).__name__}.{field.name}: say which JSON it holds in its metadata"
        )
    return {}


def _validators(self: Any, field: fields.Field[Any], **kwargs: Any) -> dict[str, Any]:
    """Opik's constraints for mockopik's validator functions (@NotBlank, @NotEmpty)."""
    checks = field.validators
    if jackson.not_blank in checks:
        return {"minLength": 1} if field.required else {"pattern": NULL_OR_NOT_BLANK}
    if jackson.not_empty in checks:
        return {"minItems": 1}
    return {}


def _content(side: _Side, bodies: Iterable[type[Schema] | Schema]) -> dict[str, Any]:
    refs = [side.ref(body) for body in dict.fromkeys(bodies)]
    return {JSON: {"schema": refs[0] if len(refs) == 1 else {"anyOf": refs}}}


def _responses(side: _Side, operation: Operation) -> dict[str, Any]:
    """One response per status; causes sharing a status share it (their bodies in an anyOf)."""
    by_status: dict[int, list[Cause]] = {}
    for cause in (*operation.causes, *(ANY_REQUEST if operation.authenticated else ())):
        by_status.setdefault(cause.status, []).append(cause)
    responses: dict[str, Any] = {}
    for status in sorted(by_status):
        causes = by_status[status]
        text = "; or ".join(cause.description for cause in causes)
        response: dict[str, Any] = {"description": text[:1].upper() + text[1:]}
        bodies = [cause.body for cause in causes if cause.body is not None]
        if bodies:
            response["content"] = _content(side, bodies)
        headers = {name: spec for cause in causes for name, spec in cause.headers.items()}
        if headers:
            response["headers"] = headers
        if str(status) in operation.links:
            response["links"] = dict(operation.links[str(status)])
        responses[str(status)] = response
    return responses


def _operation(write: _Side, public: _Side, operation: Operation) -> dict[str, Any]:
    document: dict[str, Any] = {
        "tags": [operation.tag],
        "summary": operation.summary,
        "operationId": operation.operation_id,
    }
    path_names = [part[1:-1] for part in operation.path.split("/") if part.startswith("{")]
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
        for name in path_names
    ]
    if operation.query is not None:
        parameters += write.parameters(operation.query)
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        document["requestBody"] = {"required": True, "content": _content(write, [operation.body])}
    document["responses"] = _responses(public, operation)
    return document


def build_spec() -> dict[str, Any]:
    """The OpenAPI document of the Opik API as mockopik serves it."""
    write, public = _Side(WRITE), _Side(PUBLIC)
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(write, public, operation)
    tags = sorted({operation.tag for operation in OPERATIONS})
    requests, responses = write.components(), public.components()
    clashes = [name for name in set(requests) & set(responses) if requests[name] != responses[name]]
    if clashes:
        raise ValueError(f"one name for different request and response schemas: {sorted(clashes)}")
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Opik REST API (mockopik)",
            "version": __version__,
            "description": f"The Opik Optimizations API as mockopik {__version__} serves it "
            f"(Opik backend behaviour of SDK {OPIK_VERSION}), generated from its marshmallow schemas.",
        },
        "servers": [
            {"url": "/api", "description": "The Opik SDK's base URL"},
            {"url": "/", "description": "What the Opik UI's proxy forwards"},
        ],
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {"schemas": dict(sorted({**requests, **responses}.items()))},
    }


@functools.cache
def spec_json() -> str:
    """The document as JSON text (generated once per process: it depends on code only)."""
    return json.dumps(build_spec(), indent=2)


def render(path: str, document: Mapping[str, Any] | None = None) -> str:
    """`document` (default: mockopik's) as text for `path`: YAML for .yaml/.yml, else JSON."""
    if path.endswith((".yaml", ".yml")):
        return yaml.safe_dump(dict(document or build_spec()), sort_keys=False, allow_unicode=True)
    return (spec_json() if document is None else json.dumps(document, indent=2)) + "\n"
