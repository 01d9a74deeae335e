"""Benchmark of findOptimizations: 100,000 records against a 1,000-record baseline in the same run.

Run: python benchmarks/find_bench.py [--records 100000] [--baseline 1000] [--check]
With --check it exits non-zero when a paging call on the large store is more than MAX_RATIO
times slower than on the baseline store (paging must not scan; filtered finds may). Each call comes
just after a write, so that it searches again (a workspace keeps its finds until it changes).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.domain.ids import id_at
from mockopik.domain.models import Dataset, Optimization, OptimizationStatus, Project
from mockopik.domain.workspace import Workspace

MAX_RATIO = 3.0
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
RUNNING = json.dumps([{"field": "status", "operator": "=", "value": "running"}])


def workspace(records: int, seed: int = 1) -> Workspace:
    """`records` optimizations over 50 datasets and 5 projects, built directly (fast)."""
    rng = random.Random(seed)
    space = Workspace()
    datasets = [Dataset(id_at(START, rng), f"dataset-{i}", START) for i in range(50)]
    projects = [Project(id_at(START, rng), f"project-{i}", START, "admin", START, "admin") for i in range(5)]
    for dataset in datasets:
        space.add_dataset(dataset)
    for project in projects:
        space.add_project(project)
    statuses = list(OptimizationStatus)
    for index in range(records):
        created = START + timedelta(seconds=index)
        optimization = Optimization(
            id=id_at(created, rng),
            name=f"run-{index}",
            dataset_id=rng.choice(datasets).id,
            objective_name="accuracy",
            status=OptimizationStatus.RUNNING if index % 1000 == 0 else rng.choice(statuses[1:]),
            created_at=created,
            created_by="admin",
            last_updated_at=created,
            last_updated_by="admin",
            project_id=rng.choice(projects).id,
            metadata={"optimizer": "GepaOptimizer", "index": index},
        )
        space.put(optimization)
    return space


def client_for(records: int) -> Callable[[str], float]:
    app = create_app(Settings.resolve({}), count=0)
    store = app.extensions["mockopik"].store
    store.replace_all({"default": workspace(records)})
    client = app.test_client()

    def timed(path: str) -> float:
        samples = []
        for _ in range(7):
            with store.lock:  # a write (the oldest run put again): the workspace's kept reads are dropped
                space = store.workspace("default")
                space.put(copy.copy(space.newest_first()[-1]))
            started = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_data(as_text=True)
        return statistics.median(samples)

    return timed


CASES = {
    "first page, size 100 (UI list)": ("/v1/private/optimizations?size=100", True),
    "page 9, size 100": ("/v1/private/optimizations?page=9&size=100", True),
    "running poll, size 1 (UI sidebar)": (f"/v1/private/optimizations?size=1&filters={RUNNING}", False),
    "name filter, size 10": ("/v1/private/optimizations?name=run-4242", False),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    baseline, large = client_for(args.baseline), client_for(args.records)
    failed = False
    print(f"{'case':36} {args.baseline:>10,} {args.records:>12,}  ratio")
    for name, (path, paging) in CASES.items():
        small_time, large_time = baseline(path), large(path)
        ratio = large_time / small_time
        verdict = "" if not paging else ("ok" if ratio <= MAX_RATIO else f"FAIL (> {MAX_RATIO})")
        failed |= paging and ratio > MAX_RATIO
        print(f"{name:36} {small_time * 1000:8.2f}ms {large_time * 1000:10.2f}ms {ratio:6.1f}x {verdict}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
