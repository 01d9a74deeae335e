"""Schemathesis against the in-process app, with mockopik's own spec and with Opik's pinned spec.

The checks and their exceptions are those of `schemathesis.toml` (what `schemathesis run` uses too).
Opik's spec documents few error statuses; the backend answers many more (the contract's errors table).
The upstream runs use Opik's spec with the deliberate drift applied (`mockopik.drift.as_backend`), which
adds the error answers mockopik's spec lists per operation, so a response passes only if Opik's spec or
a listed drift allows it.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import HealthCheck as SchemathesisHealthCheck
from schemathesis.config import SchemathesisConfig

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.contract.diff import load_document
from mockopik.contract.drift import as_backend
from mockopik.contract.openapi import SCHEMATHESIS_CONFIG, build_spec
from mockopik.http.server import LiveServer
from tests.test_upstream_schema import SPEC_PATH

CONFIG_PATH = SCHEMATHESIS_CONFIG
CI_EXAMPLES = 15
STATEFUL_EXAMPLES = 25
LONG_EXAMPLES = 500
SEEDED = 6


def with_links(document: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """`document` with the response links of `source` (matched by operationId): stateful runs need them."""
    linked = copy.deepcopy(document)
    links = {
        (operation["operationId"], status): response["links"]
        for item in source["paths"].values()
        for operation in item.values()
        for status, response in operation["responses"].items()
        if "links" in response
    }
    present = {
        operation.get("operationId") for item in linked["paths"].values() for operation in item.values()
    }
    for item in linked["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                wanted = links.get((operation.get("operationId"), status), {})
                kept = {name: link for name, link in wanted.items() if link["operationId"] in present}
                if kept:
                    response["links"] = copy.deepcopy(kept)
    return linked


def load(document: dict[str, Any]) -> Any:
    config = SchemathesisConfig.from_path(CONFIG_PATH)
    config.projects.default.generation.update(max_examples=CI_EXAMPLES, database="none", deterministic=True)
    # Slow CI machines must not fail a run that found nothing wrong.
    config.projects.default.update(suppress_health_check=[SchemathesisHealthCheck.all])
    schema = schemathesis.openapi.from_dict(document, config=config)
    schema.app = create_app(Settings.resolve({}), count=SEEDED)
    return schema


MOCKOPIK_SPEC = build_spec()
UPSTREAM_SPEC = with_links(as_backend(load_document(SPEC_PATH), MOCKOPIK_SPEC), MOCKOPIK_SPEC)
MOCKOPIK = load(MOCKOPIK_SPEC)
UPSTREAM = load(UPSTREAM_SPEC)


@MOCKOPIK.parametrize()
def test_mockopik_spec(case: Any) -> None:
    case.call_and_validate()


@UPSTREAM.parametrize()
def test_upstream_spec(case: Any) -> None:
    case.call_and_validate()


@pytest.mark.fuzz
@MOCKOPIK.parametrize()
@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_mockopik_spec_long(case: Any) -> None:
    case.call_and_validate()


@pytest.mark.fuzz
@UPSTREAM.parametrize()
@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_upstream_spec_long(case: Any) -> None:
    case.call_and_validate()


WORKFLOW = {"createOptimization", "getOptimizationById", "updateOptimizationsById", "deleteOptimizationsById"}


class Lifecycle:
    """What a client can expect across calls: a created id reads back until it is deleted, then 404s.

    (Schemathesis' use_after_free and ensure_resource_availability know deletion only as the DELETE
    method; Opik deletes with POST .../delete.)"""

    def __init__(self) -> None:
        self.called: set[str] = set()
        self.alive: set[str] = set()
        self.deleted: set[str] = set()

    def observe(self, case: Any, response: Any) -> None:
        operation = case.operation.definition.raw["operationId"]
        self.called.add(operation)
        if operation == "createOptimization" and response.status_code == 201:
            created = response.headers["location"][0].rsplit("/", 1)[-1]
            self.alive.add(created)
            self.deleted.discard(created)
        elif operation == "deleteOptimizationsById" and response.status_code == 204:
            gone = {str(value).lower() for value in case.body["ids"]}
            self.deleted |= gone & self.alive
            self.alive -= gone
        elif operation == "getOptimizationById":
            wanted = str(case.path_parameters["id"]).lower()
            if wanted in self.alive:
                assert response.status_code == 200, f"{wanted} was created but reads {response.status_code}"
            if wanted in self.deleted:
                assert response.status_code == 404, f"{wanted} was deleted but reads {response.status_code}"


def only(document: dict[str, Any], operation_ids: set[str]) -> dict[str, Any]:
    """`document` with just these operations: a state machine over them alone."""
    kept = copy.deepcopy(document)
    for path, item in list(kept["paths"].items()):
        for method in [
            method for method, operation in item.items() if operation["operationId"] not in operation_ids
        ]:
            del item[method]
        if not item:
            del kept["paths"][path]
    for item in kept["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                links = response.get("links", {})
                for name in [
                    name for name, link in links.items() if link["operationId"] not in operation_ids
                ]:
                    del links[name]
    return kept


def run_workflows(schema: Any, examples: int) -> set[str]:
    """Stateful runs along the links (create -> get (-> project) / update / delete); the operations called."""
    lifecycle = Lifecycle()
    steps = load(only(schema.raw_schema, {*WORKFLOW, "getProjectById"}))

    class Workflow(steps.as_state_machine()):  # type: ignore[misc]
        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            lifecycle.observe(case, response)

    Workflow.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same steps on every run: a pass or a failure is reproducible
            database=None,
        )
    )
    return lifecycle.called


@pytest.mark.parametrize("schema", [MOCKOPIK, UPSTREAM], ids=["mockopik-spec", "upstream-spec"])
def test_stateful_create_get_update_delete(schema: Any) -> None:
    assert run_workflows(schema, STATEFUL_EXAMPLES) >= WORKFLOW


@pytest.mark.fuzz
@pytest.mark.parametrize("schema", [MOCKOPIK, UPSTREAM], ids=["mockopik-spec", "upstream-spec"])
def test_stateful_long(schema: Any) -> None:
    assert run_workflows(schema, LONG_EXAMPLES // 5) >= WORKFLOW


def test_the_documented_command_works_from_any_folder(tmp_path: Path) -> None:
    """`schemathesis --config-file "$(mockopik contract schemathesis-config)" run <served document>`."""
    settings = Settings.resolve({}, port=0, count=SEEDED)
    config = subprocess.run(
        [sys.executable, "-m", "mockopik", "contract", "schemathesis-config"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    with LiveServer(create_app(settings), settings) as server:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")), "--config-file", config, "run",
                f"{server.url}/_mockopik/openapi.json", "--max-examples", "3", "--phases", "examples,fuzzing",
                "--generation-database", "none", "--suppress-health-check", "all",
            ],
            capture_output=True, text=True, cwd=tmp_path, timeout=600,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
