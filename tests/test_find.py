"""findOptimizations and the project-scoped find: paging, order, query parameters, page shape."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from tests.support import OPTIMIZATIONS, Transport, client_id, filters


def create_several(api: Transport, count: int) -> list[str]:
    """`count` optimizations, oldest first."""
    ids = []
    for index in range(count):
        api.clock.advance(timedelta(seconds=1))
        ids.append(api.create(id=client_id(), name=f"run {index}"))
    return ids


def test_empty_page_shape(api: Transport) -> None:
    reply = api.get(OPTIMIZATIONS)

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.body == b'{"page":1,"size":0,"total":0,"content":[],"sortable_by":[]}'


@pytest.mark.parametrize("prefix", ["", "/api"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_find_is_newest_first_with_size_the_number_returned(api: Transport, prefix: str, slash: str) -> None:
    ids = create_several(api, 5)

    page = api.get(f"{prefix}{OPTIMIZATIONS}{slash}", params={"page": 1, "size": 3}).json()

    assert [item["id"] for item in page["content"]] == ids[::-1][:3]
    assert {key: page[key] for key in ("page", "size", "total", "sortable_by")} == {
        "page": 1,
        "size": 3,
        "total": 5,
        "sortable_by": [],
    }
    assert page["content"][0] == api.get(f"{OPTIMIZATIONS}/{ids[-1]}").json()


@pytest.mark.parametrize(("page", "expected"), [(1, [6, 5, 4]), (2, [3, 2, 1]), (3, [0]), (4, [])])
def test_pages_walk_through_everything_once(api: Transport, page: int, expected: list[int]) -> None:
    ids = create_several(api, 7)

    reply = api.get(OPTIMIZATIONS, params={"page": page, "size": 3}).json()

    assert [item["id"] for item in reply["content"]] == [ids[index] for index in expected]
    assert (reply["page"], reply["size"], reply["total"]) == (page, len(expected), 7)


def test_default_page_size_is_ten(api: Transport) -> None:
    create_several(api, 12)

    page = api.get(OPTIMIZATIONS).json()

    assert (page["page"], page["size"], page["total"]) == (1, 10, 12)


def test_client_ids_order_by_id_not_by_insertion(api: Transport) -> None:
    older = "01900000-0000-7000-8000-000000000001"
    newer = "01900000-0000-7000-8000-000000000002"
    api.create(id=newer)
    api.create(id=older)

    assert [item["id"] for item in api.get(OPTIMIZATIONS).json()["content"]] == [newer, older]


def test_name_is_a_case_insensitive_substring(api: Transport) -> None:
    wanted = api.create(name="Prompt Tuning v2")
    api.create(name="baseline")

    page = api.get(OPTIMIZATIONS, params={"name": "tuning"}).json()

    assert [item["id"] for item in page["content"]] == [wanted]
    assert page["total"] == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("100%", ["100% done", "100%_x", "1000 runs"]),
        ("100_", ["100% done", "100%_x", "1000 runs"]),
        ("%", ["100% done", "100%_x", "1000 runs", "aXb", "a_b"]),
        ("a_b", ["aXb", "a_b"]),
        ("a\\_b", ["a_b"]),
        ("100\\%", ["100% done", "100%_x"]),
        ("1%\\_", ["100%_x"]),
        ("AXB", ["aXb"]),
    ],
)
def test_name_is_an_unescaped_ilike_pattern(api: Transport, name: str, expected: list[str]) -> None:
    """OptimizationDAO: `ilike(name, CONCAT('%', :name, '%'))`, so `%` and `_` are wildcards and a
    backslash makes the next character literal."""
    for created in ("100% done", "100%_x", "1000 runs", "a_b", "aXb"):
        api.create(name=created)

    page = api.get(OPTIMIZATIONS, params={"name": name, "size": 10}).json()

    assert sorted(item["name"] for item in page["content"]) == expected
    assert page["total"] == len(expected)


def test_dataset_name_is_a_literal_substring(api: Transport) -> None:
    """DatasetService.findIdsByPartialName escapes the name: `_` and `%` match only themselves."""
    wanted = api.create(dataset_name="qa_set")
    api.create(dataset_name="qa-set")

    by_underscore = api.get(OPTIMIZATIONS, params={"dataset_name": "a_s"}).json()
    by_percent = api.get(OPTIMIZATIONS, params={"dataset_name": "%"}).json()

    assert [item["id"] for item in by_underscore["content"]] == [wanted]
    assert (by_percent["total"], by_percent["content"]) == (0, [])


def test_dataset_filters(api: Transport) -> None:
    first = api.create(dataset_name="Customer-QA")
    second = api.create(dataset_name="support-tickets")
    dataset_id = api.get(f"{OPTIMIZATIONS}/{first}").json()["dataset_id"]

    by_id = api.get(OPTIMIZATIONS, params={"dataset_id": dataset_id}).json()
    by_name = api.get(OPTIMIZATIONS, params={"dataset_name": "tick"}).json()
    no_match = api.get(OPTIMIZATIONS, params={"dataset_name": "nothing"}).json()

    assert [item["id"] for item in by_id["content"]] == [first]
    assert [item["id"] for item in by_name["content"]] == [second]
    assert (no_match["total"], no_match["content"]) == (0, [])


def test_deleted_datasets_are_omitted_and_filterable(api: Transport) -> None:
    gone = api.create(dataset_name="old-set")
    kept = api.create(dataset_name="live-set")
    dataset_id = api.get(f"{OPTIMIZATIONS}/{gone}").json()["dataset_id"]
    with api.runtime.store.lock:
        api.runtime.store.workspace("default").datasets[UUID(dataset_id)].deleted = True

    deleted = api.get(OPTIMIZATIONS, params={"dataset_deleted": "true"}).json()
    live = api.get(OPTIMIZATIONS, params={"dataset_deleted": "false"}).json()

    assert [item["id"] for item in deleted["content"]] == [gone]
    assert "dataset_name" not in deleted["content"][0]
    assert deleted["content"][0]["dataset_id"] == dataset_id
    assert [item["id"] for item in live["content"]] == [kept]


def test_project_id_query_and_the_project_scoped_find(api: Transport) -> None:
    inside = api.create(project_name="chatbot")
    api.create(project_name="other")
    api.create()
    project_id = api.get(f"{OPTIMIZATIONS}/{inside}").json()["project_id"]

    by_query = api.get(OPTIMIZATIONS, params={"project_id": project_id}).json()
    by_path = api.get(f"/api/v1/private/projects/{project_id}/optimizations").json()

    assert [item["id"] for item in by_query["content"]] == [inside]
    assert by_path == by_query


def test_unknown_query_parameters_are_ignored(api: Transport) -> None:
    create_several(api, 2)

    page = api.get(
        OPTIMIZATIONS, params={"workspace_name": "x", "studio_only": "true", "include_studio_config": "1"}
    ).json()

    assert page["total"] == 2


def test_criteria_are_combined(api: Transport) -> None:
    wanted = api.create(name="alpha", status="running", dataset_name="set-a")
    api.create(name="alpha", status="completed", dataset_name="set-a")
    api.create(name="beta", status="running", dataset_name="set-a")

    page = api.get(
        OPTIMIZATIONS,
        params={
            "name": "alp",
            "dataset_name": "set",
            "filters": filters({"field": "status", "operator": "=", "value": "running"}),
        },
    ).json()

    assert [item["id"] for item in page["content"]] == [wanted]


def test_ui_running_poll(api: Transport) -> None:
    api.create(status="running")
    newest = api.create(status="running")
    api.create(status="completed")
    poll = filters({"id": "a1b2", "field": "status", "type": "string", "operator": "=", "value": "running"})

    page = api.get(OPTIMIZATIONS + "/", params={"page": 1, "size": 1, "filters": poll}).json()

    assert (page["size"], page["total"]) == (1, 2)
    assert page["content"][0]["id"] == newest
