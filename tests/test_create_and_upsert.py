"""createOptimization and upsertOptimization: 201 + Location, one upsert semantics for POST and PUT."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import NOW, NOW_TEXT
from tests.support import OPTIMIZATIONS, Transport, client_id, new_optimization

STUDIO_CONFIG = {
    "dataset_name": "qa-set",
    "prompt": {"messages": [{"role": "system", "content": "Answer briefly."}]},
    "llm_model": {"model": "gpt-4o-mini", "parameters": {"temperature": 0.1}},
    "evaluation": {"metrics": [{"type": "equals", "parameters": {}}]},
    "optimizer": {"type": "gepa", "parameters": {"max_trials": 10}},
}
ERROR_INFO = {"exception_type": "ValueError", "message": "bad", "traceback": "Traceback ..."}


def ids_of(api: Transport, optimization_id: str) -> tuple[str, str | None]:
    """The dataset_id and project_id the store gave an optimization."""
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()
    return body["dataset_id"], body.get("project_id")


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("prefix", ["", "/api"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_create_answers_201_with_location_and_no_body(
    api: Transport, method: str, prefix: str, slash: str
) -> None:
    given = client_id()
    reply = api.request(method, f"{prefix}{OPTIMIZATIONS}{slash}", json=new_optimization(id=given))

    assert reply.status == 201
    assert reply.body == b""
    assert "Content-Type" not in reply.headers
    assert reply.headers["Location"].endswith(f"{prefix}{OPTIMIZATIONS}/{given}")
    assert reply.headers["Location"].startswith("http")


def test_created_optimization_reads_back_whole(api: Transport) -> None:
    given = client_id()
    body = new_optimization(
        id=given,
        name="prompt tuning",
        project_name="chatbot",
        metadata={"optimizer": "MetaPromptOptimizer", "model": "gpt-4o"},
        error_info=ERROR_INFO,
    )
    api.post(OPTIMIZATIONS, json=body)
    dataset_id, project_id = ids_of(api, given)

    assert api.get(f"{OPTIMIZATIONS}/{given}").json() == {
        "id": given,
        "name": "prompt tuning",
        "dataset_name": "qa-set",
        "project_id": project_id,
        "objective_name": "accuracy",
        "status": "running",
        "metadata": {"optimizer": "MetaPromptOptimizer", "model": "gpt-4o"},
        "error_info": ERROR_INFO,
        "dataset_id": dataset_id,
        "num_trials": 0,
        "created_at": NOW_TEXT,
        "created_by": "admin",
        "last_updated_at": NOW_TEXT,
        "last_updated_by": "admin",
    }


def test_keys_come_in_the_backend_order_and_nulls_are_omitted(api: Transport) -> None:
    optimization_id = api.create(metadata=None, name=None)
    text = api.get(f"{OPTIMIZATIONS}/{optimization_id}").body.decode()

    keys = re.findall(r'"(\w+)":', text)
    assert keys == [
        "id", "name", "dataset_name", "objective_name", "status", "dataset_id", "num_trials",
        "created_at", "created_by", "last_updated_at", "last_updated_by",
    ]  # fmt: skip
    assert "null" not in text
    assert ": " not in text


def test_blank_name_is_generated_on_first_insert(api: Transport) -> None:
    optimization_id = api.create(name="  ")
    name = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["name"]

    assert re.fullmatch(r"[a-z]+_[a-z]+_\d{1,4}", name)


def test_without_id_a_v7_id_is_generated(api: Transport) -> None:
    reply = api.post(OPTIMIZATIONS, json=new_optimization())
    optimization_id = reply.headers["Location"].rsplit("/", 1)[1]

    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", optimization_id
    )


def test_a_client_v7_id_is_accepted_whatever_its_variant_bits(api: Transport) -> None:
    """Opik checks Java's UUID.version(), which reads the version nibble alone."""
    given = "01a21fd0-c36b-7220-0000-000000000001"

    reply = api.post(OPTIMIZATIONS, json=new_optimization(id=given))

    assert reply.status == 201
    assert api.get(f"{OPTIMIZATIONS}/{given}").json()["id"] == given


def test_unknown_and_read_only_keys_are_ignored(api: Transport) -> None:
    given = client_id()
    api.post(
        OPTIMIZATIONS,
        json=new_optimization(
            id=given,
            dataset_id=client_id(),
            num_trials=99,
            created_at="2020-01-01T00:00:00Z",
            created_by="mallory",
            project_name=None,
            surprise={"a": 1},
        ),
    )
    body = api.get(f"{OPTIMIZATIONS}/{given}").json()

    assert (body["num_trials"], body["created_at"], body["created_by"]) == (0, NOW_TEXT, "admin")
    assert "surprise" not in body
    assert "project_id" not in body


def test_a_new_studio_optimization_is_stored_initialized(api: Transport) -> None:
    optimization_id = api.create(status="running", studio_config=STUDIO_CONFIG)
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert body["status"] == "initialized"
    assert body["studio_config"] == STUDIO_CONFIG


def test_studio_api_key_is_never_returned(api: Transport) -> None:
    optimization_id = api.create(studio_config={**STUDIO_CONFIG, "opik_api_key": "secret"})

    assert "secret" not in api.get(f"{OPTIMIZATIONS}/{optimization_id}").body.decode()


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_an_existing_id_is_replaced_keeping_what_the_backend_keeps(api: Transport, method: str) -> None:
    given = client_id()
    api.post(
        OPTIMIZATIONS,
        json=new_optimization(
            id=given,
            name="first",
            project_name="chatbot",
            metadata={"a": 1},
            studio_config=STUDIO_CONFIG,
            error_info=ERROR_INFO,
        ),
    )
    api.clock.set(NOW + timedelta(milliseconds=500))  # before the Studio worker picks the run up
    second = new_optimization(
        id=given, name=" ", dataset_name="other-set", objective_name="f1", status="completed"
    )
    reply = api.request(method, OPTIMIZATIONS, json=second)
    dataset_id, project_id = ids_of(api, given)

    assert reply.status == 201
    assert project_id is None
    assert api.get(f"{OPTIMIZATIONS}/{given}").json() == {
        "id": given,
        "name": "first",
        "dataset_name": "other-set",
        "objective_name": "f1",
        "status": "completed",
        "studio_config": STUDIO_CONFIG,
        "error_info": ERROR_INFO,
        "dataset_id": dataset_id,
        "num_trials": 0,
        "created_at": NOW_TEXT,
        "created_by": "admin",
        "last_updated_at": "2026-11-27T10:15:30.623456Z",
        "last_updated_by": "admin",
    }


def test_last_updated_at_from_the_body_is_kept_to_microseconds(api: Transport) -> None:
    optimization_id = api.create(last_updated_at="2026-01-02T03:04:05.123456789Z")

    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()
    assert body["last_updated_at"] == "2026-01-02T03:04:05.123456Z"


def test_datasets_and_projects_are_got_or_created_by_name(api: Transport) -> None:
    first = api.create(dataset_name="shared", project_name="p")
    second = api.create(dataset_name="shared", project_name="p")
    third = api.create(dataset_name="another", project_name="q")

    assert ids_of(api, first) == ids_of(api, second)
    assert ids_of(api, first)[0] != ids_of(api, third)[0]
    assert ids_of(api, first)[1] != ids_of(api, third)[1]


def test_project_id_wins_over_project_name(api: Transport) -> None:
    _, project_id = ids_of(api, api.create(project_name="chosen"))
    optimization_id = api.create(project_id=project_id, project_name="ignored")

    assert ids_of(api, optimization_id)[1] == project_id
    page = api.get("/v1/private/projects/" + str(project_id)).json()
    assert page["name"] == "chosen"


def test_project_name_is_never_returned(api: Transport) -> None:
    optimization_id = api.create(project_name="chatbot")

    assert "project_name" not in api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()


@pytest.mark.parametrize(
    "metadata",
    [{"optimizer": "GepaOptimizer"}, [{"step": 1}, {"step": 2}], "free text", {"nested": {"deep": [1, 2]}}],
)
def test_metadata_is_stored_as_given(api: Transport, metadata: Any) -> None:
    optimization_id = api.create(metadata=metadata)

    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["metadata"] == metadata


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize("final", ["completed", "error", "cancelled"])
def test_upserting_a_terminal_run_back_to_a_non_terminal_status_restarts_it(
    api: Transport, method: str, final: str
) -> None:
    """OptimizationService.upsert's `isRestart`: a new attempt under the same id, so `created_at` is
    stamped anew and a client `last_updated_at` gives way to the server's time."""
    given = client_id()
    api.post(OPTIMIZATIONS, json=new_optimization(id=given, name="run", status=final, error_info=ERROR_INFO))
    api.clock.set(NOW.replace(hour=11))

    restart = new_optimization(id=given, status="running", last_updated_at="2026-01-01T00:00:00Z")
    reply = api.request(method, OPTIMIZATIONS, json=restart)
    dataset_id, _ = ids_of(api, given)

    assert reply.status == 201
    assert api.get(f"{OPTIMIZATIONS}/{given}").json() == {
        "id": given,
        "name": "run",
        "dataset_name": "qa-set",
        "objective_name": "accuracy",
        "status": "running",
        "error_info": ERROR_INFO,
        "dataset_id": dataset_id,
        "num_trials": 0,
        "created_at": "2026-11-27T11:15:30.123456Z",
        "created_by": "admin",
        "last_updated_at": "2026-11-27T11:15:30.123456Z",
        "last_updated_by": "admin",
    }


@pytest.mark.parametrize(
    ("first", "second"), [("running", "completed"), ("completed", "error"), ("running", "initialized")]
)
def test_other_re_upserts_keep_created_at_and_take_the_clients_last_updated_at(
    api: Transport, first: str, second: str
) -> None:
    given = client_id()
    api.post(OPTIMIZATIONS, json=new_optimization(id=given, status=first))
    api.clock.set(NOW.replace(hour=11))

    api.put(
        OPTIMIZATIONS, json=new_optimization(id=given, status=second, last_updated_at="2026-01-01T00:00:00Z")
    )
    body = api.get(f"{OPTIMIZATIONS}/{given}").json()

    assert (body["status"], body["created_at"], body["last_updated_at"]) == (
        second,
        NOW_TEXT,
        "2026-01-01T00:00:00.000000Z",
    )


@pytest.mark.parametrize(
    ("exception_type", "kept"), [("SystemDetectedFailure", False), ("RuntimeError", True)]
)
def test_a_restart_drops_only_a_guessed_failure(api: Transport, exception_type: str, kept: bool) -> None:
    """`discardsGuessedFailure`: a restart forgets the error_info of an ERROR the platform guessed
    (a Studio run's SystemDetectedFailure); a reported failure stays until a write replaces it."""
    optimization_id = api.create(studio_config=STUDIO_CONFIG)
    failure = {**ERROR_INFO, "exception_type": exception_type}
    api.put(f"{OPTIMIZATIONS}/{optimization_id}", json={"status": "error", "error_info": failure})

    api.put(OPTIMIZATIONS, json=new_optimization(id=optimization_id, status="running"))
    body = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()

    assert (body["status"], body["studio_config"]) == ("running", STUDIO_CONFIG)
    assert body.get("error_info") == (failure if kept else None)
