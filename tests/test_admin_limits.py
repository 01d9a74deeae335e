"""What the admin API takes is bounded: rules in force, a rule's answer, generated data; refused with a 400
that says the bound, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import OPTIMIZATIONS, UNKNOWN_ID, FlaskTransport, HttpTransport

Api = FlaskTransport | HttpTransport


def rules(api: Api) -> list[str]:
    return [rule["id"] for rule in api.request("GET", "/_mockopik/faults").json()["rules"]]


def test_at_most_1000_rules_are_in_force(api: Api) -> None:
    first = api.request("POST", "/_mockopik/faults", json=[{"id": f"r{n}", "latency": 0} for n in range(999)])
    too_many = api.request(
        "POST", "/_mockopik/faults", json=[{"latency": 0}, {"id": "one-more", "latency": 0}]
    )
    replacing = api.request("POST", "/_mockopik/faults", json=[{"id": "r1", "status": 503}, {"latency": 1}])

    assert (first.status, replacing.status) == (201, 201)
    assert (too_many.status, too_many.json()) == (
        400,
        {"errors": ["at most 1000 rules can be in force; these would make 1001"]},
    )
    assert len(rules(api)) == 1000
    assert api.request("GET", OPTIMIZATIONS).status == 503


@pytest.mark.parametrize(
    ("rule", "errors"),
    [
        (
            {"status": 503, "body": {"text": "x" * 65_536}},
            ["body: at most 65536 bytes of JSON, got 65547"],
        ),
        (
            {"status": 503, "headers": {"X-Bad": "one\r\nSet-Cookie: x=1"}},
            ["headers.X-Bad.value: must be one line of Latin-1 text, 8192 at most"],
        ),
        (
            {"status": 503, "headers": {"X-Bad": "\u2603"}},
            ["headers.X-Bad.value: must be one line of Latin-1 text, 8192 at most"],
        ),
        ({"status": 503, "headers": {"Bad Name": "x"}}, ["headers.Bad Name.key: must be a header name"]),
        (
            {"status": 503, "headers": {f"X-{n}": "x" for n in range(51)}},
            ["headers: at most 50 headers"],
        ),
        ({"vanish": [UNKNOWN_ID] * 1001}, ["vanish: at most 1000 ids"]),
        ({"latency": 0, "match": {"workspace": ["w"] * 1001}}, ["match.workspace: at most 1000 values"]),
    ],
    ids=[
        "body",
        "header with a newline",
        "header beyond Latin-1",
        "header name",
        "headers",
        "vanish",
        "match",
    ],
)
def test_a_rule_past_a_bound_is_refused_and_adds_nothing(
    api: Api, rule: dict[str, Any], errors: list[str]
) -> None:
    reply = api.request("POST", "/_mockopik/faults", json=rule)

    assert (reply.status, reply.json()) == (400, {"errors": errors})
    assert rules(api) == []
    assert api.request("GET", OPTIMIZATIONS).status == 200


def test_a_fixture_document_generates_at_most_100000_runs(api: Api) -> None:
    before = api.request("GET", "/_mockopik/fixtures").body

    reply = api.request(
        "POST", "/_mockopik/fixtures", json={"format": 1, "generate": {"recipe": "team", "count": 100_001}}
    )

    assert (reply.status, reply.json()) == (
        400,
        {"errors": ["generate.count: Must be greater than or equal to 0 and less than or equal to 100000."]},
    )
    assert api.request("GET", "/_mockopik/fixtures").body == before


def test_a_forced_delay_is_capped_by_max_delay(make_api: Any) -> None:
    api = make_api(max_delay="50ms")

    reply = api.request("GET", OPTIMIZATIONS, headers={"X-Mockopik-Fault": "delay=10m"})
    entry = api.request("GET", "/_mockopik/requests").json()["requests"][-1]

    assert (reply.status, entry["delay_ms"]) == (200, 50.0)
