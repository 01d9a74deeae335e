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


@pytest.mark.parametrize(
    ("stored", "given", "after"),
    [
        ({"a": 1, "b": {"x": 1}}, {"b": {"y": 2}, "c": None}, {"a": 1, "b": {"y": 2}, "c": None}),
        (["a"], {"b": 2}, {"b": 2}),
        ("text", {"b": 2}, {"b": 2}),
        ({"a": 1}, ["not", "an", "object"], {"a": 1}),
        ({"a": 1}, "text", {"a": 1}),
        ({"a": 1}, 7, {"a": 1}),
        (["a"], ["b"], ["a"]),
    ],
)
def test_update_metadata_is_merged_as_json_utils_merges(
    api: Transport, stored: Any, given: Any, after: Any
) -> None:
    """JsonUtils.merge (OptimizationService.applyUpdate): an object's keys overwrite the stored ones,
    shallowly; a value that is not an object leaves the stored metadata alone (the update still applies)."""
    optimization_id = api.create(metadata=stored)
    api.clock.advance(timedelta(minutes=5))

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"metadata": given})
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert (reply.status, reply.body) == (204, b"")
    assert (body["metadata"], body["last_updated_at"]) == (after, "2026-11-27T10:20:30.123456Z")


def test_update_error_info_is_not_validated(api: Transport) -> None:
    """OptimizationsResource.updateOptimizationsById takes `@NotNull OptimizationUpdate` without `@Valid`:
    ErrorInfo's @NotBlank constraints are not checked, and what was sent is stored and read back."""
    optimization_id = api.create()
    blank = {"exception_type": "", "traceback": "  "}

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "error", "error_info": blank})
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert (reply.status, reply.body) == (204, b"")
    assert (body["status"], body["error_info"]) == ("error", blank)


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
        ("completed", "running", 204, "completed"),
        ("error", "initialized", 204, "error"),
        ("completed", "completed", 204, "completed"),
        ("running", "initialized", 204, "initialized"),
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


def test_an_update_to_another_status_of_a_terminal_studio_run_changes_nothing(api: Transport) -> None:
    """OptimizationService.applyUpdate's `isTerminalOverwrite`: the whole update is skipped, name,
    metadata, error_info and last_updated_at included, and answered 204."""
    optimization_id = api.create(name="studio run", studio_config=STUDIO_CONFIG, metadata={"a": 1})
    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "completed"})
    before = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()
    api.clock.advance(timedelta(minutes=5))

    reply = api.put(
        f"{OPTIMIZATIONS}/{optimization_id}",
        json={"name": "late", "status": "error", "error_info": ERROR_INFO, "metadata": {"b": 2}},
    )

    assert (reply.status, reply.body) == (204, b"")
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json() == before


@pytest.mark.parametrize(
    ("update", "changed"),
    [
        ({"name": "renamed", "metadata": {"b": 2}}, {"name": "renamed", "metadata": {"a": 1, "b": 2}}),
        ({"status": "completed", "name": "renamed"}, {"name": "renamed"}),
        ({"error_info": ERROR_INFO}, {"error_info": ERROR_INFO}),
    ],
)
def test_same_status_and_status_less_updates_of_a_terminal_studio_run_apply(
    api: Transport, update: dict[str, Any], changed: dict[str, Any]
) -> None:
    optimization_id = api.create(name="studio run", studio_config=STUDIO_CONFIG, metadata={"a": 1})
    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "completed"})
    before = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()
    api.clock.advance(timedelta(minutes=5))

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json=update)

    assert reply.status == 204
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json() == {
        **before,
        **changed,
        "last_updated_at": "2026-11-27T10:20:30.123456Z",
    }


SYSTEM_FAILURE = {
    "exception_type": "SystemDetectedFailure",
    "message": "[System] Optimization failed to start: the run could not be queued.",
    "traceback": "[System] No traceback: this failure was detected by the platform, not reported by the "
    "optimizer worker.",
}


@pytest.mark.parametrize(
    ("update", "status", "error_info"),
    [
        ({"status": "running"}, "running", None),
        ({"status": "completed"}, "completed", None),
        ({"status": "cancelled"}, "cancelled", None),
        ({"status": "completed", "error_info": ERROR_INFO}, "completed", ERROR_INFO),
        ({"status": "error", "error_info": ERROR_INFO}, "error", ERROR_INFO),
        ({"name": "renamed"}, "error", SYSTEM_FAILURE),
    ],
)
def test_a_system_detected_failure_is_superseded_by_the_worker(
    api: Transport, update: dict[str, Any], status: str, error_info: dict[str, Any] | None
) -> None:
    """`supersedesSystemFailure`: an ERROR the platform guessed (error_info of type SystemDetectedFailure)
    gives way to any status but ERROR, which clears its error_info unless the update brings one, and
    can be cancelled (`isCancellable`)."""
    optimization_id = api.create(studio_config=STUDIO_CONFIG)
    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "error", "error_info": SYSTEM_FAILURE})
    before = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json=update)
    after = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert (reply.status, reply.body) == (204, b"")
    expected = {**before, "name": update.get("name", before["name"]), "status": status}
    expected.pop("error_info")
    assert after == expected | ({"error_info": error_info} if error_info else {})


def test_a_worker_reported_failure_is_final(api: Transport) -> None:
    optimization_id = api.create(studio_config=STUDIO_CONFIG)
    reported = {**SYSTEM_FAILURE, "exception_type": "RuntimeError"}
    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "error", "error_info": reported})
    before = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    running = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "running"})
    cancelled = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "cancelled"})

    assert running.status == 204
    assert (cancelled.status, cancelled.json()["message"]) == (
        409,
        "Cannot cancel optimization with status 'ERROR'. "
        "Only optimizations with status [RUNNING, INITIALIZED] can be cancelled.",
    )
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json() == before


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
    api.post("/_mockopik/clock", json={"advance": "1h"})  # the Studio worker has run it

    reply = api.get(f"/api{OPTIMIZATIONS}/studio/{target}/logs")
    body = reply.json()
    path = body["url"].split("://", 1)[1].split("/", 1)[1]
    download = api.get("/" + path)
    text = gzip.decompress(download.body).decode()

    assert reply.status == 200
    assert list(body) == ["url", "expires_at"]
    assert body["expires_at"] == (NOW + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
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
