"""mockopik's own control API under /_mockopik: health, reset, seed and fixture files."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik import __version__, boot, fixture_files, scenarios
from mockopik.body import read_json
from mockopik.responses import empty_response, json_response
from mockopik.runtime import current_runtime

blueprint = Blueprint("admin", __name__)
FIXTURE_BODY_LIMIT = 256 * 1024 * 1024  # a whole data set (10,000 runs export to about 30 MB)


@blueprint.get("/health")
def health() -> Response:
    return json_response({"status": "ok", "version": __version__})


@blueprint.post("/reset")
def reset() -> Response:
    current_runtime().reset()
    return empty_response(204)


@blueprint.post("/seed")
def seed() -> Response:
    """Replace the data with a scenario or generated runs: `{"scenario"?, "seed"?, "count"?}`."""
    runtime = current_runtime()
    wanted = scenarios.load_seed_request(read_json(request, runtime.settings.max_body_bytes))
    runtime.store.replace_all(boot.reseed(runtime.settings, runtime.clock, **wanted).fresh())
    return empty_response(204)


@blueprint.get("/fixtures")
def export_fixtures() -> Response:
    """The whole state as a fixture file (format 1)."""
    text = fixture_files.dumps(fixture_files.dump_store(current_runtime().store))
    headers = {"Content-Disposition": 'attachment; filename="mockopik-fixtures.json"'}
    return Response(text, mimetype="application/json", headers=headers)


@blueprint.post("/fixtures")
def load_fixtures() -> Response:
    """Replace the whole state with a fixture document; a broken one changes nothing (400, every problem)."""
    runtime = current_runtime()
    document = read_json(request, FIXTURE_BODY_LIMIT)
    loaded = boot.load_document(document, "request body", runtime.settings, runtime.clock)
    runtime.store.replace_all(loaded.fresh())
    return empty_response(204)
