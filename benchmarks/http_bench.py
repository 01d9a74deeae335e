"""Benchmark of mockopik over HTTP against a bare Flask app on the same waitress server, in one run.

Run: python benchmarks/http_bench.py [--seconds 2] [--rounds 3] [--check [requests]] [--attempts N]
                                     [--scale] [--panel]

Both servers run as `mockopik serve` runs (one process, waitress, 8 threads); mockopik serves the
`large` scenario (10,000 runs), quietly (no access log), with its default journal. `wrk` (Debian:
`apt-get install wrk`) loads the three requests at 1 and 16 connections, in interleaved rounds so that
both servers see the same machine; the table gives the median of the rounds. Startup is the time
from spawning the process to its first 200 (median of three starts, mockopik's bytecode written first
as an install writes it), beside the stack's floor: bare Flask that also imports marshmallow. RSS
is read after startup, idle. With --check it exits non-zero when a target (TARGETS, STARTUP_RATIO,
...) is missed in each of --attempts measurements (`--check requests`: measures and
checks the request ratios only); --scale also measures the memory of 100,000 runs and the p50 of
the UI's calls over them (repeated, and each just after a write; a minute more); --panel loads
mockopik with the control panel's polling on (benchmarks/panel_load.py), which must keep the ratios.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from panel_load import panel_open

import mockopik

HERE = Path(__file__).parent
REQUESTS = ("get", "list", "create")
CONNECTIONS = (1, 16)
# mockopik's throughput as a share of bare Flask's, at least
TARGETS = {"get": 0.75, "list": 0.6, "create": 0.6}
STARTUP_RATIO = 1.5  # default scenario: startup to the first 200, against bare Flask's
LARGE_STARTUP = 1.0  # seconds, the `large` scenario (10,000 runs)
IDLE_RSS_MB = 60.0  # default scenario
SCALE_RSS_MB = 250.0  # 100,000 runs
UI_CALL_MS = 20.0  # p50 of each of the UI's calls over 100,000 runs
RUNNING = quote(json.dumps([{"field": "status", "operator": "=", "value": "running"}]))
CREATE_BODY = {"dataset_name": "bench-set", "objective_name": "accuracy", "status": "running"}
# Creates go to a workspace of their own: the pages listed stay those of the `large` scenario.
CREATE_WORKSPACE = "bench-creates"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    startup: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def compile_bytecode() -> None:
    """Write mockopik's bytecode, as installing the package does (pip compiles every module): an
    editable install under PYTHONDONTWRITEBYTECODE would compile all its modules on each start."""
    compileall.compile_dir(Path(mockopik.__file__).parent, quiet=1)


def clean_environment() -> dict[str, str]:
    """This process's environment without MOCKOPIK_* settings: both servers run with the defaults."""
    return {name: value for name, value in os.environ.items() if not name.startswith("MOCKOPIK_")}


@contextmanager
def serving(name: str, command: list[str], port: int) -> Iterator[Server]:
    """Start a server process and wait for its first 200; stop it afterwards."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=clean_environment(), stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if fetch(port, "GET", "/v1/private/optimizations?size=1")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}")
            time.sleep(0.005)
        yield Server(name, process, port, time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(timeout=30)


def mockopik_command(port: int, *settings: str) -> list[str]:
    return [sys.executable, "-m", "mockopik", "serve", "--port", str(port), "--quiet", *settings]


def bare_command(port: int, get_body: Path, list_body: Path, *options: str) -> list[str]:
    script = str(HERE / "bare_app.py")
    files = ["--get", str(get_body), "--list", str(list_body)]
    return [sys.executable, script, "--port", str(port), *files, *options]


def wrk(url: str, connections: int, seconds: float, script: Path | None) -> Load:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if failed:  # a fast error is no result
        raise RuntimeError(f"wrk {url}: {failed.group(0)}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Load(rps, _percentile(output, "50%"), _percentile(output, "99%"))


def _percentile(output: str, label: str) -> float:
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def ui_calls(port: int) -> dict[str, str]:
    """The UI's calls over a large data set: the running-status poll, a name search (a word of a run's
    name), the first page of 100, a project's page, an optimization's experiments."""
    page = json.loads(fetch(port, "GET", "/v1/private/optimizations?size=100")[1])["content"]
    run = next(item for item in page if item.get("project_id"))
    words = [word for word in re.split(r"[^a-z]+", run["name"].lower()) if word] or ["a"]
    word = words[min(1, len(words) - 1)]
    return {
        "running-status poll": f"/v1/private/optimizations?size=1&filters={RUNNING}",
        "name search": f"/v1/private/optimizations?name={quote(word)}",  # the UI's page of 10
        "first page of 100": "/v1/private/optimizations?size=100",
        "a project's page": f"/v1/private/optimizations?project_id={run['project_id']}&size=100",
        "an optimization's experiments": f"/v1/private/experiments?optimization_id={run['id']}",
    }


def after_writes(port: int, call: str, times: int = 15) -> float:
    """The p50 (ms) of `call`, each made just after a write to the workspace (which drops the reads it
    keeps: the call searches, dumps and writes its JSON again)."""
    page = json.loads(fetch(port, "GET", "/v1/private/optimizations?size=1")[1])["content"][0]
    samples = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for index in range(times):
            change = json.dumps({"metadata": {"bench_write": index}}).encode()
            headers = {"Content-Type": "application/json"}
            connection.request("PUT", f"/v1/private/optimizations/{page['id']}", body=change, headers=headers)
            connection.getresponse().read()
            started = time.perf_counter()
            connection.request("GET", call)
            connection.getresponse().read()
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return statistics.median(samples)


def measure(
    seconds: float, rounds: int, scale: bool, panel: bool = False, requests_only: bool = False
) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="mockopik-bench-"))
    post = workdir / "create.lua"
    post.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = '{json.dumps(CREATE_BODY)}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Comet-Workspace"] = "{CREATE_WORKSPACE}"\n'
    )
    results: dict[str, object] = {}
    mock_port, bare_port = free_port(), free_port()
    with serving("mockopik", mockopik_command(mock_port, "--scenario", "large"), mock_port) as mock:
        page = json.loads(fetch(mock_port, "GET", "/v1/private/optimizations?size=10")[1])
        record_id = page["content"][0]["id"]
        paths = {
            "get": f"/v1/private/optimizations/{record_id}",
            "list": "/v1/private/optimizations?size=10",
            "create": "/v1/private/optimizations",
        }
        bodies = {name: workdir / f"{name}.json" for name in ("get", "list")}
        for name, body in bodies.items():
            body.write_bytes(fetch(mock_port, "GET", paths[name])[1])
        with serving("bare", bare_command(bare_port, bodies["get"], bodies["list"]), bare_port) as bare:
            loads: dict[tuple[str, str, int], list[Load]] = {}
            for round_number in range(rounds):
                for request in REQUESTS:
                    for connections in CONNECTIONS:
                        order = (bare, mock) if round_number % 2 == 0 else (mock, bare)
                        for server in order:
                            script = post if request == "create" else None
                            with panel_open(server.port if panel and server is mock else None):
                                load = wrk(server.base + paths[request], connections, seconds, script)
                            loads.setdefault((server.name, request, connections), []).append(load)
            results["loads"] = {key: _median(values) for key, values in loads.items()}
    if requests_only:
        shutil.rmtree(workdir)
        return results
    results["startup"] = _startups(bare_port, bodies)
    results["large_startup"] = results["startup"]["large"][0]  # type: ignore[index]
    if scale:
        port = free_port()
        with serving("mockopik", mockopik_command(port, "--count", "100000"), port) as big:
            results["scale_rss"] = big.rss_mb()
            results["scale_startup"] = big.startup
            for call in ui_calls(port).values():  # each index is built on its first use
                fetch(port, "GET", call)
            results["ui_calls"] = {
                name: (wrk(big.base + call, 1, seconds, None).p50_ms, after_writes(port, call))
                for name, call in ui_calls(port).items()
            }
    shutil.rmtree(workdir)
    return results


def _startups(bare_port: int, bodies: dict[str, Path]) -> dict[str, tuple[float, float]]:
    """Median startup (seconds) and idle RSS (MB) of three starts each: bare Flask, bare Flask that
    imports marshmallow (`stack`), default mockopik, mockopik on `large`."""
    found: dict[str, list[tuple[float, float]]] = {"bare": [], "stack": [], "mockopik": [], "large": []}
    for _ in range(3):
        with serving("bare", bare_command(bare_port, bodies["get"], bodies["list"]), bare_port) as bare:
            found["bare"].append((bare.startup, bare.rss_mb()))
        stack_command = bare_command(bare_port, bodies["get"], bodies["list"], "--stack-imports")
        with serving("stack", stack_command, bare_port) as stack:
            found["stack"].append((stack.startup, stack.rss_mb()))
        port = free_port()
        with serving("mockopik", mockopik_command(port), port) as mock:
            found["mockopik"].append((mock.startup, mock.rss_mb()))
        port = free_port()
        with serving("mockopik", mockopik_command(port, "--scenario", "large"), port) as large:
            found["large"].append((large.startup, large.rss_mb()))
    return {
        name: (statistics.median(s for s, _ in runs), statistics.median(r for _, r in runs))
        for name, runs in found.items()
    }


def _median(loads: list[Load]) -> Load:
    return Load(
        *(statistics.median(getattr(load, name) for load in loads) for name in ("rps", "p50_ms", "p99_ms"))
    )


def report(results: dict[str, object]) -> tuple[str, list[str]]:
    """The table, and the targets missed."""
    loads: dict[tuple[str, str, int], Load] = results["loads"]  # type: ignore[assignment]
    lines = [
        "| request | connections | bare Flask rps | mockopik rps | ratio | target "
        "| p50 / p99 bare (ms) | p50 / p99 mockopik (ms) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    missed: list[str] = []
    for request in REQUESTS:
        for connections in CONNECTIONS:
            bare, mock = loads["bare", request, connections], loads["mockopik", request, connections]
            ratio = mock.rps / bare.rps
            target = TARGETS[request]
            if ratio < target:
                missed.append(f"{request} at {connections} connection(s): {ratio:.2f}x < {target}x")
            lines.append(
                f"| {request} | {connections} | {bare.rps:,.0f} | {mock.rps:,.0f} | {ratio:.2f}x | {target}x "
                f"| {bare.p50_ms:.2f} / {bare.p99_ms:.2f} | {mock.p50_ms:.2f} / {mock.p99_ms:.2f} |"
            )
    if "startup" not in results:
        return "\n".join(lines), missed
    startup: dict[str, tuple[float, float]] = results["startup"]  # type: ignore[assignment]
    (bare_start, bare_rss), (mock_start, mock_rss) = startup["bare"], startup["mockopik"]
    stack_start = startup["stack"][0]
    start_ratio = mock_start / bare_start
    large: float = results["large_startup"]  # type: ignore[assignment]
    lines += [
        "",
        f"startup to the first 200: bare Flask {bare_start * 1000:.0f} ms, mockopik (default) "
        f"{mock_start * 1000:.0f} ms ({start_ratio:.2f}x, target {STARTUP_RATIO}x); "
        f"mockopik `large` (10,000 runs) {large * 1000:.0f} ms (target {LARGE_STARTUP * 1000:.0f} ms)",
        f"the stack's floor: bare Flask importing marshmallow {stack_start * 1000:.0f} ms "
        f"({stack_start / bare_start:.2f}x); mockopik {mock_start / stack_start:.2f}x of it",
        f"idle RSS: bare Flask {bare_rss:.0f} MB, mockopik (default) {mock_rss:.0f} MB "
        f"(target {IDLE_RSS_MB:.0f} MB)",
    ]
    if start_ratio > STARTUP_RATIO:
        missed.append(f"startup {start_ratio:.2f}x > {STARTUP_RATIO}x")
    if large > LARGE_STARTUP:
        missed.append(f"large startup {large:.2f} s > {LARGE_STARTUP} s")
    if mock_rss > IDLE_RSS_MB:
        missed.append(f"idle RSS {mock_rss:.0f} MB > {IDLE_RSS_MB:.0f} MB")
    if "scale_rss" in results:
        scale_rss: float = results["scale_rss"]  # type: ignore[assignment]
        lines.append(f"100,000 runs: RSS {scale_rss:.0f} MB (target {SCALE_RSS_MB:.0f} MB)")
        if scale_rss > SCALE_RSS_MB:
            missed.append(f"RSS with 100,000 runs {scale_rss:.0f} MB > {SCALE_RSS_MB:.0f} MB")
        calls: dict[str, tuple[float, float]] = results["ui_calls"]  # type: ignore[assignment]
        lines += [
            "",
            "| UI call over 100,000 runs | p50 repeated (ms) | p50 just after a write (ms) | target |",
            "|---|---|---|---|",
        ]
        for name, (repeated, fresh) in calls.items():
            lines.append(f"| {name} | {repeated:.1f} | {fresh:.1f} | {UI_CALL_MS:.0f} ms |")
            if max(repeated, fresh) > UI_CALL_MS:
                missed.append(
                    f"{name} over 100,000 runs: p50 {max(repeated, fresh):.1f} ms > {UI_CALL_MS:.0f} ms"
                )
    return "\n".join(lines), missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (the median is kept)")
    parser.add_argument(
        "--check",
        nargs="?",
        const="all",
        choices=("all", "requests"),
        help="exit 1 when a target is missed (`requests`: measure and check the request ratios only)",
    )
    parser.add_argument("--scale", action="store_true", help="also measure 100,000 runs")
    parser.add_argument(
        "--panel", action="store_true", help="load mockopik with the control panel open and polling"
    )
    parser.add_argument(
        "--attempts",
        type=int,
        default=1,
        help="with --check, measure again while a target is missed, up to this many times in all: a "
        "shared machine busy during one server's rounds makes a miss that the next attempt does not "
        "repeat, while a slower mockopik misses in every attempt",
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("http_bench: needs wrk (Debian: apt-get install wrk)")
    requests_only = arguments.check == "requests"
    compile_bytecode()
    for attempt in range(1, max(arguments.attempts, 1) + 1):
        if attempt > 1:
            print(f"\nmeasuring again: attempt {attempt} of {arguments.attempts}\n")
        results = measure(
            arguments.seconds, arguments.rounds, arguments.scale, arguments.panel, requests_only
        )
        table, missed = report(results)
        print(table, flush=True)
        for miss in missed:
            print(f"MISSED: {miss}", flush=True)
        if not (arguments.check and missed):
            break
    if arguments.check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
