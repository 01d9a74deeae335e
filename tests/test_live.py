"""What a user of a served mockopik sees over HTTP, through the `mockopik` fixture.

Marked `live`: these run in-process here, and against the container image in the container job
(`MOCKOPIK_URL=... pytest -m live`), so they assume only what a default `mockopik serve` serves.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests

from mockopik.clock import parse_instant
from mockopik.testing.client import Mockopik
from mockopik.version import __version__
from tests.support import client_id

pytestmark = pytest.mark.live
OPTIMIZATIONS = "/v1/private/optimizations"


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def total(http: requests.Session, url: str) -> int:
    reply = http.get(url + OPTIMIZATIONS, timeout=10)
    assert reply.status_code == 200
    count: int = reply.json()["total"]
    return count


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_health(mockopik: Mockopik, http: requests.Session, prefix: str) -> None:
    reply = http.get(f"{mockopik.url}{prefix}/_mockopik/health", timeout=10)
    assert (reply.status_code, reply.json()) == (200, {"status": "ok", "version": __version__})


def test_the_sdk_lifecycle_over_the_api_prefix(mockopik: Mockopik, http: requests.Session) -> None:
    optimization_id = client_id()
    base = mockopik.api_url + OPTIMIZATIONS
    body = {
        "id": optimization_id,
        "name": "live-check",
        "dataset_name": "qa-set",
        "objective_name": "accuracy",
        "status": "running",
        "metadata": {"optimizer": "MetaPromptOptimizer"},
    }
    created = http.post(base, json=body, timeout=10)
    assert (created.status_code, created.content, created.headers["Location"]) == (
        201,
        b"",
        f"{base}/{optimization_id}",
    )

    updated = http.put(f"{base}/{optimization_id}", json={"status": "completed"}, timeout=10)
    assert (updated.status_code, updated.content) == (204, b"")
    fetched = http.get(f"{base}/{optimization_id}", timeout=10).json()
    assert {
        key: fetched[key]
        for key in ("id", "name", "dataset_name", "objective_name", "status", "metadata", "num_trials")
    } == {
        "id": optimization_id,
        "name": "live-check",
        "dataset_name": "qa-set",
        "objective_name": "accuracy",
        "status": "completed",
        "metadata": {"optimizer": "MetaPromptOptimizer"},
        "num_trials": 0,
    }

    found = http.get(base, params={"name": "live-check"}, timeout=10).json()
    assert (found["total"], [item["id"] for item in found["content"]]) == (1, [optimization_id])

    deleted = http.post(f"{base}/delete", json={"ids": [optimization_id]}, timeout=10)
    assert deleted.status_code == 204
    gone = http.get(f"{base}/{optimization_id}", timeout=10)
    assert (gone.status_code, gone.json()) == (
        404,
        {"code": 404, "message": f"Not found optimization with id '{optimization_id}'"},
    )


def test_the_ui_paths_without_api_and_with_a_trailing_slash(
    mockopik: Mockopik, http: requests.Session
) -> None:
    running = json.dumps([{"field": "status", "operator": "=", "value": "running"}])
    page = http.get(f"{mockopik.url}{OPTIMIZATIONS}/", params={"size": 1, "filters": running}, timeout=10)
    assert page.status_code == 200
    assert (page.json()["page"], page.json()["sortable_by"]) == (1, [])
    assert all(item["status"] == "running" for item in page.json()["content"])


def test_gzip_bodies_as_the_python_sdk_sends_them(mockopik: Mockopik, http: requests.Session) -> None:
    body = {
        "dataset_name": "qa-set",
        "objective_name": "accuracy",
        "status": "running",
        "metadata": {"notes": "x" * 300},
    }
    reply = http.post(
        mockopik.api_url + OPTIMIZATIONS,
        data=gzip.compress(json.dumps(body).encode(), mtime=0),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert reply.status_code == 201
    assert http.get(reply.headers["Location"], timeout=10).json()["metadata"] == body["metadata"]


def test_reset_goes_back_to_the_boot_data(mockopik: Mockopik, http: requests.Session) -> None:
    boot = total(http, mockopik.url)
    http.post(
        mockopik.url + OPTIMIZATIONS,
        json={"dataset_name": "d", "objective_name": "o", "status": "running"},
        timeout=10,
    )
    assert total(http, mockopik.url) == boot + 1
    mockopik.reset()
    assert total(http, mockopik.url) == boot


# opik hands SSL_CERT_FILE (set on some machines) to httpx as a string, which httpx deprecates.
@pytest.mark.filterwarnings("ignore:`verify=<str>` is deprecated:DeprecationWarning")
def test_the_opik_sdk_through_the_sdk_fixture(mockopik_sdk: Mockopik, http: requests.Session) -> None:
    opik = pytest.importorskip("opik")
    client = opik.Opik()
    optimization = client.create_optimization(
        dataset_name="qa-set", objective_name="accuracy", name="from-the-sdk"
    )
    optimization.update(status="completed")
    content = client.get_optimization_by_id(optimization.id).fetch_content()
    assert (content.name, content.status, content.dataset_name) == ("from-the-sdk", "completed", "qa-set")
    client.end()
    reply = http.get(f"{mockopik_sdk.url}{OPTIMIZATIONS}/{optimization.id}", timeout=10)
    assert reply.json()["status"] == "completed"


def test_faults_and_the_journal_are_lists_and_a_misspelt_operation_is_refused(mockopik: Mockopik) -> None:
    mockopik.add_fault({"id": "slow", "latency": 1})
    requests.get(f"{mockopik.url}{OPTIMIZATIONS}", timeout=10)

    assert [(rule["id"], rule["fired"]) for rule in mockopik.faults()] == [("slow", 1)]
    assert [entry["operation"] for entry in mockopik.journal()] == ["findOptimizations"]
    with pytest.raises(
        ValueError, match=r"^operation: 'createOptimisation' matches no operation \(cancelStudio"
    ):
        mockopik.assert_called("createOptimisation")


def test_the_clock_stands_still_in_a_test_until_advanced(mockopik: Mockopik) -> None:
    start = mockopik.clock()
    assert start["pace"] == 0
    time.sleep(0.02)
    assert mockopik.clock() == start
    moved = mockopik.advance("5m")
    assert parse_instant(moved["now"]) - parse_instant(start["now"]) == timedelta(minutes=5)  # type: ignore[operator]
    assert mockopik.clock() == moved


@pytest.mark.mockopik(pace=60)
def test_the_marker_sets_the_pace(mockopik: Mockopik) -> None:
    assert mockopik.clock()["pace"] == 60
