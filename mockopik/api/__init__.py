"""HTTP blueprints: Opik's REST endpoints, one module per resource, and mockopik's own admin API.

`blueprint` holds them all; the app registers it once under each prefix (`/v1/...` for the UI's
proxy, `/api/v1/...` for the SDK). The API key and workspace checks run once, before every Opik
resource."""

from __future__ import annotations

from flask import Blueprint

from mockopik.api import (
    admin,
    datasets,
    experiments,
    is_alive,
    optimizations,
    panel,
    projects,
    sidebar,
    studio_logs,
    workspaces,
)
from mockopik.api.context import authenticate_and_resolve_workspace

resources = Blueprint("opik", __name__)
resources.before_request(authenticate_and_resolve_workspace)
for resource in (optimizations, projects, experiments, datasets, workspaces, sidebar):
    resources.register_blueprint(resource.blueprint)

admin.blueprint.register_blueprint(studio_logs.blueprint)

blueprint = Blueprint("mockopik", __name__)
blueprint.register_blueprint(resources)
blueprint.register_blueprint(is_alive.blueprint)
blueprint.register_blueprint(admin.blueprint, url_prefix="/_mockopik")
blueprint.register_blueprint(panel.blueprint, url_prefix="/_mockopik")  # the page asks for the token itself
