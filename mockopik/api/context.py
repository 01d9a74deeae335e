"""Per-request context of the views: the app's runtime, the API key, workspace and admin checks, shortcuts."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, request

from mockopik.domain.errors import NotFoundError, UnauthorizedError, UnsupportedMediaTypeError
from mockopik.domain.store import DEFAULT_WORKSPACE, Store
from mockopik.http.body import is_json, read_json
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


View = TypeVar("View", bound=Callable[..., object])
_OPEN_TO_ALL: set[Callable[..., object]] = set()


def open_to_all(view: View) -> View:
    """An admin view that needs no admin token: health, and the Studio log downloads the UI fetches."""
    _OPEN_TO_ALL.add(view)
    return view


def check_admin_access() -> None:
    """Before every admin view: the admin token (when one is set), then a JSON type on POSTs, which a
    page of another origin cannot send without the browser asking first (and being refused)."""
    if request.method == "OPTIONS":
        return
    token = current_runtime().settings.admin_token
    if token is not None and current_app.view_functions.get(request.endpoint or "") not in _OPEN_TO_ALL:
        sent = request.headers.get("Authorization", "")
        scheme, _, given = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            refused = UnauthorizedError("The admin API needs its token: send Authorization: Bearer <token>")
            refused.headers = {"WWW-Authenticate": 'Bearer realm="mockopik"'}
            raise refused
    if request.method == "POST" and not is_json(request.mimetype):
        raise UnsupportedMediaTypeError("HTTP 415 Unsupported Media Type")


def workspace() -> str:
    """The workspace of the current request."""
    name: str = g.get("mockopik_workspace", DEFAULT_WORKSPACE)
    return name


def store() -> Store:
    return current_runtime().store


def json_body() -> object:
    """The request's JSON body, within the configured size limit (gzip accepted)."""
    return read_json(request, current_runtime().settings.max_body_bytes)
