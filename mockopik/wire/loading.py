"""A schema's load without marshmallow's machinery, for bodies it surely reads without an error."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

UNSURE: Any = object()  # what `quick_load` answers when marshmallow's own load must decide


class _Plan:
    """How a schema reads a body: its fields (data key, attribute, field) in marshmallow's order."""

    __slots__ = ("fields", "usable")

    def __init__(self, schema: Schema, null_dropper: str) -> None:
        hooks = schema._hooks
        self.usable = (
            not schema.many
            and schema.partial is None
            and schema.unknown == EXCLUDE
            and [hook[0] for hook in hooks[PRE_LOAD]] == [null_dropper]
            and not hooks[VALIDATES]
            and not hooks[VALIDATES_SCHEMA]
            and all("." not in (field.attribute or name) for name, field in schema.load_fields.items())
        )
        self.fields: list[tuple[str, str, fields.Field[Any]]] = [
            (name if field.data_key is None else field.data_key, field.attribute or name, field)
            for name, field in schema.load_fields.items()
        ]


_PLAN = "_mockopik_load_plan"  # the schema's _Plan, kept on it


def quick_load(schema: Schema, body: dict[str, Any], null_dropper: str) -> Any:
    """What `schema.load(body)` returns, when each field reads its value without an error (else
    UNSURE: marshmallow's load then makes the error, whole): keys read by the same fields in the same
    order, explicit nulls dropped first (the schema's only pre-load hook, `null_dropper`), no
    validator beyond the fields', the post-load hooks as marshmallow calls them."""
    plan: _Plan | None = getattr(schema, _PLAN, None)
    if plan is None:
        plan = _Plan(schema, null_dropper)
        setattr(schema, _PLAN, plan)
    if not plan.usable:
        return UNSURE
    data = {key: value for key, value in body.items() if value is not None}
    result: dict[str, Any] = {}
    for key, attribute, field in plan.fields:
        raw = data.get(key, missing)
        if raw is missing:
            if field.required:
                return UNSURE
            if field.load_default is missing:
                continue
        try:
            value = field.deserialize(raw, key, data)
        except ValidationError:
            return UNSURE
        if value is not missing:
            result[attribute] = value
    if not schema._hooks[POST_LOAD]:
        return result
    try:
        return schema._invoke_load_processors(
            POST_LOAD, result, many=False, original_data=body, partial=schema.partial, unknown=schema.unknown
        )
    except ValidationError:
        return UNSURE
