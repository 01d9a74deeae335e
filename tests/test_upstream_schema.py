"""Successful reads validate against the pinned upstream OpenAPI schemas, allowing only the listed drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema
import pytest
import yaml
from flask import Flask

from mockopik.app import create_app
from mockopik.config import Settings
from tests.support import OPTIMIZATIONS, FlaskTransport
from tests.test_create_and_upsert import ERROR_INFO, STUDIO_CONFIG

SPEC_PATH = Path(__file__).parent / "data" / "opik-optimizations-openapi.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def problems(spec: dict[str, Any], name: str, instance: Any) -> list[str]:
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return sorted(error.message for error in validator.iter_errors(instance))


@pytest.fixture
def seeded() -> Flask:
    return create_app(Settings.resolve({}), count=40, seed=3)


def test_seeded_pages_and_records_match_the_upstream_schemas(spec: dict[str, Any], seeded: Flask) -> None:
    api = FlaskTransport(seeded)
    page = api.get(OPTIMIZATIONS, params={"size": 100}).json()

    deleted_dataset = ["'dataset_name' is a required property"]
    assert problems(spec, "OptimizationPage_Public", {**page, "content": []}) == []
    assert {tuple(problems(spec, "Optimization_Public", item)) for item in page["content"]} <= {
        (),
        tuple(deleted_dataset),
    }
    for item in page["content"]:
        allowed = [] if "dataset_name" in item else deleted_dataset
        assert (
            problems(spec, "Optimization_Public", api.get(f"{OPTIMIZATIONS}/{item['id']}").json()) == allowed
        )


def test_written_records_match_the_upstream_schema(spec: dict[str, Any], seeded: Flask) -> None:
    api = FlaskTransport(seeded)
    optimization_id = api.create(
        project_name="p", metadata={"a": [1]}, studio_config=STUDIO_CONFIG, error_info=ERROR_INFO
    )
    logs = api.get(f"{OPTIMIZATIONS}/studio/{optimization_id}/logs").json()
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert problems(spec, "Optimization_Public", body) == []
    assert problems(spec, "OptimizationStudioLog", logs) == []


def test_the_only_drift_is_a_missing_dataset_name_when_the_dataset_is_gone(
    spec: dict[str, Any], seeded: Flask
) -> None:
    api = FlaskTransport(seeded)
    optimization_id = api.create(dataset_name="to-delete")
    dataset_id = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["dataset_id"]
    api.runtime.store.workspace("default").datasets[UUID(dataset_id)].deleted = True

    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert problems(spec, "Optimization_Public", body) == ["'dataset_name' is a required property"]


@pytest.mark.parametrize("metadata", [[{"step": 1}], "free text"])
def test_list_and_text_metadata_differ_only_by_the_specs_own_contradiction(
    spec: dict[str, Any], seeded: Flask, metadata: Any
) -> None:
    """JsonListString says `type: object` and also `anyOf: [object, array, string]`; the backend
    (a JsonNode) and the SDK accept all three, so the top-level `type` is the only complaint."""
    api = FlaskTransport(seeded)
    body = api.get(f"{OPTIMIZATIONS}/{api.create(metadata=metadata)}").json()

    assert problems(spec, "Optimization_Public", body) == [f"{metadata!r} is not of type 'object'"]
