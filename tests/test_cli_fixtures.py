"""`mockopik fixtures generate | export | check | scenarios`, and `serve` refusing a broken fixture file."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockopik.app import create_app
from mockopik.cli import main
from mockopik.config import Settings
from mockopik.data.scenarios import scenarios_dir
from mockopik.http.server import LiveServer
from tests.test_determinism import generated_text

BROKEN = {"format": 1, "workspaces": {"default": {"optimizations": [{"id": "x"}]}}}
BROKEN_LISTING = [
    "  workspaces.default.optimizations[0].created_at: Missing data for required field.",
    "  workspaces.default.optimizations[0].dataset_id: Missing data for required field.",
    "  workspaces.default.optimizations[0].id: Not a valid UUID.",
    "  workspaces.default.optimizations[0].name: Missing data for required field.",
    "  workspaces.default.optimizations[0].objective_name: Missing data for required field.",
    "  workspaces.default.optimizations[0].status: Missing data for required field.",
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(BROKEN), encoding="utf-8")
    return path


def test_generate_writes_a_file_or_stdout(tmp_path: Path) -> None:
    target = tmp_path / "my.json"

    written = CliRunner().invoke(
        main, ["fixtures", "generate", "--seed", "7", "--count", "50", "-o", str(target)]
    )
    printed = CliRunner().invoke(main, ["fixtures", "generate", "--seed", "7", "--count", "50"])

    assert (written.exit_code, written.output) == (0, "")
    assert target.read_text(encoding="utf-8") == generated_text(seed=7, count=50) == printed.output


def test_generate_a_curated_scenario_gives_its_records() -> None:
    result = CliRunner().invoke(main, ["fixtures", "generate", "--scenario", "edge-cases"])
    shipped = json.loads((scenarios_dir() / "edge-cases.json").read_text(encoding="utf-8"))

    assert json.loads(result.output) == {"format": 1, "workspaces": shipped["workspaces"]}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--scenario", "nope"],
            "Error: --scenario: unknown scenario 'nope' (known: default, edge-cases, empty, ",
        ),
        (["--seed", "-1"], "Error: --seed: expected a whole number of 0 or more, got '-1'"),
        (["--reference-time", "soon"], "Error: --reference-time: expected an ISO-8601 instant"),
    ],
)
def test_generate_refuses_bad_flags(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["fixtures", "generate", *arguments])

    assert result.exit_code != 0  # a usage error (2), or 1 where settings errors are plain errors
    assert message in result.output


def test_check_says_ok_or_lists_every_problem(broken: Path) -> None:
    good = CliRunner().invoke(main, ["fixtures", "check", str(scenarios_dir() / "edge-cases.json")])
    recipe = CliRunner().invoke(main, ["fixtures", "check", str(scenarios_dir() / "large.json")])
    bad = CliRunner().invoke(main, ["fixtures", "check", str(broken)])

    assert (good.exit_code, good.output) == (
        0,
        f"{scenarios_dir() / 'edge-cases.json'}: ok, 1 workspace(s), 27 optimization(s)\n",
    )
    assert (recipe.exit_code, recipe.output) == (
        0,
        f"{scenarios_dir() / 'large.json'}: ok, generates data with recipe team\n",
    )
    assert bad.exit_code == 1
    assert bad.output.splitlines() == [f"Error: {broken}: 6 problems, nothing loaded:", *BROKEN_LISTING]


def test_serve_stops_at_start_on_a_broken_file(broken: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--fixtures", str(broken)])

    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {broken}: 6 problems, nothing loaded:", *BROKEN_LISTING]


def test_serve_takes_a_fixture_file_or_a_scenario_not_both(broken: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--fixtures", str(broken), "--scenario", "empty"])

    assert result.exit_code != 0  # a usage error (2), or 1 where settings errors are plain errors
    assert "Error: --fixtures: give either a fixture file or a scenario, not both" in result.output


def test_scenarios_lists_names_and_descriptions() -> None:
    lines = CliRunner().invoke(main, ["fixtures", "scenarios"]).output.splitlines()

    assert [line.split()[0] for line in lines] == [
        "default", "edge-cases", "empty", "failures", "large", "running", "studio"
    ]  # fmt: skip
    assert (
        lines[2]
        == "empty        Nothing at all: no optimizations, datasets or projects (the empty states of the UI)."
    )


def test_export_saves_the_state_of_a_running_mock(tmp_path: Path) -> None:
    settings = Settings.resolve({}, port=0, scenario="running")
    target = tmp_path / "state.json"
    with LiveServer(create_app(settings), settings) as server:
        server.app.test_client().post("/_mockopik/seed", json={"scenario": "failures"})
        result = CliRunner().invoke(main, ["fixtures", "export", "--url", server.url, "-o", str(target)])
        expected = server.app.test_client().get("/_mockopik/fixtures").get_data()

    assert (result.exit_code, result.output) == (0, "")
    assert target.read_bytes() == expected
    assert len(json.loads(expected)["workspaces"]["default"]["optimizations"]) == 16


def test_export_from_nowhere_is_a_clear_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"

    result = CliRunner().invoke(main, ["fixtures", "export", "--url", url])

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot export: GET {url}/_mockopik/fixtures failed: ")


def test_export_finds_the_mock_where_serve_would_listen(tmp_path: Path) -> None:
    settings = Settings.resolve({}, port=0, count=2)
    target = tmp_path / "state.json"
    with LiveServer(create_app(settings), settings) as server:
        environment = {"MOCKOPIK_HOST": "127.0.0.1", "MOCKOPIK_PORT": str(server.port)}
        result = CliRunner().invoke(main, ["fixtures", "export", "-o", str(target)], env=environment)

    assert (result.exit_code, result.output) == (0, "")
    assert len(json.loads(target.read_text())["workspaces"]["default"]["optimizations"]) == 2
