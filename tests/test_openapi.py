"""mockopik's OpenAPI document: valid, served, written by the CLI, complete, and named as Opik names things."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask
from marshmallow import Schema
from openapi_spec_validator import validate

from mockopik.api.routing import operations_by_endpoint
from mockopik.cli import main
from mockopik.contract.openapi import PUBLIC, WRITE, _Side, build_spec
from mockopik.contract.operations import OPERATIONS
from mockopik.wire import schemas
from mockopik.wire.queries import FindOptimizationsQuerySchema
from tests.support import Transport
from tests.test_upstream_schema import SPEC_PATH

SPEC = build_spec()
UPSTREAM = yaml.safe_load(SPEC_PATH.read_text())
OPIK_API = re.compile(r"^/(v1/private|is-alive)/")


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(SPEC)
    assert SPEC["openapi"] == "3.1.0"


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_the_document_is_served(api: Transport, prefix: str) -> None:
    reply = api.get(f"{prefix}/_mockopik/openapi.json")

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == SPEC


@pytest.mark.parametrize(("name", "parse"), [("spec.yaml", yaml.safe_load), ("spec.json", json.loads)])
def test_the_cli_writes_yaml_or_json_by_extension(tmp_path: Any, name: str, parse: Any) -> None:
    result = CliRunner().invoke(main, ["openapi", "-o", str(tmp_path / name)])

    assert result.exit_code == 0, result.output
    assert parse((tmp_path / name).read_text()) == SPEC


def test_the_cli_writes_json_to_stdout_by_default() -> None:
    result = CliRunner().invoke(main, ["openapi"])

    assert result.exit_code == 0
    assert json.loads(result.output) == SPEC


def test_every_opik_route_of_the_app_is_an_operation_of_the_document_and_back(app: Flask) -> None:
    served = {
        (method, re.sub(r"<[^>]+>", "{}", rule.rule))
        for rule in app.url_map.iter_rules()
        if OPIK_API.match(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(method, re.sub(r"\{[^}]+\}", "{}", path)) for method, path in operations(SPEC)}

    assert served == documented


def schema_classes() -> list[type[Schema]]:
    defined = [
        value for _, value in inspect.getmembers(schemas, inspect.isclass) if issubclass(value, Schema)
    ]
    abstract = {"PublicSchema", "PagePublicSchema"}
    return [cls for cls in defined if cls.__module__ == schemas.__name__ and cls.__name__ not in abstract]


@pytest.mark.parametrize("schema_class", schema_classes(), ids=lambda cls: cls.__name__)
def test_every_schema_and_every_field_is_in_the_document(schema_class: type[Schema]) -> None:
    """A schema or field added in mockopik.schemas but missing from the document fails here."""
    components = SPEC["components"]["schemas"]
    names = {_Side(side).name(schema_class) for side in (WRITE, PUBLIC)} & set(components)

    assert names, f"{schema_class.__name__} is in no component"
    for name in names:
        assert set(components[name]["properties"]) == set(schema_class().fields), name


@pytest.mark.parametrize("operation_id", ["findOptimizations", "findOptimizationsByProject"])
def test_every_query_field_is_a_parameter(operation_id: str) -> None:
    operation = next(op for op in operations(SPEC).values() if op["operationId"] == operation_id)
    parameters = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    expected = set(FindOptimizationsQuerySchema().fields)
    if operation_id == "findOptimizationsByProject":
        expected -= {"project_id"}

    assert parameters == expected


def refs(operation: dict[str, Any]) -> dict[str, str]:
    """The schema name of the request body and of each answer with a single schema."""
    found = {}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in body:
        found["body"] = body["$ref"].rsplit("/", 1)[1]
    for status, response in operation["responses"].items():
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in schema and status.startswith("2"):
            found[status] = schema["$ref"].rsplit("/", 1)[1]
    return found


@pytest.mark.parametrize("key", sorted(operations(UPSTREAM)), ids=" ".join)
def test_operation_ids_paths_and_schema_names_are_opiks(key: tuple[str, str]) -> None:
    ours, theirs = operations(SPEC)[key], operations(UPSTREAM)[key]

    assert ours["operationId"] == theirs["operationId"]
    assert refs(ours) == refs(theirs)
    assert [p["name"] for p in ours.get("parameters", []) if p["in"] == "path"] == [
        p["name"] for p in theirs.get("parameters", []) if p["in"] == "path"
    ]


STATUSES = {
    "findOptimizations": {200, 400, 401, 404},
    "createOptimization": {201, 400, 401, 404, 413, 415, 422},
    "upsertOptimization": {201, 400, 401, 404, 413, 415, 422},
    "getOptimizationById": {200, 401, 404},
    "updateOptimizationsById": {204, 400, 401, 404, 409, 413, 415, 422},
    "deleteOptimizationsById": {204, 400, 401, 404, 413, 415, 422},
    "cancelStudioOptimizations": {401, 404, 501},
    "getStudioOptimizationLogs": {200, 401, 404},
    "getProjectById": {200, 401, 404},
    "findOptimizationsByProject": {200, 400, 401, 404},
    "findExperiments": {200, 400, 401, 404},
    "findExperimentsByProject": {200, 400, 401, 404},
    "getExperimentById": {200, 401, 404},
    "findDatasetItemsWithExperimentItems": {200, 400, 401, 404},
    "getDatasetItemsOutputColumns": {200, 400, 401, 404},
    "findProjects": {200, 400, 401, 404},
    "getProjectStats": {200, 400, 401, 404},
    "findDatasets": {200, 400, 401, 404},
    "findDatasetsByProject": {200, 400, 401, 404},
    "getDatasetExportJobs": {200, 401, 404},
    "getServiceToggles": {200, 401, 404},
    "getWorkspaceVersion": {200, 401, 404},
    "getWorkspaceConfiguration": {200, 401, 404},
    "getPrompts": {200, 400, 401, 404},
    "findAlerts": {200, 400, 401, 404},
    "findDashboards": {200, 400, 401, 404},
    "findAnnotationQueues": {200, 400, 401, 404},
    "findEvaluators": {200, 400, 401, 404},
    "isAlive": {200},
    "version": {200},
}


def test_each_operation_lists_every_status_it_answers() -> None:
    assert {op["operationId"]: set(map(int, op["responses"])) for op in operations(SPEC).values()} == STATUSES
    assert {operation.operation_id for operation in OPERATIONS} == set(STATUSES)


def test_error_bodies_have_opiks_two_shapes() -> None:
    find = operations(SPEC)["GET", "/v1/private/optimizations"]["responses"]
    components = SPEC["components"]["schemas"]

    assert find["400"]["content"]["application/json"]["schema"] == {
        "anyOf": [
            {"$ref": "#/components/schemas/ErrorMessage"},
            {"$ref": "#/components/schemas/ValidationErrorMessage"},
        ]
    }
    assert components["ErrorMessage"]["properties"] == {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "details": {"type": "string"},
    }
    assert components["ValidationErrorMessage"]["properties"] == {
        "errors": {"type": "array", "items": {"type": "string"}}
    }


def test_created_answers_carry_location_and_links_to_the_record() -> None:
    created = operations(SPEC)["POST", "/v1/private/optimizations"]["responses"]["201"]

    assert created["headers"]["Location"]["required"] is True
    assert "content" not in created
    assert {link["operationId"] for link in created["links"].values()} == {
        "getOptimizationById",
        "updateOptimizationsById",
        "deleteOptimizationsById",
        "getStudioOptimizationLogs",
    }


def test_fault_rules_and_the_journal_name_operations_as_the_document_does(app: Flask) -> None:
    documented = {operation["operationId"] for operation in operations(SPEC).values()}
    by_endpoint = operations_by_endpoint(app)

    assert sorted(by_endpoint.values()) == sorted([*documented, *documented])  # under `/` and `/api`
    assert {rule.endpoint for rule in app.url_map.iter_rules() if OPIK_API.match(rule.rule)} <= set(
        by_endpoint
    )
