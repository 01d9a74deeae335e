"""What the Opik UI asks at boot and in its sidebar, answered as the backend answers a workspace that has
no prompts, alerts, dashboards, queues, evaluators or export jobs (WorkspacesResource, ServiceTogglesResource)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mockopik.cli import main
from mockopik.config import Settings, SettingsError
from mockopik.wire.catalog_schemas import SERVICE_TOGGLES
from tests.support import Transport

PRIVATE = "/v1/private"


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_toggles_are_a_local_installs_flags(api: Transport, prefix: str) -> None:
    reply = api.get(f"{prefix}{PRIVATE}/toggles/")

    assert (reply.status, reply.json()) == (200, SERVICE_TOGGLES)
    assert reply.json()["optimization_studio_enabled"] is True
    assert "default_page_size" not in reply.json()


@pytest.mark.parametrize(
    ("setting", "answer"),
    [(None, "version_2"), ("version_1", "version_1"), ("v1", "version_1"), ("2", "version_2")],
)
def test_the_workspace_version_is_a_setting(make_api: object, setting: str | None, answer: str) -> None:
    api = make_api(workspace_version=setting)  # type: ignore[operator]

    reply = api.get(f"{PRIVATE}/workspaces/versions")

    assert (reply.status, reply.json()) == (200, {"opik_version": answer})


@pytest.mark.parametrize("given", ["version_3", "three", ""])
def test_a_bad_workspace_version_names_the_setting(given: str) -> None:
    with pytest.raises(SettingsError, match=r"^MOCKOPIK_WORKSPACE_VERSION: expected version_1 or version_2"):
        Settings.resolve({"MOCKOPIK_WORKSPACE_VERSION": given})


def test_the_flag_chooses_the_pages_too() -> None:
    result = CliRunner().invoke(main, ["serve", "--workspace-version", "v9", "--port", "0"], env={})

    assert result.exit_code == 2
    assert "--workspace-version: expected version_1 or version_2 (or v1, v2), got 'v9'" in result.output


def test_without_a_configuration_the_workspace_answers_the_backends_404(api: Transport) -> None:
    reply = api.get(f"{PRIVATE}/workspaces/configurations/")

    assert (reply.status, reply.json()) == (
        404,
        {"code": 404, "message": "No workspace configuration found for workspace"},
    )


def test_a_fixture_file_gives_a_workspace_its_configuration(api: Transport) -> None:
    configuration = {"timeout_to_mark_thread_as_inactive": "PT15M", "truncation_on_tables": False}
    document = {"format": 1, "workspaces": {"default": {"configuration": configuration}}}

    assert api.post("/_mockopik/fixtures", json=document).status == 204

    assert api.get(f"{PRIVATE}/workspaces/configurations").json() == configuration
    assert api.get("/_mockopik/fixtures").json()["workspaces"] == {
        "default": {"configuration": configuration, "datasets": [], "projects": [], "optimizations": []}
    }
    other = api.get(f"{PRIVATE}/workspaces/configurations", headers={"Comet-Workspace": "team-b"})
    assert other.status == 404


def test_a_configuration_with_unknown_keys_is_refused(api: Transport) -> None:
    document = {"format": 1, "workspaces": {"default": {"configuration": {"colour_map": {}}}}}

    reply = api.post("/_mockopik/fixtures", json=document)

    assert (reply.status, reply.json()) == (
        400,
        {"errors": ["workspaces.default.configuration.colour_map: Unknown field."]},
    )


def test_there_are_no_export_jobs(api: Transport) -> None:
    reply = api.get(f"{PRIVATE}/datasets/export-jobs")

    assert (reply.status, reply.json()) == (200, [])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/prompts/", {"page": 1, "size": 0, "total": 0, "content": [], "sortable_by": [
            "id", "name", "description", "created_at", "last_updated_at", "created_by", "last_updated_by", "tags"]}),
        ("/alerts/", {"page": 1, "size": 0, "total": 0, "content": [], "sortable_by": [
            "id", "name", "created_at", "last_updated_at", "created_by", "last_updated_by", "webhook_url",
            "webhook_secret_token"]}),
        ("/dashboards/", {"content": [], "page": 1, "size": 0, "total": 0, "sortable_by": [
            "id", "name", "type", "created_at", "last_updated_at"]}),
        ("/annotation-queues/", {"page": 1, "size": 0, "total": 0, "content": [], "sortable_by": [
            "id", "project_id", "name", "description", "instructions", "created_at", "last_updated_at",
            "created_by", "last_updated_by"]}),
        ("/automations/evaluators", {"page": 1, "size": 0, "total": 0, "content": [], "sortable_by": [
            "id", "name", "type", "enabled", "sampling_rate", "created_at", "last_updated_at", "created_by",
            "last_updated_by"]}),
    ],
)  # fmt: skip
def test_sidebar_counters_read_empty_pages(api: Transport, path: str, expected: dict[str, object]) -> None:
    reply = api.get(f"{PRIVATE}{path}", params={"size": 1, "page": 1})

    assert (reply.status, reply.json()) == (200, expected)
    assert api.get(f"{PRIVATE}{path}", params={"page": 3}).json()["page"] == 3


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("size=0", 400, {"errors": ["query param size must be greater than or equal to 1"]}),
        ("page=x", 404, {"code": 404, "message": "HTTP 404 Not Found"}),
    ],
)
def test_the_sidebar_lists_check_paging(api: Transport, query: str, status: int, body: object) -> None:
    reply = api.get(f"{PRIVATE}/prompts?{query}")

    assert (reply.status, reply.json()) == (status, body)
