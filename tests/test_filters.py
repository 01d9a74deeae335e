"""The `filters` grammar of findOptimizations: every field and operator, matching, and the errors.

Opik's FiltersFactory reads and validates the filters; FilterQueryBuilder's SQL templates match them
(OPTIMIZATION strategy: `metadata` DICTIONARY, `dataset_id` and `project_id` STRING_EXACT, `status` ENUM).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockopik.domain.filters import ALL_OPERATORS, FIELD_TYPES, OPERATORS_BY_TYPE
from tests.support import OPTIMIZATIONS, Transport, filters

EVERY_OPERATOR = sorted(ALL_OPERATORS)
VALUES = {"status": "running", "dataset_id": "0193", "metadata": "1", "project_id": "0193"}


def find(api: Transport, *items: dict[str, Any]) -> list[str]:
    reply = api.get(OPTIMIZATIONS, params={"filters": filters(*items), "size": 100})
    assert reply.status == 200, reply.body
    page = reply.json()
    assert page["total"] == len(page["content"])
    return sorted(item["name"] for item in page["content"])


@pytest.fixture
def team(api: Transport) -> Transport:
    """Four optimizations with different statuses, metadata, datasets and projects."""
    api.create(name="a", status="running", metadata={"model": "GPT-4o", "trials": 5}, project_name="p1")
    api.create(name="b", status="completed", metadata={"model": "claude", "trials": 12}, project_name="p2")
    api.create(name="c", status="error", metadata={"model": "", "nested": {"k": "v"}})
    api.create(name="d", status="cancelled", metadata=["not", "a", "dict"], dataset_name="other")
    return api


@pytest.mark.parametrize("field", sorted(FIELD_TYPES))
@pytest.mark.parametrize("operator", EVERY_OPERATOR)
def test_every_field_and_operator_is_accepted_or_refused(api: Transport, field: str, operator: str) -> None:
    kind = FIELD_TYPES[field]
    item = {"field": field, "operator": operator, "value": VALUES[field], "key": "trials"}

    reply = api.get(OPTIMIZATIONS, params={"filters": filters(item)})

    if operator in OPERATORS_BY_TYPE[kind]:
        assert reply.status == 200, reply.body
    else:
        assert reply.status == 400
        assert reply.json() == {
            "code": 400,
            "message": f"Invalid operator '{operator}' for field '{field}' of type '{kind.value}'",
        }


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"field": "status", "operator": "=", "value": "running"}, ["a"]),
        ({"field": "status", "operator": "!=", "value": "running"}, ["b", "c", "d"]),
        ({"field": "status", "operator": "in", "value": "running, error"}, ["a", "c"]),
        ({"field": "status", "operator": "not_in", "value": "running,error"}, ["b", "d"]),
        ({"field": "status", "operator": "is_empty", "value": ""}, []),
        ({"field": "status", "operator": "is_not_empty", "value": ""}, ["a", "b", "c", "d"]),
        ({"field": "status", "operator": "=", "value": "paused"}, []),
        # ENUM values are bound as sent: no trimming, no case folding; IN lists are split and trimmed
        ({"field": "status", "operator": "=", "value": "Running"}, []),
        ({"field": "status", "operator": "=", "value": " running"}, []),
        ({"field": "status", "operator": "!=", "value": "RUNNING"}, ["a", "b", "c", "d"]),
        ({"field": "status", "operator": "in", "value": " running ,,error, "}, ["a", "c"]),
        ({"field": "status", "operator": "in", "value": "RUNNING,Error"}, []),
        ({"field": "status", "operator": "not_in", "value": ","}, ["a", "b", "c", "d"]),
        ({"field": "metadata", "key": "model", "operator": "=", "value": "gpt-4O"}, ["a"]),
        ({"field": "metadata", "key": "model", "operator": "!=", "value": "gpt-4o"}, ["b", "c", "d"]),
        ({"field": "metadata", "key": "model", "operator": "contains", "value": "GPT"}, ["a"]),
        ({"field": "metadata", "key": "model", "operator": "not_contains", "value": "gpt"}, ["b", "c", "d"]),
        ({"field": "metadata", "key": "model", "operator": "starts_with", "value": "cla"}, ["b"]),
        ({"field": "metadata", "key": "model", "operator": "ends_with", "value": "4o"}, ["a"]),
        # DICTIONARY compares lower() on both sides: starts_with and ends_with too
        ({"field": "metadata", "key": "model", "operator": "starts_with", "value": "CLA"}, ["b"]),
        ({"field": "metadata", "key": "model", "operator": "ends_with", "value": "4O"}, ["a"]),
        ({"field": "metadata", "key": "model", "operator": "starts_with", "value": "gpt%25"}, []),
        # contains is ilike(value, CONCAT('%', :filter, '%')): % (sent URL-encoded) and _ are wildcards
        ({"field": "metadata", "key": "model", "operator": "contains", "value": "g%254"}, ["a"]),
        ({"field": "metadata", "key": "model", "operator": "contains", "value": "_LAUD_"}, ["b"]),
        ({"field": "metadata", "key": "model", "operator": "contains", "value": "\\_"}, []),
        ({"field": "metadata", "key": "model", "operator": "not_contains", "value": "%25"}, []),
        ({"field": "metadata", "key": "trials", "operator": ">", "value": "6"}, ["b"]),
        ({"field": "metadata", "key": "trials", "operator": "<", "value": "6"}, ["a"]),
        ({"field": "metadata", "key": "trials", "operator": ">", "value": "many"}, []),
        ({"field": "metadata", "key": "model", "operator": "is_empty", "value": ""}, ["c", "d"]),
        ({"field": "metadata", "key": "model", "operator": "is_not_empty", "value": ""}, ["a", "b"]),
        ({"field": "metadata", "key": "nested.k", "operator": "=", "value": "v"}, ["c"]),
        ({"field": "metadata", "key": "trials", "operator": "=", "value": "5"}, ["a"]),
    ],
)
def test_filters_match_as_the_backend_does(
    team: Transport, item: dict[str, Any], expected: list[str]
) -> None:
    assert find(team, item) == expected


def test_exact_string_fields_compare_case_sensitively(team: Transport) -> None:
    page = team.get(
        OPTIMIZATIONS, params={"filters": filters({"field": "status", "operator": "=", "value": "running"})}
    )
    found = page.json()["content"][0]
    dataset_id, project_id = found["dataset_id"], found["project_id"]

    assert find(team, {"field": "dataset_id", "operator": "=", "value": dataset_id}) == ["a", "b", "c"]
    assert find(team, {"field": "dataset_id", "operator": "=", "value": dataset_id.upper()}) == []
    assert find(team, {"field": "dataset_id", "operator": "!=", "value": dataset_id}) == ["d"]
    assert find(team, {"field": "project_id", "operator": "=", "value": project_id}) == ["a"]
    assert find(team, {"field": "project_id", "operator": "starts_with", "value": project_id[:8]}) != []
    assert find(team, {"field": "project_id", "operator": "ends_with", "value": project_id[-6:]}) == ["a"]
    assert find(team, {"field": "project_id", "operator": "contains", "value": project_id[-9:-1]}) == ["a"]
    assert find(team, {"field": "dataset_id", "operator": ">", "value": "0"}) == ["a", "b", "c", "d"]
    assert find(team, {"field": "dataset_id", "operator": "<", "value": "0"}) == []


def test_filters_are_and_ed_and_duplicates_removed(team: Transport) -> None:
    running = {"field": "status", "operator": "!=", "value": "running"}
    claude = {"field": "metadata", "key": "model", "operator": "contains", "value": "clau"}

    assert find(team, running, claude, running) == ["b"]


@pytest.mark.parametrize("raw", ["", "  ", "[]"])
def test_blank_or_empty_filters_are_no_filters(team: Transport, raw: str) -> None:
    assert team.get(OPTIMIZATIONS, params={"filters": raw}).json()["total"] == 4


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "{}",
        '"status"',
        "[1]",
        '[{"operator": "=", "value": "running"}]',
        '[{"field": "status", "value": "running"}]',
        '[{"field": "status", "operator": "="}]',
        '[{"field": "name", "operator": "=", "value": "x"}]',
        '[{"field": "status", "operator": "like", "value": "x"}]',
        '[{"field": "Status", "operator": "=", "value": "running"}]',
        '[{"field": ["status"], "operator": "=", "value": "running"}]',
        '[{"field": "status", "operator": "=", "value": "running", "key": {"a": 1}}]',
        '[{"field": "status", "operator": "=", "value": "running"}, {"field": "x"}]',
        '[{"field": "status", "operator": "=", "value": {"x": 1}}]',
    ],
)
def test_invalid_filters_are_refused_with_the_raw_text(api: Transport, raw: str) -> None:
    reply = api.get(OPTIMIZATIONS, params={"filters": raw})

    assert reply.status == 400
    assert reply.json() == {"code": 400, "message": f"Invalid filters query parameter '{raw}'"}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"field": "status", "operator": "=", "value": " "},
            "Invalid value ' ' or key 'null' for field 'status' of type 'ENUM'",
        ),
        (
            {"field": "dataset_id", "operator": "contains", "value": ""},
            "Invalid value '' or key 'null' for field 'dataset_id' of type 'STRING_EXACT'",
        ),
        (
            {"field": "metadata", "operator": "=", "value": "x"},
            "Invalid value 'x' or key 'null' for field 'metadata' of type 'DICTIONARY'",
        ),
        (
            {"field": "metadata", "key": " ", "operator": "is_empty", "value": ""},
            "Invalid value '' or key ' ' for field 'metadata' of type 'DICTIONARY'",
        ),
        (
            {"field": "metadata", "key": "", "operator": "=", "value": "x"},
            "Invalid value 'x' or key '' for field 'metadata' of type 'DICTIONARY'",
        ),
        (
            {"field": "metadata", "key": "model", "operator": "=", "value": "100%"},
            "Invalid filter '100%'",
        ),
        (
            {"field": "status", "operator": "=", "value": None},
            "Invalid value 'null' or key 'null' for field 'status' of type 'ENUM'",
        ),
        (
            {"field": "project_id", "operator": "!=", "value": None, "key": None},
            "Invalid value 'null' or key 'null' for field 'project_id' of type 'STRING_EXACT'",
        ),
        (
            {"field": "metadata", "operator": "is_empty", "value": None},
            "Invalid value 'null' or key 'null' for field 'metadata' of type 'DICTIONARY'",
        ),
        (
            {"field": "status", "operator": "in", "value": " "},
            "Invalid value ' ' or key 'null' for field 'status' of type 'ENUM'",
        ),
        (
            {"field": "metadata", "key": "model", "operator": ">=", "value": "1"},
            "Invalid operator '>=' for field 'metadata' of type 'DICTIONARY'",
        ),
        (
            {"field": "metadata", "key": "model", "operator": "<=", "value": "1%"},
            "Invalid filter '1%'",
        ),
    ],
)
def test_blank_values_and_keys_are_refused(api: Transport, item: dict[str, Any], message: str) -> None:
    reply = api.get(OPTIMIZATIONS, params={"filters": json.dumps([item])})

    assert reply.status == 400
    assert reply.json() == {"code": 400, "message": message}


def test_metadata_values_are_url_decoded_and_may_be_blank(team: Transport) -> None:
    assert find(team, {"field": "metadata", "key": "model", "operator": "=", "value": ""}) == ["c", "d"]
    assert find(team, {"field": "metadata", "key": "model", "operator": "=", "value": "GPT%2D4o"}) == ["a"]


def test_scalar_values_are_read_as_text(team: Transport) -> None:
    assert find(team, {"field": "metadata", "key": "trials", "operator": "=", "value": 12}) == ["b"]


def test_a_no_value_operator_takes_a_null_value(team: Transport) -> None:
    item = {"field": "metadata", "key": "model", "operator": "is_not_empty", "value": None}

    assert find(team, item) == ["a", "b"]


@pytest.mark.parametrize(
    "item",
    [
        {"field": None, "operator": "=", "value": "running"},
        {"field": "status", "operator": None, "value": "running"},
        {"field": "metadata", "key": "model", "operator": "=", "value": None},
    ],
)
def test_a_null_the_backend_dereferences_is_refused_as_an_invalid_parameter(
    api: Transport, item: dict[str, Any]
) -> None:
    """FiltersFactory reads a null field or operator, and URL-decodes a metadata value, without a null
    check: the backend's NullPointerException is a 500. No input gets a 500 from mockopik: it
    refuses the parameter (a deliberate difference, in the drift list)."""
    api.create(name="kept")
    raw = json.dumps([item])

    reply = api.get(OPTIMIZATIONS, params={"filters": raw})

    assert (reply.status, reply.json()) == (
        400,
        {"code": 400, "message": f"Invalid filters query parameter '{raw}'"},
    )


def test_the_first_invalid_filter_decides_the_answer(api: Transport) -> None:
    raw = filters(
        {"field": "status", "operator": "contains", "value": "x"},
        {"field": None, "operator": "=", "value": "running"},
    )

    reply = api.get(OPTIMIZATIONS, params={"filters": raw})

    assert (reply.status, reply.json()) == (
        400,
        {"code": 400, "message": "Invalid operator 'contains' for field 'status' of type 'ENUM'"},
    )


def test_metadata_values_are_read_as_json_value_reads_them(api: Transport) -> None:
    """JSON_VALUE gives a JSON null as the text `null` (empty for is_empty), lower() folds ASCII only."""
    api.create(name="null", metadata={"model": None})
    api.create(name="umlaut", metadata={"model": "ÄRGER"})
    api.create(name="flag", metadata={"model": True})

    assert find(api, {"field": "metadata", "key": "model", "operator": "is_empty", "value": ""}) == ["null"]
    assert find(api, {"field": "metadata", "key": "model", "operator": "=", "value": "NULL"}) == ["null"]
    assert find(api, {"field": "metadata", "key": "model", "operator": "=", "value": "True"}) == ["flag"]
    assert find(api, {"field": "metadata", "key": "model", "operator": "=", "value": "Ärger"}) == ["umlaut"]
    assert find(api, {"field": "metadata", "key": "model", "operator": "=", "value": "ärger"}) == []


def test_exact_string_contains_is_a_case_sensitive_like(team: Transport) -> None:
    """STRING_EXACT contains is `LIKE CONCAT('%', :filter, '%')`: wildcards, no case folding."""
    found = team.get(
        OPTIMIZATIONS, params={"filters": filters({"field": "status", "operator": "=", "value": "running"})}
    )
    project_id = found.json()["content"][0]["project_id"]
    pattern = project_id[:23] + "_" + project_id[24:]  # the hyphen before the last group as `_`

    assert find(team, {"field": "project_id", "operator": "contains", "value": pattern}) == ["a"]
    assert find(team, {"field": "project_id", "operator": "contains", "value": "%"}) == ["a", "b", "c", "d"]
    assert find(team, {"field": "project_id", "operator": "contains", "value": pattern.upper()}) == []
    assert find(team, {"field": "project_id", "operator": "starts_with", "value": pattern}) == []
