"""Query parameters of findOptimizations, parsed as Jersey does: unparsable = 404, out of range = 400."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from mockopik.errors import ErrorListError, route_not_found
from mockopik.filters import parse_filters
from mockopik.ids import parse_uuid
from mockopik.store import FindQuery

_JAVA_INT = re.compile(r"^[+-]?\d{1,10}$")
_INT_MAX = 2**31 - 1


class QueryInt(fields.Integer):
    """A Java int query parameter: text that is not one is a 404, as Jersey answers it."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if not _JAVA_INT.match(value) or not -_INT_MAX - 1 <= int(value) <= _INT_MAX:
            raise route_not_found()
        return int(value)


class QueryUuid(fields.UUID):
    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        parsed = parse_uuid(value)
        if parsed is None:
            raise route_not_found()
        return parsed


class QueryBoolean(fields.Boolean):
    """Java's Boolean.valueOf: "true" in any case is true, any other text false."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return value.strip().lower() == "true"


_AT_LEAST_ONE = validate.Range(min=1, error="must be greater than or equal to 1")


class FindOptimizationsQuerySchema(Schema):
    """The query of findOptimizations; blank values count as absent, unknown names are ignored."""

    class Meta:
        unknown = EXCLUDE

    page = QueryInt(load_default=1, validate=_AT_LEAST_ONE)
    size = QueryInt(load_default=10, validate=_AT_LEAST_ONE)
    name = fields.String()
    dataset_id = QueryUuid()
    dataset_name = fields.String()
    dataset_deleted = QueryBoolean()
    project_id = QueryUuid()
    filters = fields.String()

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> FindQuery:
        data["filters"] = parse_filters(data.get("filters"))
        return FindQuery(**data)


def _messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    messages: Any = error.messages
    return dict(messages)


def parse_find_query(args: Mapping[str, str], **fixed: Any) -> FindQuery:
    """The FindQuery in `args` (first value of each name); `fixed` values win (path parameters)."""
    present = {name: value for name, value in args.items() if value != ""}
    try:
        query: FindQuery = FindOptimizationsQuerySchema().load(present)
    except ValidationError as error:
        raise ErrorListError(
            [
                f"query param {name} {message}"
                for name, messages in _messages_by_field(error).items()
                for message in messages
            ],
            status=400,
        ) from None
    if fixed:
        query = FindQuery(**{**query.__dict__, **fixed})
    return query
