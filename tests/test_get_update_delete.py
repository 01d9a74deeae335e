"""getOptimizationById, updateOptimizationsById, deleteOptimizationsById and the two Studio calls."""

from __future__ import annotations

import gzip
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import NOW, NOW_TEXT
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, Transport
from tests.test_create_and_upsert import ERROR_INFO, STUDIO_CONFIG


def test_get_unknown_id_is_the_get_404(api: Transport) -> None:
    reply = api.get(f"{OPTIMIZATIONS}/{UNKNOWN_ID}")

    assert reply.status == 404
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"code": 404, "message": f"Not found optimization with id '{UNKNOWN_ID}'"}


def test_get_prints_the_id_in_lower_case(api: Transport) -> None:
    reply = api.get(f"{OPTIMIZATIONS}/{UNKNOWN_ID.upper()}")

    assert reply.json()["message"] == f"Not found optimization with id '{UNKNOWN_ID}'"


def test_update_changes_only_the_given_fields(api: Transport) -> None:
    optimization_id = api.create(name="before", metadata={"keep": 1, "change": "old"})
    api.clock.advance(timedelta(minutes=5))

    reply = api.put(
        f"{OPTIMIZATIONS}/{optimization_id}",
        json={"status": "error", "error_info": ERROR_INFO, "metadata": {"change": "new", "add": True}},
    )
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert (reply.status, reply.body) == (204, b"")
    assert "Content-Type" not in reply.headers
    assert body["name"] == "before"
    assert body["status"] == "error"
    assert body["error_info"] == ERROR_INFO
    assert body["metadata"] == {"keep": 1, "change": "new", "add": True}
    assert body["created_at"] == NOW_TEXT
    assert body["last_updated_at"] == "2026-11-27T10:20:30.123456Z"


def test_update_with_sdk_nulls_keeps_the_name(api: Transport) -> None:
    optimization_id = api.create(name="keep me")

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"name": None, "status": "completed"})
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert reply.status == 204
    assert (body["name"], body["status"]) == ("keep me", "completed")


def test_update_accepts_a_blank_name(api: Transport) -> None:
    optimization_id = api.create(name="old")

    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"name": ""})

    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["name"] == ""


@pytest.mark.parametrize("body", [{}, {"name": None, "status": None}, {"unknown": 1}])
def test_empty_update_is_204_even_for_an_unknown_id(api: Transport, body: dict[str, Any]) -> None:
    reply = api.put(f"{OPTIMIZATIONS}/{UNKNOWN_ID}", json=body)

    assert (reply.status, reply.body) == (204, b"")


def test_update_of_an_unknown_id_is_the_update_404(api: Transport) -> None:
    reply = api.put(f"{OPTIMIZATIONS}/{UNKNOWN_ID}", json={"status": "completed"})

    assert reply.status == 404
    assert reply.json() == {"code": 404, "message": f"Optimization id: {UNKNOWN_ID} not found"}


def test_metadata_that_is_not_an_object_is_replaced(api: Transport) -> None:
    optimization_id = api.create(metadata=["a"])

    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"metadata": {"b": 2}})

    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["metadata"] == {"b": 2}


@pytest.mark.parametrize(
    ("final", "requested", "status", "after"),
    [
        ("completed", "cancelled", 409, "completed"),
        ("error", "cancelled", 409, "error"),
        ("cancelled", "cancelled", 409, "cancelled"),
        ("completed", "error", 204, "completed"),
        ("cancelled", "completed", 204, "cancelled"),
        ("running", "cancelled", 204, "cancelled"),
        ("initialized", "cancelled", 204, "cancelled"),
        ("running", "completed", 204, "completed"),
        ("completed", "running", 204, "running"),
    ],
)
def test_studio_runs_guard_cancelling_and_terminal_states(
    api: Transport, final: str, requested: str, status: int, after: str
) -> None:
    optimization_id = api.create(studio_config=STUDIO_CONFIG)
    if final != "initialized":
        api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": final})

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": requested})

    assert reply.status == status
    if status == 409:
        assert reply.json() == {
            "code": 409,
            "message": f"Cannot cancel optimization with status '{final.upper()}'. "
            "Only optimizations with status [RUNNING, INITIALIZED] can be cancelled.",
        }
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["status"] == after


@pytest.mark.parametrize("final", ["completed", "error", "cancelled"])
def test_runs_without_studio_config_accept_any_transition(api: Transport, final: str) -> None:
    optimization_id = api.create(status=final)

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "cancelled"})

    assert reply.status == 204
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["status"] == "cancelled"


def test_delete_removes_the_given_ids_and_ignores_unknown_ones(api: Transport) -> None:
    kept, gone = api.create(), api.create()

    reply = api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [gone, UNKNOWN_ID, gone]})

    assert (reply.status, reply.body) == (204, b"")
    assert api.get(f"{OPTIMIZATIONS}/{gone}").status == 404
    assert api.get(f"{OPTIMIZATIONS}/{kept}").status == 200


def test_delete_accepts_a_thousand_ids(api: Transport) -> None:
    ids = [f"0193b3a0-0000-7000-8000-{index:012x}" for index in range(1000)]

    assert api.post(f"{OPTIMIZATIONS}/delete", json={"ids": ids}).status == 204


def test_delete_does_not_cascade_to_the_dataset(api: Transport) -> None:
    first = api.create(dataset_name="kept-dataset")
    dataset_id = api.get(f"{OPTIMIZATIONS}/{first}").json()["dataset_id"]
    api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [first]})

    second = api.create(dataset_name="kept-dataset")

    assert api.get(f"{OPTIMIZATIONS}/{second}").json()["dataset_id"] == dataset_id


@pytest.mark.parametrize("optimization_id", [UNKNOWN_ID, None])
def test_studio_cancel_is_always_501_with_no_body(api: Transport, optimization_id: str | None) -> None:
    target = optimization_id or api.create(studio_config=STUDIO_CONFIG)

    reply = api.get(f"{OPTIMIZATIONS}/studio/{target}/cancel")

    assert (reply.status, reply.body) == (501, b"")
    assert "Content-Type" not in reply.headers


@pytest.mark.parametrize("known", [True, False])
def test_studio_logs_link_serves_a_gzip_log(api: Transport, known: bool) -> None:
    target = api.create(studio_config=STUDIO_CONFIG) if known else UNKNOWN_ID

    reply = api.get(f"/api{OPTIMIZATIONS}/studio/{target}/logs")
    body = reply.json()
    path = body["url"].split("://", 1)[1].split("/", 1)[1]
    download = api.get("/" + path)
    text = gzip.decompress(download.body).decode()

    assert reply.status == 200
    assert list(body) == ["url", "expires_at"]
    assert body["expires_at"] == (NOW + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert body["url"].endswith(f"/_mockopik/studio-logs/default/{target}.log.gz")
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/gzip"
    assert f"run {target}" in text
    assert "\x1b[" in text
    assert ("'qa-set'" in text) is known


def test_studio_log_of_a_failed_run_ends_with_its_traceback(api: Transport) -> None:
    target = api.create(studio_config=STUDIO_CONFIG)
    api.put(f"{OPTIMIZATIONS}/{target}", json={"status": "error", "error_info": ERROR_INFO})

    download = api.get(f"/_mockopik/studio-logs/default/{target}.log.gz")

    assert gzip.decompress(download.body).decode().endswith("Traceback ...")
