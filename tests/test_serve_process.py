"""A real `mockopik serve` process: it answers, logs each request, and stops cleanly on a signal."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

STARTUP = re.compile(
    r"listening on (http://127\.0\.0\.1:\d+) \(seed 4, 3 optimizations\); Opik SDK base URL: \1/api$"
)
ACCESS = re.compile(
    r'^127\.0\.0\.1 \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] "GET /api/v1/private/optimizations\?size=1 HTTP/1\.1" '
    r"200 \d+B \d+\.\dms$"
)


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m mockopik serve` on a free port (extra arguments from the test's parameter)."""
    extra = getattr(request, "param", [])
    process = subprocess.Popen(
        [sys.executable, "-m", "mockopik", "serve", "--port", "0", "--seed", "4", "--count", "3", *extra],
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert process.stderr is not None
    startup = process.stderr.readline().rstrip("\n")
    match = STARTUP.search(startup)
    assert match, startup
    yield process, match.group(1)
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serves_logs_and_exits_cleanly_on_a_signal(
    serve: tuple[subprocess.Popen[str], str], stop: signal.Signals
) -> None:
    process, url = serve
    reply = requests.get(f"{url}/api/v1/private/optimizations", params={"size": 1}, timeout=10)
    assert (reply.status_code, reply.json()["total"], len(reply.json()["content"])) == (200, 3, 1)
    process.send_signal(stop)
    _, rest = process.communicate(timeout=15)
    assert process.returncode == 0
    lines = rest.splitlines()
    assert ACCESS.match(lines[0]), lines
    assert lines[1:] == ["mockopik stopped"]


@pytest.mark.parametrize("serve", [["--quiet"]], indirect=True)
def test_quiet_logs_no_requests(serve: tuple[subprocess.Popen[str], str]) -> None:
    process, url = serve
    assert requests.get(f"{url}/_mockopik/health", timeout=10).status_code == 200
    process.terminate()
    _, rest = process.communicate(timeout=15)
    assert (process.returncode, rest) == (0, "mockopik stopped\n")


def test_health_probes_are_left_out_of_the_log(serve: tuple[subprocess.Popen[str], str]) -> None:
    process, url = serve
    probe = subprocess.run(
        [sys.executable, "-m", "mockopik", "health", "--url", url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (probe.returncode, probe.stdout) == (0, f"{url} is healthy\n")
    process.terminate()
    _, rest = process.communicate(timeout=15)
    assert rest == "mockopik stopped\n"
