"""The project and liveness endpoints the SDK calls around optimizations."""

from __future__ import annotations

import pytest

from tests.conftest import NOW_TEXT
from tests.support import OPTIMIZATIONS, Transport


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_project_by_id(api: Transport, prefix: str) -> None:
    optimization_id = api.create(project_name="chatbot")
    project_id = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["project_id"]

    reply = api.get(f"{prefix}/v1/private/projects/{project_id}")

    assert reply.status == 200
    assert reply.json() == {
        "id": project_id,
        "name": "chatbot",
        "visibility": "private",
        "created_at": NOW_TEXT,
        "created_by": "admin",
        "last_updated_at": NOW_TEXT,
        "last_updated_by": "admin",
    }


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_liveness(api: Transport, prefix: str) -> None:
    assert api.get(f"{prefix}/is-alive/ping").json() == {"healthy": True}
    assert api.get(f"{prefix}/is-alive/ver").json() == {"version": "2.2.122"}


def test_cors_lets_a_browser_read_location(api: Transport) -> None:
    preflight = api.request(
        "OPTIONS",
        OPTIMIZATIONS,
        headers={
            "Origin": "http://localhost:5174",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,comet-workspace",
        },
    )
    created = api.post(
        OPTIMIZATIONS,
        json={"dataset_name": "d", "objective_name": "o", "status": "running"},
        headers={"Origin": "http://localhost:5174"},
    )

    assert preflight.status == 200
    assert "comet-workspace" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert created.headers["Access-Control-Allow-Origin"] == "http://localhost:5174"
    assert "Location" in created.headers["Access-Control-Expose-Headers"]
