"""Response bodies dumped by the compiled schemas are what marshmallow's `Schema.dump` gives, for every
response schema, over every scenario's records (keys, order, types and values)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from marshmallow import Schema, fields, post_dump

from mockopik.app import create_app
from mockopik.contract.operations import OPERATIONS
from mockopik.wire import dumping, schema_of
from mockopik.wire.dumping import dump
from mockopik.wire.schemas import IsAlivePublicSchema, PublicSchema, VersionPublicSchema
from tests.support import FlaskTransport

P = "/v1/private"
SCENARIOS = ["default", "edge-cases", "studio", "failures", "running", "empty"]
# Written by their views as plain JSON values, not dumped.
NOT_DUMPED = {IsAlivePublicSchema, VersionPublicSchema}
CONFIGURATION = {"timeout_to_mark_thread_as_inactive": "PT15M", "truncation_on_tables": True, "color_map": {}}


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> set[type[Schema]]:
    """Each dump a view makes, checked against marshmallow's; the schemas checked."""
    seen: set[type[Schema]] = set()
    compiled = dumping._dumper

    def checking(kind: type[Schema]) -> Callable[[Any], Any]:
        fast = compiled(kind)

        def dump_and_check(value: Any) -> Any:
            dumped = fast(value)
            assert json.dumps(dumped) == json.dumps(schema_of(kind).dump(value)), kind.__name__
            seen.add(kind)
            return dumped

        return dump_and_check

    monkeypatch.setattr(dumping, "_dumper", checking)
    return seen


def replies(api: FlaskTransport) -> Iterator[Any]:
    """Every read the API offers, over every record of the workspace."""
    for path in ("toggles", "workspaces/versions", "workspaces/configurations", "projects", "projects/stats",
                 "datasets", "prompts", "alerts", "dashboards", "annotation-queues", "automations/evaluators"):  # fmt: skip
        yield api.get(f"{P}/{path}", params={"size": 100})
    runs = api.get(f"{P}/optimizations", params={"size": 1000}).json()["content"]
    yield api.get(f"{P}/optimizations", params={"size": 3, "page": 2, "name": "a"})
    for project in api.get(f"{P}/projects", params={"size": 100}).json()["content"]:
        yield api.get(f"{P}/projects/{project['id']}")
        for listing in ("optimizations", "datasets", "experiments"):
            yield api.get(f"{P}/projects/{project['id']}/{listing}")
    for run in runs:
        yield api.get(f"{P}/optimizations/{run['id']}")
        yield api.get(f"{P}/optimizations/studio/{run['id']}/logs")
        trials = api.get(f"{P}/experiments", params={"optimization_id": run["id"], "size": 1000}).json()
        for trial in trials["content"][:2]:
            yield api.get(f"{P}/experiments/{trial['id']}")
            items = f"{P}/datasets/{trial['dataset_id']}/items/experiments/items"
            yield api.get(items, params={"experiment_ids": json.dumps([trial["id"]]), "size": 5})
            yield api.get(f"{items}/output/columns", params={"experiment_ids": json.dumps([trial["id"]])})


def test_every_body_is_what_marshmallow_dumps(checked: set[type[Schema]]) -> None:
    statuses = set()
    for scenario in SCENARIOS:
        api = FlaskTransport(create_app(scenario=scenario, reference_time="2026-11-01T12:00:00Z"))
        if scenario == "empty":
            api.runtime.store.workspace("default").configuration = CONFIGURATION
        statuses |= {reply.status for reply in replies(api)}

    assert statuses == {200, 404}  # the 404s: workspaces without a configuration
    served = {
        cause.body
        for operation in OPERATIONS
        for cause in operation.causes
        if cause.status == 200 and isinstance(cause.body, type)
    }
    assert served - NOT_DUMPED <= checked


class Mark(fields.Field[Any]):
    """A field of its own: written through its `_serialize`."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else f"<{value}>"


class InnerSchema(PublicSchema):
    code = fields.Integer(as_string=True)
    label = fields.String(data_key="Label")


class OddSchema(PublicSchema):
    """Fields as marshmallow's own tests would: defaults, data keys, dotted paths, nulls kept or not."""

    absent = fields.String()
    defaulted = fields.String(dump_default="fallback")
    dotted = fields.Float(attribute="inner.value")
    many = fields.List(fields.Nested(InnerSchema))
    one = fields.Nested(InnerSchema)
    plucked = fields.Pluck(InnerSchema, "code")
    mark = Mark()
    mapping = fields.Dict(keys=fields.String(), values=fields.Integer())
    constant = fields.Constant(None)
    computed = fields.Function(lambda record: record.get("size", 0) * 2)
    timestamp = fields.DateTime()

    @post_dump
    def _tag(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "tagged": True}


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"absent": None, "inner": {"value": 2}, "many": [{"code": 1, "label": None}], "one": None, "size": 4},
        {"inner": None, "many": None, "one": {"code": "7", "label": 8}, "plucked": {"code": 3}, "mark": 0},
        {"mapping": {"a": "1"}, "mark": None, "defaulted": None, "items": "a dict's own method name"},
    ],
)
def test_fields_beyond_the_response_schemas_dump_as_marshmallow_dumps_them(record: dict[str, Any]) -> None:
    assert json.dumps(dump(OddSchema, record)) == json.dumps(OddSchema().dump(record))
