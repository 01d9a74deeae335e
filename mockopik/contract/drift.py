"""The deliberate differences between mockopik, Opik's backend and Opik's published spec: the one list.

Each entry says what Opik's spec (the pinned revision) says, what the backend does and what mockopik
does. Where the spec lags the backend and mockopik follows the backend, `patch` rewrites an Opik
document to describe the backend instead: the drift check counts a difference that a patch removes as
that known drift, and the contract tests run Schemathesis against the patched document.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mockopik.contract.spec_facts import Document, fields, operation_key

Patch = Callable[[dict[str, Any], Mapping[str, Any]], None]
JSON = "application/json"
ERROR_INFO: dict[str, Any] = {
    "type": "object",
    "required": ["exception_type", "traceback"],
    "properties": {
        "exception_type": {"type": "string", "minLength": 1},
        "message": {"type": "string"},
        "traceback": {"type": "string", "minLength": 1},
    },
}
ANY_JSON: dict[str, Any] = {"description": "Any JSON value (a Jackson JsonNode)"}


@dataclass(frozen=True)
class Drift:
    topic: str
    spec: str
    backend: str
    mockopik: str
    patch: Patch | None = None


# -- where the patches write ---------------------------------------------------------------------


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def _operation(document: Mapping[str, Any], operation_id: str) -> dict[str, Any] | None:
    return next((op for _, _, op in _operations(document) if op.get("operationId") == operation_id), None)


def _json_schema(document: Mapping[str, Any], carrier: Any) -> dict[str, Any] | None:
    """The (resolved, mutable) JSON schema of a request body or response."""
    resolved = Document(document).resolve(carrier) or {}
    schema = ((resolved.get("content") or {}).get(JSON) or {}).get("schema")
    found = Document(document).resolve(schema)
    return found if isinstance(found, dict) else None


def _body(document: Mapping[str, Any], operation_id: str) -> dict[str, Any] | None:
    operation = _operation(document, operation_id)
    return _json_schema(document, operation.get("requestBody")) if operation else None


def _answer(document: Mapping[str, Any], operation_id: str, status: str) -> dict[str, Any] | None:
    operation = _operation(document, operation_id)
    return _json_schema(document, operation["responses"].get(status)) if operation else None


def _items(document: Mapping[str, Any], schema: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """The resolved item schema of the array property `name` of `schema`."""
    prop = ((schema or {}).get("properties") or {}).get(name) or {}
    found = Document(document).resolve(prop.get("items"))
    return found if isinstance(found, dict) else None


# -- the patches -------------------------------------------------------------------------------------


def _snake_case_page_key(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    for operation_id in ("findOptimizations", "findOptimizationsByProject"):
        page = _answer(document, operation_id, "200")
        if page and "sortableBy" in (page.get("properties") or {}):
            page["properties"] = {
                ("sortable_by" if name == "sortableBy" else name): value
                for name, value in page["properties"].items()
            }


def _dataset_name_optional_on_read(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    page = _answer(document, "findOptimizations", "200")
    for record in (_answer(document, "getOptimizationById", "200"), _items(document, page, "content")):
        if record and "dataset_name" in (record.get("required") or ()):
            record["required"] = [name for name in record["required"] if name != "dataset_name"]
            if not record["required"]:
                del record["required"]


def _error_info_and_update_metadata(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    """A create validates `error_info`; an update does not, and a read returns what was stored."""
    for record in (_body(document, "createOptimization"), _body(document, "upsertOptimization")):
        if record is not None:
            record.setdefault("properties", {}).setdefault("error_info", copy.deepcopy(ERROR_INFO))
    read = _answer(document, "getOptimizationById", "200")
    listed = _items(document, _answer(document, "findOptimizations", "200"), "content")
    update = _body(document, "updateOptimizationsById")
    if update is not None:
        update.setdefault("properties", {}).setdefault("metadata", copy.deepcopy(ANY_JSON))
    for record in (read, listed, update):
        if record is not None:
            error_info = record.setdefault("properties", {}).setdefault(
                "error_info", copy.deepcopy(ERROR_INFO)
            )
            _unvalidated(Document(document).resolve(error_info))


def _json_values_are_any_json(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    """Opik's spec names its JsonNode schemas after the Java types: JsonNode_*, JsonListString_*."""
    for name, schema in (document.get("components") or {}).get("schemas", {}).items():
        if name.startswith(("JsonNode", "JsonListString")) and isinstance(schema, dict):
            schema.clear()
            schema.update(ANY_JSON)


def _unvalidated(schema: dict[str, Any]) -> None:
    """Types only: no required members, no minimum lengths."""
    schema.pop("required", None)
    for member in (schema.get("properties") or {}).values():
        if isinstance(member, dict):
            member.pop("minLength", None)


def _error_responses(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    """Every error answer of contract section 5, as mockopik's document lists it per operation."""
    ours = {operation_key(method, path): op for path, method, op in _operations(mockopik)}
    for path, method, operation in _operations(document):
        counterpart = ours.get(operation_key(method, path))
        if counterpart is None:
            continue
        for status, answer in counterpart["responses"].items():
            if not str(status).startswith(("4", "5")):
                continue
            inlined = inline(mockopik, answer)
            theirs = operation["responses"].get(status)
            if theirs is None:
                operation["responses"][status] = inlined
            elif _shape_differs(document, theirs, mockopik, answer):
                theirs = operation["responses"][status] = dict(Document(document).resolve(theirs))
                their_schema = ((theirs.get("content") or {}).get(JSON) or {}).get("schema")
                our_schema = inlined["content"][JSON]["schema"]
                branches = [their_schema, our_schema] if their_schema else [our_schema]
                theirs["content"] = {JSON: {"schema": {"anyOf": branches}}}


def _shape_differs(document: Mapping[str, Any], theirs: Any, mockopik: Mapping[str, Any], ours: Any) -> bool:
    """True when mockopik's error body has fields the Opik document does not list."""

    def names(doc: Mapping[str, Any], answer: Any) -> set[str]:
        schema = ((Document(doc).resolve(answer).get("content") or {}).get(JSON) or {}).get("schema")
        return set(fields(Document(doc), schema, "writeOnly")) if schema else set()

    return bool(names(mockopik, ours) - names(document, theirs))


def inline(document: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """`node` with every local `$ref` replaced by a copy of its target."""
    if depth > 20:
        raise ValueError("reference cycle")
    if isinstance(node, Mapping):
        if "$ref" in node:
            return inline(document, Document(document).resolve(node), depth + 1)
        return {key: inline(document, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(document, value, depth + 1) for value in node]
    return node


# -- the list ----------------------------------------------------------------------------------------

DELIBERATE_DRIFT: tuple[Drift, ...] = (
    Drift(
        "page key",
        "`sortableBy`",
        "`sortable_by`",
        "as the backend",
        _snake_case_page_key,
    ),
    Drift(
        "`dataset_name` in responses",
        "required",
        "omitted when the dataset is gone",
        "as the backend",
        _dataset_name_optional_on_read,
    ),
    Drift(
        "`error_info` on Optimization / OptimizationUpdate, `metadata` on OptimizationUpdate",
        "absent",
        "present; an update's is not validated (a read returns what was stored)",
        "as the backend",
        _error_info_and_update_metadata,
    ),
    Drift(
        "JSON values (`metadata`, Studio `parameters`)",
        "`type: object` (metadata: beside `anyOf: [object, array of objects, string]`)",
        "any JSON value (a Jackson JsonNode), returned as stored (NaN, Infinity and numbers past a "
        "double as the texts `NaN`, `Infinity`, `-Infinity`)",
        "as the backend",
        _json_values_are_any_json,
    ),
    Drift(
        "logs 404",
        "documented",
        "never sent",
        "only for an id that is not a UUID, as on every `{id}` path",
    ),
    Drift(
        "error bodies",
        "`ErrorMessage` `{code,message,details}` only, on few statuses",
        "also `{errors:[...]}` for validation (422, and 400 for query params), and more error statuses",
        "as the backend; its spec lists every error status of each operation",
        _error_responses,
    ),
    Drift(
        'order of `{"errors": [...]}`',
        "",
        "random (a Java HashSet)",
        "field declaration order",
    ),
    Drift(
        "`Unable to process JSON.` details",
        "",
        "Jackson's message, with `at [Source: ...; line, column]`",
        "Jackson's message and reference chain (none for the nesting and number-length limits), "
        "without the source location",
    ),
    Drift(
        "timestamps",
        "",
        "`Instant.toString()`: 0, 3 or 6 fraction digits",
        "always 6 fraction digits",
    ),
    Drift(
        "unknown `project_id` on create (400)",
        "",
        "text not confirmed",
        "`Project with id '<id>' not found`",
    ),
)


def as_backend(
    document: Mapping[str, Any], mockopik: Mapping[str, Any], drifts: tuple[Drift, ...] = DELIBERATE_DRIFT
) -> dict[str, Any]:
    """A copy of an Opik document with `drifts` applied: what the backend does, as far as known."""
    patched = copy.deepcopy(dict(document))
    for drift in drifts:
        if drift.patch is not None:
            drift.patch(patched, mockopik)
    return patched


def markdown_table(drifts: tuple[Drift, ...] = DELIBERATE_DRIFT) -> str:
    """The list as the README shows it."""
    rows = ["| topic | Opik spec | Opik backend | mockopik |", "|---|---|---|---|"]
    rows += [f"| {d.topic} | {d.spec or '—'} | {d.backend} | {d.mockopik} |" for d in drifts]
    return "\n".join(rows)
