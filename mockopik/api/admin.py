"""mockopik's own control API under /_mockopik: health, reset, data, faults, requests and config."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, request

from mockopik.api.context import check_admin_access, current_runtime, open_to_all
from mockopik.config import SECRET_SETTINGS
from mockopik.contract import openapi
from mockopik.contract.operations import OPERATION_IDS
from mockopik.data import boot, fixture_files, scenarios
from mockopik.domain.errors import ErrorListError, NotFoundError
from mockopik.faults.rules import RuleError, unknown_operations
from mockopik.http.body import FIXTURE_BODY_LIMIT, read_json
from mockopik.http.responses import empty_response, json_response
from mockopik.version import __version__

blueprint = Blueprint("admin", __name__)
blueprint.before_request(check_admin_access)


@blueprint.get("/health")
@open_to_all
def health() -> Response:
    return json_response({"status": "ok", "version": __version__})


@blueprint.post("/reset")
def reset() -> Response:
    current_runtime().reset()
    return empty_response(204)


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    return Response(openapi.spec_json(), mimetype="application/json")


# -- fault injection, request journal, effective configuration ------------------------------


@blueprint.get("/faults")
def list_faults() -> Response:
    return json_response({"rules": current_runtime().faults.listing()})


@blueprint.post("/faults")
def add_faults() -> Response:
    """One rule object or a list of them; all are checked before any is added. 201 with the rules."""
    runtime = current_runtime()
    value = read_json(request, runtime.settings.max_body_bytes)
    try:
        added = runtime.faults.listing(runtime.faults.add_json(value))
    except RuleError as error:
        raise ErrorListError(error.problems, status=400) from None
    return json_response(added if isinstance(value, list) else added[0], 201)


@blueprint.get("/faults/<rule_id>")
def get_fault(rule_id: str) -> Response:
    found = current_runtime().faults.listing([rule_id])
    if not found:
        raise _no_such_rule(rule_id)
    return json_response(found[0])


@blueprint.delete("/faults/<rule_id>")
def delete_fault(rule_id: str) -> Response:
    if not current_runtime().faults.remove(rule_id):
        raise _no_such_rule(rule_id)
    return empty_response(204)


@blueprint.delete("/faults")
def delete_faults() -> Response:
    current_runtime().faults.clear()
    return empty_response(204)


@blueprint.get("/requests")
def list_requests() -> Response:
    """The journal, oldest first; `operation` (a glob, which must match an operation) and `method`
    narrow it."""
    operation = request.args.get("operation")
    problems = unknown_operations([operation], OPERATION_IDS, "operation") if operation else []
    if problems:
        raise ErrorListError(problems, status=400)
    entries = current_runtime().journal.entries(operation, request.args.get("method"))
    return json_response({"requests": entries})


@blueprint.delete("/requests")
def clear_requests() -> Response:
    current_runtime().journal.clear()
    return empty_response(204)


@blueprint.get("/config")
def get_config() -> Response:
    """The settings this instance runs with (the API key and the admin token masked)."""
    settings = current_runtime().settings
    values = {spec.name: _plain(getattr(settings, spec.name)) for spec in dataclasses.fields(settings)}
    for secret in SECRET_SETTINGS:
        if values.get(secret) is not None:
            values[secret] = "***"
    return json_response(values)


def _no_such_rule(rule_id: str) -> NotFoundError:
    return NotFoundError(f"Fault rule '{rule_id}' not found")


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return str(value)


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
