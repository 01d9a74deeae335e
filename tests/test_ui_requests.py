"""Every request the Opik web UI makes on the optimization pages (the contract's `ui-requests.md`, page by
page), replayed with ids from the seeded data: each answers 2xx (or the backend's own error for that
state) with the fields the UI reads."""

from __future__ import annotations

import gzip
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support import Transport

P = "/v1/private"
SORT = json.dumps
RUNNING = '[{"field":"status","type":"string","operator":"=","value":"running"}]'
SDK_SOURCE = '[{"field":"source","type":"string","operator":"=","value":"sdk"}]'
ALL_TYPES = '["trial","mini-batch","mutation"]'
OPTIMIZATION_FIELDS = {
    "id", "name", "dataset_id", "num_trials", "created_at", "created_by", "last_updated_at", "last_updated_by",
    "objective_name", "status",
}  # fmt: skip
EXPERIMENT_FIELDS = {
    "id", "name", "type", "created_at", "dataset_id", "metadata", "feedback_scores", "trace_count",
    "evaluation_method", "duration", "total_estimated_cost",
}  # fmt: skip


def by_date(direction: str, field: str = "created_at") -> str:
    return SORT([{"field": field, "direction": direction}])


@pytest.fixture
def ids(api: Transport) -> dict[str, str]:
    """A project, a run with trials in it, a trial of that run and their dataset, from the seeded data."""
    assert api.post("/_mockopik/seed", json={"seed": 1, "count": 25}).status == 204
    runs = api.get(f"{P}/optimizations/", params={"size": 100}).json()["content"]
    run = next(run for run in runs if run["num_trials"] > 3 and "project_id" in run)
    trial = api.get(f"{P}/experiments/", params={"optimization_id": run["id"], "types": '["trial"]'}).json()
    return {
        "project": run["project_id"],
        "run": run["id"],
        "trial": trial["content"][0]["id"],
        "dataset": run["dataset_id"],
    }


def requests(ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any], set[str]]]:
    """(page, path, query, fields every content item carries) as the UI sends them."""
    project, run, trial, dataset = ids["project"], ids["run"], ids["trial"], ids["dataset"]
    run_experiments = {
        "workspace_name": "default",
        "optimization_id": run,
        "force_sorting": "true",
        "page": 1,
    }
    return [
        ("boot", f"{P}/toggles/", {}, set()),
        ("boot", f"{P}/workspaces/versions", {}, set()),
        ("boot", f"{P}/datasets/export-jobs", {}, set()),
        ("boot", f"{P}/projects/", {"workspace_name": "default", "sorting": by_date("DESC", "last_updated_at"),
                                    "size": 1000, "page": 1}, {"id", "name"}),
        ("boot", f"{P}/projects/", {"workspace_name": "default", "sorting": by_date("ASC"), "size": 1, "page": 1},
         {"id", "name"}),
        ("boot", f"{P}/projects/", {"workspace_name": "default", "sorting": by_date("DESC", "last_updated_trace_at"),
                                    "size": 10, "page": 1}, {"id", "name"}),
        ("boot", f"{P}/projects/stats", {"workspace_name": "default", "filters": SDK_SOURCE, "size": 10, "page": 1,
                                         "sorting": by_date("DESC", "last_updated_trace_at")}, {"project_id"}),
        *[("sidebar", f"{P}/{name}/", {"size": 1, "page": 1}, set())
          for name in ("datasets", "prompts", "alerts", "dashboards", "annotation-queues")],
        ("sidebar", f"{P}/automations/evaluators", {"size": 1, "page": 1}, set()),
        ("list v2", f"{P}/projects/{project}/optimizations", {"workspace_name": "default", "size": 100, "page": 1},
         OPTIMIZATION_FIELDS),
        ("list v1", f"{P}/optimizations/", {"workspace_name": "default", "size": 100, "page": 1}, OPTIMIZATION_FIELDS),
        ("active runs", f"{P}/optimizations/", {"workspace_name": "default", "filters": RUNNING, "size": 1, "page": 1},
         OPTIMIZATION_FIELDS),
        ("list v2", f"{P}/projects/{project}/datasets", {"page": 1, "size": 25}, {"id", "name"}),
        ("detail", f"{P}/optimizations/{run}", {}, set()),
        ("detail", f"{P}/projects/{project}", {}, set()),
        ("detail v2", f"{P}/projects/{project}/experiments",
         {**run_experiments, "types": ALL_TYPES, "sorting": by_date("ASC"), "size": 1000}, EXPERIMENT_FIELDS),
        ("detail v2", f"{P}/projects/{project}/experiments",
         {**run_experiments, "types": '["trial"]', "sorting": by_date("ASC"), "size": 1000}, EXPERIMENT_FIELDS),
        ("detail v2", f"{P}/projects/{project}/experiments",
         {**run_experiments, "types": ALL_TYPES, "sorting": by_date("DESC"), "size": 1}, EXPERIMENT_FIELDS),
        ("detail v1", f"{P}/experiments/",
         {**run_experiments, "types": ALL_TYPES, "sorting": by_date("ASC"), "size": 1000}, EXPERIMENT_FIELDS),
        ("experiments page", f"{P}/experiments/", {"types": '["regular"]', "size": 10, "page": 1}, EXPERIMENT_FIELDS),
        ("studio logs", f"{P}/optimizations/studio/{run}/logs", {}, set()),
        ("trial", f"{P}/experiments/{trial}", {}, set()),
        ("trial", f"{P}/datasets/{dataset}/items/experiments/items",
         {"workspace_name": "default", "experiment_ids": json.dumps([trial]), "truncate": "true", "size": 100,
          "page": 1}, {"id", "data", "created_at", "experiment_items"}),
        ("trial", f"{P}/datasets/{dataset}/items/experiments/items/output/columns",
         {"experiment_ids": json.dumps([trial])}, set()),
    ]  # fmt: skip


def test_every_request_of_the_ui_answers_what_it_reads(api: Transport, ids: dict[str, str]) -> None:
    for page, path, query, fields in requests(ids):
        reply = api.get(path, params=query)
        assert 200 <= reply.status < 300, (page, path, reply.status, reply.body[:300])
        body = reply.json()
        for item in body.get("content", []) if isinstance(body, dict) else body:
            assert fields <= set(item), (page, path, fields - set(item))


def test_a_trial_carries_what_the_trial_pages_read(api: Transport, ids: dict[str, str]) -> None:
    """getOptimizationMetadata: a numeric step, the candidate, its parents, the prompt and the model."""
    trial = api.get(f"{P}/experiments/{ids['trial']}").json()
    items = api.get(
        f"{P}/datasets/{ids['dataset']}/items/experiments/items",
        params={"experiment_ids": json.dumps([trial["id"]])},
    ).json()

    metadata = trial["metadata"]
    assert isinstance(metadata["step_index"], int)
    assert isinstance(metadata["parent_candidate_ids"], list)
    assert {"prompt", "model"} <= set(metadata["configuration"])
    assert trial["duration"]["p50"] > 100  # milliseconds
    trace = items["content"][0]["experiment_items"][0]
    assert {"id", "experiment_id", "dataset_item_id", "trace_id", "input", "output", "feedback_scores",
            "duration", "created_at"} <= set(trace)  # fmt: skip


def test_the_missing_workspace_configuration_is_the_backends_own_404(api: Transport) -> None:
    reply = api.get(f"{P}/workspaces/configurations/")

    assert (reply.status, reply.json()["message"]) == (404, "No workspace configuration found for workspace")


@pytest.mark.parametrize(
    ("path", "referrer", "expected"),
    [
        (
            P,
            "http://localhost:5174/default/projects/x/optimizations/y",
            "http://localhost:5174/api/_mockopik/",
        ),
        (P, "http://localhost/_mockopik/openapi.json", "http://localhost/_mockopik/"),
        (P, None, "http://localhost/_mockopik/"),
        (f"/api{P}", "http://localhost:5174/default/optimizations/y", "http://localhost/_mockopik/"),
    ],
)
def test_studio_logs_open_through_the_page_that_asked(
    api: Transport, ids: dict[str, str], path: str, referrer: str | None, expected: str
) -> None:
    """A browser on a UI page behind a proxy that strips `/api` (Vite, the UI's nginx) fetches the log file
    through that proxy, whatever port the mock is published on; other clients at the mock's own address."""
    headers = {"Referer": referrer} if referrer else {}
    host = {"Host": "localhost"}

    url = api.get(f"{path}/optimizations/studio/{ids['run']}/logs", headers={**headers, **host}).json()["url"]

    assert url == f"{expected}studio-logs/default/{ids['run']}.log.gz"
    log = api.get(urlsplit(url).path, headers=host)
    assert gzip.decompress(log.body).decode("utf-8").strip()
