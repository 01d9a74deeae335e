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

from mockopik.contract.spec_facts import Document, fields, in_scope, operation_key

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


def _served_in_part(document: dict[str, Any], mockopik: Mapping[str, Any]) -> None:
    """Outside the Optimizations API, an Opik operation cut down to the parameters, statuses and body
    fields its counterpart in mockopik's document lists."""
    ours = {operation_key(method, path): op for path, method, op in _operations(mockopik)}
    for path, method, operation in _operations(document):
        counterpart = ours.get(operation_key(method, path))
        if counterpart is not None and not in_scope(operation) and not in_scope(counterpart):
            _cut_down(document, operation, mockopik, counterpart)


def _cut_down(
    document: dict[str, Any], operation: dict[str, Any], mockopik: Mapping[str, Any], counterpart: Any
) -> None:
    theirs, ours = Document(document), Document(mockopik)

    def place(parameter: Any) -> tuple[Any, Any]:
        return parameter.get("in"), parameter.get("name")

    listed = {place(ours.resolve(parameter)) for parameter in counterpart.get("parameters") or ()}
    operation["parameters"] = [
        parameter
        for parameter in operation.get("parameters") or ()
        if place(theirs.resolve(parameter)) in listed
    ]
    if "requestBody" in operation:
        if "requestBody" in counterpart:
            operation["requestBody"] = _cut_body(
                document, operation["requestBody"], mockopik, counterpart["requestBody"], "readOnly"
            )
        else:
            del operation["requestBody"]
    responses = operation["responses"]
    for status in list(responses):
        answer = counterpart["responses"].get(status)
        if answer is None:
            del responses[status]
        else:
            responses[status] = _cut_body(document, responses[status], mockopik, answer, "writeOnly")


def _cut_body(
    document: Mapping[str, Any], carrier: Any, mockopik: Mapping[str, Any], ours: Any, skip: str
) -> Any:
    """A request body or response with, in each JSON schema, only the fields mockopik's `ours` has."""
    carrier = copy.deepcopy(Document(document).resolve(carrier))
    ours = Document(mockopik).resolve(ours) or {}
    our_schema = ((ours.get("content") or {}).get(JSON) or {}).get("schema")
    kept = set(fields(Document(mockopik), our_schema, skip)) if our_schema else set()
    for media in (carrier.get("content") or {}).values():
        if isinstance(media, dict) and "schema" in media:
            media["schema"] = _only(Document(document), media["schema"], kept)
    return carrier


_BRANCHES = ("anyOf", "oneOf", "allOf")


def _only(document: Document, node: Any, kept: set[str], path: str = "", depth: int = 0) -> Any:
    """A copy of a schema keeping the properties whose dotted path (`[]` for array items, as
    `spec_facts.fields` names them) is in `kept`; references are followed only along kept paths."""
    schema = document.resolve(node)
    if not isinstance(schema, Mapping) or depth > 20:
        return copy.deepcopy(schema)
    cut = {
        key: copy.deepcopy(value)
        for key, value in schema.items()
        if key not in ("properties", "required", "items", *_BRANCHES)
    }
    if "properties" in schema:
        named = {name: f"{path}.{name}" if path else name for name in schema["properties"]}
        cut["properties"] = {
            name: _only(document, child, kept, named[name], depth + 1)
            for name, child in schema["properties"].items()
            if named[name] in kept
        }
        required = [name for name in schema.get("required") or () if name in cut["properties"]]
        if required:
            cut["required"] = required
    if schema.get("items") is not None:
        cut["items"] = _only(document, schema["items"], kept, f"{path}[]", depth + 1)
    for branches in _BRANCHES:
        if branches in schema:
            cut[branches] = [_only(document, branch, kept, path, depth + 1) for branch in schema[branches]]
    return cut


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
        "operations outside the Optimizations API (projects, experiments, liveness, ...)",
        "every parameter, status and field of the resource",
        "the same",
        "what Opik's clients use of them: the parameters, statuses and fields its own document lists",
        _served_in_part,
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
        "a `status` filter naming no status (`paused`, `Running`), or `is_empty` / `is_not_empty` on it",
        "",
        "compares the Enum8 column with the value as sent (`empty(status)` for the `is_*` operators); "
        "ClickHouse likely refuses such a query (not confirmed: a 500)",
        "matches nothing (`is_not_empty`: everything)",
    ),
    Drift(
        "a `filters` item whose `field` or `operator` is null, or a `metadata` one whose `value` is",
        "",
        "a NullPointerException in `FiltersFactory`: 500 with an incident id",
        "400 `Invalid filters query parameter '<raw>'`: no input gets a 500 from mockopik",
    ),
    Drift(
        "timestamps",
        "",
        "`Instant.toString()`: 0, 3 or 6 fraction digits",
        "always 6 fraction digits",
    ),
    Drift(
        "experiment `duration` p90 and p99",
        "",
        "quantiles of the experiment's trace durations (ms)",
        "p50 is the median of its traces; p90 and p99 are 1.6 and 2.4 times it",
    ),
    Drift(
        "`filters` of a dataset's items with experiment items",
        "",
        "every ExperimentsComparisonFilter field",
        "`feedback_scores`, `duration`, `data`, `input`, `output`; others answer 400 "
        "`Invalid filters query parameter`",
    ),
    Drift(
        "`sorting` without `force_sorting`",
        "",
        "dropped (and `sortable_by` emptied) in a workspace too large for dynamic sorting",
        "always applied, `sortable_by` always listed",
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
