"""The project endpoints the SDK and UI call around optimizations."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.context import authenticate_and_resolve_workspace, store, workspace
from mockopik.api.optimizations import path_id
from mockopik.http.responses import json_response
from mockopik.wire.queries import parse_find_query
from mockopik.wire.schemas import OptimizationPagePublicSchema, ProjectPublicSchema

blueprint = Blueprint("projects", __name__)
blueprint.before_request(authenticate_and_resolve_workspace)


@blueprint.get("/projects/<project_id>")
def get_project_by_id(project_id: str) -> Response:
    project = store().get_project(workspace(), path_id(project_id))
    return json_response(ProjectPublicSchema().dump(project))


@blueprint.get("/projects/<project_id>/optimizations")
def find_optimizations_by_project(project_id: str) -> Response:
    query = parse_find_query(request.args, project_id=path_id(project_id))
    page = store().find_optimizations(workspace(), query)
    return json_response(OptimizationPagePublicSchema().dump(page))
