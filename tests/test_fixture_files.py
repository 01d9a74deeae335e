"""Fixture files: broken ones are refused whole with every problem listed; export and load round-trip."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.data.fixture_files import FixtureError
from mockopik.http.server import LiveServer
from tests.support import OPTIMIZATIONS, FlaskTransport, HttpTransport

DATASET = "01a0483d-ba00-7e7a-9f19-950499dd251d"
PROJECT = "019fc77e-be00-7290-8d5e-2f4a3c9e2b10"
RUN = "01a181ca-24c3-7ba4-8b69-ca385f3f5638"
TRIAL = "01a181ca-7edf-70df-ad16-ee18552116dd"
FIRST = "workspaces.default.optimizations[0]"
STATUSES = "Must be one of: running, completed, cancelled, initialized, error."


def document() -> dict[str, Any]:
    """A small valid file as a person would write it: defaults left out."""
    return {
        "format": 1,
        "workspaces": {
            "default": {
                "datasets": [{"id": DATASET, "name": "qa-set", "created_at": "2026-10-01T10:00:00Z"}],
                "projects": [
                    {"id": PROJECT, "name": "Default Project", "created_at": "2026-09-01T10:00:00Z"}
                ],
                "optimizations": [
                    {
                        "id": RUN,
                        "name": "first",
                        "dataset_id": DATASET,
                        "project_id": PROJECT,
                        "objective_name": "accuracy",
                        "status": "completed",
                        "metadata": None,
                        "created_at": "2026-10-28T10:14:30.979346+01:00",
                        "trials": [
                            {
                                "id": TRIAL,
                                "type": "trial",
                                "created_at": "2026-10-28T09:15:00Z",
                                "objective_score": 0.5,
                                "feedback_scores": {"accuracy": 0.5},
                                "duration": 1.25,
                                "cost": 0.02,
                                "trace_count": 10,
                            }
                        ],
                    }
                ],
            }
        },
    }


def run(doc: dict[str, Any]) -> dict[str, Any]:
    optimization: dict[str, Any] = doc["workspaces"]["default"]["optimizations"][0]
    return optimization


def copy_run(doc: dict[str, Any], number: int) -> None:
    extra = {**copy.deepcopy(run(doc)), "id": f"01a181ca-24c3-7ba4-8b69-ca385f3f56{number:02d}", "trials": []}
    doc["workspaces"]["default"]["optimizations"].append(extra)


def eleven_runs_two_broken(doc: dict[str, Any]) -> None:
    for number in range(11):
        copy_run(doc, number)
    run(doc)["status"] = "paused"
    doc["workspaces"]["default"]["optimizations"][10]["status"] = "done"


Edit = Callable[[dict[str, Any]], object]
BROKEN: list[tuple[str, Edit | str, list[str]]] = [
    ("empty file", "", ["Not valid JSON: Expecting value (line 1, column 1)."]),
    (
        "cut short",
        '{"format": 1,',
        ["Not valid JSON: Expecting property name enclosed in double quotes (line 1, column 14)."],
    ),
    ("NaN", '{"format": 1, "workspaces": {}, "x": NaN}', ["Not valid JSON: NaN is not a JSON number."]),
    (
        "not an object",
        "[]",
        ['A fixture file holds one JSON object, such as {"format": 1, "workspaces": {}}.'],
    ),
    ("no format", lambda d: d.pop("format"), ["format: Missing data for required field."]),
    (
        "format 2",
        lambda d: d.update(format=2),
        ["format: Unsupported format 2; this mockopik reads format 1."],
    ),
    ("no workspaces", lambda d: d.pop("workspaces"), ["workspaces: Give either workspaces or generate."]),
    ("misspelt key", lambda d: d.update(workspace={}), ["workspace: Unknown field."]),
    (
        "blank workspace",
        lambda d: d["workspaces"].update({" ": {}}),
        ['workspaces[" "]: Key: Not a workspace name.'],
    ),
    ("unknown status", lambda d: run(d).update(status="paused"), [f"{FIRST}.status: {STATUSES}"]),
    (
        "timestamp without a zone",
        lambda d: run(d).update(created_at="2026-10-28T09:14:30"),
        [f"{FIRST}.created_at: Not an ISO-8601 timestamp with a zone, such as 2026-11-27T10:15:30.123456Z."],
    ),
    (
        "trial type and trace count",
        lambda d: (run(d)["trials"][0].pop("trace_count"), run(d)["trials"][0].update(type="experiment")),
        [
            f"{FIRST}.trials[0].trace_count: Missing data for required field.",
            f"{FIRST}.trials[0].type: Must be one of: trial, mini-batch, mutation.",
        ],
    ),
    (
        "scores",
        lambda d: run(d)["trials"][0].update(feedback_scores={"acc": "high", "": 0.2}, objective_score=True),
        [
            f'{FIRST}.trials[0].feedback_scores[""]: Key: Must not be blank.',
            f"{FIRST}.trials[0].feedback_scores.acc: Not a valid number.",
            f"{FIRST}.trials[0].objective_score: Not a valid number.",
        ],
    ),
    (
        "references",
        lambda d: run(d).update(dataset_id=TRIAL, project_id=TRIAL),
        [
            f"{FIRST}.dataset_id: No dataset with id {TRIAL} in this workspace.",
            f"{FIRST}.project_id: No project with id {TRIAL} in this workspace.",
        ],
    ),
    (
        "shapes and references in one pass",
        lambda d: run(d).update(status="paused", dataset_id=TRIAL, trials=[{"id": "nope"}]),
        [
            f"{FIRST}.dataset_id: No dataset with id {TRIAL} in this workspace.",
            f"{FIRST}.status: {STATUSES}",
            f"{FIRST}.trials[0].created_at: Missing data for required field.",
            f"{FIRST}.trials[0].id: Not a valid UUID.",
            f"{FIRST}.trials[0].trace_count: Missing data for required field.",
            f"{FIRST}.trials[0].type: Missing data for required field.",
        ],
    ),
    (
        "not a v7 id",
        lambda d: run(d).update(id="5f1f6c1e-6b4e-4c2c-9a45-0e6f1d7d2a11"),
        [f"{FIRST}.id: Not a version 7 UUID (Opik's optimization ids are time-ordered v7 UUIDs)."],
    ),
    (
        "duplicate ids",
        lambda d: d["workspaces"]["default"]["optimizations"].append(copy.deepcopy(run(d))),
        [
            f"workspaces.default.optimizations[1].id: Duplicate id {RUN} among optimizations (also at {FIRST}).",
            f"workspaces.default.optimizations[1].trials[0].id: Duplicate id {TRIAL} (also at {FIRST}.trials[0]).",
        ],
    ),
    (
        "two live datasets with one name",
        lambda d: d["workspaces"]["default"]["datasets"].append(
            {"id": TRIAL, "name": "qa-set", "created_at": "2026-10-01T10:00:00Z"}
        ),
        [
            "workspaces.default.datasets[1].name: Duplicate name qa-set among datasets not deleted "
            "(also at workspaces.default.datasets[0])."
        ],
    ),
    (
        "studio config",
        lambda d: run(d).update(
            studio_config={
                "dataset_name": "qa-set",
                "llm_model": {"model": "gpt-4o"},
                "evaluation": {"metrics": []},
            }
        ),
        [
            f"{FIRST}.studio_config.evaluation.metrics: Must not be empty.",
            f"{FIRST}.studio_config.optimizer: Must not be null.",
            f"{FIRST}.studio_config.prompt: Must not be null.",
        ],
    ),
    (
        "error info",
        lambda d: run(d).update(error_info={"exception_type": {"name": "KeyError"}}),
        [
            f"{FIRST}.error_info.exception_type: Cannot deserialize value of type `java.lang.String` "
            "from Object value (token `JsonToken.START_OBJECT`)."
        ],
    ),
    ("misspelt field", lambda d: run(d).update(statuss="completed"), [f"{FIRST}.statuss: Unknown field."]),
    (
        "problems in record order",
        eleven_runs_two_broken,
        [f"{FIRST}.status: {STATUSES}", f"workspaces.default.optimizations[10].status: {STATUSES}"],
    ),
]


def text_of(edit: Edit | str) -> str:
    if isinstance(edit, str):
        return edit
    doc = document()
    edit(doc)
    return json.dumps(doc)


@pytest.mark.parametrize(("edit", "errors"), [pytest.param(e, r, id=name) for name, e, r in BROKEN])
def test_a_broken_file_stops_the_start_with_every_problem(
    tmp_path: Path, edit: Edit | str, errors: list[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text_of(edit), encoding="utf-8")

    with pytest.raises(FixtureError) as raised:
        create_app(Settings.resolve({}), fixtures=str(path))

    assert raised.value.errors == errors
    count = len(errors)
    assert str(raised.value).splitlines() == [
        f"{path}: {count} problem{'s' if count > 1 else ''}, nothing loaded:",
        *(f"  {error}" for error in errors),
    ]


@pytest.mark.parametrize(
    ("edit", "errors"), [pytest.param(e, r, id=name) for name, e, r in BROKEN if not isinstance(e, str)]
)
def test_a_broken_document_loaded_at_runtime_changes_nothing(edit: Edit, errors: list[str]) -> None:
    api = FlaskTransport(create_app(Settings.resolve({}), count=3))
    before = api.request("GET", "/_mockopik/fixtures").body

    reply = api.request("POST", "/_mockopik/fixtures", data=text_of(edit), content_type="application/json")

    assert (reply.status, reply.json()) == (400, {"errors": errors})
    assert api.request("GET", "/_mockopik/fixtures").body == before


def test_a_missing_file_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(
        FixtureError, match=r"missing\.json: 1 problem, nothing loaded:\n  Cannot read the file: "
    ):
        create_app(Settings.resolve({}), fixtures=str(tmp_path / "missing.json"))


def test_a_hand_written_file_is_served_exactly_with_defaults_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(document()), encoding="utf-8")
    api = FlaskTransport(create_app(Settings.resolve({}), fixtures=str(path)))

    assert api.request("GET", f"{OPTIMIZATIONS}/{RUN}").json() == {
        "id": RUN,
        "name": "first",
        "dataset_name": "qa-set",
        "project_id": PROJECT,
        "objective_name": "accuracy",
        "status": "completed",
        "dataset_id": DATASET,
        "num_trials": 1,
        "feedback_scores": [{"name": "accuracy", "value": 0.5}],
        "experiment_scores": [{"name": "accuracy", "value": 0.5}],
        "created_at": "2026-10-28T09:14:30.979346Z",
        "created_by": "admin",
        "last_updated_at": "2026-10-28T09:14:30.979346Z",
        "last_updated_by": "admin",
        "baseline_objective_score": 0.5,
        "best_objective_score": 0.5,
        "baseline_duration": 1.25,
        "best_duration": 1.25,
        "baseline_cost": 0.002,
        "best_cost": 0.002,
        "total_optimization_cost": 0.02,
    }
    exported = api.request("GET", "/_mockopik/fixtures").json()
    assert run(exported)["trials"][0]["candidate_id"] == TRIAL
    assert exported["workspaces"]["default"]["projects"][0]["last_updated_by"] == "admin"


@pytest.fixture(scope="module", params=["flask", "http"])
def transport(request: pytest.FixtureRequest) -> Iterator[FlaskTransport | HttpTransport]:
    settings = Settings.resolve({}, port=0, scenario="edge-cases")
    app = create_app(settings)
    if request.param == "flask":
        yield FlaskTransport(app)
        return
    with LiveServer(app, settings) as server:
        yield HttpTransport(server)


@pytest.mark.parametrize(
    "start", [{"scenario": "edge-cases"}, {"scenario": "default"}, {"seed": 5, "count": 60}]
)
def test_export_load_export_gives_the_same_bytes(
    transport: FlaskTransport | HttpTransport, start: dict[str, Any]
) -> None:
    transport.request("POST", "/_mockopik/seed", json=start)
    transport.request(
        "PUT", OPTIMIZATIONS, json={"dataset_name": "new set", "objective_name": "f1", "status": "running"}
    )
    first = transport.request("GET", "/_mockopik/fixtures")

    loaded = transport.request(
        "POST", "/_mockopik/fixtures", data=first.body, headers={"Content-Type": "application/json"}
    )
    second = transport.request("GET", "/_mockopik/fixtures")

    assert (first.status, loaded.status, second.status) == (200, 204, 200)
    assert second.body == first.body
    assert first.headers["Content-Type"] == "application/json"
    assert first.headers["Content-Disposition"] == 'attachment; filename="mockopik-fixtures.json"'
    transport.request("POST", "/_mockopik/reset", headers={"Content-Type": "application/json"})


def test_an_exported_file_serves_the_same_state(tmp_path: Path) -> None:
    original = create_app(Settings.resolve({}), scenario="failures").test_client().get("/_mockopik/fixtures")
    path = tmp_path / "exported.json"
    path.write_bytes(original.get_data())

    served = create_app(Settings.resolve({}), fixtures=str(path)).test_client().get("/_mockopik/fixtures")

    assert served.get_data() == original.get_data()
