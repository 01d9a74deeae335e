"""Projects: the v2 pages' project selector and home, a project's optimizations, experiments and datasets."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.bodies import kept_json_response
from mockopik.api.context import store, workspace
from mockopik.api.datasets import datasets_page
from mockopik.api.routing import path_id, serves
from mockopik.domain import catalog
from mockopik.http.responses import json_response
from mockopik.wire.catalog_schemas import ProjectPagePublicSchema, ProjectStatsSummarySchema
from mockopik.wire.dumping import dump
from mockopik.wire.queries import (
    FindDatasetsQuerySchema,
    FindProjectsQuerySchema,
    parse_find_query,
    parse_list_query,
)
from mockopik.wire.schemas import OptimizationPagePublicSchema, ProjectPublicSchema

blueprint = Blueprint("projects", __name__)


@serves(blueprint, "getProjectById")
def get_project_by_id(id: str) -> Response:
    project = store().get_project(workspace(), path_id(id))
    return json_response(dump(ProjectPublicSchema, project))


@serves(blueprint, "findOptimizationsByProject")
def find_optimizations_by_project(projectId: str) -> Response:
    query = parse_find_query(request.args, project_id=path_id(projectId))
    page = store().find_optimizations(workspace(), query)
    return kept_json_response(OptimizationPagePublicSchema, page)


@serves(blueprint, "findProjects")
def find_projects() -> Response:
    return json_response(dump(ProjectPagePublicSchema, _projects()))


@serves(blueprint, "getProjectStats")
def get_project_stats() -> Response:
    return json_response(dump(ProjectStatsSummarySchema, _projects()))


def _projects() -> catalog.Listing:
    query = parse_list_query(FindProjectsQuerySchema, request.args)
    return store().read(workspace(), lambda space: catalog.find_projects(space, query))


@serves(blueprint, "findDatasetsByProject")
def find_datasets_by_project(projectId: str) -> Response:
    project_id = path_id(projectId)
    return datasets_page(parse_list_query(FindDatasetsQuerySchema, request.args, project_id=project_id))
