"""Workspaces keep their own data; settings restrict which exist and require an API key."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import OPTIMIZATIONS, Transport, new_optimization

UNAUTHORIZED = {"code": 401, "message": "API key should be provided"}
WRONG_KEY = {"code": 401, "message": "User not allowed to access workspace!"}
NO_WORKSPACE = {"code": 404, "message": "Workspace not found"}


def names(api: Transport, workspace: str | None) -> list[str]:
    headers = {"Comet-Workspace": workspace} if workspace is not None else {}
    return [item["name"] for item in api.get(OPTIMIZATIONS, headers=headers).json()["content"]]


def test_each_workspace_has_its_own_data(api: Transport) -> None:
    api.post(OPTIMIZATIONS, json=new_optimization(name="in team"), headers={"Comet-Workspace": "team"})
    api.post(OPTIMIZATIONS, json=new_optimization(name="in default"))

    assert names(api, "team") == ["in team"]
    assert names(api, None) == ["in default"]
    assert names(api, "default") == ["in default"]
    assert names(api, "") == ["in default"]
    assert names(api, "elsewhere") == []


def test_an_id_from_another_workspace_is_not_found(api: Transport) -> None:
    optimization_id = api.create()
    other = {"Comet-Workspace": "team"}

    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}", headers=other).status == 404
    assert (
        api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "error"}, headers=other).status == 404
    )
    api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [optimization_id]}, headers=other)
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["status"] == "running"


def test_reading_an_unknown_workspace_creates_nothing(api: Transport) -> None:
    api.get(OPTIMIZATIONS, headers={"Comet-Workspace": "just-looking"})

    assert "just-looking" not in api.runtime.store.workspace_names()


@pytest.mark.parametrize(
    ("workspace", "status"), [("team", 200), ("default", 200), (None, 200), ("other", 404), ("Team", 404)]
)
def test_an_allow_list_of_workspaces(
    make_api: Callable[..., Transport], workspace: str | None, status: int
) -> None:
    api = make_api(workspaces="team,default")
    headers = {"Comet-Workspace": workspace} if workspace is not None else {}

    reply = api.get(OPTIMIZATIONS, headers=headers)
    created = api.post(OPTIMIZATIONS, json=new_optimization(), headers=headers)

    assert (reply.status, created.status) == (status, 201 if status == 200 else 404)
    if status == 404:
        assert reply.json() == created.json() == NO_WORKSPACE


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 401, UNAUTHORIZED),
        ({"Authorization": ""}, 401, UNAUTHORIZED),
        ({"Authorization": "wrong"}, 401, WRONG_KEY),
        ({"Authorization": "Bearer s3cret"}, 401, WRONG_KEY),
        ({"Authorization": "s3cret"}, 200, None),
    ],
)
def test_a_required_api_key(
    make_api: Callable[..., Transport], headers: dict[str, str], status: int, body: dict[str, object] | None
) -> None:
    api = make_api(api_key="s3cret")

    reply = api.get(OPTIMIZATIONS, headers=headers)
    created = api.post(OPTIMIZATIONS, json=new_optimization(), headers=headers)

    assert reply.status == status
    if body is not None:
        assert reply.json() == created.json() == body
        assert not api.runtime.store.workspace("default").optimizations


def test_admin_and_liveness_need_no_key(make_api: Callable[..., Transport]) -> None:
    api = make_api(api_key="s3cret", workspaces="team")

    assert api.get("/_mockopik/health").status == 200
    assert api.get("/api/is-alive/ping").json() == {"healthy": True}
