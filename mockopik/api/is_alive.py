"""Opik's liveness endpoints, which the SDK pings in the background."""

from __future__ import annotations

from flask import Blueprint, Response

from mockopik.api.routing import serves
from mockopik.http.responses import json_response
from mockopik.version import OPIK_VERSION

blueprint = Blueprint("is_alive", __name__)


@serves(blueprint, "isAlive")
def is_alive() -> Response:
    return json_response({"healthy": True})


@serves(blueprint, "version")
def version() -> Response:
    return json_response({"version": OPIK_VERSION})
