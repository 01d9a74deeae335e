"""The Opik operations mockopik serves, each declared once: method, path, operationId, what it reads
and every answer it can give. Views bind to these (`mockopik.api.routing.serves`); fault rules, the
journal, `assert_called` and the OpenAPI document all name operations from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from mockopik.wire.queries import FindExperimentsQuerySchema, FindOptimizationsQuerySchema
from mockopik.wire.schemas import (
    DeleteIdsHolderSchema,
    ErrorMessageSchema,
    ExperimentPagePublicSchema,
    IsAlivePublicSchema,
    OptimizationPagePublicSchema,
    OptimizationPublicSchema,
    OptimizationStudioLogSchema,
    OptimizationUpdateSchema,
    OptimizationWriteSchema,
    ProjectPublicSchema,
    ValidationErrorsSchema,
    VersionPublicSchema,
)

OPTIMIZATIONS, PROJECTS, EXPERIMENTS, SYSTEM = "Optimizations", "Projects", "Experiments", "System usage"
BASE = "/v1/private/optimizations"
# The id a create or upsert made, from the last segment of its Location header (Schemathesis' #regex:).
ID_FROM_LOCATION = "$response.header.Location#regex:/optimizations/([^/]+)$"


@dataclass(frozen=True)
class Cause:
    """One reason an operation answers `status`, and the body it then sends (None: no body)."""

    status: int
    description: str
    body: type[Schema] | None = None
    headers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """One Opik operation: method, path and operationId, what it reads, and its answers."""

    operation_id: str
    method: str
    path: str
    summary: str
    causes: tuple[Cause, ...]
    tag: str = OPTIMIZATIONS
    query: Schema | None = None
    body: type[Schema] | None = None
    links: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    authenticated: bool = True  # the API key and workspace are checked first (ANY_REQUEST answers)


def _operation(
    operation_id: str, method: str, path: str, summary: str, *causes: Cause, **more: Any
) -> Operation:
    return Operation(operation_id, method, path, summary, causes, **more)


# Answers of every Opik endpoint (before the operation runs), of every `{id}`, and of every body.
ANY_REQUEST = (
    Cause(401, "an API key is configured and Authorization is missing or wrong", ErrorMessageSchema),
    Cause(404, "the Comet-Workspace does not exist (`Workspace not found`)", ErrorMessageSchema),
)
_PATH_ID = Cause(404, "the path id is not a UUID (`HTTP 404 Not Found`)", ErrorMessageSchema)
_BODY = (
    Cause(
        400,
        "the body is not JSON or has a wrong JSON type (`Unable to process JSON. ...`)",
        ErrorMessageSchema,
    ),
    Cause(413, "the body, after gzip decompression, is over the size limit", ErrorMessageSchema),
    Cause(415, "the Content-Type is not JSON", ErrorMessageSchema),
    Cause(422, 'the body is missing or breaks a constraint (`{"errors": [...]}`)', ValidationErrorsSchema),
)
_FIND = (
    Cause(200, "Optimizations resource", OptimizationPagePublicSchema),
    Cause(400, "`filters` is invalid", ErrorMessageSchema),
    Cause(400, "`page` or `size` is below 1 (`query param page must be ...`)", ValidationErrorsSchema),
    Cause(404, "`page`, `size`, `dataset_id` or `project_id` is not parsable", ErrorMessageSchema),
    Cause(
        500,
        "a filter's `field` or `operator` is null, or a `metadata` filter's value is (Opik's FiltersFactory "
        "dereferences it)",
        ErrorMessageSchema,
    ),
)
_LOCATION = {"Location": {"required": True, "schema": {"type": "string"}, "description": "URL of the record"}}
_UPSERT = (
    Cause(201, "Created", headers=_LOCATION),
    Cause(400, "`id` is not a version 7 UUID, or `project_id` is unknown", ErrorMessageSchema),
    *_BODY,
)


def _link(operation_id: str, **link: Any) -> dict[str, Any]:
    return {"operationId": operation_id, **(link or {"parameters": {"id": ID_FROM_LOCATION}})}


_TO_PROJECT = {
    "200": {"GetProjectById": _link("getProjectById", parameters={"id": "$response.body#/project_id"})}
}
_TO_RECORD = {
    "201": {
        "GetOptimizationById": _link("getOptimizationById"),
        "UpdateOptimizationsById": _link("updateOptimizationsById"),
        "DeleteOptimizationsById": _link("deleteOptimizationsById", requestBody={"ids": [ID_FROM_LOCATION]}),
        "GetStudioOptimizationLogs": _link("getStudioOptimizationLogs"),
    }
}

OPERATIONS: tuple[Operation, ...] = (
    _operation(
        "findOptimizations", "get", BASE, "Find optimizations", *_FIND, query=FindOptimizationsQuerySchema()
    ),
    _operation(
        "createOptimization", "post", BASE, "Create optimization", *_UPSERT,
        body=OptimizationWriteSchema, links=_TO_RECORD,
    ),
    _operation(
        "upsertOptimization", "put", BASE, "Upsert optimization", *_UPSERT,
        body=OptimizationWriteSchema, links=_TO_RECORD,
    ),
    _operation(
        "getOptimizationById", "get", f"{BASE}/{{id}}", "Get optimization by id",
        Cause(200, "Optimization resource", OptimizationPublicSchema),
        Cause(404, "no optimization has this id (`Not found optimization with id ...`)", ErrorMessageSchema),
        _PATH_ID,
        links=_TO_PROJECT,
    ),
    _operation(
        "updateOptimizationsById", "put", f"{BASE}/{{id}}", "Update optimization by id",
        Cause(204, "No content"),
        Cause(404, "no optimization has this id (`Optimization id: <id> not found`)", ErrorMessageSchema),
        Cause(409, "a Studio run that is not running or initialized cannot be cancelled", ErrorMessageSchema),
        _PATH_ID, *_BODY,
        body=OptimizationUpdateSchema,
    ),
    _operation(
        "deleteOptimizationsById", "post", f"{BASE}/delete", "Delete optimizations by id",
        Cause(204, "No content"), *_BODY,
        body=DeleteIdsHolderSchema,
    ),
    _operation(
        "cancelStudioOptimizations", "get", f"{BASE}/studio/{{id}}/cancel", "Cancel Studio optimizations",
        Cause(501, "Not Implemented"), _PATH_ID,
    ),
    _operation(
        "getStudioOptimizationLogs", "get", f"{BASE}/studio/{{id}}/logs", "Get Studio optimization logs",
        Cause(200, "Logs response", OptimizationStudioLogSchema), _PATH_ID,
    ),
    _operation(
        "getProjectById", "get", "/v1/private/projects/{id}", "Get project by id",
        Cause(200, "Project resource", ProjectPublicSchema),
        Cause(404, 'no project has this id (`{"errors":["Project not found"]}`)', ValidationErrorsSchema),
        _PATH_ID,
        tag=PROJECTS,
    ),
    _operation(
        "findOptimizationsByProject", "get", "/v1/private/projects/{projectId}/optimizations",
        "Find optimizations scoped to a project", *_FIND, _PATH_ID,
        tag=PROJECTS, query=FindOptimizationsQuerySchema(exclude=("project_id",)),
    ),
    _operation(
        "findExperiments", "get", "/v1/private/experiments",
        "Find experiments (mockopik serves the trials of optimizations)",
        Cause(200, "Experiments resource", ExperimentPagePublicSchema),
        Cause(400, "`types` is not a JSON array of texts", ErrorMessageSchema),
        Cause(400, "`page` or `size` is below 1 (`query param page must be ...`)", ValidationErrorsSchema),
        Cause(404, "`page`, `size`, `optimization_id` or `datasetId` is not parsable", ErrorMessageSchema),
        tag=EXPERIMENTS, query=FindExperimentsQuerySchema(),
    ),
    _operation(
        "isAlive", "get", "/is-alive/ping", "Is the backend alive (the SDK pings it)",
        Cause(200, "Alive", IsAlivePublicSchema), tag=SYSTEM, authenticated=False,
    ),
    _operation(
        "version", "get", "/is-alive/ver", "The backend's version",
        Cause(200, "Version", VersionPublicSchema), tag=SYSTEM, authenticated=False,
    ),
)  # fmt: skip
OPERATIONS_BY_ID: Mapping[str, Operation] = {operation.operation_id: operation for operation in OPERATIONS}
OPERATION_IDS = frozenset(OPERATIONS_BY_ID)
