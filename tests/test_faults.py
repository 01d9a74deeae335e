"""Fault rules: the JSON shape, its validation, request matching and the per-request header."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockopik.faults.rules import Match, Request, RuleError, load_rules, parse_fault_header, read_rules_source

ID = "0193b3a0-0000-7000-8000-000000000001"
OTHER_ID = "0193b3a0-0000-7000-8000-000000000002"
GET = Request("getOptimizationById", "GET", f"/api/v1/private/optimizations/{ID}", "default", ID)
FIND = Request("findOptimizations", "GET", "/v1/private/optimizations/", "team-a")


def match(**criteria: Any) -> Match:
    rule = load_rules({"match": criteria, "status": 500})[0]
    return rule.match


@pytest.mark.parametrize(
    ("criteria", "request_", "expected"),
    [
        ({}, GET, True),
        ({"operation": "getOptimizationById"}, GET, True),
        ({"operation": "get*"}, GET, True),
        ({"operation": "get*"}, FIND, False),
        ({"operation": ["find*", "get*ById"]}, FIND, True),
        ({"operation": "getoptimizationbyid"}, GET, False),
        ({"method": "get"}, GET, True),
        ({"method": ["PUT", "POST"]}, GET, False),
        ({"path": "/v1/private/optimizations/*"}, GET, True),
        ({"path": "/api/v1/private/optimizations/*"}, GET, True),
        ({"path": "/v1/private/optimizations"}, FIND, True),
        ({"path": "/v1/private/optimizations"}, GET, False),
        ({"path": "*/optimizations/0193*"}, GET, True),
        ({"workspace": "default"}, GET, True),
        ({"workspace": ["team-a", "team-b"]}, FIND, True),
        ({"workspace": "team-a"}, GET, False),
        ({"optimization_id": ID}, GET, True),
        ({"optimization_id": ID.upper()}, GET, True),
        ({"optimization_id": OTHER_ID}, GET, False),
        ({"optimization_id": ID}, FIND, False),
        ({"operation": "get*", "method": "GET", "workspace": "default", "optimization_id": ID}, GET, True),
        ({"operation": "get*", "method": "GET", "workspace": "other"}, GET, False),
    ],
)
def test_rules_match_requests(criteria: dict[str, Any], request_: Request, expected: bool) -> None:
    assert match(**criteria).matches(request_) is expected


@pytest.mark.parametrize(
    ("rule", "canonical"),
    [
        ({"status": 503}, {"id": "", "status": 503, "probability": 1.0, "after": 0}),
        (
            {"id": "slow-list", "match": {"operation": "findOptimizations"}, "latency": "100-800"},
            {
                "id": "slow-list",
                "match": {"operation": "findOptimizations"},
                "latency": "100-800",
                "probability": 1.0,
                "after": 0,
            },
        ),
        (
            {"match": {"method": ["put", "post"]}, "status": 429, "retry_after": 5, "window": {"end": 30}},
            {
                "id": "",
                "match": {"method": ["PUT", "POST"]},
                "status": 429,
                "retry_after": 5,
                "probability": 1.0,
                "after": 0,
                "window": {"start": 0.0, "end": 30.0},
            },
        ),
        (
            {"status": 418, "body": {"teapot": None}, "headers": {"X-A": "b"}, "times": 2, "after": 1},
            {
                "id": "",
                "status": 418,
                "headers": {"X-A": "b"},
                "probability": 1.0,
                "times": 2,
                "after": 1,
                "body": {"teapot": None},
            },
        ),
        (
            {"vanish": [ID, ID.upper(), OTHER_ID], "match": {"workspace": "default"}},
            {
                "id": "",
                "match": {"workspace": "default"},
                "vanish": [ID, OTHER_ID],
                "probability": 1.0,
                "after": 0,
            },
        ),
        (
            {"connection": "reset", "latency": 2000, "probability": 0.5},
            {"id": "", "latency": "2000", "connection": "reset", "probability": 0.5, "after": 0},
        ),
    ],
)
def test_rules_read_and_write_one_json_shape(rule: dict[str, Any], canonical: dict[str, Any]) -> None:
    loaded = load_rules(rule)[0]
    assert loaded.to_json() == canonical
    assert load_rules({**canonical, "id": "again"})[0].to_json() == {**canonical, "id": "again"}


@pytest.mark.parametrize(
    ("rules", "problems"),
    [
        ({}, ["a rule needs an effect: status, latency, connection or vanish"]),
        (
            {"match": {"operation": "find*"}},
            ["a rule needs an effect: status, latency, connection or vanish"],
        ),
        ({"status": 200}, ["status: Must be greater than or equal to 400 and less than or equal to 599."]),
        ({"status": "503"}, ["status: Not a valid integer."]),
        ({"status": 503, "probabilty": 0.5}, ["probabilty: Unknown field."]),
        (
            {"status": 503, "probability": 1.5},
            ["probability: Must be greater than or equal to 0 and less than or equal to 1."],
        ),
        ({"status": 503, "connection": "reset"}, ["status and connection exclude each other"]),
        ({"connection": "hangup"}, ["connection: Must be one of: reset, empty, truncate."]),
        (
            {"latency": "fast"},
            [
                "latency: expected 300, 100-800 or lognormal:200,p99=1500 (milliseconds, or with a unit: 2s, 250ms, 1m): not a duration: 'fast'"
            ],
        ),
        ({"latency": 100, "body": {}}, ["body, headers and retry_after need a status"]),
        ({"status": 500, "retry_after": 3}, ["retry_after: needs status 429 or 503"]),
        ({"status": 500, "times": 0}, ["times: Must be greater than or equal to 1."]),
        ({"status": 500, "window": {"start": 10, "end": 5}}, ["window.end: must be after start"]),
        ({"status": 500, "id": "no spaces"}, ["id: must be 1-64 letters, digits or ._:-"]),
        (
            {"status": 500, "match": {"method": "FETCH"}},
            ["match.method: Must be one of: GET, POST, PUT, PATCH, DELETE, HEAD."],
        ),
        ({"status": 500, "match": {"optimization_id": "nope"}}, ["match.optimization_id: Not a valid UUID."]),
        ({"status": 500, "match": {"operation": []}}, ["match.operation: must not be empty"]),
        ({"status": 500, "match": {"path": "v1/private"}}, ["match.path: must start with /"]),
        ({"vanish": []}, ["vanish: Shorter than minimum length 1."]),
        ({"vanish": [ID], "times": 1}, ["vanish: vanish takes no probability, times, after or latency"]),
        (
            {"vanish": [ID], "match": {"operation": "get*"}},
            ["match: a vanish rule can only match on workspace"],
        ),
        (
            [{"status": 500}, "oops", {"status": 200}],
            [
                "rule 2: expected a rule (a JSON object)",
                "rule 3: status: Must be greater than or equal to 400 and less than or equal to 599.",
            ],
        ),
    ],
)
def test_invalid_rules_list_every_problem(rules: Any, problems: list[str]) -> None:
    with pytest.raises(RuleError) as raised:
        load_rules(rules)
    assert raised.value.problems == problems


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("status=503", {"id": "header", "status": 503, "probability": 1.0, "after": 0}),
        ("delay=2s", {"id": "header", "latency": "2000", "probability": 1.0, "after": 0}),
        (
            "status=429; retry-after=7, delay=100-200",
            {
                "id": "header",
                "status": 429,
                "retry_after": 7,
                "latency": "100-200",
                "probability": 1.0,
                "after": 0,
            },
        ),
        ("connection=reset", {"id": "header", "connection": "reset", "probability": 1.0, "after": 0}),
    ],
)
def test_the_fault_header_forces_an_outcome(header: str, canonical: dict[str, Any]) -> None:
    assert parse_fault_header(header).to_json() == canonical


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("status", "expected status=<code>, delay=<latency>, connection=<kind>, got 'status'"),
        ("code=503", "expected status=<code>, delay=<latency>, connection=<kind>, got 'code=503'"),
        ("status=teapot", "status: Not a valid integer."),
        ("", "a rule needs an effect: status, latency, connection or vanish"),
    ],
)
def test_a_bad_fault_header_is_refused(header: str, problem: str) -> None:
    with pytest.raises(RuleError) as raised:
        parse_fault_header(header)
    assert raised.value.problems == [problem]


def test_rules_come_from_a_file_or_inline_json(tmp_path: Path) -> None:
    rules = [{"id": "a", "status": 503}, {"id": "b", "latency": 300}]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules))
    assert [rule.id for rule in read_rules_source(str(path))] == ["a", "b"]
    assert [rule.id for rule in read_rules_source(json.dumps(rules))] == ["a", "b"]
    assert [rule.id for rule in read_rules_source(json.dumps(rules[0]))] == ["a"]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("/no/such/rules.json", "cannot read /no/such/rules.json: No such file or directory"),
        ("[{", "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 3 (char 2)"),
    ],
)
def test_unreadable_rule_sources_are_refused(source: str, problem: str) -> None:
    with pytest.raises(RuleError) as raised:
        read_rules_source(source)
    assert raised.value.problems == [problem]
