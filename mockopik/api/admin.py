"""mockopik's own control API under /_mockopik: health and reset."""

from __future__ import annotations

from flask import Blueprint, Response

from mockopik import __version__
from mockopik.responses import empty_response, json_response
from mockopik.runtime import current_runtime

blueprint = Blueprint("admin", __name__)


@blueprint.get("/health")
def health() -> Response:
    return json_response({"status": "ok", "version": __version__})


@blueprint.post("/reset")
def reset() -> Response:
    current_runtime().reset()
    return empty_response(204)
