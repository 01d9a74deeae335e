"""The project endpoints the SDK and UI call around optimizations."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.context import store, workspace
from mockopik.api.routing import path_id, serves
from mockopik.http.responses import json_response
from mockopik.wire.queries import parse_find_query
from mockopik.wire.schemas import OptimizationPagePublicSchema, ProjectPublicSchema

blueprint = Blueprint("projects", __name__)


@serves(blueprint, "getProjectById")
def get_project_by_id(id: str) -> Response:
    project = store().get_project(workspace(), path_id(id))
    return json_response(ProjectPublicSchema().dump(project))


@serves(blueprint, "findOptimizationsByProject")
def find_optimizations_by_project(projectId: str) -> Response:
    query = parse_find_query(request.args, project_id=path_id(projectId))
    page = store().find_optimizations(workspace(), query)
    return json_response(OptimizationPagePublicSchema().dump(page))
