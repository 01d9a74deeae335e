"""Vanish rules: ids look deleted everywhere at once (get, update, find and its counts), then come back."""

from __future__ import annotations

from typing import Any

import pytest

from mockopik.app import create_app
from tests.support import OPTIMIZATIONS, FlaskTransport, HttpTransport, new_optimization
from tests.timing import FakeTiming

Api = FlaskTransport | HttpTransport


def create(api: Api, **fields: Any) -> str:
    reply = api.request("POST", OPTIMIZATIONS, json=new_optimization(**fields))
    return reply.headers["Location"].rsplit("/", 1)[-1]


def listed(api: Api, **params: Any) -> tuple[int, list[str]]:
    page = api.request("GET", OPTIMIZATIONS, params=params).json()
    return page["total"], [item["id"] for item in page["content"]]


def test_vanished_ids_look_deleted_to_get_update_and_find(api: Api) -> None:
    kept, gone, also_gone = (create(api, name=f"run-{n}", project_name="p") for n in range(3))
    reply = api.request("POST", "/_mockopik/faults", json={"id": "gone", "vanish": [gone, also_gone]})
    assert reply.status == 201

    got = api.request("GET", f"{OPTIMIZATIONS}/{gone}")
    assert (got.status, got.json()) == (
        404,
        {"code": 404, "message": f"Not found optimization with id '{gone}'"},
    )
    assert got.headers["X-Mockopik-Fault"] == "gone"
    updated = api.request("PUT", f"{OPTIMIZATIONS}/{gone}", json={"status": "completed"})
    assert (updated.status, updated.json()) == (
        404,
        {"code": 404, "message": f"Optimization id: {gone} not found"},
    )
    assert api.request("PUT", f"{OPTIMIZATIONS}/{gone}", json={}).status == 204
    assert listed(api) == (1, [kept])
    assert listed(api, size=1, page=2) == (1, [])
    assert listed(api, name="run") == (1, [kept])
    project_id = api.request("GET", f"{OPTIMIZATIONS}/{kept}").json()["project_id"]
    project_page = api.request("GET", f"/v1/private/projects/{project_id}/optimizations").json()
    assert (project_page["total"], [item["id"] for item in project_page["content"]]) == (1, [kept])
    assert api.request("GET", f"{OPTIMIZATIONS}/{kept}").status == 200

    assert api.request("DELETE", "/_mockopik/faults/gone").status == 204
    assert listed(api) == (3, [also_gone, gone, kept])
    assert api.request("GET", f"{OPTIMIZATIONS}/{gone}").json()["status"] == "running"


def test_vanishing_is_per_workspace(api: Api) -> None:
    target = create(api)
    api.request("POST", "/_mockopik/faults", json={"vanish": [target], "match": {"workspace": "elsewhere"}})
    assert api.request("GET", f"{OPTIMIZATIONS}/{target}").status == 200
    api.request("POST", "/_mockopik/faults", json={"vanish": [target], "match": {"workspace": "default"}})
    assert api.request("GET", f"{OPTIMIZATIONS}/{target}").status == 404


@pytest.mark.parametrize(("age", "visible"), [(0, True), (10, False), (39.9, False), (40, True)])
def test_ids_can_vanish_for_a_window_only(age: float, visible: bool) -> None:
    timing = FakeTiming()
    api = FlaskTransport(create_app(count=0, timing=timing))
    target = create(api)
    api.request("POST", "/_mockopik/faults", json={"vanish": [target], "window": {"start": 10, "end": 40}})
    timing.advance(age)
    assert listed(api) == ((1, [target]) if visible else (0, []))
    assert api.request("GET", f"{OPTIMIZATIONS}/{target}").status == (200 if visible else 404)
