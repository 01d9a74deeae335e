"""The control API for faults and config, and the fault settings a server boots with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mockopik.app import create_app
from mockopik.cli import main
from mockopik.config import Settings, SettingsError
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, FlaskTransport, HttpTransport
from tests.timing import FakeTiming

Api = FlaskTransport | HttpTransport


def test_rules_are_added_listed_with_their_counts_and_deleted(api: Api) -> None:
    added = api.request("POST", "/_mockopik/faults", json={"id": "flaky", "status": 503, "after": 1})
    assert (added.status, added.json()) == (
        201,
        {
            "id": "flaky",
            "status": 503,
            "probability": 1.0,
            "after": 1,
            "origin": "api",
            "matched": 0,
            "fired": 0,
            "active": True,
        },
    )
    both = api.request(
        "POST", "/_mockopik/faults", json=[{"latency": 0}, {"id": "gone", "vanish": [UNKNOWN_ID]}]
    )
    assert [(rule["id"], rule["origin"]) for rule in both.json()] == [("rule-1", "api"), ("gone", "api")]
    assert [api.request("GET", OPTIMIZATIONS).status for _ in range(3)] == [200, 503, 503]
    rules = api.request("GET", "/_mockopik/faults").json()["rules"]
    assert [(rule["id"], rule["matched"], rule["fired"]) for rule in rules] == [
        ("flaky", 3, 2),
        ("rule-1", 3, 3),
        ("gone", 1, 1),
    ]
    assert api.request("GET", "/api/_mockopik/faults/rule-1").json()["latency"] == "0"
    assert api.request("DELETE", "/_mockopik/faults/flaky").status == 204
    missing = api.request("DELETE", "/_mockopik/faults/flaky")
    assert (missing.status, missing.json()) == (404, {"code": 404, "message": "Fault rule 'flaky' not found"})
    assert api.request("GET", "/_mockopik/faults/flaky").status == 404
    assert api.request("DELETE", "/_mockopik/faults").status == 204
    assert api.request("GET", "/_mockopik/faults").json() == {"rules": []}


KNOWN_OPERATIONS = (
    "cancelStudioOptimizations, createOptimization, deleteOptimizationsById, findAlerts, "
    "findAnnotationQueues, findDashboards, findDatasetItemsWithExperimentItems, findDatasets, "
    "findDatasetsByProject, findEvaluators, findExperiments, findExperimentsByProject, findOptimizations, "
    "findOptimizationsByProject, findProjects, getDatasetExportJobs, getDatasetItemsOutputColumns, "
    "getExperimentById, getOptimizationById, getProjectById, getProjectStats, getPrompts, getServiceToggles, "
    "getStudioOptimizationLogs, getWorkspaceConfiguration, getWorkspaceVersion, isAlive, "
    "updateOptimizationsById, upsertOptimization, version"
)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"status": 600}, ["status: Must be greater than or equal to 400 and less than or equal to 599."]),
        (
            [{"status": 500}, {"match": {"operation": "getOptimisation"}, "status": 500}],
            [f"rule 2: match.operation: 'getOptimisation' matches no operation ({KNOWN_OPERATIONS})"],
        ),
        (  # shapes and names in one pass
            [{"status": 600}, {"match": {"operation": ["get*", "getOptimisation"]}, "status": "x"}],
            [
                "rule 1: status: Must be greater than or equal to 400 and less than or equal to 599.",
                "rule 2: status: Not a valid integer.",
                f"rule 2: match.operation: 'getOptimisation' matches no operation ({KNOWN_OPERATIONS})",
            ],
        ),
        (None, ["expected a rule (a JSON object) or a list of rules"]),
        ({}, ["a rule needs an effect: status, latency, connection or vanish"]),
    ],
)
def test_invalid_rules_are_refused_whole(api: Api, body: Any, errors: list[str]) -> None:
    sent = json.dumps(body).encode() if body is not None else b""
    reply = api.request("POST", "/_mockopik/faults", data=sent, headers={"Content-Type": "application/json"})
    assert (reply.status, reply.json()) == (400, {"errors": errors})
    assert api.request("GET", "/_mockopik/faults").json() == {"rules": []}


def test_reset_brings_back_the_boot_rules_with_fresh_counters(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"id": "down", "match": {"operation": "find*"}, "status": 503, "times": 1}]))
    api = FlaskTransport(
        create_app(count=0, timing=FakeTiming(), faults=str(rules), latency="300", error_rate=0.01)
    )
    api.request("GET", OPTIMIZATIONS)
    api.request("DELETE", "/_mockopik/faults/latency")
    api.request("POST", "/_mockopik/faults", json={"id": "extra", "status": 500})
    api.request("POST", "/_mockopik/reset", headers={"Content-Type": "application/json"})
    listing = api.request("GET", "/_mockopik/faults").json()["rules"]
    assert listing == [
        {
            "id": "latency",
            "latency": "300",
            "probability": 1.0,
            "after": 0,
            "origin": "settings",
            "matched": 0,
            "fired": 0,
            "active": True,
        },
        {
            "id": "down",
            "match": {"operation": "find*"},
            "status": 503,
            "probability": 1.0,
            "times": 1,
            "after": 0,
            "origin": "settings",
            "matched": 0,
            "fired": 0,
            "active": True,
        },
        {
            "id": "error-rate",
            "status": 500,
            "probability": 0.01,
            "after": 0,
            "origin": "settings",
            "matched": 0,
            "fired": 0,
            "active": True,
        },
    ]


def test_the_fault_flags_shape_every_opik_request() -> None:
    timing = FakeTiming()
    api = FlaskTransport(create_app(count=3, timing=timing, latency="250", not_found_rate=1.0))
    page = api.request("GET", OPTIMIZATIONS).json()
    target = page["content"][0]["id"]
    got = api.request("GET", f"{OPTIMIZATIONS}/{target}")
    assert (got.status, got.json(), got.headers["X-Mockopik-Fault"]) == (
        404,
        {"code": 404, "message": f"Not found optimization with id '{target}'"},
        "latency, not-found-rate",
    )
    assert api.request("PUT", f"{OPTIMIZATIONS}/{target}", json={"name": "x"}).status == 404
    assert api.request("GET", "/_mockopik/health").status == 200
    assert timing.sleeps == [0.25, 0.25, 0.25]


def test_config_shows_the_effective_settings(api: Api) -> None:
    config = api.request("GET", "/_mockopik/config").json()
    assert config == {
        **config,
        "latency": None,
        "not_found_rate": 0.0,
        "faults": None,
        "max_delay": "60s",
        "journal_size": 1000,
    }
    masked = FlaskTransport(
        create_app(count=0, api_key="k", latency="lognormal:200,p99=1500", workspaces="a,b")
    )
    config = masked.request("GET", "/_mockopik/config", headers={"Authorization": "k"}).json()
    assert (config["api_key"], config["latency"], config["workspaces"]) == (
        "***",
        "lognormal:200,p99=1500",
        ["a", "b"],
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"MOCKOPIK_LATENCY": "lognormal:200"},
            "MOCKOPIK_LATENCY: expected a latency: 300, 100-800 or lognormal:200,p99=1500 (milliseconds, or "
            "with a unit: 2s, 250ms, 1m); empty or off for none, got 'lognormal:200' "
            "(lognormal needs a median and a p99, e.g. lognormal:200,p99=1500)",
        ),
        ({"MOCKOPIK_ERROR_RATE": "5%"}, "MOCKOPIK_ERROR_RATE: expected a number from 0 to 1, got '5%'"),
        (
            {"MOCKOPIK_FAULTS": '[{"status": 503}, {"latency": "soon"}]'},
            "faults: rule 2: latency: expected 300, 100-800 or lognormal:200,p99=1500 (milliseconds, "
            "or with a unit: 2s, 250ms, 1m): not a duration: 'soon'",
        ),
        (
            {"MOCKOPIK_MAX_DELAY": "forever"},
            "MOCKOPIK_MAX_DELAY: expected a duration: milliseconds, or with a unit (250ms, 2s, 1m), "
            "got 'forever' (not a duration: 'forever')",
        ),
    ],
)
def test_bad_fault_settings_stop_the_start_naming_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        create_app(Settings.resolve(environ), count=0)
    assert str(raised.value) == message


def test_the_cli_reports_bad_fault_flags_and_rules_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_flag = runner.invoke(main, ["serve", "--latency", "9-1"], env={})
    assert bad_flag.exit_code == 2
    assert "Error: --latency: expected a latency" in bad_flag.output
    rules = tmp_path / "rules.json"
    rules.write_text('{"match": {"operation": "getOptimisation"}, "status": 500}')
    unknown = runner.invoke(main, ["serve", "--port", "0", "--faults", str(rules)], env={})
    assert unknown.exit_code == 2
    assert "Error: --faults: match.operation: 'getOptimisation' matches no operation" in unknown.output


def test_serve_help_lists_the_fault_flags() -> None:
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    for flag in (
        "--latency",
        "--not-found-rate",
        "--error-rate",
        "--faults",
        "--fault-seed",
        "--max-delay",
        "--journal-size",
    ):
        assert flag in help_text


RULES = [
    {"id": "third-get", "match": {"operation": "getOptimizationById"}, "status": 500, "after": 2, "times": 1}
]


@pytest.mark.parametrize("form", ["file", "inline", "python"])
def test_boot_rules_take_the_same_json_from_a_file_text_or_python(tmp_path: Path, form: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(RULES))
    source = {"file": str(path), "inline": json.dumps(RULES), "python": RULES}[form]
    api = FlaskTransport(create_app(count=0, faults=source))
    statuses = [api.request("GET", f"{OPTIMIZATIONS}/{UNKNOWN_ID}").status for _ in range(4)]
    assert statuses == [404, 404, 500, 404]
    assert [rule["origin"] for rule in api.request("GET", "/_mockopik/faults").json()["rules"]] == [
        "settings"
    ]
