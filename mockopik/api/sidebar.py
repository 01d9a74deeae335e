"""The lists the UI's sidebar counts (prompts, alerts, dashboards, annotation queues, evaluators): mockopik
keeps none, so each answers the empty page Opik gives a workspace without any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Response, request
from marshmallow import Schema

from mockopik.api.routing import serves
from mockopik.http.responses import json_response
from mockopik.wire.catalog_schemas import EmptyContentFirstPageSchema, EmptyPageSchema
from mockopik.wire.dumping import dump
from mockopik.wire.queries import parse_page_query

blueprint = Blueprint("sidebar", __name__)


@dataclass(frozen=True)
class EmptyPage:
    page: int
    sortable_by: tuple[str, ...]


# Each list's sorting factory (SortingFactoryPrompts, ...): its fields, reported in `sortable_by`.
SORTABLE_BY = {
    "getPrompts": (
        "id",
        "name",
        "description",
        "created_at",
        "last_updated_at",
        "created_by",
        "last_updated_by",
        "tags",
    ),
    "findAlerts": (
        "id",
        "name",
        "created_at",
        "last_updated_at",
        "created_by",
        "last_updated_by",
        "webhook_url",
        "webhook_secret_token",
    ),
    "findDashboards": ("id", "name", "type", "created_at", "last_updated_at"),
    "findAnnotationQueues": (
        "id",
        "project_id",
        "name",
        "description",
        "instructions",
        "created_at",
        "last_updated_at",
        "created_by",
        "last_updated_by",
    ),
    "findEvaluators": (
        "id",
        "name",
        "type",
        "enabled",
        "sampling_rate",
        "created_at",
        "last_updated_at",
        "created_by",
        "last_updated_by",
    ),
}


def _empty(operation_id: str, schema: type[Schema] = EmptyPageSchema) -> Callable[[], Response]:
    def view() -> Response:
        page = EmptyPage(parse_page_query(request.args), SORTABLE_BY[operation_id])
        return json_response(dump(schema, page))

    view.__name__ = operation_id
    return serves(blueprint, operation_id)(view)


for _operation_id in SORTABLE_BY:
    _empty(
        _operation_id, EmptyContentFirstPageSchema if _operation_id == "findDashboards" else EmptyPageSchema
    )
