"""Per-request context of the views: the app's runtime, the API key and workspace checks, shortcuts."""

from __future__ import annotations

from flask import current_app, g, request

from mockopik.domain.errors import NotFoundError, UnauthorizedError
from mockopik.domain.store import DEFAULT_WORKSPACE, Store
from mockopik.http.body import read_json
from mockopik.http.hooks import requested_workspace
from mockopik.runtime import Runtime


def current_runtime() -> Runtime:
    """The runtime of the app handling the current request."""
    runtime: Runtime = current_app.extensions["mockopik"]
    return runtime


def authenticate_and_resolve_workspace() -> None:
    """Before every Opik resource: check the API key if one is required, then the workspace."""
    settings = current_runtime().settings
    if settings.api_key is not None:
        sent = request.headers.get("Authorization", "").strip()
        if not sent:
            raise UnauthorizedError("API key should be provided")
        if sent != settings.api_key:
            raise UnauthorizedError("User not allowed to access workspace!")
    name = requested_workspace()
    if settings.workspaces and name not in settings.workspaces:
        raise NotFoundError("Workspace not found")
    g.mockopik_workspace = name


def workspace() -> str:
    """The workspace of the current request."""
    name: str = g.get("mockopik_workspace", DEFAULT_WORKSPACE)
    return name


def store() -> Store:
    return current_runtime().store


def json_body() -> object:
    """The request's JSON body, within the configured size limit (gzip accepted)."""
    return read_json(request, current_runtime().settings.max_body_bytes)
