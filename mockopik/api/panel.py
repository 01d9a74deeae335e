"""The control panel at /_mockopik/: one server-rendered page whose script drives the admin API."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from mockopik.api.context import current_runtime
from mockopik.contract.operations import OPERATION_IDS
from mockopik.data.scenarios import describe, scenario_names
from mockopik.version import OPIK_VERSION, __version__

blueprint = Blueprint("panel", __name__, template_folder="templates", static_folder="static")


@blueprint.get("/")
def control_panel() -> Response:
    """The page; what it shows and changes, it reads and writes through the admin API."""
    html = render_template(
        "panel.html",
        version=__version__,
        opik_version=OPIK_VERSION,
        operations=sorted(OPERATION_IDS),
        scenarios=[(name, describe(name)) for name in scenario_names()],
        base_url=request.host_url.rstrip("/"),
        port=request.host.rsplit(":", 1)[-1] if ":" in request.host else "80",
        journal_size=current_runtime().settings.journal_size,
    )
    return Response(html, mimetype="text/html")
