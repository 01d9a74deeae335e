"""Query parameters of the find operations, parsed as Jersey does: unparsable = 404, out of range = 400."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from mockopik.domain import json_text
from mockopik.domain.catalog import DATASET_SORTABLE_FIELDS, PROJECT_SORTABLE_FIELDS, ListQuery
from mockopik.domain.compare import CompareQuery, parse_compare_filters
from mockopik.domain.errors import BadRequestError, ErrorListError, route_not_found
from mockopik.domain.experiments import SORTABLE_FIELDS as EXPERIMENT_SORTABLE_FIELDS
from mockopik.domain.experiments import ExperimentQuery
from mockopik.domain.filters import parse_filters
from mockopik.domain.finding import FindQuery
from mockopik.domain.ids import parse_uuid
from mockopik.domain.models import EXPERIMENT_TYPES
from mockopik.domain.sorting import parse_sorting
from mockopik.wire import schema_of
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


class QueryJsonList(fields.String):
    """A JSON array in a query parameter, read as Opik's ParamsValidator reads it: anything else is a 400
    naming the parameter (`Invalid query param <name> '<raw>'`)."""

    parameter: ClassVar[str]
    null_means_none: ClassVar[bool] = False

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        try:
            items = json_text.loads(value)
        except ValueError:
            items = False
        if items is None and self.null_means_none:
            return None
        parsed = self.read(items) if isinstance(items, list) else None
        if parsed is None:
            raise BadRequestError(f"Invalid query param {self.parameter} '{value}'")
        return parsed

    def read(self, items: list[Any]) -> Any:
        """The parameter's value from the array's items, or None when Jackson could not read them."""
        raise NotImplementedError


class QueryTypes(QueryJsonList):
    """`types` of findExperiments: Opik's experiment types; `[]` or `null` is every type."""

    parameter, null_means_none = "types", True

    def read(self, items: list[Any]) -> frozenset[str] | None:
        return frozenset(items) if all(item in EXPERIMENT_TYPES for item in items) else None


class QueryIds(QueryJsonList):
    """A JSON array of UUIDs (ParamsValidator.getIds)."""

    parameter = "ids"

    def read(self, items: list[Any]) -> frozenset[UUID] | None:
        ids = [parse_uuid(item) if isinstance(item, str) else None for item in items]
        return None if None in ids else frozenset(id for id in ids if id is not None)


class QuerySorting(fields.String):
    """`sorting`: a JSON list of `{field, direction}` over the fields the endpoint sorts by."""

    def __init__(self, sortable: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sortable = sortable

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        return parse_sorting(value, self.sortable)


class PagedQuerySchema(Schema):
    """`page` and `size` from 1 (defaults 1 and 10); blank values are absent, unknown names ignored."""

    class Meta:
        unknown = EXCLUDE

    page = QueryInt(load_default=1, validate=_AT_LEAST_ONE)
    size = QueryInt(load_default=10, validate=_AT_LEAST_ONE)


class FindExperimentsQuerySchema(PagedQuerySchema):
    """The query of findExperiments (and of a project's): mockopik lists the trials of optimizations.
    `force_sorting` is read and needs no effect: mockopik always sorts as asked."""

    optimization_id = QueryUuid()
    types = QueryTypes()
    name = fields.String()
    dataset_id = QueryUuid(data_key="datasetId")
    project_id = QueryUuid()
    experiment_ids = QueryIds()
    sorting = QuerySorting(EXPERIMENT_SORTABLE_FIELDS)
    force_sorting = QueryBoolean(load_default=False)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> ExperimentQuery:
        data.pop("force_sorting")
        return ExperimentQuery(**data)


class FindProjectsQuerySchema(PagedQuerySchema):
    """findProjects and getProjectStats (whose trace `filters` do not matter: no project has traces)."""

    name = fields.String()
    sorting = QuerySorting(PROJECT_SORTABLE_FIELDS)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> ListQuery:
        return ListQuery(**data)


class FindDatasetsQuerySchema(PagedQuerySchema):
    """findDatasets and a project's: a name fragment, the datasets used by experiments or optimizations."""

    name = fields.String()
    sorting = QuerySorting(DATASET_SORTABLE_FIELDS)
    project_id = QueryUuid()
    with_experiments_only = QueryBoolean(load_default=False)
    with_optimizations_only = QueryBoolean(load_default=False)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> ListQuery:
        return ListQuery(**data)


class CompareItemsQuerySchema(PagedQuerySchema):
    """findDatasetItemsWithExperimentItems: `experiment_ids` (required), search, filters, sorting."""

    experiment_ids = QueryIds(required=True)
    filters = fields.String()
    sorting = QuerySorting(DATASET_SORTABLE_FIELDS)
    search = fields.String()
    truncate = QueryBoolean(load_default=False)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> CompareQuery:
        data["filters"] = parse_compare_filters(data.get("filters"))
        return CompareQuery(**data)


class OutputColumnsQuerySchema(Schema):
    """getDatasetItemsOutputColumns: the experiments whose outputs to read (all of the dataset's if none)."""

    class Meta:
        unknown = EXCLUDE

    experiment_ids = QueryIds()


def parse_experiments_query(args: Mapping[str, str], **fixed: Any) -> ExperimentQuery:
    """The ExperimentQuery in `args`; `fixed` values are path parameters (the query's are not read)."""
    query: ExperimentQuery = _load(schema_of(FindExperimentsQuerySchema, tuple(fixed)), args)
    return dataclasses.replace(query, **fixed) if fixed else query


def parse_list_query(schema: type[Schema], args: Mapping[str, str], **fixed: Any) -> ListQuery:
    """A project or dataset list's query; `fixed` values are path parameters (the query's are not read)."""
    query: ListQuery = _load(schema_of(schema, tuple(fixed)), args)
    return dataclasses.replace(query, **fixed) if fixed else query


def parse_page_query(args: Mapping[str, str]) -> int:
    """The page asked of a list that is always empty (its `size` is still checked)."""
    page: int = _load(schema_of(PagedQuerySchema), args)["page"]
    return page


def parse_compare_query(args: Mapping[str, str]) -> CompareQuery:
    """The compare view's query; `experiment_ids` must be given and not blank (two checks when absent)."""
    given = args.get("experiment_ids")
    if given is None or not given.strip():
        missing = ["query param experiment_ids must not be null"] if given is None else []
        raise ErrorListError([*missing, "query param experiment_ids must not be blank"], status=400)
    query: CompareQuery = _load(schema_of(CompareItemsQuerySchema), args)
    return query


def parse_output_columns_query(args: Mapping[str, str]) -> frozenset[UUID] | None:
    ids: frozenset[UUID] | None = _load(schema_of(OutputColumnsQuerySchema), args).get("experiment_ids")
    return ids


def parse_find_query(args: Mapping[str, str], **fixed: Any) -> FindQuery:
    """The FindQuery in `args` (first value of each name); `fixed` values win (path parameters). The
    queries parsed last are kept: a client polls with the same query again and again."""
    query = _find_query(tuple(args.items()))
    if fixed:
        query = FindQuery(**{**query.__dict__, **fixed})
    return query


@functools.lru_cache(maxsize=256)
def _find_query(given: tuple[tuple[str, str], ...]) -> FindQuery:
    query: FindQuery = _load(schema_of(FindOptimizationsQuerySchema), dict(given))
    return query


def _load(schema: Schema, args: Mapping[str, str]) -> Any:
    """`schema.load` of the query (blank values absent); violations are 400 error lists."""
    present = {name: value for name, value in args.items() if value != ""}
    try:
        return schema.load(present)
    except ValidationError as error:
        problems = [f"query param {path[0]} {message}" for path, message in walk(error.messages)]
        raise ErrorListError(problems, status=400) from None
