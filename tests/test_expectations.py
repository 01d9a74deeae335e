"""Journal checks: partial body matching and the messages of failed call assertions."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from mockopik.testing.expectations import call_count_failure, difference, matching_calls

CREATE_RUNNING = {
    "operation": "createOptimization",
    "method": "POST",
    "path": "/api/v1/private/optimizations",
    "status": 201,
    "body": {"dataset_name": "qa", "status": "running", "metadata": {"model": "gpt-4o"}},
}
CREATE_DONE = {**CREATE_RUNNING, "body": {"dataset_name": "qa", "status": "completed", "metadata": {}}}
FIND = {"operation": "findOptimizations", "method": "GET", "path": "/v1/private/optimizations", "status": 200}


@pytest.mark.parametrize(
    ("expected", "actual", "problem"),
    [
        ({"status": "running"}, {"status": "running", "name": "x"}, None),
        ({"metadata": {"model": "gpt-4o"}}, {"metadata": {"model": "gpt-4o", "n": 1}}, None),
        ({"ids": [ANY, "b"]}, {"ids": ["a", "b"]}, None),
        ({"name": ANY}, {"name": None}, None),
        ({"status": "completed"}, {"status": "running"}, 'body.status: expected "completed", got "running"'),
        ({"metadata": {"model": "x"}}, {"metadata": {}}, "body.metadata.model: missing"),
        ({"ids": ["a"]}, {"ids": ["a", "b"]}, 'body.ids: expected ["a"], got ["a", "b"]'),
        ({"ids": ["a", "c"]}, {"ids": ["a", "b"]}, 'body.ids[1]: expected "c", got "b"'),
        ({"status": "running"}, None, "body: expected an object, got null"),
    ],
)
def test_difference(expected: Any, actual: Any, problem: str | None) -> None:
    assert difference(expected, actual) == problem


def test_matching_calls_keeps_the_matching_ones() -> None:
    assert matching_calls({"status": "completed"}, [CREATE_RUNNING, CREATE_DONE]) == [CREATE_DONE]
    assert matching_calls(None, [CREATE_RUNNING, CREATE_DONE]) == [CREATE_RUNNING, CREATE_DONE]


@pytest.mark.parametrize(
    ("times", "body", "calls"),
    [
        (None, None, [CREATE_RUNNING]),
        (1, {"status": "completed"}, [CREATE_RUNNING, CREATE_DONE]),
        (0, None, []),
    ],
)
def test_expected_calls_pass(times: int | None, body: Any, calls: list[dict[str, Any]]) -> None:
    assert call_count_failure("createOptimization", times, body, calls, calls) is None


def test_a_call_that_never_came_lists_what_came_instead() -> None:
    assert call_count_failure(
        "createOptimization", 1, None, [], [FIND, FIND, {"path": "/is-alive/ping"}]
    ) == (
        "expected createOptimization to be called once\n"
        "but it was not called; the mock received: /is-alive/ping x1, findOptimizations x2"
    )


def test_calls_that_do_not_match_say_where_they_differ() -> None:
    assert call_count_failure(
        "createOptimization", 1, {"status": "cancelled"}, [CREATE_RUNNING, CREATE_DONE], []
    ) == (
        'expected createOptimization to be called once with a body matching {"status": "cancelled"}\n'
        "but it was called twice, 0 of them matching:\n"
        '  #1 POST /api/v1/private/optimizations -> 201  body: {"dataset_name": "qa", "status": "running", "metadata": {"model": "gpt-4o"}}\n'
        '      body.status: expected "cancelled", got "running"\n'
        '  #2 POST /api/v1/private/optimizations -> 201  body: {"dataset_name": "qa", "status": "completed", "metadata": {}}\n'
        '      body.status: expected "cancelled", got "completed"'
    )


def test_an_unexpected_call_is_reported() -> None:
    assert call_count_failure("findOptimizations", 0, None, [FIND], []) == (
        "expected findOptimizations not to be called\n"
        "but it was called once, 1 of them matching:\n"
        "  #1 GET /v1/private/optimizations -> 200  body: null"
    )
