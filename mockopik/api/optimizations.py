"""The Optimizations endpoints, one view per Opik operationId."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, request, url_for

from mockopik.api.bodies import kept_json_response
from mockopik.api.context import current_runtime, json_body, store, workspace
from mockopik.api.routing import path_id, serves
from mockopik.http.responses import empty_response, json_response
from mockopik.wire import schema_of
from mockopik.wire.dumping import dump
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

blueprint = Blueprint("optimizations", __name__)


@serves(blueprint, "findOptimizations")
def find_optimizations() -> Response:
    page = store().find_optimizations(workspace(), parse_find_query(request.args))
    return kept_json_response(OptimizationPagePublicSchema, page)


@serves(blueprint, "createOptimization")
def create_optimization() -> Response:
    return _upsert()


@serves(blueprint, "upsertOptimization")
def upsert_optimization() -> Response:
    return _upsert()


def _upsert() -> Response:
    write = load(schema_of(OptimizationWriteSchema), json_body())
    optimization_id = store().upsert_optimization(workspace(), write)
    return empty_response(201, {"Location": f"{_collection_url()}/{optimization_id}"})


_COLLECTION_URLS: dict[tuple[object, ...], str] = {}
_URL_FACTS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO")
_KEPT_URLS = 256


def _collection_url() -> str:
    """The request's URL without its query and trailing slash, as Werkzeug writes it; kept by the
    environ values it is made of (working it out costs a create more than its store write)."""
    environ = request.environ
    facts = tuple(environ.get(name) for name in _URL_FACTS)
    url = _COLLECTION_URLS.get(facts)
    if url is None:
        if len(_COLLECTION_URLS) >= _KEPT_URLS:
            _COLLECTION_URLS.clear()
        url = _COLLECTION_URLS[facts] = request.base_url.rstrip("/")
    return url


@serves(blueprint, "getOptimizationById")
def get_optimization_by_id(id: str) -> Response:
    view = store().get_optimization(workspace(), path_id(id))
    return kept_json_response(OptimizationPublicSchema, view)


@serves(blueprint, "updateOptimizationsById")
def update_optimizations_by_id(id: str) -> Response:
    target = path_id(id)
    update = load(schema_of(OptimizationUpdateSchema), json_body())
    store().update_optimization(workspace(), target, update)
    return empty_response(204)


@serves(blueprint, "deleteOptimizationsById")
def delete_optimizations_by_id() -> Response:
    ids = load(schema_of(DeleteIdsHolderSchema), json_body())
    store().delete_optimizations(workspace(), ids)
    return empty_response(204)


@serves(blueprint, "cancelStudioOptimizations")
def cancel_studio_optimizations(id: str) -> Response:
    path_id(id)
    return empty_response(501)


@serves(blueprint, "getStudioOptimizationLogs")
def get_studio_optimization_logs(id: str) -> Response:
    target = path_id(id)
    path = url_for(
        "mockopik.admin.studio_logs.download_studio_log", workspace_name=workspace(), optimization_id=target
    )
    expires_at = current_runtime().clock.now() + LOG_LINK_LIFETIME
    return json_response(
        dump(OptimizationStudioLogSchema, {"url": _browser_url(path), "expires_at": expires_at})
    )


def _browser_url(path: str) -> str:
    """Where the asker fetches `path`: a browser on a UI page whose proxy strips `/api` (Vite's dev
    server, the UI's nginx: the request path lacks `/api` and the Referer names another origin) through
    that proxy, as `<UI origin>/api<path>`, which works whatever port the mock is published on; any other
    client at mockopik's own address."""
    referrer = urlsplit(request.referrer or "")
    page_origin = f"{referrer.scheme}://{referrer.netloc}"
    via_ui_proxy = (
        referrer.netloc and not request.path.startswith("/api/") and page_origin != request.host_url[:-1]
    )
    return f"{page_origin}/api{path}" if via_ui_proxy else request.host_url[:-1] + path
