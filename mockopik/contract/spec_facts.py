"""An OpenAPI document read as comparable facts: operations, parameters, fields, types, enums, statuses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SCOPE_TAG = "Optimizations"
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")
_MAX_DEPTH = 12
PRESENT, OPERATION, BODY = "present", "(operation)", "(body)"


@dataclass(frozen=True, order=True)
class Fact:
    """One thing a document says about an operation; `subject` is what it is about, `detail` what."""

    operation: str
    where: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Node:
    """A field, parameter or body as a comparable shape."""

    type: str
    format: str | None
    enum: frozenset[str]
    required: bool


def in_scope(operation: Mapping[str, Any]) -> bool:
    """An operation of the Optimizations API: what the drift check compares."""
    return SCOPE_TAG in (operation.get("tags") or [])


def operation_key(method: str, path: str) -> str:
    """ "GET /v1/private/optimizations/{}": an operation, whatever its path parameters are named."""
    return f"{method.upper()} {_PATH_PARAMETER.sub('{}', path)}"


class Document:
    """A parsed OpenAPI 3 document with local `$ref`s resolved on demand."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node and seen < _MAX_DEPTH:
            node = self._follow(str(node["$ref"]))
            seen += 1
        return node

    def _follow(self, reference: str) -> Any:
        if not reference.startswith("#/"):
            raise ValueError(f"only local references are supported, not {reference!r}")
        node: Any = self.raw
        for part in reference[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def operations(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """(key, label, operation) of every operation; the key ignores path parameter names."""
        for path, item in (self.raw.get("paths") or {}).items():
            for method in METHODS:
                if method in item:
                    operation = item[method]
                    yield operation_key(method, path), f"{method.upper()} {path}", operation


def shape(document: Document, schema: Any, required: bool = False) -> Node:
    """The type, format and enum of a schema."""
    schema = document.resolve(schema) or {}
    return Node(_kind(document, schema), schema.get("format"), _enum(schema), required)


def _kind(document: Document, schema: Any) -> str:
    """ "object", "string", ...; a composed schema has its branches' kinds ("array|object|string").
    Nullability is not compared: "null" counts only when it is the only kind."""
    schema = document.resolve(schema) or {}
    branches = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if branches:
        kinds = {kind for branch in branches for kind in _kind(document, branch).split("|")}
    else:
        declared = schema.get("type", "object" if "properties" in schema else "any")
        kinds = {str(kind) for kind in (declared if isinstance(declared, list) else [declared])}
    if "any" in kinds:
        return "any"
    return "|".join(sorted(kinds - {"null"}) or ["null"])


def _enum(schema: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(value) for value in schema.get("enum") or () if value is not None)


def fields(document: Document, schema: Any, skip: str, path: str = "", depth: int = 0) -> dict[str, Node]:
    """Every field reachable in a body schema, by dotted path (`[]` for array items); fields marked
    `skip` (readOnly in requests, writeOnly in responses) are left out. A field of any alternative
    (anyOf, oneOf) counts; it is required when every alternative with properties requires it."""
    found: dict[str, Node] = {}
    if depth > _MAX_DEPTH:
        return found
    alternatives = _alternatives(document, schema)
    described = [parts for parts in alternatives if any("properties" in part for part in parts)]
    required = set.intersection(*(_required(parts) for parts in described)) if described else set()
    for parts in alternatives:
        for part in parts:
            for name, child in (part.get("properties") or {}).items():
                field = f"{path}.{name}" if path else name
                if field not in found and not (document.resolve(child) or {}).get(skip):
                    found[field] = shape(document, child, name in required)
                    found.update(fields(document, child, skip, field, depth + 1))
            if part.get("items") is not None:
                found.update(fields(document, part["items"], skip, f"{path}[]", depth + 1))
    return found


def _alternatives(document: Document, schema: Any) -> list[list[dict[str, Any]]]:
    """The shapes a value may take, each as the schemas that all apply to it (itself and its allOf)."""
    schema = document.resolve(schema) or {}
    parts = [schema, *(document.resolve(part) or {} for part in schema.get("allOf") or ())]
    branches = schema.get("anyOf") or schema.get("oneOf") or ()
    nested = [alternative for branch in branches for alternative in _alternatives(document, branch)]
    return [parts, *nested]


def _required(parts: list[dict[str, Any]]) -> set[str]:
    return {name for part in parts for name in part.get("required") or ()}


@dataclass(frozen=True)
class OperationFacts:
    label: str
    operation_id: str
    in_scope: bool
    facts: frozenset[Fact]


def facts(raw: Mapping[str, Any]) -> dict[str, OperationFacts]:
    """key ("METHOD /path/{}") -> what the document says of that operation."""
    document = Document(raw)
    return {
        key: OperationFacts(
            label,
            str(operation.get("operationId")),
            in_scope(operation),
            frozenset(_operation_facts(document, key, operation)),
        )
        for key, label, operation in document.operations()
    }


def _operation_facts(document: Document, key: str, operation: Mapping[str, Any]) -> Iterator[Fact]:
    yield Fact(key, "operation", OPERATION, PRESENT)
    yield Fact(key, "operation", "operationId", PRESENT)
    yield Fact(key, "operation", "operationId", str(operation.get("operationId")))
    for parameter in operation.get("parameters") or ():
        parameter = document.resolve(parameter)
        node = shape(document, parameter.get("schema"), bool(parameter.get("required")))
        yield from _node_facts(key, f"{parameter.get('in')} parameter", str(parameter.get("name")), node)
    body = document.resolve(operation.get("requestBody"))
    if body:
        yield from _body_facts(document, key, "request body", body, skip="readOnly")
    for status, response in (operation.get("responses") or {}).items():
        response = document.resolve(response)
        where = f"response {status}"
        yield Fact(key, "responses", str(status), PRESENT)
        for name, header in (response.get("headers") or {}).items():
            header = document.resolve(header)
            yield from _node_facts(key, f"{where} header", name, shape(document, header.get("schema"), False))
        yield from _body_facts(document, key, f"{where} body", response, skip="writeOnly")


def _body_facts(
    document: Document, key: str, where: str, carrier: Mapping[str, Any], skip: str
) -> Iterator[Fact]:
    content = carrier.get("content") or {}
    media = next((name for name in content if "json" in name), None)
    if media is None:
        return
    schema = content[media].get("schema")
    yield Fact(key, where, BODY, PRESENT)
    yield Fact(key, where, BODY, f"type {shape(document, schema).type}")
    for path, node in fields(document, schema, skip).items():
        yield from _node_facts(key, where, path, node)


def _node_facts(key: str, where: str, name: str, node: Node) -> Iterator[Fact]:
    yield Fact(key, where, name, PRESENT)
    yield Fact(key, where, name, f"type {node.type}")
    if node.format:
        yield Fact(key, where, name, f"format {node.format}")
    for value in sorted(node.enum):
        yield Fact(key, where, name, f"enum value {value!r}")
    if node.required:
        yield Fact(key, where, name, "required")
