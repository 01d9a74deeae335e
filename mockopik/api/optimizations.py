"""The Optimizations endpoints, one view per Opik operationId."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Blueprint, Response, request, url_for
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import BaseConverter

from mockopik.api.context import authenticate_and_resolve_workspace, json_body, store, workspace
from mockopik.domain.errors import route_not_found
from mockopik.domain.ids import parse_uuid
from mockopik.http.responses import empty_response, json_response
from mockopik.runtime import current_runtime
from mockopik.wire.jackson import load
from mockopik.wire.queries import parse_find_query
from mockopik.wire.schemas import (
    DeleteIdsHolderSchema,
    OptimizationPagePublicSchema,
    OptimizationPublicSchema,
    OptimizationStudioLogSchema,
    OptimizationUpdateSchema,
    OptimizationWriteSchema,
)

LOG_LINK_LIFETIME = timedelta(hours=1)


class RecordSegment(BaseConverter):
    """The `{id}` segment beside the literal `delete`: as in Jersey, the literal path wins, so GET or
    PUT on `.../optimizations/delete` is that route's 405, not an id that fails to parse (404)."""

    regex = r"(?!delete$)[^/]+"


blueprint = Blueprint("optimizations", __name__)


@blueprint.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters["record"] = RecordSegment


blueprint.before_request(authenticate_and_resolve_workspace)


def path_id(text: str) -> UUID:
    """A UUID path parameter; anything else is Jersey's plain 404."""
    parsed = parse_uuid(text)
    if parsed is None:
        raise route_not_found()
    return parsed


@blueprint.get("/optimizations")
def find_optimizations() -> Response:
    page = store().find_optimizations(workspace(), parse_find_query(request.args))
    return json_response(OptimizationPagePublicSchema().dump(page))


@blueprint.post("/optimizations")
def create_optimization() -> Response:
    return _upsert()


@blueprint.put("/optimizations")
def upsert_optimization() -> Response:
    return _upsert()


def _upsert() -> Response:
    write = load(OptimizationWriteSchema(), json_body())
    optimization_id = store().upsert_optimization(workspace(), write)
    location = f"{request.base_url.rstrip('/')}/{optimization_id}"
    return empty_response(201, {"Location": location})


@blueprint.get("/optimizations/<record:optimization_id>")
def get_optimization_by_id(optimization_id: str) -> Response:
    view = store().get_optimization(workspace(), path_id(optimization_id))
    return json_response(OptimizationPublicSchema().dump(view))


@blueprint.put("/optimizations/<record:optimization_id>")
def update_optimizations_by_id(optimization_id: str) -> Response:
    target = path_id(optimization_id)
    update = load(OptimizationUpdateSchema(), json_body())
    store().update_optimization(workspace(), target, update)
    return empty_response(204)


@blueprint.post("/optimizations/delete")
def delete_optimizations_by_id() -> Response:
    ids = load(DeleteIdsHolderSchema(), json_body())
    store().delete_optimizations(workspace(), ids)
    return empty_response(204)


@blueprint.get("/optimizations/studio/<optimization_id>/cancel")
def cancel_studio_optimizations(optimization_id: str) -> Response:
    path_id(optimization_id)
    return empty_response(501)


@blueprint.get("/optimizations/studio/<optimization_id>/logs")
def get_studio_optimization_logs(optimization_id: str) -> Response:
    target = path_id(optimization_id)
    url = url_for(
        "studio_logs.download_studio_log",
        workspace_name=workspace(),
        optimization_id=target,
        _external=True,
    )
    expires_at = current_runtime().clock.now() + LOG_LINK_LIFETIME
    return json_response(OptimizationStudioLogSchema().dump({"url": url, "expires_at": expires_at}))
