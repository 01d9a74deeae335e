"""Every scenario loads, ships with the package, and serves records that pass the contract's schema."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

import mockopik
from mockopik.app import create_app
from mockopik.config import Settings, SettingsError
from mockopik.data.scenarios import scenario_names, scenarios_dir
from mockopik.http.server import LiveServer
from tests.contract_schema import contract_problems
from tests.support import OPTIMIZATIONS

SCENARIOS = {
    "default": 25,
    "edge-cases": 27,
    "empty": 0,
    "failures": 16,
    "large": 10_000,
    "running": 12,
    "studio": 15,
}
RUNNING = json.dumps([{"field": "status", "operator": "=", "value": "running"}])


def serve(scenario: str) -> Flask:
    """The scenario as it boots (its clock stands still, so its live runs do)."""
    return create_app(Settings.resolve({}), scenario=scenario, pace=0)


def every_record(app: Flask) -> list[dict[str, Any]]:
    client, records, page = app.test_client(), [], 1
    while chunk := client.get(OPTIMIZATIONS, query_string={"size": 2000, "page": page}).get_json()["content"]:
        records += chunk
        page += 1
    return records


def test_the_scenarios_ship_inside_the_package() -> None:
    assert scenarios_dir() == Path(mockopik.__file__).parent / "data" / "fixtures"
    assert scenario_names() == sorted(SCENARIOS)


@pytest.mark.parametrize(("scenario", "count"), SCENARIOS.items())
def test_every_record_of_every_scenario_passes_the_contract_schema(scenario: str, count: int) -> None:
    app = serve(scenario)
    gone = {
        str(d.id)
        for d in app.extensions["mockopik"].store.workspace("default").datasets.values()
        if d.deleted
    }
    records = every_record(app)

    assert len(records) == count
    assert [p for r in records for p in contract_problems(r, dataset_gone=r["dataset_id"] in gone)] == []
    assert len({r["id"] for r in records}) == count


def test_an_unknown_scenario_is_refused_with_the_known_names() -> None:
    with pytest.raises(SettingsError, match=r"unknown scenario 'nope' \(known: default, edge-cases, empty, "):
        serve("nope")


def test_running_gives_the_ui_runs_to_poll() -> None:
    client = serve("running").test_client()
    polled = client.get(OPTIMIZATIONS, query_string={"size": 1, "filters": RUNNING}).get_json()

    assert polled["size"] == 1
    assert polled["total"] >= 3
    assert polled["content"][0]["status"] == "running"


def test_studio_runs_have_configs_and_logs_the_ui_can_download() -> None:
    app = serve("studio")
    records = every_record(app)
    settings = Settings.resolve({}, port=0, scenario="studio")
    with LiveServer(app, settings) as server:
        link = requests.get(f"{server.url}{OPTIMIZATIONS}/studio/{records[-1]['id']}/logs", timeout=5).json()
        log = gzip.decompress(requests.get(link["url"], timeout=5).content).decode("utf-8")

    assert all("studio_config" in record for record in records)
    assert Counter(record["status"] for record in records).keys() == {
        "initialized", "running", "completed", "cancelled", "error"
    }  # fmt: skip
    assert records[-1]["studio_config"]["optimizer"]["type"] in log


def test_failures_carry_their_error_info() -> None:
    records = every_record(serve("failures"))
    errors = [record for record in records if record["status"] == "error"]

    assert {record["status"] for record in records} == {"error", "cancelled"}
    assert all(record["error_info"]["traceback"].startswith("Traceback") for record in errors)
    assert any(record["num_trials"] == 0 for record in errors)


def test_edge_cases_cover_the_awkward_records() -> None:
    records = every_record(serve("edge-cases"))
    names = [record["name"] for record in records]

    assert {record["status"] for record in records} == {
        "initialized",
        "running",
        "completed",
        "cancelled",
        "error",
    }
    assert sum("dataset_name" not in record for record in records) == 2
    assert max(map(len, names)) > 300
    assert "" in names
    assert any("🚀" in name for name in names)
    assert any(record["num_trials"] == 0 and record["status"] == "completed" for record in records)
    assert any("baseline_objective_score" not in record and record["num_trials"] > 0 for record in records)
    assert any(len(json.dumps(record.get("metadata", {}))) > 10_000 for record in records)
