"""The request journal: what it records, filters, bounds, and what clears it."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
import tracemalloc
from typing import Any

import pytest
import requests

from mockopik.app import create_app
from mockopik.contract.operations import OPERATION_IDS
from mockopik.http.journal import BODY_LIMIT
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, FlaskTransport, HttpTransport, new_optimization

Api = FlaskTransport | HttpTransport


def journal(api: Api, **params: str) -> list[dict[str, Any]]:
    reply = api.request("GET", "/_mockopik/requests", params=params)
    assert reply.status == 200
    entries: list[dict[str, Any]] = reply.json()["requests"]
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", entry.pop("received_at"))
        duration = entry.pop("duration_ms")
        assert duration is None or duration >= 0
        entry["headers"] = {k.lower(): v for k, v in entry["headers"].items() if k.lower() != "user-agent"}
    return entries


def test_the_journal_records_each_request_and_its_answer(api: Api) -> None:
    body = new_optimization(name="journaled")
    api.request(
        "POST",
        "/api" + OPTIMIZATIONS,
        json=body,
        headers={"Comet-Workspace": "team-a", "Authorization": "secret-api-key-123"},
    )
    api.request(
        "GET",
        OPTIMIZATIONS + "/",
        params={"size": "1", "filters": "[]"},
        headers={"X-Mockopik-Fault": "status=503"},
    )
    api.request("GET", f"{OPTIMIZATIONS}/{UNKNOWN_ID}")
    assert journal(api) == [
        {
            "id": 1,
            "method": "POST",
            "path": "/api/v1/private/optimizations",
            "query": {},
            "operation": "createOptimization",
            "workspace": "team-a",
            "headers": {
                "authorization": "***",
                "comet-workspace": "team-a",
                "content-type": "application/json",
                "content-length": str(len(json.dumps(body))),
            },
            "body": body,
            "state": "answered",
            "status": 201,
            "faults": [],
            "delay_ms": 0.0,
            "response": None,
        },
        {
            "id": 2,
            "method": "GET",
            "path": "/v1/private/optimizations/",
            "query": {"size": "1", "filters": "[]"},
            "operation": "findOptimizations",
            "workspace": "default",
            "headers": {"x-mockopik-fault": "status=503"},
            "body": None,
            "state": "answered",
            "status": 503,
            "faults": ["header"],
            "delay_ms": 0.0,
            "response": {"code": 503, "message": "HTTP 503 Service Unavailable"},
        },
        {
            "id": 3,
            "method": "GET",
            "path": f"/v1/private/optimizations/{UNKNOWN_ID}",
            "query": {},
            "operation": "getOptimizationById",
            "workspace": "default",
            "headers": {},
            "body": None,
            "state": "answered",
            "status": 404,
            "faults": [],
            "delay_ms": 0.0,
            "response": {"code": 404, "message": f"Not found optimization with id '{UNKNOWN_ID}'"},
        },
    ]


def test_bodies_are_journaled_even_when_nothing_read_them(api: Api) -> None:
    api.request(
        "POST", "/_mockopik/faults", json={"match": {"operation": "createOptimization"}, "status": 503}
    )
    gzipped = gzip.compress(json.dumps(new_optimization(name="zipped")).encode(), mtime=0)
    api.request(
        "POST",
        OPTIMIZATIONS,
        data=gzipped,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    api.request("PUT", OPTIMIZATIONS, data=b"not json", headers={"Content-Type": "application/json"})
    api.request(
        "PUT", OPTIMIZATIONS, data=b"x" * (BODY_LIMIT + 10), headers={"Content-Type": "application/json"}
    )
    bodies = [entry["body"] for entry in journal(api)]
    assert bodies == [
        new_optimization(name="zipped"),
        "not json",
        "x" * BODY_LIMIT + f" [... cut at {BODY_LIMIT} bytes]",
    ]


def test_the_journal_filters_by_operation_and_method(api: Api) -> None:
    api.request("POST", OPTIMIZATIONS, json=new_optimization())
    api.request("PUT", OPTIMIZATIONS, json=new_optimization())
    api.request("GET", OPTIMIZATIONS)
    api.request("GET", "/v1/private/no-such-thing")
    assert [entry["id"] for entry in journal(api, operation="createOptimization")] == [1]
    assert [entry["id"] for entry in journal(api, operation="*Optimization*")] == [1, 2, 3]
    assert [entry["id"] for entry in journal(api, method="put")] == [2]
    assert [(entry["operation"], entry["status"]) for entry in journal(api, method="GET")] == [
        ("findOptimizations", 200),
        (None, 404),
    ]


def test_a_name_that_matches_no_operation_is_refused_with_the_known_ones(api: Api) -> None:
    reply = api.request("GET", "/_mockopik/requests", params={"operation": "createOptimisation"})
    assert (reply.status, reply.json()) == (
        400,
        {
            "errors": [
                f"operation: 'createOptimisation' matches no operation ({', '.join(sorted(OPERATION_IDS))})"
            ]
        },
    )


def test_each_entry_says_whether_its_request_is_in_flight_answered_or_dropped(http: HttpTransport) -> None:
    def states() -> list[tuple[str, int | None]]:
        return [(entry["state"], entry["status"]) for entry in journal(http)]

    slow = threading.Thread(
        target=http.request, args=("GET", OPTIMIZATIONS), kwargs={"headers": {"X-Mockopik-Fault": "delay=1s"}}
    )
    slow.start()
    deadline = time.monotonic() + 5
    while not states() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert states() == [("in flight", None)]
    slow.join()
    with pytest.raises(requests.ConnectionError):
        http.request("GET", OPTIMIZATIONS, headers={"X-Mockopik-Fault": "connection=reset"})
    assert states() == [("answered", 200), ("dropped", None)]


def test_admin_requests_are_not_journaled_and_reset_or_delete_clear_the_journal(api: Api) -> None:
    api.request("GET", OPTIMIZATIONS)
    api.request("GET", "/_mockopik/health")
    api.request("GET", "/api/_mockopik/faults")
    assert len(journal(api)) == 1
    assert api.request("DELETE", "/_mockopik/requests").status == 204
    assert journal(api) == []
    api.request("GET", OPTIMIZATIONS)
    assert api.request("POST", "/_mockopik/reset", headers={"Content-Type": "application/json"}).status == 204
    assert journal(api) == []


@pytest.mark.parametrize(("size", "kept"), [(0, []), (2, [4, 5])])
def test_the_journal_keeps_the_latest_requests_only(size: int, kept: list[int]) -> None:
    api = FlaskTransport(create_app(count=0, journal_size=size))
    for _ in range(5):
        api.request("GET", OPTIMIZATIONS)
    assert [entry["id"] for entry in journal(api)] == kept


def test_after_gives_the_later_entries_and_latest_the_newest_id(api: Api) -> None:
    for _ in range(3):
        api.request("GET", OPTIMIZATIONS)
    answer = api.request("GET", "/_mockopik/requests", params={"after": "1"}).json()
    assert ([entry["id"] for entry in answer["requests"]], answer["latest"]) == ([2, 3], 3)
    api.request("DELETE", "/_mockopik/requests")
    assert api.request("GET", "/_mockopik/requests", params={"after": "3"}).json() == {
        "requests": [],
        "latest": 0,
    }
    bad = api.request("GET", "/_mockopik/requests", params={"after": "soon"})
    assert (bad.status, bad.json()) == (
        400,
        {"errors": ["after: expected the id of a journal entry (a whole number), got 'soon'"]},
    )


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({"limit": "2"}, [4, 5]),
        ({"limit": "2", "after": "4"}, [5]),
        ({"limit": "10", "after": "1"}, [2, 3, 4, 5]),
        ({"limit": "1", "method": "POST"}, [3]),
    ],
)
def test_limit_gives_the_newest_entries_oldest_first(
    api: Api, params: dict[str, str], ids: list[int]
) -> None:
    for method in ("GET", "POST", "POST", "GET", "GET"):
        api.request(method, OPTIMIZATIONS, json=new_optimization() if method == "POST" else None)
    assert [entry["id"] for entry in journal(api, **params)] == ids


def test_an_entry_is_read_alone_with_its_bodies_and_lists_can_leave_bodies_out(api: Api) -> None:
    api.request("POST", OPTIMIZATIONS, json=new_optimization(name="one"))
    api.request("GET", f"{OPTIMIZATIONS}/{UNKNOWN_ID}")
    listed = journal(api)
    without_bodies = journal(api, bodies="false")
    assert without_bodies == [{**entry, "body": None, "response": None} for entry in listed]
    alone = api.request("GET", "/_mockopik/requests/2")
    assert alone.status == 200
    assert (
        alone.json()["response"]
        == listed[1]["response"]
        == {
            "code": 404,
            "message": f"Not found optimization with id '{UNKNOWN_ID}'",
        }
    )
    assert {
        key: value for key, value in alone.json().items() if key not in ("received_at", "duration_ms")
    } == {
        key: value
        for key, value in api.request("GET", "/_mockopik/requests").json()["requests"][1].items()
        if key not in ("received_at", "duration_ms")
    }
    missing = api.request("GET", "/_mockopik/requests/3")
    assert (missing.status, missing.json()) == (
        404,
        {"code": 404, "message": "Request 3 not found in the journal"},
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"limit": "0"}, "limit: expected a number of entries (a whole number above 0), got '0'"),
        ({"limit": "many"}, "limit: expected a number of entries (a whole number above 0), got 'many'"),
        ({"bodies": "no"}, "bodies: expected true or false, got 'no'"),
    ],
)
def test_a_bad_limit_or_bodies_is_refused(api: Api, params: dict[str, str], error: str) -> None:
    reply = api.request("GET", "/_mockopik/requests", params=params)
    assert (reply.status, reply.json()) == (400, {"errors": [error]})


def test_secrets_are_masked_whole_wherever_they_are_sent(api: Api) -> None:
    metadata = {"openai_api_key": "sk-meta", "nested": [{"password": "pw-1"}], "max_tokens": 5, "token": "t"}
    api.request(
        "POST",
        OPTIMIZATIONS,
        params={"api_key": "sk-query", "size": "1"},
        json=new_optimization(metadata=metadata),
        headers={
            "Authorization": "sk-auth",
            "Comet-Api-Key": "sk-comet",
            "opikApiKey": "sk-opik",
            "X-Auth-Token": "tok-1",
        },
    )
    raw = api.request("GET", "/_mockopik/requests").body
    entry = journal(api)[0]

    assert {name: value for name, value in entry["headers"].items() if not name.startswith("content")} == {
        "authorization": "***",
        "comet-api-key": "***",
        "opikapikey": "***",
        "x-auth-token": "***",
    }
    assert entry["query"] == {"api_key": "***", "size": "1"}
    assert entry["body"]["metadata"] == {
        "openai_api_key": "***",
        "nested": [{"password": "***"}],
        "max_tokens": 5,
        "token": "***",
    }
    assert not any(secret in raw for secret in (b"sk-", b"pw-1", b"tok-1"))


def test_the_journal_keeps_the_latest_requests_that_fit_in_its_bytes() -> None:
    api = FlaskTransport(create_app(count=0, journal_bytes=100_000))
    for index in range(10):
        api.request("POST", OPTIMIZATIONS, data=b"x" * 30_000, headers={"X-Index": str(index)})

    assert [entry["id"] for entry in journal(api)] == [8, 9, 10]


def test_bodies_that_parse_into_many_objects_cost_the_journal_only_their_bytes() -> None:
    api = FlaskTransport(create_app(count=0))  # the defaults: 1000 requests, 16 MiB
    body = b"[" + b"{}," * 15_000 + b"{}]"  # 45 KB that parse into 15,001 objects
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(200):
            api.request(
                "POST", "/v1/private/nothing", data=body, headers={"Content-Type": "application/json"}
            )
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    entries = journal(api)

    assert grown < 24 * 1024 * 1024
    assert len(entries) == 200
    assert len(entries[-1]["body"]) == 15_001


@pytest.mark.parametrize(
    ("query_string", "journaled"),
    [
        ("size=1&size=2&name=", {"size": ["1", "2"], "name": ""}),
        ("name=caf%C3%A9+run&flag", {"name": "café run", "flag": ""}),
        ("name=%zz&x=%FF", {"name": "%zz", "x": "%FF"}),
        ("api_key=sk-1&api_key=sk-2&page=3", {"api_key": "***", "page": "3"}),
        ("", {}),
    ],
)
def test_the_query_is_journaled_as_the_request_sent_it(
    http: HttpTransport, query_string: str, journaled: dict[str, Any]
) -> None:
    http.request("GET", f"{OPTIMIZATIONS}/{UNKNOWN_ID}?{query_string}")
    assert journal(http)[0]["query"] == journaled
