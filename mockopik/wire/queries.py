"""Query parameters of the find operations, parsed as Jersey does: unparsable = 404, out of range = 400."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from mockopik.domain import json_text
from mockopik.domain.errors import BadRequestError, ErrorListError, route_not_found
from mockopik.domain.experiments import ExperimentQuery
from mockopik.domain.filters import parse_filters
from mockopik.domain.ids import parse_uuid
from mockopik.domain.models import TrialType
from mockopik.domain.store import FindQuery
from mockopik.wire.messages import walk

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


class QueryTypes(fields.String):
    """`types` of findExperiments: a JSON array of experiment types; unknown types match nothing."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        try:
            items = json_text.loads(value)
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise BadRequestError(f"Invalid query param types '{value}'")
        return frozenset(kind for kind in TrialType if kind.value in items)


class FindExperimentsQuerySchema(Schema):
    """The query of findExperiments that mockopik serves: the trials of optimizations."""

    class Meta:
        unknown = EXCLUDE

    page = QueryInt(load_default=1, validate=_AT_LEAST_ONE)
    size = QueryInt(load_default=10, validate=_AT_LEAST_ONE)
    optimization_id = QueryUuid()
    types = QueryTypes()
    name = fields.String()
    dataset_id = QueryUuid(data_key="datasetId")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> ExperimentQuery:
        return ExperimentQuery(**data)


def parse_experiments_query(args: Mapping[str, str]) -> ExperimentQuery:
    """The ExperimentQuery in `args`; bad values get Jersey's and Opik's answers."""
    return _load(FindExperimentsQuerySchema(), args)  # type: ignore[no-any-return]


def parse_find_query(args: Mapping[str, str], **fixed: Any) -> FindQuery:
    """The FindQuery in `args` (first value of each name); `fixed` values win (path parameters)."""
    query: FindQuery = _load(FindOptimizationsQuerySchema(), args)
    if fixed:
        query = FindQuery(**{**query.__dict__, **fixed})
    return query


def _load(schema: Schema, args: Mapping[str, str]) -> Any:
    """`schema.load` of the query (blank values absent); violations are 400 error lists."""
    present = {name: value for name, value in args.items() if value != ""}
    try:
        return schema.load(present)
    except ValidationError as error:
        problems = [f"query param {path[0]} {message}" for path, message in walk(error.messages)]
        raise ErrorListError(problems, status=400) from None
