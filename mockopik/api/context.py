"""Per-request context of the Opik endpoints: workspace and API key checks, and shortcuts."""

from __future__ import annotations

from flask import g, request

from mockopik.domain.errors import NotFoundError, UnauthorizedError
from mockopik.domain.store import DEFAULT_WORKSPACE, Store
from mockopik.http.body import read_json
from mockopik.runtime import current_runtime

WORKSPACE_HEADER = "Comet-Workspace"


def authenticate_and_resolve_workspace() -> None:
    """Before every Opik endpoint: check the API key if one is required, then the workspace."""
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


def requested_workspace() -> str:
    """The workspace the request names in Comet-Workspace (missing or blank: the default one)."""
    return request.headers.get(WORKSPACE_HEADER, "").strip() or DEFAULT_WORKSPACE


def workspace() -> str:
    """The workspace of the current request."""
    name: str = g.get("mockopik_workspace", DEFAULT_WORKSPACE)
    return name


def store() -> Store:
    return current_runtime().store


def json_body() -> object:
    """The request's JSON body, within the configured size limit (gzip accepted)."""
    return read_json(request, current_runtime().settings.max_body_bytes)
