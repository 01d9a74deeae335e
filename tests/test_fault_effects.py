"""Each fault effect over real HTTP: statuses with Opik's exact bodies, 429, connection faults, delays."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests

from tests.support import OPTIMIZATIONS, UNKNOWN_ID, HttpTransport, Reply, new_optimization

FAULT = "X-Mockopik-Fault"


def add_rule(http: HttpTransport, rule: dict[str, Any]) -> None:
    reply = http.request("POST", "/_mockopik/faults", json=rule)
    assert reply.status == 201, reply.body


def create(http: HttpTransport) -> str:
    reply = http.request("POST", OPTIMIZATIONS, json=new_optimization())
    return reply.headers["Location"].rsplit("/", 1)[-1]


def total(http: HttpTransport) -> int:
    reply = http.request("GET", OPTIMIZATIONS)
    assert reply.status == 200
    count: int = reply.json()["total"]
    return count


def same_answer(injected: Reply, real: Reply) -> None:
    assert (injected.status, injected.body) == (real.status, real.body)
    assert injected.headers["Content-Type"] == real.headers["Content-Type"]
    assert injected.headers[FAULT] == "item-gone"
    assert FAULT not in real.headers


@pytest.mark.parametrize(
    ("operation", "method", "body"),
    [("getOptimizationById", "GET", None), ("updateOptimizationsById", "PUT", {"name": "renamed"})],
)
def test_an_injected_404_is_the_real_one_byte_for_byte(
    http: HttpTransport, operation: str, method: str, body: dict[str, Any] | None
) -> None:
    target = create(http)
    add_rule(
        http, {"id": "item-gone", "match": {"operation": operation, "optimization_id": target}, "status": 404}
    )
    injected = http.request(method, f"{OPTIMIZATIONS}/{target}", json=body)
    http.request("DELETE", "/_mockopik/faults")
    http.request("POST", f"{OPTIMIZATIONS}/delete", json={"ids": [target]})
    same_answer(injected, http.request(method, f"{OPTIMIZATIONS}/{target}", json=body))


PROJECT = "/v1/private/projects/" + UNKNOWN_ID
CANCEL = f"{OPTIMIZATIONS}/studio/{UNKNOWN_ID}/cancel"
LOGS = f"{OPTIMIZATIONS}/studio/{UNKNOWN_ID}/logs"


@pytest.mark.parametrize(
    ("status", "method", "path", "body"),
    [
        (
            404,
            "GET",
            f"{OPTIMIZATIONS}/{UNKNOWN_ID}",
            {"code": 404, "message": f"Not found optimization with id '{UNKNOWN_ID}'"},
        ),
        (
            404,
            "PUT",
            f"/api{OPTIMIZATIONS}/{UNKNOWN_ID}",
            {"code": 404, "message": f"Optimization id: {UNKNOWN_ID} not found"},
        ),
        (404, "GET", PROJECT, {"errors": ["Project not found"]}),
        (404, "GET", OPTIMIZATIONS, {"code": 404, "message": "HTTP 404 Not Found"}),
        (404, "GET", LOGS, {"code": 404, "message": "HTTP 404 Not Found"}),
        (401, "GET", OPTIMIZATIONS, {"code": 401, "message": "User not allowed to access workspace!"}),
        (400, "POST", f"{OPTIMIZATIONS}/delete", {"code": 400, "message": "HTTP 400 Bad Request"}),
        (409, "PUT", f"{OPTIMIZATIONS}/{UNKNOWN_ID}", {"code": 409, "message": "HTTP 409 Conflict"}),
        (422, "POST", OPTIMIZATIONS, {"code": 422, "message": "HTTP 422 Unprocessable Entity"}),
        (502, "GET", "/is-alive/ping", {"code": 502, "message": "HTTP 502 Bad Gateway"}),
        (503, "PUT", f"/api{OPTIMIZATIONS}/", {"code": 503, "message": "HTTP 503 Service Unavailable"}),
        (501, "GET", CANCEL, None),
        (501, "GET", LOGS, {"code": 501, "message": "HTTP 501 Not Implemented"}),
    ],
)
def test_an_injected_status_answers_what_opik_answers_for_that_operation(
    http: HttpTransport, status: int, method: str, path: str, body: dict[str, Any] | None
) -> None:
    reply = http.request(method, path, json={"name": "x"}, headers={FAULT: f"status={status}"})
    assert reply.status == status
    assert (reply.json() if reply.body else None) == body
    assert reply.headers[FAULT] == "header"
    assert ("Content-Type" in reply.headers) == (body is not None)


def test_an_injected_500_names_an_incident_that_the_seed_reproduces(http: HttpTransport) -> None:
    add_rule(http, {"status": 500, "probability": 0.5})
    first = [http.request("GET", OPTIMIZATIONS) for _ in range(6)]
    assert {reply.status for reply in first} == {200, 500}
    for reply in first:
        if reply.status == 500:
            assert re.fullmatch(
                r"There was an error processing your request\. It has been logged \(ID [0-9a-f]{16}\)\.",
                reply.json()["message"],
            )
    http.request("POST", "/_mockopik/reset", headers={"Content-Type": "application/json"})
    add_rule(http, {"status": 500, "probability": 0.5})
    again = [http.request("GET", OPTIMIZATIONS) for _ in range(6)]
    assert [(reply.status, reply.body) for reply in again] == [(reply.status, reply.body) for reply in first]


RATE_LIMIT_HEADERS = ("Retry-After", "RateLimit-Reset", "Opik-User-Limit", "Opik-User-Remaining-Limit", FAULT)


def test_a_429_tells_when_to_retry_and_cors_lets_the_browser_read_it(http: HttpTransport) -> None:
    add_rule(http, {"id": "rate-limited", "match": {"operation": "create*"}, "status": 429, "retry_after": 7})
    reply = http.request(
        "POST", OPTIMIZATIONS, json=new_optimization(), headers={"Origin": "http://localhost:5174"}
    )
    assert (reply.status, reply.json()) == (
        429,
        {
            "code": 429,
            "message": "Too Many Requests: You have exceeded the general rate limit for this user. Please try again later.",
        },
    )
    received = {name.lower(): value for name, value in reply.headers.items()}
    assert {name: received.get(name.lower()) for name in RATE_LIMIT_HEADERS} == {
        "Retry-After": "7",
        "RateLimit-Reset": "7",
        "Opik-User-Limit": "general_events",
        "Opik-User-Remaining-Limit": "0",
        FAULT: "rate-limited",
    }
    exposed = {name.strip() for name in reply.headers["Access-Control-Expose-Headers"].split(",")}
    assert {FAULT, "Retry-After", "Location"} <= exposed
    assert total(http) == 0


def test_a_rule_can_bring_its_own_body_and_headers(http: HttpTransport) -> None:
    add_rule(http, {"id": "teapot", "status": 418, "body": {"brewing": True}, "headers": {"X-Kettle": "on"}})
    reply = http.request("GET", OPTIMIZATIONS)
    assert (reply.status, reply.json(), reply.headers["X-Kettle"]) == (418, {"brewing": True}, "on")


def test_injected_errors_change_nothing(http: HttpTransport) -> None:
    add_rule(http, {"match": {"method": ["POST", "PUT"]}, "status": 503})
    assert http.request("POST", OPTIMIZATIONS, json=new_optimization()).status == 503
    assert http.request("PUT", OPTIMIZATIONS, json=new_optimization()).status == 503
    assert total(http) == 0


@pytest.mark.parametrize(
    ("kind", "error", "reason"),
    [
        ("reset", requests.ConnectionError, "Connection reset by peer"),
        ("empty", requests.ConnectionError, "Remote end closed connection without response"),
        ("truncate", requests.exceptions.ChunkedEncodingError, "IncompleteRead"),
    ],
)
def test_connection_faults_reach_the_client_as_broken_connections(
    http: HttpTransport, kind: str, error: type[Exception], reason: str
) -> None:
    create(http)
    add_rule(http, {"id": kind, "match": {"operation": "findOptimizations"}, "connection": kind, "times": 1})
    with pytest.raises(error, match=reason):
        requests.get(http.server.url + OPTIMIZATIONS, timeout=5)
    assert requests.get(http.server.url + OPTIMIZATIONS, timeout=5).json()["total"] == 1
    journaled = http.request("GET", "/_mockopik/requests").json()["requests"]
    assert [(entry["faults"], entry["status"]) for entry in journaled] == [
        ([], 201),
        ([kind], 200 if kind == "truncate" else None),
        ([], 200),
    ]


def test_a_truncated_answer_announces_the_whole_body_but_sends_half(http: HttpTransport) -> None:
    create(http)
    whole = http.request("GET", OPTIMIZATIONS).body
    add_rule(http, {"connection": "truncate"})
    half = len(whole) // 2
    response = requests.get(http.server.url + OPTIMIZATIONS, stream=True, timeout=5)
    assert response.headers["Content-Length"] == str(len(whole))
    with pytest.raises(requests.exceptions.ChunkedEncodingError) as raised:
        response.content  # noqa: B018 (reading the body is the point)
    assert f"IncompleteRead({half} bytes read, {len(whole) - half} more expected)" in str(raised.value)


def test_admin_routes_unknown_routes_and_preflights_are_never_faulted(http: HttpTransport) -> None:
    add_rule(http, {"status": 503})
    for path in ("/_mockopik/health", "/api/_mockopik/health", "/_mockopik/faults", "/_mockopik/requests"):
        reply = http.request("GET", path)
        assert (reply.status, FAULT in reply.headers) == (200, False)
    assert http.request("GET", "/v1/private/nothing").status == 404
    preflight = http.request(
        "OPTIONS",
        OPTIMIZATIONS,
        headers={"Origin": "http://localhost:5174", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 200
    assert http.request("GET", OPTIMIZATIONS).status == 503


def test_the_fault_header_beats_the_rules_for_its_request_only(http: HttpTransport) -> None:
    add_rule(http, {"id": "always", "status": 500})
    assert http.request("GET", OPTIMIZATIONS, headers={FAULT: "status=503"}).status == 503
    assert http.request("GET", OPTIMIZATIONS).status == 500
    assert http.request("GET", "/_mockopik/faults/always").json()["matched"] == 1


def test_a_bad_fault_header_is_a_400_that_says_why(http: HttpTransport) -> None:
    reply = http.request("GET", OPTIMIZATIONS, headers={FAULT: "status=200"})
    assert (reply.status, reply.json(), reply.headers[FAULT]) == (
        400,
        {
            "code": 400,
            "message": "Invalid X-Mockopik-Fault header: "
            "status: Must be greater than or equal to 400 and less than or equal to 599.",
        },
        "header",
    )


def test_a_delay_really_waits(http: HttpTransport) -> None:
    started = time.monotonic()
    reply = http.request("GET", OPTIMIZATIONS, headers={FAULT: "delay=200ms"})
    assert time.monotonic() - started >= 0.2
    assert (reply.status, reply.headers[FAULT]) == (200, "header")
    [entry] = http.request("GET", "/_mockopik/requests").json()["requests"]
    assert entry["delay_ms"] == 200
    assert entry["duration_ms"] >= 200
