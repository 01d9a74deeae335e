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


PINNED = Settings.resolve({}, reference_time=TIMELINE)  # generated dates that do not depend on the start


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


def test_data_says_what_is_served_how_much_and_what_runs() -> None:
    client = create_app(Settings.resolve({}), scenario="running").test_client()
    first = client.get("/_mockopik/data").get_json()
    running = client.get(
        OPTIMIZATIONS,
        query_string={
            "size": 100,
            "filters": '[{"field":"status","operator":"in","value":"running,initialized"}]',
        },
    ).get_json()["content"]
    assert first == {
        "source": "scenario running, seed 0",
        "workspaces": {"default": {"optimizations": 12, "datasets": 3, "projects": 2}},
        "in_progress": [
            {
                "workspace": "default",
                "id": run["id"],
                "name": run["name"],
                "status": run["status"],
                "num_trials": run["num_trials"],
            }
            for run in running
        ],
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
