"""mockopik's own control API under /_mockopik: health, reset, data, faults, requests and config."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from mockopik.api.context import check_admin_access, current_runtime, open_to_all
from mockopik.clock import Duration, format_instant, parse_duration
from mockopik.config import MAX_PACE, SECRET_SETTINGS
from mockopik.contract.operations import OPERATION_IDS
from mockopik.data import boot, fixture_files, scenarios
from mockopik.data.fixture_files import problems
from mockopik.domain.errors import ErrorListError, NotFoundError
from mockopik.faults.rules import RuleError, unknown_operations
from mockopik.http.body import FIXTURE_BODY_LIMIT, read_json
from mockopik.http.responses import empty_response, json_response
from mockopik.version import __version__

blueprint = Blueprint("admin", __name__)
blueprint.before_request(check_admin_access)
IN_PROGRESS_SHOWN = 20  # runs in progress that GET /_mockopik/data lists


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
    from mockopik.contract import openapi  # apispec and PyYAML, only for those who ask for the document

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
    """The journal, oldest first; `operation` (a glob, which must match an operation), `method` and
    `after` (an entry id) narrow it, `limit` keeps the newest that many, `bodies=false` leaves the
    bodies out; `latest` is the id of the newest entry (0: none)."""
    operation = request.args.get("operation")
    problems = unknown_operations([operation], OPERATION_IDS, "operation") if operation else []
    after = request.args.get("after", "0")
    if not after.isdigit():
        problems.append(f"after: expected the id of a journal entry (a whole number), got {after!r}")
    limit = request.args.get("limit")
    if limit is not None and not (limit.isdigit() and int(limit) > 0):
        problems.append(f"limit: expected a number of entries (a whole number above 0), got {limit!r}")
    bodies = request.args.get("bodies", "true")
    if bodies not in ("true", "false"):
        problems.append(f"bodies: expected true or false, got {bodies!r}")
    if problems:
        raise ErrorListError(problems, status=400)
    journal = current_runtime().journal
    latest = journal.latest()
    entries = journal.entries(
        operation,
        request.args.get("method"),
        int(after),
        limit=None if limit is None else int(limit),
        bodies=bodies == "true",
    )
    return json_response({"requests": entries, "latest": latest})


@blueprint.get("/requests/<int:entry_id>")
def get_request(entry_id: int) -> Response:
    """One journal entry with its request and response bodies."""
    entry = current_runtime().journal.entry(entry_id)
    if entry is None:
        raise NotFoundError(f"Request {entry_id} not found in the journal")
    return json_response(entry)


@blueprint.delete("/requests")
def clear_requests() -> Response:
    current_runtime().journal.clear()
    return empty_response(204)


# -- the clock ---------------------------------------------------------------------------------------


class DurationField(fields.Field[Duration]):
    """A duration: milliseconds as a number, or text with a unit (`90s`, `10m`, `2h`, `1d`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Duration:
        try:
            return parse_duration(value)
        except ValueError:
            raise ValidationError(f"expected a duration such as 90s, 10m, 2h or 1d, got {value!r}") from None


class ClockChangeSchema(Schema):
    """The body of `POST /_mockopik/clock`: move the clock on, change its pace, or both."""

    class Meta:
        unknown = RAISE

    advance = DurationField()
    pace = fields.Float(validate=validate.Range(0, MAX_PACE), allow_nan=False)

    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError('give advance, pace or both (`{"advance": "10m"}`)')


@blueprint.get("/clock")
def get_clock() -> Response:
    return json_response(_clock_state())


@blueprint.post("/clock")
def change_clock() -> Response:
    """`{"advance": "90s" | "10m" | "2h" | "1d"}` and/or `{"pace": <simulated seconds per second>}`."""
    body = read_json(request, current_runtime().settings.max_body_bytes)
    try:
        change = ClockChangeSchema().load({} if body is None else body)
    except ValidationError as error:
        raise ErrorListError([str(problem) for problem in problems(error.messages)], status=400) from None
    clock = current_runtime().clock
    if "advance" in change:
        changed = clock.advance(timedelta(seconds=change["advance"].seconds))
    if "pace" in change:
        changed = clock.set_pace(change["pace"])
    return json_response(_clock_state(changed))


def _clock_state(now: datetime | None = None) -> dict[str, object]:
    """The clock as the admin API shows it (at `now`, the instant of a change, when given)."""
    clock = current_runtime().clock
    pace = clock.pace
    moment = clock.now() if now is None else now
    return {"now": format_instant(moment), "pace": int(pace) if pace.is_integer() else pace}


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
    settings = runtime.settings
    source = boot.describe(
        None, wanted.get("scenario"), wanted.get("seed", settings.seed), wanted.get("count", settings.count)
    )
    runtime.replace_data(boot.reseed(settings, runtime.clock, **wanted).fresh(), source)
    return empty_response(204)


@blueprint.get("/data")
def data_summary() -> Response:
    """What is served: the data set, the records per workspace, and the runs in progress."""
    runtime = current_runtime()
    census = runtime.store.census()
    in_progress = runtime.store.in_progress(IN_PROGRESS_SHOWN)
    return json_response(
        {
            "source": runtime.source,
            "workspaces": {name: dataclasses.asdict(counts) for name, counts in census.items()},
            "in_progress": [
                {
                    "workspace": run.workspace,
                    "id": str(run.view.id),
                    "name": run.view.name,
                    "status": run.view.status.value,
                    "num_trials": run.view.summary.num_trials,
                    **({} if run.planned_trials is None else {"planned_trials": run.planned_trials}),
                }
                for run in in_progress
            ],
        }
    )


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
    runtime.replace_data(loaded.fresh(), "a fixture document loaded through the admin API")
    return empty_response(204)
