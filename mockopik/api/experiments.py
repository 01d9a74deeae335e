"""findExperiments for the trials of optimizations, as the Opik UI's optimization page asks for them."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.context import store, workspace
from mockopik.api.routing import serves
from mockopik.http.responses import json_response
from mockopik.wire.queries import parse_experiments_query
from mockopik.wire.schemas import ExperimentPagePublicSchema

blueprint = Blueprint("experiments", __name__)


@serves(blueprint, "findExperiments")
def find_experiments() -> Response:
    page = store().find_experiments(workspace(), parse_experiments_query(request.args))
    return json_response(ExperimentPagePublicSchema().dump(page))
