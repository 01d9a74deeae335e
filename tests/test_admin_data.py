"""The data side of the admin API: reseed with a scenario or a seed, load and export, reset to the boot data."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mockopik.app import create_app
from mockopik.clock import SimulatedClock, frozen_at
from mockopik.config import TIMELINE, Settings
from tests.conftest import NOW
from tests.support import OPTIMIZATIONS, FlaskTransport, HttpTransport


def listed(api: FlaskTransport | HttpTransport) -> list[str]:
    return [o["name"] for o in api.request("GET", OPTIMIZATIONS, params={"size": 100}).json()["content"]]


# generated dates that do not depend on the start, and live runs that stand still
PINNED = Settings.resolve({}, reference_time=TIMELINE, pace=0)


def export_of(**settings: Any) -> bytes:
    return create_app(PINNED, **settings).test_client().get("/_mockopik/fixtures").get_data()


def reseeded(clock: SimulatedClock | None = None, **body: Any) -> bytes:
    """The export after seeding a fresh mock (dated from the clock's now if given, else pinned)."""
    settings = PINNED if clock is None else Settings.resolve({})
    client = create_app(settings, clock=clock, count=0).test_client()
    client.post("/_mockopik/seed", json=body)
    return client.get("/_mockopik/fixtures").get_data()


@pytest.fixture
def booted() -> Flask:
    return create_app(PINNED, seed=4, count=9)


@pytest.mark.parametrize(
    ("body", "same_as"),
    [
        ({"scenario": "failures"}, {"scenario": "failures", "seed": 4}),
        ({"scenario": "running", "seed": 3}, {"scenario": "running", "seed": 3}),
        ({"scenario": "large", "count": 30}, {"seed": 4, "count": 30}),
        ({"seed": 11, "count": 5}, {"seed": 11, "count": 5}),
        ({"count": 2}, {"seed": 4, "count": 2}),
        ({}, {"seed": 4, "count": 9}),
        ({"scenario": "empty"}, {"scenario": "empty"}),
    ],
)
def test_seed_puts_a_scenario_or_generated_runs_in_place(
    booted: Flask, body: dict[str, Any], same_as: dict[str, Any]
) -> None:
    client = booted.test_client()

    assert client.post("/_mockopik/seed", json=body).status_code == 204
    assert client.get("/_mockopik/fixtures").get_data() == export_of(**same_as)


def test_reset_goes_back_to_the_boot_data_after_seed_load_and_writes(
    booted: Flask, api: FlaskTransport | HttpTransport
) -> None:
    boot = FlaskTransport(booted)
    names = listed(boot)
    boot.request("POST", "/_mockopik/seed", json={"scenario": "edge-cases"})
    boot.request(
        "POST", OPTIMIZATIONS, json={"dataset_name": "d", "objective_name": "o", "status": "running"}
    )

    assert (
        boot.request("POST", "/_mockopik/reset", headers={"Content-Type": "application/json"}).status == 204
    )
    assert listed(boot) == names
    assert listed(api) == []  # the shared test server booted empty, and reset keeps it so


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"scenario": "nope"},
            [
                "scenario: Unknown scenario 'nope' (known: default, edge-cases, empty, failures, large, running, studio)."
            ],
        ),
        (
            {"scenario": "edge-cases", "seed": 1},
            ["scenario: Scenario edge-cases is curated data: seed and count do not apply."],
        ),
        ({"seed": -1}, ["seed: Must be greater than or equal to 0."]),
        ({"count": 100_001}, ["count: Must be greater than or equal to 0 and less than or equal to 100000."]),
        ({"count": "5", "seed": 1.5}, ["count: Not a valid integer.", "seed: Not a valid integer."]),
        ({"scenarios": "large"}, ["scenarios: Unknown field."]),
        (["large"], ["Invalid input type."]),
    ],
)
def test_a_bad_seed_request_is_refused_and_changes_nothing(
    api: FlaskTransport | HttpTransport, body: Any, errors: list[str]
) -> None:
    api.request("POST", "/_mockopik/seed", json={"count": 2})
    before = api.request("GET", "/_mockopik/fixtures").body

    reply = api.request("POST", "/_mockopik/seed", json=body)

    assert (reply.status, reply.json()) == (400, {"errors": errors})
    assert api.request("GET", "/_mockopik/fixtures").body == before


def test_a_document_that_generates_can_be_loaded(api: FlaskTransport | HttpTransport) -> None:
    document = {"format": 1, "generate": {"recipe": "studio", "seed": 2, "count": 4}}

    assert api.request("POST", "/_mockopik/fixtures", json=document).status == 204
    exported = api.request("GET", "/_mockopik/fixtures").body
    assert exported == reseeded(frozen_at(NOW), scenario="studio", seed=2, count=4)
    unknown = api.request("POST", "/_mockopik/fixtures", json={"format": 1, "generate": {"recipe": "solo"}})
    assert (unknown.status, unknown.json()) == (
        400,
        {"errors": ["generate.recipe: Unknown recipe 'solo' (known: team, running, studio, failures)."]},
    )


def run(run_id: str, name: str, status: str, num_trials: int, planned_trials: int) -> dict[str, Any]:
    return {
        "workspace": "default",
        "id": run_id,
        "name": name,
        "status": status,
        "num_trials": num_trials,
        "planned_trials": planned_trials,
    }


def test_data_says_what_is_served_how_much_and_what_runs() -> None:
    client = create_app(PINNED, scenario="running").test_client()
    first = client.get("/_mockopik/data").get_json()
    assert first == {
        "source": "scenario running, seed 0",
        "workspaces": {"default": {"optimizations": 12, "datasets": 3, "projects": 2}},
        "in_progress": [
            run("01a196fb-102a-7e5c-9a86-f9f4fe1be9ef", "mighty_narwhal_7394", "initialized", 0, 4),
            run("01a196fa-d262-7b75-91f6-f437ec459e0b", "summaries prompt v3", "running", 0, 10),
            run("01a196f9-4c28-7bed-8ef1-b5d0241acc08", "earnest_comet_671", "running", 4, 4),
            run("01a196f6-3027-793d-93d1-8e423f0c3a80", "mighty_zebra_7927", "running", 6, 14),
            run("01a196f5-b641-775f-8514-83e0515bb296", "honest_world_6979", "running", 6, 10),
            run("01a196f2-f270-70cc-9a18-653cd8b6392a", "FAQ: equals push", "running", 9, 9),
        ],
    }
    client.post("/_mockopik/clock", json={"advance": "3m"})
    assert client.get("/_mockopik/data").get_json()["in_progress"] == [  # three of them ended
        run("01a196fa-d262-7b75-91f6-f437ec459e0b", "summaries prompt v3", "running", 3, 10),
        run("01a196f6-3027-793d-93d1-8e423f0c3a80", "mighty_zebra_7927", "running", 12, 14),
        run("01a196f5-b641-775f-8514-83e0515bb296", "honest_world_6979", "running", 8, 10),
    ]
    client.put(f"{OPTIMIZATIONS}/01a196fa-d262-7b75-91f6-f437ec459e0b", json={"status": "running"})
    assert client.get("/_mockopik/data").get_json()["in_progress"][0] == {  # driven by its client now
        "workspace": "default",
        "id": "01a196fa-d262-7b75-91f6-f437ec459e0b",
        "name": "summaries prompt v3",
        "status": "running",
        "num_trials": 3,
    }
    client.post("/_mockopik/seed", json={"seed": 5, "count": 2})
    assert client.get("/_mockopik/data").get_json()["source"] == "seed 5, 2 optimizations"
    client.post("/_mockopik/fixtures", json={"format": 1, "workspaces": {}})
    assert client.get("/_mockopik/data").get_json() == {
        "source": "a fixture document loaded through the admin API",
        "workspaces": {},
        "in_progress": [],
    }
    client.post("/_mockopik/reset", json={})
    assert client.get("/_mockopik/data").get_json() == first
