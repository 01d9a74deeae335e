"""The state file (`--state`): every answered write survives a restart, a kill -9 included; a reset goes
back to the boot data and keeps that; the file is never half-written and never shared."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from flask import Flask

from mockopik.app import create_app
from mockopik.cli import main
from mockopik.config import SettingsError
from tests.support import OPTIMIZATIONS, FlaskTransport, client_id, new_optimization

JSON = {"Content-Type": "application/json"}


def exported(app: Flask) -> bytes:
    reply = app.test_client().get("/_mockopik/fixtures")
    assert reply.status_code == 200
    return reply.get_data()


PINNED = "2026-11-01T12:00:00Z"  # generated dates that do not move with the start


def restarted(path: Path, **settings: object) -> Flask:
    return create_app(count=3, state=str(path), reference_time=PINNED, **settings)  # type: ignore[arg-type]


def close(app: Flask) -> None:
    app.extensions["mockopik"].close()


def test_every_kind_of_write_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    app = restarted(path)
    api = FlaskTransport(app)
    kept = api.create(name="kept", project_name="p1", metadata={"deep": [[1e999, "\ud7ff"]]})
    gone = api.create(dataset_name="other-set")
    api.put(OPTIMIZATIONS, json=new_optimization(id=kept, name="renamed", project_name="p2", status="error"))
    api.put(f"{OPTIMIZATIONS}/{kept}", json={"metadata": {"more": 1}, "error_info": {"exception_type": "X"}})
    api.post(f"{OPTIMIZATIONS}/delete", json={"ids": [gone]})
    api.post(OPTIMIZATIONS, json=new_optimization(), headers={"Comet-Workspace": "team-a"})
    before = exported(app)
    close(app)

    again = restarted(path)

    assert exported(again) == before
    assert FlaskTransport(again).get(f"{OPTIMIZATIONS}/{kept}").json()["name"] == "renamed"
    close(again)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_mockopik/seed", {"scenario": "failures"}),
        ("/_mockopik/fixtures", {"format": 1, "generate": {"recipe": "studio", "seed": 3}}),
    ],
)
def test_admin_writes_survive_a_restart(tmp_path: Path, path: str, body: dict[str, object]) -> None:
    app = restarted(tmp_path / "state.sqlite3")
    assert app.test_client().post(path, json=body).status_code == 204
    before = exported(app)
    close(app)

    again = restarted(tmp_path / "state.sqlite3")

    assert exported(again) == before
    close(again)


def test_a_reset_goes_back_to_the_boot_data_and_keeps_it(tmp_path: Path) -> None:
    boot = exported(create_app(count=3, reference_time=PINNED))
    app = restarted(tmp_path / "state.sqlite3")
    FlaskTransport(app).create(name="gone after the reset")
    assert app.test_client().post("/_mockopik/reset", headers=JSON).status_code == 204
    close(app)

    again = restarted(tmp_path / "state.sqlite3")

    assert exported(again) == boot
    close(again)


def test_the_state_file_wins_over_the_boot_settings_until_a_reset(tmp_path: Path) -> None:
    app = restarted(tmp_path / "state.sqlite3")
    before = exported(app)
    close(app)

    other_boot = create_app(count=7, state=str(tmp_path / "state.sqlite3"), reference_time=PINNED)
    restored = exported(other_boot)
    other_boot.test_client().post("/_mockopik/reset", headers=JSON)

    assert restored == before
    assert exported(other_boot) == exported(create_app(count=7, reference_time=PINNED))
    close(other_boot)


def test_one_state_file_serves_one_mockopik(tmp_path: Path) -> None:
    first = restarted(tmp_path / "state.sqlite3")

    with pytest.raises(SettingsError) as refused:
        restarted(tmp_path / "state.sqlite3")

    assert str(refused.value) == (
        f"state: cannot use {tmp_path / 'state.sqlite3'} as a state file: another mockopik has it open"
    )
    close(first)


def test_a_file_that_is_no_state_file_stops_the_server_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n" * 200)

    result = CliRunner().invoke(main, ["serve", "--port", "0", "--state", str(path)])

    assert (result.exit_code, result.output) == (
        2,
        f"Error: --state: cannot use {path} as a state file: file is not a database\n",
    )


def test_answered_writes_survive_kill_9_mid_load(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockopik",
            "serve",
            "--port",
            "0",
            "--quiet",
            "--count",
            "3",
            "--state",
            str(path),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    answered: set[str] = set()
    stop = threading.Event()

    def write() -> None:
        session = requests.Session()
        while not stop.is_set():
            optimization_id = client_id()
            try:
                reply = session.post(
                    url + OPTIMIZATIONS, json=new_optimization(id=optimization_id), timeout=5
                )
            except requests.ConnectionError:
                return
            if reply.status_code == 201:
                answered.add(optimization_id)

    try:
        assert process.stderr is not None
        found = re.search(r"listening on (http://\S+) ", process.stderr.readline())
        assert found, "no startup line"
        url = found[1]
        writers = [threading.Thread(target=write) for _ in range(8)]
        for writer in writers:
            writer.start()
        time.sleep(1.5)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        for writer in writers:
            writer.join()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()

    check = sqlite3.connect(path)
    integrity = check.execute("PRAGMA integrity_check").fetchone()
    check.close()
    again = restarted(path)
    stored = set(map(str, again.extensions["mockopik"].store.workspace("default").optimizations))
    close(again)

    assert integrity == ("ok",)
    assert len(answered) > 50
    assert answered <= stored
