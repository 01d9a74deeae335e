"""What the UI asks at boot: feature toggles, the workspace's page generation and its configuration."""

from __future__ import annotations

from flask import Blueprint, Response

from mockopik.api.context import current_runtime, store, workspace
from mockopik.api.routing import serves
from mockopik.domain.errors import NotFoundError
from mockopik.http.responses import json_response
from mockopik.wire.catalog_schemas import (
    SERVICE_TOGGLES,
    ServiceTogglesSchema,
    WorkspaceConfigurationSchema,
    WorkspaceVersionSchema,
)
from mockopik.wire.dumping import dump

blueprint = Blueprint("workspaces", __name__)


@serves(blueprint, "getServiceToggles")
def get_service_toggles() -> Response:
    return json_response(dump(ServiceTogglesSchema, SERVICE_TOGGLES))


@serves(blueprint, "getWorkspaceVersion")
def get_workspace_version() -> Response:
    version = current_runtime().settings.workspace_version
    return json_response(dump(WorkspaceVersionSchema, {"opik_version": version}))


@serves(blueprint, "getWorkspaceConfiguration")
def get_workspace_configuration() -> Response:
    configuration = store().read(workspace(), lambda space: space.configuration)
    if configuration is None:
        raise NotFoundError("No workspace configuration found for workspace")
    return json_response(dump(WorkspaceConfigurationSchema, configuration))
