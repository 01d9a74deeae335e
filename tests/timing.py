"""A fake timing for the fault injector: sleeping never waits, it only moves the clock on."""

from __future__ import annotations


class FakeTiming:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def elapsed(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def wake(self) -> None:
        pass

    def advance(self, seconds: float) -> None:
        self.now += seconds
