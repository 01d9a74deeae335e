"""Same seed, same version: the same bytes, in one process or two, and pinned for seed 0 by a golden file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from mockopik.app import create_app
from mockopik.clock import SystemClock, frozen_at
from mockopik.config import ENV_PREFIX, TIMELINE, Settings
from mockopik.data import boot, fixture_files

GOLDEN = Path(__file__).parent / "golden" / "seed-0.json"
REGENERATE = "mockopik fixtures generate --seed 0 --count 25 -o tests/golden/seed-0.json"


def generated_text(**settings: object) -> str:
    """What `mockopik fixtures generate` writes: data dated back from the fixed timeline, unless told."""
    snapshot = boot.boot_snapshot(
        Settings.resolve({}, **{"reference_time": TIMELINE, **settings}), SystemClock()
    )
    return fixture_files.dumps(fixture_files.dump(snapshot.fresh()))


def generate_in_new_process(hash_seed: str, *arguments: str) -> bytes:
    """`mockopik fixtures generate` in a fresh interpreter, with its own hash seed and no MOCKOPIK_* variables."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(ENV_PREFIX)}
    command = [sys.executable, "-m", "mockopik", "fixtures", "generate", *arguments]
    done = subprocess.run(command, env={**env, "PYTHONHASHSEED": hash_seed}, capture_output=True, check=True)
    return done.stdout


def test_two_processes_generate_the_same_bytes() -> None:
    first = generate_in_new_process("1", "--seed", "7", "--count", "50")
    second = generate_in_new_process("2", "--seed", "7", "--count", "50")

    assert first == second
    assert first.decode("utf-8") == generated_text(seed=7, count=50)


def test_a_served_seed_exports_exactly_what_generate_writes() -> None:
    pinned = Settings.resolve({}, reference_time=TIMELINE, pace=0)  # its live runs stand still
    exported = create_app(pinned, seed=7, count=50).test_client().get("/_mockopik/fixtures")

    assert exported.get_data(as_text=True) == generated_text(seed=7, count=50)


@pytest.mark.parametrize("other", [{"seed": 8, "count": 50}, {"seed": 7, "count": 51}, {"user": "ada"}])
def test_another_seed_count_or_user_gives_other_data(other: dict[str, object]) -> None:
    assert generated_text(**{"seed": 7, "count": 50, **other}) != generated_text(seed=7, count=50)


def test_the_golden_file_pins_seed_0() -> None:
    assert generated_text(seed=0, count=25) == GOLDEN.read_text(encoding="utf-8"), (
        f"seed 0 no longer generates {GOLDEN.name}; if that is intended, regenerate it with: {REGENERATE}"
    )


def test_data_ends_at_the_start_with_the_same_ids_whenever_it_starts() -> None:
    """Running runs look recent (dates end just before the mock's start) and a restart, later, keeps
    every id: the data is made on a fixed timeline, then every date moves by the same amount."""

    def booted(now: datetime, **settings: object) -> dict[str, Any]:
        space = boot.boot_snapshot(Settings.resolve({}, **settings), frozen_at(now)).fresh()
        return fixture_files.dump(space)["workspaces"]["default"]

    monday, later = (
        datetime(2031, 5, 4, 3, 2, 1, tzinfo=timezone.utc),
        datetime(2031, 6, 1, tzinfo=timezone.utc),
    )
    first, restarted = booted(monday), booted(later)
    pinned = booted(later, reference_time="2031-05-04T05:02:01+02:00")

    newest = first["optimizations"][0]
    assert monday - timedelta(hours=5) < datetime.fromisoformat(newest["created_at"]) < monday
    assert ids(first) == ids(restarted) == ids(pinned)
    assert pinned == first
    moved = datetime.fromisoformat(restarted["optimizations"][0]["created_at"])
    assert moved - datetime.fromisoformat(newest["created_at"]) == later - monday


def ids(space: dict[str, Any]) -> list[str]:
    return [
        record["id"]
        for kind in ("datasets", "projects", "optimizations")
        for record in space[kind]
        for record in (record, *record.get("trials", []))
    ]


def test_two_apps_with_one_seed_and_a_frozen_clock_mint_the_same_ids_in_creation_order() -> None:
    def created(app: Flask) -> list[dict[str, Any]]:
        client = app.test_client()
        for _ in range(3):
            body = {
                "dataset_name": "fresh-set",
                "project_name": "fresh-project",
                "objective_name": "f1",
                "status": "running",
            }
            assert client.post("/v1/private/optimizations", json=body).status_code == 201
        page: dict[str, Any] = client.get("/v1/private/optimizations", query_string={"size": 4}).get_json()
        return page["content"]

    frozen = datetime(2026, 11, 27, 10, 15, tzinfo=timezone.utc)
    first = created(create_app(Settings.resolve({}), clock=frozen_at(frozen), seed=3, count=5))
    second = created(create_app(Settings.resolve({}), clock=frozen_at(frozen), seed=3, count=5))

    assert first == second
    newest, middle, oldest, seeded = first
    assert newest["id"] > middle["id"] > oldest["id"] > seeded["id"]
    assert {record["dataset_name"] for record in (newest, middle, oldest)} == {"fresh-set"}
    assert seeded["dataset_name"] != "fresh-set"
    assert all(record["id"][14] == "7" for record in first)
