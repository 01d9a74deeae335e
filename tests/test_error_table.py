"""Every row of Opik's error table: exact status and body, and nothing stored or changed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import OPTIMIZATIONS, UNKNOWN_ID, Transport, new_optimization

NOT_V7 = "4a3b1c2d-1111-4111-8111-111111111111"
HTTP_404 = {"code": 404, "message": "HTTP 404 Not Found"}
STATUS_CHAIN = '(through reference chain: com.comet.opik.api.Optimization["status"])'


def stored_records(api: Transport) -> tuple[int, int, int]:
    """How many optimizations, datasets and projects the default workspace holds."""
    space = api.runtime.store.workspace("default")
    return len(space.optimizations), len(space.datasets), len(space.projects)


def json_error(detail: str) -> dict[str, Any]:
    return {"code": 400, "message": f"Unable to process JSON. {detail}"}


def violations(*errors: str, status: int = 422) -> tuple[int, dict[str, Any]]:
    return status, {"errors": list(errors)}


BODY_CASES: list[tuple[str, str, Any, tuple[int, dict[str, Any]]]] = [
    (
        "blank dataset_name",
        "POST",
        new_optimization(dataset_name="  "),
        violations("datasetName must not be blank"),
    ),
    (
        "missing required fields",
        "POST",
        {"name": "x"},
        violations(
            "datasetName must not be blank", "objectiveName must not be blank", "status must not be null"
        ),
    ),
    (
        "explicit nulls are absent values",
        "PUT",
        {"dataset_name": None, "objective_name": "o", "status": None},
        violations("datasetName must not be blank", "status must not be null"),
    ),
    (
        "blank project_name",
        "POST",
        new_optimization(project_name=" "),
        violations("projectName must not be blank"),
    ),
    *(
        (
            f"last_updated_at out of range ({moment})",
            "POST",
            new_optimization(last_updated_at=moment),
            violations(
                "lastUpdatedAt must be after or equal 1970-01-01T00:00:00.000000Z and before 2300-01-01T00:00:00.000000Z"
            ),
        )
        # the last two are Instants to Java beyond what a Python datetime holds once in UTC
        for moment in ("2300-01-01T00:00:00Z", "0001-01-01T00:05:00+05:02", "9999-12-31T23:00:00-05:00")
    ),
    (
        "partial studio_config",
        "POST",
        new_optimization(
            studio_config={
                "dataset_name": "d",
                "prompt": {"messages": [{"role": "user", "content": " "}]},
                "llm_model": {"model": "gpt-4o"},
                "evaluation": {"metrics": []},
            }
        ),
        violations(
            "studioConfig.prompt.messages[0].content must not be blank",
            "studioConfig.evaluation.metrics must not be empty",
            "studioConfig.optimizer must not be null",
        ),
    ),
    (
        "error_info without traceback",
        "POST",
        new_optimization(error_info={"exception_type": "E"}),
        violations("errorInfo.traceback must not be blank"),
    ),
    (
        "unknown status",
        "POST",
        new_optimization(status="paused"),
        (
            400,
            json_error(
                "Cannot construct instance of `com.comet.opik.api.OptimizationStatus`, "
                f"problem: Unknown Optimization Status 'paused' {STATUS_CHAIN}"
            ),
        ),
    ),
    (
        "wrong JSON type",
        "POST",
        new_optimization(dataset_name={"a": 1}),
        (
            400,
            json_error(
                "Cannot deserialize value of type `java.lang.String` from Object value (token "
                '`JsonToken.START_OBJECT`) (through reference chain: com.comet.opik.api.Optimization["dataset_name"])'
            ),
        ),
    ),
    (
        "id not a UUID",
        "POST",
        new_optimization(id="abc"),
        (
            400,
            json_error(
                'Cannot deserialize value of type `java.util.UUID` from String "abc": UUID has to be represented '
                'by standard 36-char representation (through reference chain: com.comet.opik.api.Optimization["id"])'
            ),
        ),
    ),
    (
        "body is an array",
        "POST",
        [],
        (
            400,
            json_error(
                "Cannot deserialize value of type `com.comet.opik.api.Optimization` from Array value "
                "(token `JsonToken.START_ARRAY`)"
            ),
        ),
    ),
    (
        "client id not v7",
        "POST",
        new_optimization(id=NOT_V7),
        (
            400,
            {
                "code": 400,
                "message": "Invalid UUID for id",
                "details": "Optimization id must be a version 7 UUID",
            },
        ),
    ),
    *(
        (
            # OptimizationService.upsert maps ProjectService's failWithNotFound("Project", id) to a
            # BadRequestException with its message: Dropwizard's {code, message} body
            f"unknown project_id ({method})",
            method,
            new_optimization(project_id=UNKNOWN_ID, project_name="ignored"),
            (400, {"code": 400, "message": f"Project id: {UNKNOWN_ID} not found"}),
        )
        for method in ("POST", "PUT")
    ),
]


@pytest.mark.parametrize(("case", "method", "body", "expected"), BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_create_and_upsert_errors(
    api: Transport, case: str, method: str, body: Any, expected: tuple[int, dict[str, Any]]
) -> None:
    before = stored_records(api)

    reply = api.request(method, OPTIMIZATIONS, json=body)

    assert (reply.status, reply.json()) == expected
    assert reply.headers["Content-Type"] == "application/json"
    assert stored_records(api) == before


RAW_CASES = [
    ("malformed JSON", "POST", OPTIMIZATIONS, b'{"dataset_name": ', 400),
    ("trailing garbage", "POST", OPTIMIZATIONS, b"{}x", 400),
    ("missing body", "POST", OPTIMIZATIONS, b"", 422),
    ("null body", "PUT", OPTIMIZATIONS, b"null", 422),
    ("missing update body", "PUT", f"{OPTIMIZATIONS}/{UNKNOWN_ID}", b"", 422),
    ("missing delete body", "POST", f"{OPTIMIZATIONS}/delete", b"", 422),
]


@pytest.mark.parametrize(
    ("case", "method", "path", "raw", "status"), RAW_CASES, ids=[c[0] for c in RAW_CASES]
)
def test_unreadable_bodies(
    api: Transport, case: str, method: str, path: str, raw: bytes, status: int
) -> None:
    reply = api.request(method, path, data=raw, headers={"Content-Type": "application/json"})

    assert reply.status == status
    if status == 422:
        assert reply.json() == {"errors": ["The request body must not be null"]}
    else:
        assert set(reply.json()) == {"code", "message"}
        assert reply.json()["message"].startswith("Unable to process JSON. ")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, violations("ids must not be null")),
        ({"ids": []}, violations("ids size must be between 1 and 1000")),
        (
            {"ids": [f"0193b3a0-0000-7000-8000-{index:012x}" for index in range(1001)]},
            violations("ids size must be between 1 and 1000"),
        ),
        (
            {"ids": "x"},
            (
                400,
                json_error(
                    "Cannot deserialize value of type `java.util.HashSet<java.util.UUID>` from String value "
                    '(token `JsonToken.VALUE_STRING`) (through reference chain: com.comet.opik.api.DeleteIdsHolder["ids"])'
                ),
            ),
        ),
    ],
)
def test_delete_errors(api: Transport, body: dict[str, Any], expected: tuple[int, dict[str, Any]]) -> None:
    kept = api.create()

    reply = api.post(f"{OPTIMIZATIONS}/delete", json=body)

    assert (reply.status, reply.json()) == expected
    assert api.get(f"{OPTIMIZATIONS}/{kept}").status == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"status": "paused"},
            json_error(
                "Cannot construct instance of `com.comet.opik.api.OptimizationStatus`, problem: Unknown "
                "Optimization Status 'paused' "
                '(through reference chain: com.comet.opik.api.OptimizationUpdate["status"])'
            ),
        ),
        (
            {"name": ["x"]},
            json_error(
                "Cannot deserialize value of type `java.lang.String` from Array value (token `JsonToken.START_ARRAY`) "
                '(through reference chain: com.comet.opik.api.OptimizationUpdate["name"])'
            ),
        ),
    ],
)
def test_update_errors_change_nothing(api: Transport, body: dict[str, Any], expected: dict[str, Any]) -> None:
    optimization_id = api.create(name="same")
    before = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    reply = api.put(f"{OPTIMIZATIONS}/{optimization_id}", json=body)

    assert (reply.status, reply.json()) == (400, expected)
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{OPTIMIZATIONS}/not-a-uuid"),
        ("PUT", f"{OPTIMIZATIONS}/not-a-uuid"),
        ("GET", f"{OPTIMIZATIONS}/studio/not-a-uuid/logs"),
        ("GET", f"{OPTIMIZATIONS}/studio/not-a-uuid/cancel"),
        ("GET", "/v1/private/projects/None"),
        ("GET", f"{OPTIMIZATIONS}?page=abc"),
        ("GET", f"{OPTIMIZATIONS}?size=1.5"),
        ("GET", f"{OPTIMIZATIONS}?page=99999999999"),
        ("GET", f"{OPTIMIZATIONS}?dataset_id=xyz"),
        ("GET", f"{OPTIMIZATIONS}?project_id=xyz"),
        ("GET", "/v1/private/nothing-here"),
        ("GET", "/api/v2/optimizations"),
    ],
)
def test_unparsable_path_and_query_parameters_are_jersey_404s(api: Transport, method: str, path: str) -> None:
    reply = api.request(method, path, json={"status": "completed"} if method == "PUT" else None)

    assert (reply.status, reply.json()) == (404, HTTP_404)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("page=0", ["query param page must be greater than or equal to 1"]),
        ("size=-5", ["query param size must be greater than or equal to 1"]),
        (
            "page=0&size=0",
            [
                "query param page must be greater than or equal to 1",
                "query param size must be greater than or equal to 1",
            ],
        ),
    ],
)
def test_query_parameter_violations_are_400_error_lists(
    api: Transport, query: str, errors: list[str]
) -> None:
    reply = api.get(f"{OPTIMIZATIONS}?{query}")

    assert (reply.status, reply.json()) == (400, {"errors": errors})


def test_unknown_project_is_an_error_list_404(api: Transport) -> None:
    reply = api.get(f"/v1/private/projects/{UNKNOWN_ID}")

    assert (reply.status, reply.json()) == (404, {"errors": ["Project not found"]})


def test_wrong_method_is_a_json_405_with_allow(api: Transport) -> None:
    reply = api.request("DELETE", OPTIMIZATIONS)

    assert (reply.status, reply.json()) == (405, {"code": 405, "message": "HTTP 405 Method Not Allowed"})
    assert set(reply.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST", "PUT"}


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_the_delete_path_is_only_the_delete_route(api: Transport, method: str) -> None:
    """Jersey matches the literal `/delete` before `{id}`, so another method there is a 405."""
    reply = api.request(method, f"{OPTIMIZATIONS}/delete", json={"status": "completed"})

    assert (reply.status, reply.json()) == (405, {"code": 405, "message": "HTTP 405 Method Not Allowed"})
    assert set(reply.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}


def test_a_form_body_is_an_unsupported_media_type(api: Transport) -> None:
    reply = api.post(
        OPTIMIZATIONS, data="dataset_name=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert (reply.status, reply.json()) == (415, {"code": 415, "message": "HTTP 415 Unsupported Media Type"})


def test_a_body_without_content_type_is_read_as_json(api: Transport) -> None:
    reply = api.post(OPTIMIZATIONS, data=json.dumps(new_optimization()))

    assert reply.status == 201
