"""Runs that move with the clock: seeded runs in progress, Studio runs the simulated worker executes,
and runs that clients drive, read at chosen instants."""

from __future__ import annotations

import gzip
import itertools
import json
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mockopik.app import create_app
from mockopik.clock import frozen_at
from mockopik.config import Settings
from tests.conftest import NOW, NOW_TEXT
from tests.support import OPTIMIZATIONS, FlaskTransport, Transport, new_optimization
from tests.test_create_and_upsert import STUDIO_CONFIG

RUNNING = json.dumps([{"field": "status", "type": "string", "operator": "=", "value": "running"}])
QUEUED = json.dumps([{"field": "status", "type": "string", "operator": "=", "value": "initialized"}])
HALF_WAY = "01a196f6-3027-793d-93d1-8e423f0c3a80"  # the running scenario's SDK run at half way
QUEUED_STUDIO = "01a196fb-102a-7e5c-9a86-f9f4fe1be9ef"  # and its Studio run waiting for the worker
CREATED = "01a21c80-c24b-7611-a29f-6fbed82c07ce"  # the first id the seed-0 store mints at NOW
TRIAL_TYPES = json.dumps(["trial", "mini-batch", "mutation"])


@pytest.fixture
def running(make_api: Callable[..., Transport]) -> Transport:
    """The `running` scenario, its data ending at the clock's start (NOW), the clock standing still."""
    return make_api(scenario="running", reference_time=NOW_TEXT)


def advance(api: Transport, duration: str) -> None:
    assert api.post("/_mockopik/clock", json={"advance": duration}).status == 200


def body(api: Transport, run_id: str) -> dict[str, Any]:
    reply = api.get(f"{OPTIMIZATIONS}/{run_id}")
    assert reply.status == 200
    return dict(reply.json())


def trials(api: Transport, run_id: str) -> list[dict[str, Any]]:
    """The run's experiments as the UI's optimization page asks for them (oldest first)."""
    sorting = json.dumps([{"field": "created_at", "direction": "ASC"}])
    params = {"optimization_id": run_id, "types": TRIAL_TYPES, "sorting": sorting, "size": 1000}
    page = api.get("/v1/private/experiments", params=params).json()
    assert page["total"] == len(page["content"])
    return list(page["content"])


def log_of(api: Transport, run_id: str) -> str:
    return gzip.decompress(api.get(f"/_mockopik/studio-logs/default/{run_id}.log.gz").body).decode()


def assert_reads_agree(api: Transport, run_id: str) -> dict[str, Any]:
    """A get, the find that lists the run and its experiments tell the same story at one instant."""
    got = body(api, run_id)
    listed = api.get(OPTIMIZATIONS, params={"size": 100}).json()["content"]
    experiments = trials(api, run_id)
    now = api.get("/_mockopik/clock").json()["now"]
    assert [run for run in listed if run["id"] == run_id] == [got]
    assert len(experiments) == got["num_trials"]
    assert all(experiment["created_at"] <= now for experiment in experiments)
    best: dict[str, float] = {}
    for experiment in experiments:
        for score in experiment.get("feedback_scores", []):
            best[score["name"]] = max(score["value"], best.get(score["name"], score["value"]))
    assert got.get("feedback_scores", []) == [{"name": name, "value": best[name]} for name in sorted(best)]
    return got


# -- seeded runs ---------------------------------------------------------------------------------------

HALF_WAY_AT_START = {
    "id": HALF_WAY,
    "name": "mighty_zebra_7927",
    "dataset_name": "truthful-qa-50",
    "project_id": "01a09995-d7d9-7710-afe6-59f433dd4609",
    "objective_name": "exact_match",
    "status": "running",
    "metadata": {"optimizer": "HierarchicalReflectiveOptimizer", "model": "openai/gpt-4o-mini", "name": "contracts-hrpo"},
    "dataset_id": "01a12232-44ee-7bfb-b0da-f35ec0a7de0d",
    "num_trials": 6,
    "feedback_scores": [{"name": "exact_match", "value": 0.58}],
    "created_at": "2026-11-27T10:10:09.138539Z",
    "created_by": "admin",
    "last_updated_at": "2026-11-27T10:10:09.138539Z",
    "last_updated_by": "admin",
    "baseline_duration": 0.902,
    "baseline_cost": 0.00049257,
    "total_optimization_cost": 0.176683,
}  # fmt: skip
HALF_WAY_FINISHED = {
    **HALF_WAY_AT_START,
    "status": "completed",
    "num_trials": 14,
    "feedback_scores": [{"name": "exact_match", "value": 0.875}],
    "last_updated_at": "2026-11-27T10:20:44.192902Z",
    "total_optimization_cost": 0.436743,
}


def test_a_seeded_run_grows_trial_by_trial_then_completes(running: Transport) -> None:
    assert assert_reads_agree(running, HALF_WAY) == HALF_WAY_AT_START

    advance(running, "2m")
    assert assert_reads_agree(running, HALF_WAY) == {
        **HALF_WAY_AT_START,
        "num_trials": 9,
        "feedback_scores": [{"name": "exact_match", "value": 0.64}],
        "total_optimization_cost": 0.30272,
    }

    advance(running, "8m")
    assert assert_reads_agree(running, HALF_WAY) == HALF_WAY_FINISHED
    advance(running, "1d")
    assert body(running, HALF_WAY) == HALF_WAY_FINISHED  # and then it stays as it ended


def test_a_queued_studio_run_is_picked_up_then_fails_with_its_error_info(running: Transport) -> None:
    at_start = body(running, QUEUED_STUDIO)
    config = at_start.pop("studio_config")
    assert at_start == {
        "id": QUEUED_STUDIO,
        "name": "mighty_narwhal_7394",
        "dataset_name": "arc-100",
        "project_id": "01a1509b-5972-7d1a-a6f1-3e637ccb177e",
        "objective_name": "equals",
        "status": "initialized",
        "dataset_id": "01a0dc03-b699-7637-97f0-9f7176643d8d",
        "num_trials": 0,
        "created_at": "2026-11-27T10:15:28.629865Z",
        "created_by": "admin",
        "last_updated_at": "2026-11-27T10:15:28.629865Z",
        "last_updated_by": "admin",
    }
    assert log_of(running, QUEUED_STUDIO) == ""  # the worker has not started: no log yet

    advance(running, "30s")
    picked_up = {
        **at_start,
        "studio_config": config,
        "status": "running",
        "num_trials": 1,
        "feedback_scores": [{"name": "equals", "value": 0.5}, {"name": "hallucination", "value": 0.55}],
        "last_updated_at": "2026-11-27T10:15:34.362027Z",
        "baseline_duration": 1.127,
        "baseline_cost": 0.0017682,
        "total_optimization_cost": 0.035364,
    }
    assert assert_reads_agree(running, QUEUED_STUDIO) == picked_up
    started_log = log_of(running, QUEUED_STUDIO)

    advance(running, "90s")
    failed = assert_reads_agree(running, QUEUED_STUDIO)
    error_info = failed.pop("error_info")
    assert failed == {
        **picked_up,
        "status": "error",
        "num_trials": 4,
        "feedback_scores": [{"name": "equals", "value": 0.625}, {"name": "hallucination", "value": 0.875}],
        "last_updated_at": "2026-11-27T10:17:21.907391Z",
        "total_optimization_cost": 0.088957,
    }
    assert error_info["exception_type"] == "AuthenticationError"
    assert error_info["traceback"].endswith("AuthenticationError: " + error_info["message"])
    final_log = log_of(running, QUEUED_STUDIO)
    assert final_log.startswith(started_log)
    assert final_log.endswith(error_info["traceback"])


def test_the_running_probe_sees_runs_leave_running(running: Transport) -> None:
    def totals() -> tuple[int, int]:
        probe = {"size": 1, "page": 1}
        return (
            running.get(OPTIMIZATIONS, params={**probe, "filters": RUNNING}).json()["total"],
            running.get(OPTIMIZATIONS, params={**probe, "filters": QUEUED}).json()["total"],
        )

    seen = [totals()]
    for duration in ("30s", "150s", "12m"):
        advance(running, duration)
        seen.append(totals())

    assert seen == [(5, 1), (4, 0), (3, 0), (0, 0)]
    statuses = [run["status"] for run in running.get(OPTIMIZATIONS, params={"size": 100}).json()["content"]]
    assert statuses[:6] == ["error", "completed", "cancelled", "completed", "completed", "completed"]


# -- a Studio run created through the API ---------------------------------------------------------------


def created_studio_run(api: Transport) -> str:
    run_id = api.create(name="studio-run", objective_name="equals", studio_config=STUDIO_CONFIG)
    assert run_id == CREATED
    return run_id


STUDIO_AT_CREATION = {
    "id": CREATED,
    "name": "studio-run",
    "dataset_name": "qa-set",
    "objective_name": "equals",
    "status": "initialized",
    "studio_config": STUDIO_CONFIG,
    "dataset_id": "01a21c80-c24b-7611-a29f-6fbed82c07cd",
    "num_trials": 0,
    "created_at": NOW_TEXT,
    "created_by": "admin",
    "last_updated_at": NOW_TEXT,
    "last_updated_by": "admin",
}
STUDIO_RUNNING = {**STUDIO_AT_CREATION, "status": "running", "last_updated_at": "2026-11-27T10:15:34.793483Z"}
STUDIO_MEASURED = {"baseline_duration": 1.279, "baseline_cost": 0.0005158}


def test_a_studio_run_is_executed_by_the_worker_from_creation_to_its_end(api: Transport) -> None:
    run_id = created_studio_run(api)
    states, logs = [], []
    for duration in ("0s", "4s", "1s", "55s", "4m"):
        advance(api, duration)
        states.append(assert_reads_agree(api, run_id))
        logs.append(log_of(api, run_id))

    assert states == [
        STUDIO_AT_CREATION,
        STUDIO_AT_CREATION,  # queued for a few seconds
        STUDIO_RUNNING,  # picked up by the worker
        {
            **STUDIO_RUNNING,
            "num_trials": 2,
            "feedback_scores": [{"name": "equals", "value": 0.5}],
            **STUDIO_MEASURED,
            "total_optimization_cost": 0.019771,
        },
        {
            **STUDIO_RUNNING,
            "status": "completed",
            "num_trials": 5,
            "feedback_scores": [{"name": "equals", "value": 0.5}],
            "last_updated_at": "2026-11-27T10:18:19.388800Z",
            **STUDIO_MEASURED,
            "total_optimization_cost": 0.049215,
        },
    ]
    assert logs[:2] == ["", ""]
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(logs[2:]))
    assert [len(log.splitlines()) for log in logs[2:]] == [3, 7, 14]
    assert f"run {run_id}" in logs[2]
    assert "Optimizer: gepa | model: gpt-4o-mini | metric: equals" in logs[2]
    assert "Baseline evaluation finished (20 items): equals = 0.5000" in logs[3]
    assert "Optimization completed\x1b[0m: best equals = 0.5000" in logs[4].splitlines()[-1]


def test_the_trials_of_a_studio_run_come_from_its_configuration(api: Transport) -> None:
    run_id = created_studio_run(api)
    advance(api, "1h")

    experiments = trials(api, run_id)
    configurations = [experiment["metadata"]["configuration"] for experiment in experiments]

    assert [experiment["type"] for experiment in experiments] == ["trial"] * 5
    assert configurations[0]["prompt"] == {"chat-prompt": [{"role": "system", "content": "Answer briefly."}]}
    assert all("Answer briefly." in c["prompt"]["chat-prompt"][0]["content"] for c in configurations)
    assert (
        len({c["prompt"]["chat-prompt"][0]["content"] for c in configurations}) == 5
    )  # each candidate its own
    assert {(c["model"], json.dumps(c["model_parameters"])) for c in configurations} == {
        ("gpt-4o-mini", '{"temperature": 0.1}')
    }
    assert {experiment["metadata"]["optimizer"] for experiment in experiments} == {"GepaOptimizer"}
    assert {experiment["metadata"]["metric"] for experiment in experiments} == {"equals"}
    steps = [experiment["metadata"]["step_index"] for experiment in experiments]
    assert (steps[0], steps) == (0, sorted(steps))  # the baseline, then the optimizer's rounds


def test_stopping_a_running_studio_run_cancels_it_where_it_is(api: Transport) -> None:
    run_id = created_studio_run(api)
    advance(api, "1m")

    stop = api.put(f"{OPTIMIZATIONS}/{run_id}", json={"status": "cancelled"})
    cancelled = {
        **STUDIO_RUNNING,
        "status": "cancelled",
        "num_trials": 2,
        "feedback_scores": [{"name": "equals", "value": 0.5}],
        "last_updated_at": "2026-11-27T10:16:30.123456Z",
        **STUDIO_MEASURED,
        "total_optimization_cost": 0.019771,
    }
    assert (stop.status, body(api, run_id)) == (204, cancelled)
    advance(api, "1h")
    again = api.put(f"{OPTIMIZATIONS}/{run_id}", json={"status": "cancelled"})

    assert assert_reads_agree(api, run_id) == cancelled  # the worker stopped: nothing more comes
    assert (again.status, again.json()) == (
        409,
        {
            "code": 409,
            "message": "Cannot cancel optimization with status 'CANCELLED'. "
            "Only optimizations with status [RUNNING, INITIALIZED] can be cancelled.",
        },
    )
    assert log_of(api, run_id).endswith("Execution cancelled by the user.")


def test_a_studio_run_that_has_ended_cannot_be_stopped(api: Transport) -> None:
    run_id = created_studio_run(api)
    advance(api, "1h")

    stop = api.put(f"{OPTIMIZATIONS}/{run_id}", json={"status": "cancelled"})

    assert (stop.status, stop.json()["message"]) == (
        409,
        "Cannot cancel optimization with status 'COMPLETED'. "
        "Only optimizations with status [RUNNING, INITIALIZED] can be cancelled.",
    )
    assert body(api, run_id)["status"] == "completed"


# -- runs clients drive ----------------------------------------------------------------------------------


def test_a_run_a_client_creates_never_changes_on_its_own(api: Transport) -> None:
    run_id = api.create(name="sdk-run")
    before = body(api, run_id)
    advance(api, "1d")

    assert body(api, run_id) == before
    assert before["status"] == "running"


@pytest.mark.parametrize(
    ("write", "moves"),
    [
        (lambda api: api.put(f"{OPTIMIZATIONS}/{HALF_WAY}", json={"name": "renamed"}), True),
        (lambda api: api.put(f"{OPTIMIZATIONS}/{HALF_WAY}", json={"metadata": {"note": 1}}), True),
        (lambda api: api.put(f"{OPTIMIZATIONS}/{HALF_WAY}", json={"status": "running"}), False),
        (lambda api: api.put(f"{OPTIMIZATIONS}/{HALF_WAY}", json={"status": "completed"}), False),
        (lambda api: api.put(OPTIMIZATIONS, json=new_optimization(id=HALF_WAY, status="running")), False),
    ],
)
def test_a_status_the_client_writes_takes_the_run_over(
    running: Transport, write: Callable[[Transport], Any], moves: bool
) -> None:
    write(running)
    written = body(running, HALF_WAY)
    advance(running, "1h")

    after = body(running, HALF_WAY)
    kept = {"name": written["name"], "metadata": written.get("metadata")}
    assert after == ({**HALF_WAY_FINISHED, **kept} if moves else written)
    assert written["num_trials"] == 6


# -- determinism, fixture files, the state file, concurrency ------------------------------------------


def exported(api: Transport) -> bytes:
    return api.get("/_mockopik/fixtures").body


def history(steps: list[str]) -> list[bytes]:
    """The exports of a fresh `running` mock with a Studio run, after each clock step."""
    api = FlaskTransport(
        create_app(Settings.resolve({}, reference_time=NOW_TEXT), clock=frozen_at(NOW), scenario="running")
    )
    created_studio_run_in(api)
    seen = []
    for step in steps:
        advance(api, step)
        seen.append(exported(api))
    return seen


def created_studio_run_in(api: Transport) -> None:
    api.create(name="studio-run", objective_name="equals", studio_config=STUDIO_CONFIG)


def test_one_seed_and_the_same_clock_steps_give_the_same_history_byte_for_byte() -> None:
    steps = ["10s", "50s", "2m", "10m"]

    first, second = history(steps), history(steps)
    in_one_step = history(["13m"])

    assert first == second
    assert in_one_step == first[-1:]  # when the state is read does not change what happened
    assert len(set(first)) == len(first)  # and it did move at each step


def test_a_fixture_file_can_schedule_a_run(make_api: Callable[..., Transport]) -> None:
    api = make_api()
    later = lambda seconds: (NOW + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
    trial = {"type": "trial", "objective_score": 0.4, "feedback_scores": {"accuracy": 0.4}, "trace_count": 10}
    run = {
        "id": "01a21c80-c24b-7611-a29f-6fbed82c07ce",
        "name": "scheduled",
        "dataset_id": "01a21c80-c24b-7611-a29f-6fbed82c07cd",
        "objective_name": "accuracy",
        "status": "running",
        "created_at": NOW_TEXT,
        "trials": [{**trial, "id": "01a21c80-c24c-7000-8000-000000000001", "created_at": later(1)}],
        "schedule": {
            "trials": [
                {**trial, "id": "01a21c80-c24c-7000-8000-000000000002", "created_at": later(60), "objective_score": 0.7}
            ],
            "statuses": [{"at": later(90), "status": "completed"}],
        },
    }  # fmt: skip
    document = {
        "format": 1,
        "workspaces": {
            "default": {
                "datasets": [{"id": run["dataset_id"], "name": "qa-set", "created_at": NOW_TEXT}],
                "optimizations": [run],
            }
        },
    }
    assert api.post("/_mockopik/fixtures", json=document).status == 204
    loaded = exported(api)
    assert api.post("/_mockopik/fixtures", json=json.loads(loaded)).status == 204
    assert exported(api) == loaded  # export, load, export: the same bytes

    seen = []
    for step in ("30s", "30s", "30s"):
        advance(api, step)
        got = body(api, run["id"])
        seen.append(
            (got["status"], got["num_trials"], got.get("best_objective_score"), got["last_updated_at"])
        )

    scheduled = run["schedule"]["trials"][0]  # type: ignore[index]
    assert json.loads(loaded)["workspaces"]["default"]["optimizations"][0]["schedule"] == {
        "trials": [{**scheduled, "candidate_id": scheduled["id"]}],
        "statuses": [{"at": later(90), "status": "completed"}],
    }
    assert seen == [
        ("running", 1, 0.4, NOW_TEXT),
        ("running", 2, 0.7, NOW_TEXT),
        ("completed", 2, 0.7, later(90)),
    ]
    assert "schedule" not in json.loads(exported(api))["workspaces"]["default"]["optimizations"][0]


def test_a_broken_schedule_is_refused_with_where_it_is(make_api: Callable[..., Transport]) -> None:
    api = make_api()
    document = {
        "format": 1,
        "workspaces": {
            "default": {
                "datasets": [{"id": "01a21c80-c24b-7611-a29f-6fbed82c07cd", "name": "d", "created_at": NOW_TEXT}],
                "optimizations": [
                    {
                        "id": "01a21c80-c24b-7611-a29f-6fbed82c07ce",
                        "name": "n",
                        "dataset_id": "01a21c80-c24b-7611-a29f-6fbed82c07cd",
                        "objective_name": "o",
                        "status": "running",
                        "created_at": NOW_TEXT,
                        "trials": [{"id": "01a21c80-c24c-7000-8000-000000000001", "type": "trial",
                                    "created_at": NOW_TEXT, "trace_count": 1}],
                        "schedule": {
                            "trials": [{"id": "01a21c80-c24c-7000-8000-000000000001", "type": "trial",
                                        "created_at": NOW_TEXT, "trace_count": 1}],
                            "statuses": [{"at": "soon", "status": "done"}],
                            "when": 1,
                        },
                    }
                ],
            }
        },
    }  # fmt: skip

    reply = api.post("/_mockopik/fixtures", json=document)

    run = "workspaces.default.optimizations[0].schedule"
    assert (reply.status, reply.json()) == (
        400,
        {
            "errors": [
                f"{run}.statuses[0].at: Not an ISO-8601 timestamp with a zone, such as 2026-11-27T10:15:30.123456Z.",
                f"{run}.statuses[0].status: Must be one of: running, completed, cancelled, initialized, error.",
                f"{run}.trials[0].id: Duplicate id 01a21c80-c24c-7000-8000-000000000001 "
                "(also at workspaces.default.optimizations[0].trials[0]).",
                f"{run}.when: Unknown field.",
            ]
        },
    )


def test_the_state_file_keeps_where_live_runs_are(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    settings = Settings.resolve({}, reference_time=NOW_TEXT, state=path)
    first = FlaskTransport(create_app(settings, clock=frozen_at(NOW), scenario="running"))
    created_studio_run_in(first)
    advance(first, "2m")
    answered = [body(first, HALF_WAY), body(first, CREATED)]
    before = exported(first)
    first.runtime.close()

    again = FlaskTransport(
        create_app(settings, clock=frozen_at(NOW + timedelta(minutes=2)), scenario="running")
    )

    assert [body(again, HALF_WAY), body(again, CREATED)] == answered
    assert exported(again) == before
    advance(again, "1h")
    assert body(again, CREATED)["status"] == "completed"  # and they go on from there
    again.runtime.close()


def test_reads_and_clock_steps_from_many_threads_lose_nothing(
    running: Transport, make_api: Callable[..., Transport]
) -> None:
    failures: list[str] = []

    def read() -> None:
        for _ in range(20):
            for path in (OPTIMIZATIONS, f"{OPTIMIZATIONS}/{HALF_WAY}", "/_mockopik/data"):
                reply = running.get(path, params={"size": 100} if path == OPTIMIZATIONS else None)
                if reply.status != 200:
                    failures.append(f"{path}: {reply.status}")

    readers = [threading.Thread(target=read) for _ in range(6)]
    for reader in readers:
        reader.start()
    for _ in range(40):
        advance(running, "15s")
    for reader in readers:
        reader.join()

    in_one_step = make_api(scenario="running", reference_time=NOW_TEXT)
    advance(in_one_step, "10m")

    assert failures == []
    assert exported(running) == exported(in_one_step)
