"""A served `mockopik` process driven from outside: fault flags, a rules file, the header, journal, reset."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from tests.support import OPTIMIZATIONS


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    rules = tmp_path_factory.mktemp("faults") / "rules.json"
    rules.write_text(
        json.dumps([{"id": "slow-list", "match": {"operation": "findOptimizations"}, "latency": "20"}])
    )
    command = [sys.executable, "-m", "mockopik", "serve", "--port", "0", "--count", "5"]
    command += ["--not-found-rate", "1", "--faults", str(rules)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={"PATH": ""})
    assert process.stderr is not None
    found = re.search(r"listening on (http://\S+)", process.stderr.readline())
    assert found, "the server did not say where it listens"
    yield found.group(1)
    process.terminate()
    process.communicate(timeout=10)


def test_a_served_instance_applies_flags_rules_and_the_header(served: str) -> None:
    requests.post(f"{served}/_mockopik/reset", json={}, timeout=5)
    page = requests.get(served + OPTIMIZATIONS, timeout=5)
    assert (page.status_code, page.headers["X-Mockopik-Fault"], page.json()["total"]) == (200, "slow-list", 5)
    target = page.json()["content"][0]["id"]
    got = requests.get(f"{served}/api{OPTIMIZATIONS}/{target}", timeout=5)
    assert (got.status_code, got.json(), got.headers["X-Mockopik-Fault"]) == (
        404,
        {"code": 404, "message": f"Not found optimization with id '{target}'"},
        "not-found-rate",
    )
    forced = requests.get(
        f"{served}{OPTIMIZATIONS}/{target}", headers={"X-Mockopik-Fault": "status=502"}, timeout=5
    )
    assert (forced.status_code, forced.headers["X-Mockopik-Fault"]) == (502, "header")
    requests.post(
        f"{served}/_mockopik/faults", json={"id": "down", "status": 503, "window": {"end": 30}}, timeout=5
    )
    assert requests.get(served + "/is-alive/ping", timeout=5).status_code == 503

    journal = requests.get(f"{served}/_mockopik/requests", timeout=5).json()["requests"]
    assert [(e["operation"], e["status"], e["faults"], e["delay_ms"]) for e in journal] == [
        ("findOptimizations", 200, ["slow-list"], 20.0),
        ("getOptimizationById", 404, ["not-found-rate"], 0.0),
        ("getOptimizationById", 502, ["header"], 0.0),
        ("isAlive", 503, ["down"], 0.0),
    ]
    requests.post(f"{served}/_mockopik/reset", json={}, timeout=5)
    assert requests.get(f"{served}/_mockopik/requests", timeout=5).json() == {"requests": [], "latest": 0}
    assert [rule["id"] for rule in requests.get(f"{served}/_mockopik/faults", timeout=5).json()["rules"]] == [
        "slow-list",
        "not-found-rate",
    ]
