"""The published Opik Python SDK (the [compat] extra) against a live mockopik: every OptimizationsClient
call, the high-level flows, and how the SDK maps mockopik's errors."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import requests

from mockopik.http.server import LiveServer
from tests.conftest import NOW
from tests.support import UNKNOWN_ID, HttpTransport, client_id

# Set before `import opik`: Sentry starts at import, analytics on the first call; both call comet.com.
SDK_ENVIRONMENT = {
    "OPIK_SENTRY_ENABLE": "false",
    "OPIK_ANALYTICS_ENABLE": "false",
    "OPIK_CONFIG_PATH": os.devnull,
    "OPIK_URL_OVERRIDE": None,
    "OPIK_API_KEY": None,
    "OPIK_WORKSPACE": None,
    "OPIK_PROJECT_NAME": None,
}
# opik 2.2.122 builds its httpx client with a `verify=<str>` that httpx 0.28 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:`verify=<str>` is deprecated:DeprecationWarning")
STUDIO_LOG_LINK = "{url}/_mockopik/studio-logs/default/{id}.log.gz"


@pytest.fixture(scope="module")
def sdk() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SDK_ENVIRONMENT.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        yield pytest.importorskip("opik")


@pytest.fixture
def client(sdk: ModuleType, http: HttpTransport) -> Iterator[Any]:
    """opik.Opik against the live server (reset first), as a local install is used: no API key."""
    opik_client = sdk.Opik(host=http.server.url + "/api", workspace="default", api_key=None)
    yield opik_client
    opik_client.end()


def journal(http: HttpTransport, operation: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = http.get("/_mockopik/requests", params={"operation": operation}).json()[
        "requests"
    ]
    return entries


def record(client: Any, optimization_id: str) -> dict[str, Any]:
    found: dict[str, Any] = client.rest_client.optimizations.get_optimization_by_id(optimization_id).dict()
    return {key: value for key, value in found.items() if value is not None}


def test_every_optimizations_client_call(client: Any, http: HttpTransport, live_server: LiveServer) -> None:
    api = client.rest_client.optimizations
    optimization_id = client_id()

    assert (
        api.create_optimization(
            id=optimization_id,
            name="low-level",
            dataset_name="qa-set",
            objective_name="accuracy",
            status="running",
            project_name="Default Project",
            metadata={"optimizer": "MetaPromptOptimizer"},
        )
        is None
    )
    created = record(client, optimization_id)
    assert (
        api.upsert_optimization(
            id=optimization_id, dataset_name="qa-set", objective_name="f1", status="running"
        )
        is None
    )
    assert (
        api.update_optimizations_by_id(
            optimization_id,
            status="error",
            error_info={"exception_type": "ValueError", "message": "boom", "traceback": "Traceback ..."},
            metadata={"note": "failed"},
        )
        is None
    )
    page = api.find_optimizations(
        page=1,
        size=5,
        name="LOW",
        filters=json.dumps([{"field": "status", "operator": "=", "value": "error"}]),
    )
    logs = api.get_studio_optimization_logs(optimization_id)
    api.delete_optimizations_by_id(ids=[optimization_id])

    assert created == {
        "id": optimization_id,
        "name": "low-level",
        "dataset_name": "qa-set",
        "project_id": created["project_id"],
        "objective_name": "accuracy",
        "status": "running",
        "metadata": {"optimizer": "MetaPromptOptimizer"},
        "dataset_id": created["dataset_id"],
        "num_trials": 0,
        "created_at": NOW,
        "created_by": "admin",
        "last_updated_at": NOW,
        "last_updated_by": "admin",
    }
    assert (page.page, page.size, page.total, page.sortable_by) == (1, 1, 1, [])
    without_project = {
        key: value for key, value in created.items() if key != "project_id"
    }  # upsert dropped it
    assert page.content[0].dict(exclude_none=True) == {
        **without_project,
        "objective_name": "f1",
        "status": "error",
        "metadata": {"note": "failed"},
        "error_info": {"exception_type": "ValueError", "message": "boom", "traceback": "Traceback ..."},
    }
    assert logs.url == STUDIO_LOG_LINK.format(url=live_server.url, id=optimization_id)
    assert gzip.decompress(requests.get(logs.url, timeout=5).content).startswith(b"\x1b[2m")
    assert api.find_optimizations().total == 0


def test_the_high_level_flow(sdk: ModuleType, client: Any, http: HttpTransport) -> None:
    optimization = client.create_optimization(
        dataset_name="qa-set", objective_name="accuracy", name="high-level", metadata={"prompt": "x" * 300}
    )
    optimization.update(status="completed")
    optimization.update(name=None)
    again = client.get_optimization_by_id(optimization.id)
    content = optimization.fetch_content()
    client.delete_optimizations([optimization.id])

    assert (content.name, content.status, content.metadata) == (
        "high-level",
        "completed",
        {"prompt": "x" * 300},
    )
    assert again.project_name == "Default Project"
    [create] = journal(http, "createOptimization")
    assert create["headers"]["Content-Encoding"] == "gzip"
    assert (create["status"], create["body"]["metadata"]) == (201, {"prompt": "x" * 300})
    updates = journal(http, "updateOptimizationsById")
    assert [(entry["body"], entry["status"]) for entry in updates] == [
        ({"name": None, "status": "completed"}, 204),
        ({"name": None, "status": None}, 204),
    ]
    assert [entry["status"] for entry in journal(http, "getProjectById")] == [200]
    with pytest.raises(sdk.rest_api.errors.NotFoundError):
        optimization.fetch_content()


def test_a_failed_run_records_its_error(client: Any) -> None:
    optimization = client.create_optimization(dataset_name="qa-set", objective_name="accuracy")
    optimization.update(status="error", error_info={"exception_type": "E", "message": "m", "traceback": "tb"})

    content = optimization.fetch_content()
    assert (content.status, content.error_info.dict()) == (
        "error",
        {"exception_type": "E", "message": "m", "traceback": "tb"},
    )


ERRORS = [
    (
        "get of an unknown id",
        lambda api: api.get_optimization_by_id(UNKNOWN_ID),
        "NotFoundError",
        404,
        {"code": 404, "message": f"Not found optimization with id '{UNKNOWN_ID}'"},
    ),
    (
        "find with bad filters",
        lambda api: api.find_optimizations(filters="not-json"),
        "BadRequestError",
        400,
        {"code": 400, "message": "Invalid filters query parameter 'not-json'"},
    ),
    (
        "find of page 0",
        lambda api: api.find_optimizations(page=0),
        "BadRequestError",
        400,
        {"errors": ["query param page must be greater than or equal to 1"]},
    ),
    (
        "update of an unknown id",
        lambda api: api.update_optimizations_by_id(UNKNOWN_ID, status="completed"),
        "ApiError",
        404,
        {"code": 404, "message": f"Optimization id: {UNKNOWN_ID} not found"},
    ),
    (
        "create with an unknown status",
        lambda api: api.create_optimization(dataset_name="d", objective_name="o", status="paused"),
        "ApiError",
        400,
        {
            "code": 400,
            "message": "Unable to process JSON. Cannot construct instance of `com.comet.opik.api.OptimizationStatus`, "
            "problem: Unknown Optimization Status 'paused' (through reference chain: "
            'com.comet.opik.api.Optimization["status"])',
        },
    ),
    (
        "create with a blank dataset name",
        lambda api: api.create_optimization(dataset_name=" ", objective_name="o", status="running"),
        "ApiError",
        422,
        {"errors": ["datasetName must not be blank"]},
    ),
]


@pytest.mark.parametrize(("case", "call", "error", "status", "body"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_map_to_the_sdks_exceptions(
    sdk: ModuleType, client: Any, case: str, call: Any, error: str, status: int, body: dict[str, Any]
) -> None:
    with pytest.raises(sdk.rest_api.core.api_error.ApiError) as raised:
        call(client.rest_client.optimizations)

    assert (type(raised.value).__name__, raised.value.status_code, raised.value.body) == (error, status, body)
