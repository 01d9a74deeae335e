"""The project and liveness endpoints the SDK calls around optimizations."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tests.conftest import NOW_TEXT
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, Transport


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


CORS_ANSWER = {
    "Access-Control-Allow-Origin": "http://localhost:5174",
    "Access-Control-Expose-Headers": "Location, RateLimit-Reset, Retry-After, X-Mockopik-Fault",
    "Vary": "Origin",
}


def cors_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: value for name, value in headers.items() if name.startswith("Access-Control") or name == "Vary"
    }


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", f"{OPTIMIZATIONS}?size=1", 200),
        ("GET", f"{OPTIMIZATIONS}/{UNKNOWN_ID}", 404),
        ("GET", f"{OPTIMIZATIONS}/not-an-id", 404),
        ("PUT", f"{OPTIMIZATIONS}/{UNKNOWN_ID}", 422),
        ("GET", "/v1/private/traces", 404),
    ],
)
def test_cors_headers_answer_requests_that_carry_an_origin_and_only_those(
    api: Transport, method: str, path: str, status: int
) -> None:
    """As Opik's CORS filter (Jetty's CrossOriginFilter): a request without an Origin is no
    cross-origin request, and its answer has no CORS headers; errors are answered alike."""
    plain = api.request(method, path)
    cross = api.request(method, path, headers={"Origin": "http://localhost:5174"})

    assert (plain.status, cors_headers(plain.headers)) == (status, {})
    assert (cross.status, cors_headers(cross.headers), cross.body) == (status, CORS_ANSWER, plain.body)
