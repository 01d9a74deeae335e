"""Every operation answers the same with or without a trailing slash, under both prefixes: Jersey matches
a resource method's path either way (an item path such as `.../optimizations/{id}/` included)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockopik.contract.operations import OPERATIONS, Operation
from mockopik.wire.schemas import DeleteIdsHolderSchema, OptimizationUpdateSchema, OptimizationWriteSchema
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, Reply, Transport, client_id, new_optimization

ROUTE_NOT_FOUND = {"code": 404, "message": "HTTP 404 Not Found"}


def body_for(operation: Operation, optimization_id: str) -> dict[str, Any] | None:
    """A body the operation accepts, the same on every call (so that writes repeat identically)."""
    if operation.body is None:
        return None
    bodies: dict[Any, dict[str, Any]] = {
        OptimizationWriteSchema: new_optimization(id=optimization_id, name="same"),
        OptimizationUpdateSchema: {"name": "same"},
        DeleteIdsHolderSchema: {"ids": [UNKNOWN_ID]},
    }
    return bodies.get(operation.body, {})


def answer(reply: Reply) -> tuple[int, Any, str | None]:
    return reply.status, reply.json() if reply.body else None, reply.headers.get("Location")


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.operation_id for operation in OPERATIONS])
def test_every_operation_answers_the_same_with_a_trailing_slash(api: Transport, operation: Operation) -> None:
    optimization_id = api.create(id=client_id(), project_name="chatbot")
    project_id = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["project_id"]
    target = project_id if operation.path.startswith("/v1/private/projects") else optimization_id
    path = re.sub(r"\{\w+\}", target, operation.path)
    body = body_for(operation, optimization_id)

    answers = {
        f"{prefix}{path}{slash}": answer(
            api.request(operation.method.upper(), f"{prefix}{path}{slash}", json=body)
        )
        for prefix in ("", "/api")
        for slash in ("", "/")
    }

    bare = answers[path]
    assert bare[1] != ROUTE_NOT_FOUND, f"{operation.operation_id} is not routed at {path}"
    assert answers == {
        path: bare,
        f"{path}/": bare,
        f"/api{path}": (bare[0], bare[1], bare[2] and bare[2].replace(OPTIMIZATIONS, f"/api{OPTIMIZATIONS}")),
        f"/api{path}/": (
            bare[0],
            bare[1],
            bare[2] and bare[2].replace(OPTIMIZATIONS, f"/api{OPTIMIZATIONS}"),
        ),
    }
