"""How long the data side takes at scale: `python benchmarks/data_sets.py` (compare the rows, not machines).

Each row runs against a baseline measured in the same run, so the ratio is what to read:
booting `large` (10,000 runs) against booting the default 25, a reset (a copy of the boot data)
against booting again, and a list page of `large` against one of the default data.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from mockopik.app import create_app
from mockopik.clock import SystemClock
from mockopik.config import Settings
from mockopik.data import boot, fixture_files


def seconds(action: Callable[[], object], repeat: int = 3) -> float:
    """The median wall time of `action`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    def fresh_boot(**settings: object) -> Callable[[], object]:
        def run() -> object:
            boot._generated.cache_clear()  # measure generating, not the cache
            return boot.boot_snapshot(Settings.resolve({}, **settings), SystemClock())

        return run

    large = create_app(Settings.resolve({}), scenario="large")
    small = create_app(Settings.resolve({}))
    runtime = large.extensions["mockopik"]
    document = fixture_files.dump_store(runtime.store)
    text = fixture_files.dumps(document)
    parsed = fixture_files.parse(text, "large")
    rows = [
        (
            "boot large (generate 10,000 runs)",
            seconds(fresh_boot(scenario="large"), 1),
            seconds(fresh_boot(), 5),
        ),
        (
            "reset large (copy of the boot data)",
            seconds(runtime.reset),
            seconds(fresh_boot(scenario="large"), 1),
        ),
        (
            "export large (dump + text)",
            seconds(lambda: fixture_files.dumps(fixture_files.dump_store(runtime.store)), 1),
            0.0,
        ),
        (
            "load large (validate + build)",
            seconds(lambda: fixture_files.load(parsed, "large", "admin"), 1),
            0.0,
        ),
        (
            "list page of 100, large",
            seconds(lambda: large.test_client().get("/v1/private/optimizations?size=100"), 5),
            seconds(lambda: small.test_client().get("/v1/private/optimizations?size=100"), 5),
        ),
    ]
    print(f"{'measure':<40} {'seconds':>9} {'baseline':>9} {'ratio':>7}   (export: {len(text) / 1e6:.1f} MB)")
    for name, value, baseline in rows:
        ratio = f"{value / baseline:7.2f}" if baseline else "      -"
        print(f"{name:<40} {value:9.3f} {baseline:9.3f} {ratio}")


if __name__ == "__main__":
    main()
