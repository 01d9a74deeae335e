"""Experiments: an optimization's trials as Opik's ExperimentsResource and ProjectExperimentsResource list
them (types validated by ParamsValidator, sorting by ExperimentSortingFactory), and one by id."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest

from mockopik.domain.ids import id_at
from mockopik.domain.models import Trial, TrialType
from tests.conftest import NOW
from tests.support import OPTIMIZATIONS, Transport, client_id, give_trials

EXPERIMENTS = "/v1/private/experiments"
SORTABLE_BY = [
    "id", "name", "created_at", "last_updated_at", "created_by", "last_updated_by", "tags", "trace_count",
    "total_estimated_cost", "total_estimated_cost_avg", "feedback_scores.*", "experiment_scores.*", "duration.*",
]  # fmt: skip


def with_trials(api: Transport, **fields: object) -> tuple[str, list[Trial]]:
    """An optimization with a baseline trial, a mini-batch, a second candidate and a mutation."""
    optimization_id = api.create(
        name="tune", dataset_name="qa-set", metadata={"optimizer": "GepaOptimizer"}, **fields
    )
    rng = random.Random(optimization_id)
    first, mini_batch, second, mutation = (id_at(NOW + timedelta(minutes=m), rng) for m in range(4))
    step = {
        "step_index": 1,
        "configuration": {"prompt": {"chat-prompt": [{"role": "user", "content": "{q}"}]}},
    }
    trials = [
        Trial(first, TrialType.TRIAL, NOW, first, None, {"accuracy": 0.5}, {}, 2.0, 0.3, 10, "baseline_run"),
        Trial(mini_batch, TrialType.MINI_BATCH, NOW + timedelta(minutes=1), second, None, {"accuracy": 0.9},
              {}, None, 0.1, 2, "screening_run"),
        Trial(second, TrialType.TRIAL, NOW + timedelta(minutes=2), second, None, {"accuracy": 0.75, "f1": 0.6},
              {}, 1.5, 0.5, 10, "second_run", step),
        Trial(mutation, TrialType.MUTATION, NOW + timedelta(minutes=3), mutation, None, {"accuracy": 0.95},
              {}, 0.5, 0.05, 2, "mutated_run"),
    ]  # fmt: skip
    give_trials(api, optimization_id, trials)
    return optimization_id, trials


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["content"]]


def test_trials_are_listed_newest_first_as_experiments(api: Transport) -> None:
    optimization_id, trials = with_trials(api)
    optimization = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    page = api.get(
        EXPERIMENTS + "/", params={"optimization_id": optimization_id, "types": '["trial"]'}
    ).json()

    assert (page["page"], page["size"], page["total"], page["sortable_by"]) == (1, 2, 2, SORTABLE_BY)
    assert names(page) == ["second_run", "baseline_run"]
    assert page["content"][0] == {
        "id": str(trials[2].id),
        "dataset_name": "qa-set",
        "dataset_id": optimization["dataset_id"],
        "name": "second_run",
        "metadata": {
            "step_index": 1,
            "configuration": {"prompt": {"chat-prompt": [{"role": "user", "content": "{q}"}]}},
            "candidate_id": str(trials[2].id),
        },
        "type": "trial",
        "evaluation_method": "dataset",
        "optimization_id": optimization_id,
        "feedback_scores": [{"name": "accuracy", "value": 0.75}, {"name": "f1", "value": 0.6}],
        "trace_count": 10,
        "dataset_item_count": 10,
        "created_at": "2026-11-27T10:17:30.123456Z",
        "duration": {"p50": 1500.0, "p90": 2400.0, "p99": 3600.0},
        "total_estimated_cost": 0.5,
        "total_estimated_cost_avg": 0.05,
        "last_updated_at": "2026-11-27T10:17:30.123456Z",
        "created_by": "admin",
        "last_updated_by": "admin",
        "status": "completed",
    }


def test_durations_are_milliseconds_and_the_runs_best_duration_seconds(api: Transport) -> None:
    """ExperimentDAO's quantiles are of trace durations in ms; OptimizationDAO divides them by 1000. Best
    needs an objective experiment score; with feedback scores only, a run has just its baseline."""
    optimization_id, trials = with_trials(api)
    scored_only_by_traces = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()
    give_trials(
        api,
        optimization_id,
        [_with_objective(trial) if trial.type is TrialType.TRIAL else trial for trial in trials],
    )

    baseline = api.get(EXPERIMENTS, params={"optimization_id": optimization_id, "name": "baseline"}).json()
    optimization = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert baseline["content"][0]["duration"] == {"p50": 2000.0, "p90": 3200.0, "p99": 4800.0}
    assert (scored_only_by_traces["baseline_duration"], "best_duration" in scored_only_by_traces) == (
        2.0,
        False,
    )
    assert (optimization["baseline_duration"], optimization["best_duration"]) == (2.0, 1.5)


def test_mutations_count_as_trials_but_not_as_candidates(api: Transport) -> None:
    """OptimizationDAO: `num_trials` counts every experiment; candidates leave out mini-batches and mutations."""
    optimization_id, trials = with_trials(api)
    give_trials(
        api,
        optimization_id,
        [trial if trial.type is not TrialType.TRIAL else _with_objective(trial) for trial in trials],
    )

    optimization = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert optimization["num_trials"] == 4
    assert (optimization["baseline_objective_score"], optimization["best_objective_score"]) == (0.5, 0.75)
    assert optimization["feedback_scores"] == [
        {"name": "accuracy", "value": 0.95},
        {"name": "f1", "value": 0.6},
    ]


def _with_objective(trial: Trial) -> Trial:
    return Trial(**{**trial.__dict__, "objective_score": trial.feedback_scores["accuracy"]})


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ('["mini-batch"]', ["screening_run"]),
        ('["trial"]', ["second_run", "baseline_run"]),
        ('["mutation"]', ["mutated_run"]),
        ('["trial","mutation"]', ["mutated_run", "second_run", "baseline_run"]),
        ('["regular"]', []),
        ("[]", ["mutated_run", "second_run", "screening_run", "baseline_run"]),
        ("null", ["mutated_run", "second_run", "screening_run", "baseline_run"]),
        ("", ["mutated_run", "second_run", "screening_run", "baseline_run"]),
    ],
)
def test_types_narrow_the_list_and_empty_means_every_type(
    api: Transport, types: str, expected: list[str]
) -> None:
    optimization_id, _ = with_trials(api)

    page = api.get(EXPERIMENTS, params={"optimization_id": optimization_id, "types": types}).json()

    assert names(page) == expected


@pytest.mark.parametrize(
    ("sorting", "expected"),
    [
        ('[{"field":"created_at","direction":"ASC"}]', ["baseline_run", "screening_run", "second_run", "mutated_run"]),
        ('[{"field":"created_at"}]', ["baseline_run", "screening_run", "second_run", "mutated_run"]),
        ('[{"field":"name","direction":"DESC"}]', ["second_run", "screening_run", "mutated_run", "baseline_run"]),
        ('[{"field":"feedback_scores.f1","direction":"DESC"}]',
         ["second_run", "mutated_run", "screening_run", "baseline_run"]),
        ('[{"field":"duration.p50","direction":"ASC"}]', ["screening_run", "mutated_run", "second_run", "baseline_run"]),
        ('[{"field":"trace_count","direction":"ASC"},{"field":"name","direction":"ASC"}]',
         ["mutated_run", "screening_run", "second_run", "baseline_run"]),
        ('[{"field":"dataset_id","direction":"ASC"}]', ["mutated_run", "second_run", "screening_run", "baseline_run"]),
        ("[]", ["mutated_run", "second_run", "screening_run", "baseline_run"]),
    ],
)  # fmt: skip
def test_sorting_by_the_sortable_fields(api: Transport, sorting: str, expected: list[str]) -> None:
    """One field counts (the first); a field ExperimentSortingFactory does not list is ignored; within equal
    values, and a dynamic key a trial lacks (read as 0, after the others), the newest comes first."""
    optimization_id, _ = with_trials(api)

    page = api.get(
        EXPERIMENTS, params={"optimization_id": optimization_id, "sorting": sorting, "force_sorting": "true"}
    ).json()

    assert (names(page), page["sortable_by"]) == (expected, SORTABLE_BY)


def test_a_project_scopes_experiments_by_path_or_parameter(api: Transport) -> None:
    optimization_id, _ = with_trials(api, project_name="support-bot")
    with_trials(api)
    project_id = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["project_id"]
    query = {"types": '["trial","mini-batch","mutation"]', "size": 100}

    scoped = api.get(
        f"/v1/private/projects/{project_id}/experiments", params={**query, "project_id": "x"}
    ).json()
    by_parameter = api.get(EXPERIMENTS, params={**query, "project_id": project_id}).json()
    elsewhere = api.get(f"/v1/private/projects/{client_id()}/experiments", params=query).json()

    assert scoped == by_parameter
    assert (scoped["total"], {item["optimization_id"] for item in scoped["content"]}) == (
        4,
        {optimization_id},
    )
    assert (elsewhere["total"], elsewhere["content"], elsewhere["sortable_by"]) == (0, [], SORTABLE_BY)


def test_experiment_ids_and_paging(api: Transport) -> None:
    optimization_id, trials = with_trials(api)
    with_trials(api)
    wanted = json.dumps([str(trials[0].id), str(trials[3].id), client_id()])

    chosen = api.get(EXPERIMENTS, params={"experiment_ids": wanted}).json()
    everything = api.get(EXPERIMENTS, params={"size": 100}).json()
    second_page = api.get(
        EXPERIMENTS, params={"optimization_id": optimization_id, "page": 2, "size": 3}
    ).json()

    assert (chosen["total"], names(chosen)) == (2, ["mutated_run", "baseline_run"])
    assert everything["total"] == 8
    assert (second_page["page"], second_page["size"], names(second_page)) == (2, 1, ["baseline_run"])


def test_an_experiment_by_id_is_its_listed_form(api: Transport) -> None:
    optimization_id, _ = with_trials(api)
    listed = api.get(EXPERIMENTS, params={"optimization_id": optimization_id, "size": 10}).json()["content"]

    for item in listed:
        assert api.get(f"{EXPERIMENTS}/{item['id']}").json() == item
    missing = client_id()
    assert (api.get(f"{EXPERIMENTS}/{missing}").status, api.get(f"{EXPERIMENTS}/{missing}").json()) == (
        404,
        {"code": 404, "message": f"Not found experiment with id '{missing}'"},
    )
    assert api.get(f"{EXPERIMENTS}/not-a-uuid").json() == {"code": 404, "message": "HTTP 404 Not Found"}


def test_experiment_names_are_their_own_not_the_runs(api: Transport) -> None:
    """Opik stores an experiment's name when it is created: renaming the run leaves it."""
    optimization_id, _ = with_trials(api)
    before = names(api.get(EXPERIMENTS, params={"optimization_id": optimization_id}).json())

    assert api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"name": "renamed"}).status == 204

    assert names(api.get(EXPERIMENTS, params={"optimization_id": optimization_id}).json()) == before


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("types=nope", 400, {"code": 400, "message": "Invalid query param types 'nope'"}),
        ('types=["nope"]', 400, {"code": 400, "message": "Invalid query param types '[\"nope\"]'"}),
        ('types=["trial",1]', 400, {"code": 400, "message": "Invalid query param types '[\"trial\",1]'"}),
        ('types="trial"', 400, {"code": 400, "message": "Invalid query param types '\"trial\"'"}),
        ("sorting=name", 400, {"code": 400, "message": "Invalid sorting query parameter 'name'"}),
        ('sorting=[{"field":"name","direction":"UP"}]', 400,
         {"code": 400, "message": "Invalid sorting query parameter '[{\"field\":\"name\",\"direction\":\"UP\"}]'"}),
        ("experiment_ids=[1]", 400, {"code": 400, "message": "Invalid query param ids '[1]'"}),
        ("optimization_id=xyz", 404, {"code": 404, "message": "HTTP 404 Not Found"}),
        ("project_id=xyz", 404, {"code": 404, "message": "HTTP 404 Not Found"}),
        ("page=0", 400, {"errors": ["query param page must be greater than or equal to 1"]}),
    ],
)  # fmt: skip
def test_bad_queries(api: Transport, query: str, status: int, body: dict[str, object]) -> None:
    reply = api.get(f"{EXPERIMENTS}?{query}")

    assert (reply.status, reply.json()) == (status, body)


def test_seeded_runs_have_experiments_matching_num_trials(api: Transport) -> None:
    assert api.post("/_mockopik/seed", json={"seed": 4, "count": 10}).status == 204
    for item in api.get(OPTIMIZATIONS, params={"size": 10}).json()["content"]:
        trials = api.get(EXPERIMENTS, params={"optimization_id": item["id"], "size": 1}).json()
        assert trials["total"] == item["num_trials"]
    assert json.loads(api.get(EXPERIMENTS).body)["total"] > 0


def test_every_experiment_of_seeded_runs_is_found_by_its_id(api: Transport) -> None:
    """Generated runs make their trials when read: every one is still found by id, alone or in a list,
    and the datasets list counts them all."""
    assert api.post("/_mockopik/seed", json={"seed": 5, "count": 40}).status == 204
    listed = api.get(EXPERIMENTS, params={"size": 1000}).json()
    runs = api.get(OPTIMIZATIONS, params={"size": 100}).json()["content"]
    datasets = api.get("/v1/private/datasets", params={"size": 100}).json()["content"]

    assert listed["total"] == sum(run["num_trials"] for run in runs) == len(listed["content"]) > 40
    assert sum(dataset["experiment_count"] for dataset in datasets) <= listed["total"]
    for item in listed["content"][::7]:
        assert api.get(f"{EXPERIMENTS}/{item['id']}").json() == item
        chosen = api.get(EXPERIMENTS, params={"experiment_ids": json.dumps([item["id"], client_id()])})
        assert chosen.json()["content"] == [item]


def test_the_same_experiments_find_asked_again_answers_the_changes_between(api: Transport) -> None:
    optimization_id, trials = with_trials(api)
    query = {"types": '["trial"]', "size": 1}
    assert api.get(EXPERIMENTS, params=query).json()["content"][0]["name"] == "second_run"

    give_trials(api, optimization_id, trials[:2])
    after_trials = api.get(EXPERIMENTS, params=query).json()
    assert (after_trials["total"], names(after_trials)) == (1, ["baseline_run"])

    assert api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [optimization_id]}).status == 204
    assert api.get(EXPERIMENTS, params=query).json()["total"] == 0
