"""Benchmark of createOptimization over real HTTP, in memory and with the state file (`--state`).

Run: python benchmarks/state_bench.py [--seconds 5] [--clients 8] [--check]
Each round serves `mockopik serve` in a subprocess and posts creates from `--clients` threads for
`--seconds`; with --check it exits non-zero when the state file leaves less than MIN_RATIO of the
in-memory throughput.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

MIN_RATIO = 0.5
BODY = {"dataset_name": "qa-set", "objective_name": "accuracy", "status": "running", "metadata": {"k": 1}}


def creates_per_second(extra: list[str], seconds: float, clients: int) -> float:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockopik", "serve", "--port", "0", "--quiet", "--journal-size", "0", *extra],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        found = re.search(r"listening on (http://\S+) ", process.stderr.readline())
        assert found, "no startup line"
        url = found[1] + "/api/v1/private/optimizations"
        counts = [0] * clients
        deadline = time.monotonic() + seconds

        def post(index: int) -> None:
            session = requests.Session()
            while time.monotonic() < deadline:
                assert session.post(url, json=BODY, timeout=10).status_code == 201
                counts[index] += 1

        threads = [threading.Thread(target=post, args=(index,)) for index in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(counts) / (time.monotonic() - started)
    finally:
        process.terminate()
        process.communicate(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--check", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        memory = creates_per_second([], arguments.seconds, arguments.clients)
        state = creates_per_second(
            ["--state", str(Path(folder) / "state.sqlite3")], arguments.seconds, arguments.clients
        )
    ratio = state / memory
    print(f"in memory: {memory:.0f} creates/s; with --state: {state:.0f} creates/s ({ratio:.2f}x)")
    return 1 if arguments.check and ratio < MIN_RATIO else 0


if __name__ == "__main__":
    raise SystemExit(main())
