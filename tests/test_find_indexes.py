"""Finds by status, project and name, once read, stay true to the records through later writes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support import OPTIMIZATIONS, Transport, client_id, filters, new_optimization

RUNNING = filters({"field": "status", "operator": "=", "value": "running"})
COMPLETED = filters({"field": "status", "operator": "=", "value": "completed"})
RUNS = [  # name, project, status; oldest first
    ("Alpha one", "p1", "running"),
    ("beta two", "p2", "completed"),
    ("alpha three", "p1", "completed"),
    ("gamma four", None, "running"),
    ("ALPHA five", "p2", "running"),
    ("delta six", "p1", "running"),
]


def written(api: Transport) -> tuple[list[str], dict[str, str]]:
    """The runs above, read by every index, then changed: run 0 completed, run 1 renamed, run 3 moved
    to p1, run 5 deleted, and a run 6 `alpha seven` (p2, running) added."""
    ids = []
    for name, project, status in RUNS:
        api.clock.advance(timedelta(seconds=1))
        ids.append(api.create(id=client_id(), name=name, status=status, project_name=project))
    projects = {
        name: api.get(f"{OPTIMIZATIONS}/{ids[index]}").json()["project_id"]
        for name, index in [("p1", 0), ("p2", 1)]
    }
    for params in ({"filters": RUNNING}, {"name": "alpha"}, {"project_id": projects["p1"]}):
        assert api.get(OPTIMIZATIONS, params=params).status == 200
    assert api.put(f"{OPTIMIZATIONS}/{ids[0]}", json={"status": "completed"}).status == 204
    assert api.put(f"{OPTIMIZATIONS}/{ids[1]}", json={"name": "alpha renamed"}).status == 204
    moved = new_optimization(id=ids[3], name="gamma four", status="running", project_name="p1")
    assert api.put(OPTIMIZATIONS, json=moved).status == 201
    assert api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [ids[5]]}).status == 204
    api.clock.advance(timedelta(seconds=1))
    ids.append(api.create(id=client_id(), name="alpha seven", status="running", project_name="p2"))
    return ids, projects


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ({"filters": RUNNING}, [6, 4, 3], 3),
        ({"filters": COMPLETED}, [2, 1, 0], 3),
        ({"name": "alpha"}, [6, 4, 2, 1, 0], 5),
        ({"name": "ALPHA F"}, [4], 1),
        ({"name": "a_p"}, [6, 4, 2, 1, 0], 5),
        ({"name": "e%e"}, [6, 2, 1], 3),
        ({"name": "e%a"}, [1], 1),
        ({"name": "one\\"}, [], 0),
        ({"project": "p1"}, [3, 2, 0], 3),
        ({"project": "p1", "filters": RUNNING}, [3], 1),
        ({"name": "alpha", "filters": RUNNING}, [6, 4], 2),
        ({"name": "alpha", "project": "p2", "size": 1, "page": 2}, [4], 3),
        ({"filters": RUNNING, "size": 2, "page": 2}, [3], 3),
        ({"filters": filters({"field": "status", "operator": "=", "value": "RUNNING"})}, [], 0),
    ],
)
def test_indexed_finds_follow_writes(
    api: Transport, query: dict[str, Any], expected: list[int], total: int
) -> None:
    ids, projects = written(api)
    params = {key: projects[value] if key == "project" else value for key, value in query.items()}
    if "project" in params:
        params["project_id"] = params.pop("project")

    page = api.get(OPTIMIZATIONS, params=params).json()

    assert page["content"] == [api.get(f"{OPTIMIZATIONS}/{ids[index]}").json() for index in expected]
    assert page["total"] == total


WRITES = {
    "rename": lambda api, ids: api.put(f"{OPTIMIZATIONS}/{ids[0]}", json={"name": "renamed"}),
    "status": lambda api, ids: api.put(f"{OPTIMIZATIONS}/{ids[2]}", json={"status": "completed"}),
    "create": lambda api, ids: ids.append(api.create(id=client_id(), name="newest")),
    "delete": lambda api, ids: api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [ids.pop()]}),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("query", [{}, {"filters": RUNNING}, {"name": "e"}])
def test_the_same_find_asked_again_answers_the_writes_between(
    api: Transport, write: str, query: dict[str, Any]
) -> None:
    ids = [api.create(id=client_id(), name=name, status="running") for name in ("one", "two", "three")]
    before = api.get(OPTIMIZATIONS, params=query).json()

    WRITES[write](api, ids)
    again = api.get(OPTIMIZATIONS, params=query).json()
    current = [api.get(f"{OPTIMIZATIONS}/{each}").json() for each in reversed(ids)]

    assert before["content"] != again["content"]
    assert again["content"] == [run for run in current if _found_by(query, run)]


def _found_by(query: dict[str, Any], run: dict[str, Any]) -> bool:
    return ("filters" not in query or run["status"] == "running") and query.get("name", "") in run["name"]
