"""A trial's items (DatasetsResource.findDatasetItemsWithExperimentItems and the output columns): the
dataset items a trial ran on, each with its trace; the traces average to the trial's scores."""

from __future__ import annotations

import json
import statistics
from typing import Any
from uuid import UUID

import pytest

from mockopik.domain.models import Trial, TrialType
from tests.support import OPTIMIZATIONS, Transport, client_id, give_trials

EXPERIMENTS = "/v1/private/experiments"
SEEDED = {"seed": 3, "count": 8}


def items_of(api: Transport, experiment: dict[str, Any], **query: Any) -> Any:
    params = {"experiment_ids": json.dumps([experiment["id"]]), "size": 1000, "truncate": "true", **query}
    return api.get(f"/v1/private/datasets/{experiment['dataset_id']}/items/experiments/items", params=params)


def trials(api: Transport, **query: Any) -> list[dict[str, Any]]:
    page = api.get(EXPERIMENTS, params={"size": 1000, **query}).json()
    content: list[dict[str, Any]] = page["content"]
    return content


@pytest.fixture
def seeded(api: Transport) -> Transport:
    assert api.post("/_mockopik/seed", json=SEEDED).status == 204
    return api


def test_each_trials_traces_add_up_to_the_trial(seeded: Transport) -> None:
    """Per name, the traces' scores average to the trial's feedback score; their costs add up to its cost;
    their durations (ms) have its median; there is one trace per item it counted."""
    for trial in trials(seeded):
        page = items_of(seeded, trial).json()
        traces = [item for row in page["content"] for item in row["experiment_items"]]
        assert page["total"] == len(traces) == trial["trace_count"]
        assert {trace["experiment_id"] for trace in traces} == {trial["id"]}
        for score in trial["feedback_scores"]:
            values = [
                s["value"] for trace in traces for s in trace["feedback_scores"] if s["name"] == score["name"]
            ]
            assert statistics.fmean(values) == pytest.approx(score["value"], abs=1e-9)
        costs = [trace.get("total_estimated_cost", 0.0) for trace in traces]
        assert sum(costs) == pytest.approx(trial.get("total_estimated_cost", 0.0), abs=1e-9)
        assert statistics.median(trace["duration"] for trace in traces) == pytest.approx(
            trial["duration"]["p50"], abs=0.002
        )


def test_full_trials_of_a_run_evaluate_the_same_items(seeded: Transport) -> None:
    for optimization in seeded.get(OPTIMIZATIONS, params={"size": 100}).json()["content"]:
        full = trials(seeded, optimization_id=optimization["id"], types='["trial"]')
        evaluated = {
            frozenset(row["id"] for row in items_of(seeded, trial).json()["content"])
            for trial in full
            if trial["trace_count"] == full[-1]["trace_count"]
        }
        assert len(evaluated) <= 1


def test_an_item_with_its_trace(api: Transport) -> None:
    optimization_id = api.create(dataset_name="gsm8k-200", objective_name="accuracy")
    trial = with_one_trial(api, optimization_id)

    page = items_of(api, trial, size=1).json()

    row = page["content"][0]
    trace = row["experiment_items"][0]
    assert set(row) == {
        "id",
        "dataset_item_id",
        "source",
        "data",
        "experiment_items",
        "created_at",
        "last_updated_at",
    }
    assert (row["dataset_item_id"], row["source"], sorted(row["data"])) == (
        row["id"],
        "sdk",
        ["answer", "question"],
    )
    assert trace == {
        "id": trace["id"],
        "experiment_id": trial["id"],
        "dataset_item_id": row["id"],
        "trace_id": trace["trace_id"],
        "input": row["data"],
        "output": {"llm_output": trace["output"]["llm_output"]},
        "feedback_scores": [
            {"name": "accuracy", "value": trace["feedback_scores"][0]["value"], "source": "sdk"}
        ],
        "total_estimated_cost": trace["total_estimated_cost"],
        "duration": trace["duration"],
        "created_at": trace["created_at"],
        "last_updated_at": trace["created_at"],
    }
    right = trace["feedback_scores"][0]["value"] == 1.0
    assert (trace["output"]["llm_output"] == row["data"]["answer"]) == right
    assert {key: page[key] for key in ("page", "size", "total", "columns")} == {
        "page": 1,
        "size": 1,
        "total": 20,
        "columns": [
            {
                "name": "answer",
                "types": ["string"],
                "filter_field_prefix": "data",
                "filterField": "data.answer",
            },
            {
                "name": "question",
                "types": ["string"],
                "filter_field_prefix": "data",
                "filterField": "data.question",
            },
        ],
    }
    assert page["sortable_by"][:3] == ["id", "name", "description"]


def with_one_trial(
    api: Transport, optimization_id: str, trace_count: int = 20, accuracy: float = 0.6
) -> dict[str, Any]:
    trial_id = UUID(client_id())
    give_trials(api, optimization_id, [
        Trial(trial_id, TrialType.TRIAL, api.clock.now(), trial_id, None, {"accuracy": accuracy}, {}, 1.2,
              0.02, trace_count, "first_trial")
    ])  # fmt: skip
    return api.get(f"{EXPERIMENTS}/{trial_id}").json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("accuracy", [-0.25, 1.5, 0.0, 1.0])
def test_a_pass_fail_score_outside_zero_to_one_still_has_traces(api: Transport, accuracy: float) -> None:
    """A fixture may give a pass/fail metric any score (edge-cases does): its traces average to it."""
    optimization_id = api.create(dataset_name="gsm8k-200", objective_name="accuracy")
    trial = with_one_trial(api, optimization_id, accuracy=accuracy)

    reply = items_of(api, trial)

    assert reply.status == 200
    values = [row["experiment_items"][0]["feedback_scores"][0]["value"] for row in reply.json()["content"]]
    assert (len(values), statistics.fmean(values)) == (20, pytest.approx(accuracy, abs=1e-9))


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ({"filters": '[{"field":"feedback_scores","key":"accuracy","operator":"=","value":"1"}]'},
         lambda row: row["experiment_items"][0]["feedback_scores"][0]["value"] == 1.0),
        ({"filters": '[{"field":"feedback_scores","key":"accuracy","operator":"<","value":"0.5"}]'},
         lambda row: row["experiment_items"][0]["feedback_scores"][0]["value"] == 0.0),
        ({"filters": '[{"field":"data","key":"question","operator":"contains","value":"NOTEBOOKS"}]'},
         lambda row: "notebooks" in row["data"]["question"]),
        ({"search": "Ana buys"}, lambda row: row["data"]["question"].startswith("Ana buys")),
        ({"filters": '[{"field":"duration","operator":">","value":"0"}]'}, lambda row: True),
    ],
)  # fmt: skip
def test_filters_and_search_keep_matching_items(api: Transport, query: dict[str, str], check: Any) -> None:
    optimization_id = api.create(dataset_name="gsm8k-200", objective_name="accuracy")
    trial = with_one_trial(api, optimization_id)

    everything = items_of(api, trial).json()["content"]
    page = items_of(api, trial, **query).json()

    expected = [row for row in everything if check(row)]
    assert (page["total"], page["content"]) == (len(expected), expected)
    assert page["columns"] == items_of(api, trial).json()["columns"]


@pytest.mark.parametrize(
    ("sorting", "key", "descending"),
    [
        ('[{"field":"feedback_scores.accuracy","direction":"DESC"}]',
         lambda row: row["experiment_items"][0]["feedback_scores"][0]["value"], True),
        ('[{"field":"data.question","direction":"ASC"}]', lambda row: row["data"]["question"], False),
        ('[{"field":"duration","direction":"DESC"}]', lambda row: row["experiment_items"][0]["duration"], True),
        ("[]", lambda row: row["id"], True),
    ],
)  # fmt: skip
def test_sorting_items(api: Transport, sorting: str, key: Any, descending: bool) -> None:
    optimization_id = api.create(dataset_name="gsm8k-200", objective_name="accuracy")
    trial = with_one_trial(api, optimization_id)

    content = items_of(api, trial, sorting=sorting).json()["content"]

    assert [key(row) for row in content] == sorted((key(row) for row in content), reverse=descending)


def test_two_trials_compared_share_their_items(seeded: Transport) -> None:
    run = next(
        o for o in seeded.get(OPTIMIZATIONS, params={"size": 100}).json()["content"] if o["num_trials"] > 3
    )
    first, second = trials(seeded, optimization_id=run["id"], types='["trial"]')[-2:]
    both = json.dumps([first["id"], second["id"]])

    page = seeded.get(
        f"/v1/private/datasets/{run['dataset_id']}/items/experiments/items", params={"experiment_ids": both}
    ).json()

    assert {len(row["experiment_items"]) for row in page["content"]} <= {1, 2}
    assert {item["experiment_id"] for row in page["content"] for item in row["experiment_items"]} == {
        first["id"],
        second["id"],
    }


def test_the_same_items_after_a_restart(seeded: Transport, make_api: Any) -> None:
    again = make_api()
    assert again.post("/_mockopik/seed", json=SEEDED).status == 204
    trial = trials(seeded)[0]

    assert items_of(seeded, trial).json() == items_of(again, trials(again)[0]).json()


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("", {"errors": ["query param experiment_ids must not be null", "query param experiment_ids must not be blank"]}),
        ("experiment_ids=", {"errors": ["query param experiment_ids must not be blank"]}),
        ("experiment_ids=nope", {"code": 400, "message": "Invalid query param ids 'nope'"}),
        ('experiment_ids=[]&filters=[{"field":"nope","operator":"=","value":"1"}]',
         {"code": 400, "message": "Invalid filters query parameter '[{\"field\":\"nope\",\"operator\":\"=\",\"value\":\"1\"}]'"}),
        ('experiment_ids=[]&filters=[{"field":"data","operator":"=","value":"1"}]',
         {"code": 400, "message": "Invalid filters query parameter '[{\"field\":\"data\",\"operator\":\"=\",\"value\":\"1\"}]'"}),
        ("experiment_ids=[]&sorting=x", {"code": 400, "message": "Invalid sorting query parameter 'x'"}),
    ],
)  # fmt: skip
def test_bad_compare_queries(api: Transport, query: str, body: object) -> None:
    reply = api.get(f"/v1/private/datasets/{client_id()}/items/experiments/items?{query}")

    assert (reply.status, reply.json()) == (400, body)


def test_an_unknown_dataset_or_experiment_has_no_items(api: Transport) -> None:
    reply = api.get(
        f"/v1/private/datasets/{client_id()}/items/experiments/items", params={"experiment_ids": "[]"}
    )

    assert (reply.status, reply.json()["content"], reply.json()["total"], reply.json()["columns"]) == (
        200,
        [],
        0,
        [],
    )


def test_output_columns_are_the_keys_of_the_traces_outputs(seeded: Transport) -> None:
    trial = trials(seeded)[0]
    path = f"/v1/private/datasets/{trial['dataset_id']}/items/experiments/items/output/columns"
    expected = {
        "columns": [
            {
                "name": "llm_output",
                "types": ["string"],
                "filter_field_prefix": "output",
                "filterField": "output.llm_output",
            }
        ]
    }

    assert seeded.get(path, params={"experiment_ids": json.dumps([trial["id"]])}).json() == expected
    assert seeded.get(path).json() == expected
    assert seeded.get(
        f"/v1/private/datasets/{client_id()}/items/experiments/items/output/columns"
    ).json() == {"columns": []}
    bad = seeded.get(path, params={"experiment_ids": "[1]"})
    assert (bad.status, bad.json()) == (400, {"code": 400, "message": "Invalid query param ids '[1]'"})
