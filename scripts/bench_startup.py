"""Startup costs of mockopik's entry points, each next to its baseline measured in the same run.

    python scripts/bench_startup.py [--runs 5]

Prints medians in milliseconds: the interpreter alone, importing pytest with and without the
plugin (what every pytest run pays once mockopik is installed), `mockopik --version`, `mockopik
serve` until its first 200, and a one-test pytest session with and without the `mockopik` fixture
(the pytest plugins installed beside mockopik, such as opik's and Faker's, are in both).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

PYTHON = sys.executable
PLAIN_TEST = "def test_plain():\n    pass\n"
FIXTURE_TEST = "def test_with_mock(mockopik):\n    assert mockopik.health()['status'] == 'ok'\n"


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def run(*args: str, cwd: str | None = None) -> Callable[[], None]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MOCKOPIK_")}
    return lambda: subprocess.run(args, check=True, capture_output=True, cwd=cwd, env=environment)


def serve_until_first_200() -> None:
    process = subprocess.Popen(
        [PYTHON, "-m", "mockopik", "serve", "--port", "0", "--quiet"], stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = line.split("listening on ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url + "/api/v1/private/optimizations?size=1") as reply:
            assert reply.status == 200
    finally:
        process.terminate()
        process.wait()


def pytest_session(test: str, folder: str) -> Callable[[], None]:
    Path(folder, "test_one.py").write_text(test)
    return run(PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as with_mock:
        cases = {
            "python -c pass (baseline)": run(PYTHON, "-c", "pass"),
            "import pytest (baseline)": run(PYTHON, "-c", "import pytest"),
            "import pytest, mockopik.testing.pytest_plugin": run(
                PYTHON, "-c", "import pytest, mockopik.testing.pytest_plugin"
            ),
            "mockopik --version": run(PYTHON, "-m", "mockopik", "--version"),
            "mockopik serve: start to first 200": serve_until_first_200,
            "pytest, one plain test (baseline)": pytest_session(PLAIN_TEST, plain),
            "pytest, one test using the mockopik fixture": pytest_session(FIXTURE_TEST, with_mock),
        }
        for action in cases.values():  # warm the caches (bytecode, file system) once
            action()
        for name, action in cases.items():
            median = statistics.median(timed(action) for _ in range(runs))
            print(f"{median:8.0f} ms  {name}")


if __name__ == "__main__":
    main()
