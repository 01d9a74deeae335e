"""The project and dataset lists the v2 pages need (ProjectsResource, ProjectDatasetsResource,
DatasetsResource): paging, name search, sorting by SortingFactoryProjects' / SortingFactoryDatasets' fields."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from mockopik.domain import catalog
from tests.support import OPTIMIZATIONS, Transport

PROJECTS = "/v1/private/projects"
DATASETS = "/v1/private/datasets"
PROJECT_SORTABLE = ["id", "name", "last_updated_at", "created_at", "last_updated_trace_at"]
DATASET_SORTABLE = [
    "id", "name", "description", "tags", "created_at", "last_updated_at", "created_by", "last_updated_by",
    "last_created_experiment_at", "last_created_optimization_at", "duration", "feedback_scores.*", "data.*",
    "output.*", "input.*", "metadata.*", "comments", "total_estimated_cost", "usage.*",
]  # fmt: skip


def three_projects(api: Transport) -> dict[str, str]:
    """Runs in projects alpha, Beta and gamma (created in that order), on datasets qa-set and other."""
    assert api.post("/_mockopik/seed", json={"scenario": "empty"}).status == 204
    runs = {}
    for project, dataset in (("alpha", "qa-set"), ("Beta", "other"), ("gamma", "qa-set")):
        runs[project] = api.create(project_name=project, dataset_name=dataset)
        api.clock.advance(timedelta(minutes=1))
    return {name: api.get(f"{OPTIMIZATIONS}/{run}").json()["project_id"] for name, run in runs.items()}


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["content"]]


def test_projects_are_listed_newest_first(api: Transport) -> None:
    ids = three_projects(api)

    page = api.get(PROJECTS + "/", params={"workspace_name": "default", "size": 2}).json()

    assert {key: page[key] for key in ("page", "size", "total", "sortable_by")} == {
        "page": 1,
        "size": 2,
        "total": 3,
        "sortable_by": PROJECT_SORTABLE,
    }
    assert page["content"][0] == {
        "id": ids["gamma"],
        "name": "gamma",
        "visibility": "private",
        "created_at": "2026-11-27T10:17:30.123456Z",
        "created_by": "admin",
        "last_updated_at": "2026-11-27T10:17:30.123456Z",
        "last_updated_by": "admin",
    }
    assert names(page) == ["gamma", "Beta"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "A"}, ["gamma", "Beta", "alpha"]),
        ({"name": "gam"}, ["gamma"]),
        ({"sorting": '[{"field":"name","direction":"ASC"}]'}, ["Beta", "alpha", "gamma"]),
        ({"sorting": '[{"field":"created_at","direction":"ASC"}]'}, ["alpha", "Beta", "gamma"]),
        ({"sorting": '[{"field":"last_updated_at","direction":"DESC"}]'}, ["gamma", "Beta", "alpha"]),
        ({"sorting": '[{"field":"last_updated_trace_at","direction":"DESC"}]'}, ["gamma", "Beta", "alpha"]),
        ({"sorting": '[{"field":"visibility","direction":"ASC"}]'}, ["gamma", "Beta", "alpha"]),
        ({"page": 2, "size": 2}, ["alpha"]),
    ],
)
def test_projects_by_name_sorted_and_paged(
    api: Transport, query: dict[str, Any], expected: list[str]
) -> None:
    three_projects(api)

    assert names(api.get(PROJECTS, params=query).json()) == expected


def test_project_stats_follow_the_page_of_projects(api: Transport) -> None:
    """ProjectService.getStats: an item per project of the page, in its order; no traces, no figures."""
    ids = three_projects(api)
    query = {"sorting": '[{"field":"last_updated_trace_at","direction":"DESC"}]', "size": 10}
    filters = '[{"field":"source","type":"string","operator":"=","value":"sdk"}]'

    reply = api.get(f"{PROJECTS}/stats", params={**query, "filters": filters})

    assert (reply.status, reply.json()) == (
        200,
        {"content": [{"project_id": ids[name]} for name in ("gamma", "Beta", "alpha")]},
    )


@pytest.mark.parametrize("path", [PROJECTS, f"{PROJECTS}/stats", DATASETS])
@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("sorting=nope", 400, {"code": 400, "message": "Invalid sorting query parameter 'nope'"}),
        ("size=0", 400, {"errors": ["query param size must be greater than or equal to 1"]}),
        ("page=one", 404, {"code": 404, "message": "HTTP 404 Not Found"}),
    ],
)
def test_bad_list_queries(api: Transport, path: str, query: str, status: int, body: object) -> None:
    reply = api.get(f"{path}?{query}")

    assert (reply.status, reply.json()) == (status, body)


def test_datasets_carry_what_opik_counts_about_them(api: Transport) -> None:
    three_projects(api)
    space = api.runtime.store.workspace("default")
    other = next(dataset for dataset in space.datasets.values() if dataset.name == "other")

    page = api.get(DATASETS + "/", params={"workspace_name": "default", "size": 1}).json()

    assert page == {
        "content": [
            {
                "id": str(other.id),
                "name": "other",
                "type": "dataset",
                "visibility": "private",
                "created_at": "2026-11-27T10:16:30.123456Z",
                "created_by": "admin",
                "last_updated_at": "2026-11-27T10:16:30.123456Z",
                "last_updated_by": "admin",
                "experiment_count": 0,
                "dataset_items_count": catalog.item_count(other, []),
                "optimization_count": 1,
                "most_recent_optimization_at": "2026-11-27T10:16:30.123456Z",
                "last_created_optimization_at": "2026-11-27T10:16:30.123456Z",
            }
        ],
        "page": 1,
        "size": 1,
        "total": 2,
        "sortable_by": DATASET_SORTABLE,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["other", "qa-set"]),
        ({"name": "OTH"}, ["other"]),
        ({"sorting": '[{"field":"name","direction":"ASC"}]'}, ["other", "qa-set"]),
        ({"sorting": '[{"field":"last_created_optimization_at","direction":"DESC"}]'}, ["qa-set", "other"]),
        ({"with_experiments_only": "true"}, []),
        ({"with_optimizations_only": "true"}, ["other", "qa-set"]),
    ],
)
def test_datasets_by_name_sorted_and_narrowed(
    api: Transport, query: dict[str, Any], expected: list[str]
) -> None:
    three_projects(api)

    assert names(api.get(DATASETS, params=query).json()) == expected


def test_a_projects_datasets_are_those_its_optimizations_ran_on(api: Transport) -> None:
    ids = three_projects(api)
    qa_run = api.create(dataset_name="brand-new")
    assert api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [qa_run]}).status == 204

    beta = api.get(
        f"{PROJECTS}/{ids['Beta']}/datasets", params={"page": 1, "size": 25, "project_id": "x"}
    ).json()
    by_parameter = api.get(DATASETS, params={"project_id": ids["gamma"]}).json()
    everything = api.get(DATASETS, params={"size": 10}).json()

    assert (names(beta), beta["total"], beta["sortable_by"]) == (["other"], 1, DATASET_SORTABLE)
    assert names(by_parameter) == ["qa-set"]
    assert names(everything) == ["brand-new", "other", "qa-set"]
    assert everything["content"][0]["optimization_count"] == 0


def test_deleted_datasets_are_not_listed(api: Transport) -> None:
    dataset = {"id": "019fdc49-b673-7b11-a7a9-c3787c65c1e5", "created_at": "2026-08-07T12:54:06Z"}
    assert api.post("/_mockopik/seed", json={"scenario": "empty"}).status == 204
    document = {
        "format": 1,
        "workspaces": {
            "default": {
                "datasets": [
                    {**dataset, "name": "kept"},
                    {
                        **dataset,
                        "id": str(UUID(int=UUID(dataset["id"]).int + 1)),
                        "name": "gone",
                        "deleted": True,
                    },
                ]
            }
        },
    }
    assert api.post("/_mockopik/fixtures", json=document).status == 204

    assert names(api.get(DATASETS).json()) == ["kept"]
