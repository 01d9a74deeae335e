"""A run's trials made on demand from their source (a generated run's seed), and what reads over every
run learn of them without making them."""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import overload
from uuid import UUID

from mockopik.domain.models import Trial


class TrialSource(ABC):
    """Where a run's trials come from when they are made on demand (a generated run: its seed and plan).

    What the reads that walk every run need is known without making them: how many there are, the
    most traces one has, when the newest was created, and whether an id can be one of theirs."""

    __slots__ = ()

    count: int
    most_traces: int

    @abstractmethod
    def trials(self) -> list[Trial]:
        """The trials, made afresh (the same ones every time)."""

    @abstractmethod
    def moved(self, delta: timedelta) -> TrialSource:
        """The same trials with their dates moved by `delta` (their ids unchanged)."""

    @property
    @abstractmethod
    def last_created_at(self) -> datetime | None:
        """When the newest trial was created (None without trials)."""

    @abstractmethod
    def may_hold(self, trial_id: UUID) -> bool:
        """False when `trial_id` is surely not one of the trials (true: look at them)."""


TRIALS_KEPT = 1024  # runs whose trials stay made, the most recently read


@functools.lru_cache(maxsize=TRIALS_KEPT)
def _made(source: TrialSource) -> tuple[Trial, ...]:
    return tuple(source.trials())


class LazyTrials(Sequence[Trial]):
    """A run's trials, made from their source when first read (and kept for the runs read last): a
    data set of 100,000 runs holds their seeds, not millions of trials."""

    __slots__ = ("source",)

    def __init__(self, source: TrialSource) -> None:
        self.source = source

    def __len__(self) -> int:
        return self.source.count

    @overload
    def __getitem__(self, index: int) -> Trial: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Trial]: ...

    def __getitem__(self, index: int | slice) -> Trial | Sequence[Trial]:
        return _made(self.source)[index]

    def __iter__(self) -> Iterator[Trial]:
        return iter(_made(self.source))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyTrials) and other.source is self.source:
            return True
        if isinstance(other, (LazyTrials, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyTrials({list(self)!r})"

    def moved(self, delta: timedelta) -> LazyTrials:
        return LazyTrials(self.source.moved(delta))


def last_trial_at(trials: Sequence[Trial]) -> datetime | None:
    """When the newest of `trials` was created, without making lazy ones."""
    if isinstance(trials, LazyTrials):
        return trials.source.last_created_at
    return max((trial.created_at for trial in trials), default=None)


def most_traces(trials: Sequence[Trial]) -> int:
    """The most traces one of `trials` has (0 without trials), without making lazy ones."""
    if isinstance(trials, LazyTrials):
        return trials.source.most_traces
    return max((trial.trace_count for trial in trials), default=0)


def may_hold_any(trials: Sequence[Trial], trial_ids: Iterable[UUID]) -> bool:
    """False when none of `trial_ids` can be among `trials` (known without making lazy ones)."""
    if isinstance(trials, LazyTrials):
        return any(trials.source.may_hold(trial_id) for trial_id in trial_ids)
    return True


def trial_with_id(trials: Sequence[Trial], trial_id: UUID) -> Trial | None:
    """The trial with `trial_id`, without making lazy trials that cannot hold it."""
    if isinstance(trials, LazyTrials) and not trials.source.may_hold(trial_id):
        return None
    return next((trial for trial in trials if trial.id == trial_id), None)
