"""Downloads of Studio logs: the object-storage link that getStudioOptimizationLogs hands out."""

from __future__ import annotations

from flask import Blueprint, Response

from mockopik.api.context import current_runtime, open_to_all
from mockopik.api.routing import path_id
from mockopik.data import studio_logs
from mockopik.domain.errors import MockopikError

blueprint = Blueprint("studio_logs", __name__)


@blueprint.get("/studio-logs/<workspace_name>/<optimization_id>.log.gz")
@open_to_all
def download_studio_log(workspace_name: str, optimization_id: str) -> Response:
    target = path_id(optimization_id)
    runtime = current_runtime()
    try:
        view = runtime.store.get_optimization(workspace_name, target)
    except MockopikError:
        view = None
    text = studio_logs.render(target, view, runtime.clock.now())
    return Response(studio_logs.compress(text), mimetype="application/gzip")
