"""findExperiments: an optimization's trials, as the Opik UI's optimization page lists them."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from uuid import UUID

import pytest

from mockopik.domain.ids import id_at
from mockopik.domain.models import Trial, TrialType
from tests.conftest import NOW
from tests.support import OPTIMIZATIONS, Transport, client_id

EXPERIMENTS = "/v1/private/experiments"


def with_trials(api: Transport, **fields: object) -> str:
    """An optimization with a baseline trial, a mini-batch and a second candidate."""
    optimization_id = api.create(
        name="tune", dataset_name="qa-set", metadata={"optimizer": "GepaOptimizer"}, **fields
    )
    rng = random.Random(optimization_id)
    first, mini_batch, second = (id_at(NOW + timedelta(minutes=minutes), rng) for minutes in range(3))
    trials = [
        Trial(first, TrialType.TRIAL, NOW, first, 0.5, {"accuracy": 0.5}, {}, 2.0, 0.3, 10),
        Trial(
            mini_batch,
            TrialType.MINI_BATCH,
            NOW + timedelta(minutes=1),
            second,
            0.9,
            {"accuracy": 0.9},
            {},
            None,
            0.1,
            2,
        ),
        Trial(
            second,
            TrialType.TRIAL,
            NOW + timedelta(minutes=2),
            second,
            0.75,
            {"accuracy": 0.75},
            {},
            1.5,
            0.5,
            10,
        ),
    ]
    with api.runtime.store.lock:
        api.runtime.store.workspace("default").optimizations[UUID(optimization_id)].trials = trials
    return optimization_id


def test_trials_are_listed_newest_first_as_experiments(api: Transport) -> None:
    optimization_id = with_trials(api)
    optimization = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    page = api.get(
        EXPERIMENTS + "/", params={"optimization_id": optimization_id, "types": '["trial","mini-batch"]'}
    ).json()

    assert (page["page"], page["size"], page["total"], page["sortable_by"]) == (1, 3, 3, [])
    assert [item["name"] for item in page["content"]] == ["tune-trial-3", "tune-mini-batch-2", "tune-trial-1"]
    newest = page["content"][0]
    assert newest == {
        "id": newest["id"],
        "dataset_name": "qa-set",
        "dataset_id": optimization["dataset_id"],
        "name": "tune-trial-3",
        "metadata": {
            "candidate_id": newest["metadata"]["candidate_id"],
            "trial": 3,
            "optimizer": "GepaOptimizer",
        },
        "type": "trial",
        "optimization_id": optimization_id,
        "feedback_scores": [{"name": "accuracy", "value": 0.75}],
        "trace_count": 10,
        "created_at": "2026-11-27T10:17:30.123456Z",
        "duration": {"p50": 1.5, "p90": 2.4, "p99": 3.6},
        "total_estimated_cost": 0.5,
        "last_updated_at": "2026-11-27T10:17:30.123456Z",
        "created_by": "admin",
        "last_updated_by": "admin",
        "status": "completed",
        "experiment_scores": [{"name": "accuracy", "value": 0.75}],
    }
    assert optimization["num_trials"] == 3
    assert optimization["best_objective_score"] == 0.75


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ('["mini-batch"]', ["tune-mini-batch-2"]),
        ('["trial"]', ["tune-trial-3", "tune-trial-1"]),
        ('["regular"]', []),
    ],
)
def test_types_narrow_the_list(api: Transport, types: str, expected: list[str]) -> None:
    optimization_id = with_trials(api)

    page = api.get(EXPERIMENTS, params={"optimization_id": optimization_id, "types": types}).json()

    assert [item["name"] for item in page["content"]] == expected


def test_paging_and_other_optimizations(api: Transport) -> None:
    optimization_id = with_trials(api)
    with_trials(api)

    all_trials = api.get(EXPERIMENTS, params={"size": 100}).json()
    second_page = api.get(
        EXPERIMENTS, params={"optimization_id": optimization_id, "page": 2, "size": 2}
    ).json()
    unknown = api.get(EXPERIMENTS, params={"optimization_id": client_id()}).json()

    assert all_trials["total"] == 6
    assert [item["name"] for item in second_page["content"]] == ["tune-trial-1"]
    assert (unknown["total"], unknown["content"]) == (0, [])


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("types=nope", 400, {"code": 400, "message": "Invalid query param types 'nope'"}),
        ("optimization_id=xyz", 404, {"code": 404, "message": "HTTP 404 Not Found"}),
        ("page=0", 400, {"errors": ["query param page must be greater than or equal to 1"]}),
    ],
)
def test_bad_queries(api: Transport, query: str, status: int, body: dict[str, object]) -> None:
    reply = api.get(f"{EXPERIMENTS}?{query}")

    assert (reply.status, reply.json()) == (status, body)


def test_seeded_runs_have_experiments_matching_num_trials(api: Transport) -> None:
    assert api.post("/_mockopik/seed", json={"seed": 4, "count": 10}).status == 204
    for item in api.get(OPTIMIZATIONS, params={"size": 10}).json()["content"]:
        trials = api.get(EXPERIMENTS, params={"optimization_id": item["id"], "size": 1}).json()
        assert trials["total"] == item["num_trials"]
    assert json.loads(api.get(EXPERIMENTS).body)["total"] > 0
