"""Downloads of Studio logs: the object-storage link that getStudioOptimizationLogs hands out."""

from __future__ import annotations

from flask import Blueprint, Response

from mockopik.api.context import current_runtime, open_to_all
from mockopik.api.routing import path_id
from mockopik.data import studio_logs

blueprint = Blueprint("studio_logs", __name__)


@blueprint.get("/studio-logs/<workspace_name>/<optimization_id>.log.gz")
@open_to_all
def download_studio_log(workspace_name: str, optimization_id: str) -> Response:
    target = path_id(optimization_id)
    store = current_runtime().store
    with store.lock:  # the run and the instant its log is written up to, read together
        run, dataset_name = store.optimization_record(workspace_name, target)
        now = store.clock.now()
    text = studio_logs.render(target, run, dataset_name, now)
    return Response(studio_logs.compress(text), mimetype="application/gzip")
