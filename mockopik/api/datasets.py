"""Datasets: the list the UI filters optimizations by, and the items a trial was evaluated on."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockopik.api.context import current_runtime, store, workspace
from mockopik.api.routing import path_id, serves
from mockopik.data import items
from mockopik.domain import catalog, compare
from mockopik.http.responses import json_response
from mockopik.wire.catalog_schemas import DatasetPagePublicSchema
from mockopik.wire.dumping import dump
from mockopik.wire.experiment_schemas import DatasetItemPageCompareSchema, PageColumnsSchema
from mockopik.wire.queries import (
    FindDatasetsQuerySchema,
    parse_compare_query,
    parse_list_query,
    parse_output_columns_query,
)

blueprint = Blueprint("datasets", __name__)


@serves(blueprint, "findDatasets")
def find_datasets() -> Response:
    return datasets_page(parse_list_query(FindDatasetsQuerySchema, request.args))


def datasets_page(query: catalog.ListQuery) -> Response:
    """A page of the workspace's datasets (the project's, if the query names one)."""
    user = current_runtime().settings.user
    page = store().read(workspace(), lambda space: catalog.find_datasets(space, query, user))
    return json_response(dump(DatasetPagePublicSchema, page))


@serves(blueprint, "getDatasetExportJobs")
def get_dataset_export_jobs() -> Response:
    return json_response([])


@serves(blueprint, "findDatasetItemsWithExperimentItems")
def find_dataset_items_with_experiment_items(id: str) -> Response:
    dataset_id = path_id(id)
    query = parse_compare_query(request.args)
    evaluated = store().read(
        workspace(), lambda space: catalog.evaluations(space, dataset_id, query.experiment_ids)
    )
    page = compare.find(items.compared(evaluated), query, catalog.DATASET_SORTABLE_FIELDS)
    return json_response(dump(DatasetItemPageCompareSchema, page))


@serves(blueprint, "getDatasetItemsOutputColumns")
def get_dataset_items_output_columns(id: str) -> Response:
    dataset_id = path_id(id)
    wanted = parse_output_columns_query(request.args)
    evaluated = store().read(workspace(), lambda space: catalog.evaluations(space, dataset_id, wanted))
    return json_response(
        dump(PageColumnsSchema, {"columns": compare.columns(items.compared(evaluated), "output")})
    )
