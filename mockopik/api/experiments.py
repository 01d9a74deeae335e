"""Experiments: the trials of optimizations, as the UI's optimization and trial pages list them."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.context import store, workspace
from mockopik.api.routing import path_id, serves
from mockopik.http.responses import json_response
from mockopik.wire.dumping import dump
from mockopik.wire.experiment_schemas import ExperimentPagePublicSchema, ExperimentPublicSchema
from mockopik.wire.queries import parse_experiments_query

blueprint = Blueprint("experiments", __name__)


@serves(blueprint, "findExperiments")
def find_experiments() -> Response:
    page = store().find_experiments(workspace(), parse_experiments_query(request.args))
    return json_response(dump(ExperimentPagePublicSchema, page))


@serves(blueprint, "findExperimentsByProject")
def find_experiments_by_project(projectId: str) -> Response:
    query = parse_experiments_query(request.args, project_id=path_id(projectId))
    page = store().find_experiments(workspace(), query)
    return json_response(dump(ExperimentPagePublicSchema, page))


@serves(blueprint, "getExperimentById")
def get_experiment_by_id(id: str) -> Response:
    experiment = store().get_experiment(workspace(), path_id(id))
    return json_response(dump(ExperimentPublicSchema, experiment))
