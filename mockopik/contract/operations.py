"""The Opik operations mockopik serves, each declared once: method, path, operationId, what it reads
and every answer it can give. Views bind to these (`mockopik.api.routing.serves`); fault rules, the
journal, `assert_called` and the OpenAPI document all name operations from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from mockopik.wire.catalog_schemas import (
    DatasetExportJobSchema,
    DatasetPagePublicSchema,
    EmptyContentFirstPageSchema,
    EmptyPageSchema,
    ProjectPagePublicSchema,
    ProjectStatsSummarySchema,
    ServiceTogglesSchema,
    WorkspaceConfigurationSchema,
    WorkspaceVersionSchema,
)
from mockopik.wire.experiment_schemas import (
    DatasetItemPageCompareSchema,
    ExperimentPagePublicSchema,
    ExperimentPublicSchema,
    PageColumnsSchema,
)
from mockopik.wire.queries import (
    CompareItemsQuerySchema,
    FindDatasetsQuerySchema,
    FindExperimentsQuerySchema,
    FindOptimizationsQuerySchema,
    FindProjectsQuerySchema,
    OutputColumnsQuerySchema,
    PagedQuerySchema,
)
from mockopik.wire.schemas import (
    DeleteIdsHolderSchema,
    ErrorMessageSchema,
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
DATASETS, WORKSPACES, TOGGLES = "Datasets", "Workspaces", "Service Toggles"
BASE = "/v1/private/optimizations"
# The id a create or upsert made, from the last segment of its Location header (Schemathesis' #regex:).
ID_FROM_LOCATION = "$response.header.Location#regex:/optimizations/([^/]+)$"


@dataclass(frozen=True)
class Cause:
    """One reason an operation answers `status`, and the body it then sends (None: no body)."""

    status: int
    description: str
    body: type[Schema] | Schema | None = None  # an instance with many=True: a JSON array of them
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
)
_PAGING = (
    Cause(400, "`page` or `size` is below 1 (`query param page must be ...`)", ValidationErrorsSchema),
    Cause(404, "`page` or `size` (or an id parameter) is not parsable", ErrorMessageSchema),
)
_SORTED = (Cause(400, "`sorting` is not a JSON list of fields (`Invalid sorting query parameter ...`)",
                 ErrorMessageSchema), *_PAGING)  # fmt: skip
_EXPERIMENTS = (
    Cause(200, "Experiments page (an optimization's trials)", ExperimentPagePublicSchema),
    Cause(400, "`types` or `experiment_ids` is invalid (`Invalid query param ...`)", ErrorMessageSchema),
    *_SORTED,
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
        "Find experiments (mockopik serves the trials of optimizations)", *_EXPERIMENTS,
        tag=EXPERIMENTS, query=FindExperimentsQuerySchema(),
    ),
    _operation(
        "findExperimentsByProject", "get", "/v1/private/projects/{projectId}/experiments",
        "Find experiments scoped to a project", *_EXPERIMENTS, _PATH_ID,
        tag=PROJECTS, query=FindExperimentsQuerySchema(exclude=("project_id",)),
    ),
    _operation(
        "getExperimentById", "get", "/v1/private/experiments/{id}", "Get experiment by id",
        Cause(200, "Experiment resource", ExperimentPublicSchema),
        Cause(404, "no experiment has this id (`Not found experiment with id ...`)", ErrorMessageSchema),
        _PATH_ID, tag=EXPERIMENTS,
    ),
    _operation(
        "findDatasetItemsWithExperimentItems", "get", "/v1/private/datasets/{id}/items/experiments/items",
        "Find dataset items with experiment items",
        Cause(200, "The dataset's items the experiments ran on", DatasetItemPageCompareSchema),
        Cause(400, "`experiment_ids`, `filters` or `sorting` is invalid", ErrorMessageSchema),
        Cause(400, "`experiment_ids` is missing or blank, or `page`/`size` below 1", ValidationErrorsSchema),
        Cause(404, "`page` or `size` is not parsable", ErrorMessageSchema),
        _PATH_ID, tag=DATASETS, query=CompareItemsQuerySchema(),
    ),
    _operation(
        "getDatasetItemsOutputColumns", "get",
        "/v1/private/datasets/{id}/items/experiments/items/output/columns",
        "Get dataset items output columns",
        Cause(200, "The keys of the experiments' outputs", PageColumnsSchema),
        Cause(400, "`experiment_ids` is not a JSON list of ids", ErrorMessageSchema),
        _PATH_ID, tag=DATASETS, query=OutputColumnsQuerySchema(),
    ),
    _operation(
        "findProjects", "get", "/v1/private/projects", "Find projects",
        Cause(200, "Projects page", ProjectPagePublicSchema), *_SORTED,
        tag=PROJECTS, query=FindProjectsQuerySchema(),
    ),
    _operation(
        "getProjectStats", "get", "/v1/private/projects/stats",
        "Get the trace statistics of a page of projects",
        Cause(200, "One item per project (mockopik's projects have no traces)", ProjectStatsSummarySchema),
        *_SORTED, tag=PROJECTS, query=FindProjectsQuerySchema(),
    ),
    _operation(
        "findDatasets", "get", "/v1/private/datasets", "Find datasets",
        Cause(200, "Datasets page", DatasetPagePublicSchema), *_SORTED,
        tag=DATASETS, query=FindDatasetsQuerySchema(),
    ),
    _operation(
        "findDatasetsByProject", "get", "/v1/private/projects/{projectId}/datasets",
        "Find the datasets a project's optimizations ran on",
        Cause(200, "Datasets page", DatasetPagePublicSchema), *_SORTED, _PATH_ID,
        tag=PROJECTS, query=FindDatasetsQuerySchema(exclude=("project_id",)),
    ),
    _operation(
        "getDatasetExportJobs", "get", "/v1/private/datasets/export-jobs", "Get the dataset export jobs",
        Cause(200, "Export jobs (none)", DatasetExportJobSchema(many=True)), tag=DATASETS,
    ),
    _operation(
        "getServiceToggles", "get", "/v1/private/toggles", "Get the service toggles (feature flags)",
        Cause(200, "Service toggles", ServiceTogglesSchema), tag=TOGGLES,
    ),
    _operation(
        "getWorkspaceVersion", "get", "/v1/private/workspaces/versions",
        "Which generation of pages the UI shows (the `workspace_version` setting)",
        Cause(200, "Workspace version", WorkspaceVersionSchema), tag=WORKSPACES,
    ),
    _operation(
        "getWorkspaceConfiguration", "get", "/v1/private/workspaces/configurations",
        "Get workspace configuration",
        Cause(200, "The configuration a fixture file gives the workspace", WorkspaceConfigurationSchema),
        Cause(404, "the workspace has none (`No workspace configuration found for workspace`)",
              ErrorMessageSchema),
        tag=WORKSPACES,
    ),
    *(
        _operation(
            operation_id, "get", path, f"Find {what} (a workspace without any: an empty page)",
            Cause(200, f"Empty page of {what}", page), *_PAGING, tag=tag, query=PagedQuerySchema(),
        )
        for operation_id, path, what, tag, page in (
            ("getPrompts", "/v1/private/prompts", "prompts", "Prompts", EmptyPageSchema),
            ("findAlerts", "/v1/private/alerts", "alerts", "Alerts", EmptyPageSchema),
            ("findDashboards", "/v1/private/dashboards", "dashboards", "Dashboards",
             EmptyContentFirstPageSchema),
            ("findAnnotationQueues", "/v1/private/annotation-queues", "annotation queues",
             "Annotation Queues", EmptyPageSchema),
            ("findEvaluators", "/v1/private/automations/evaluators", "automation rule evaluators",
             "Automation rule evaluators", EmptyPageSchema),
        )
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
