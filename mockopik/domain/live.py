"""Runs that move on their own: a live run's schedule played up to an instant, and who plans Studio runs."""

from __future__ import annotations

import copy
from bisect import bisect_right
from datetime import datetime
from typing import Protocol

from mockopik.domain.models import Dataset, Optimization, Schedule


class StudioWorker(Protocol):
    """What executes a new Optimization Studio run (Opik queues it for its Python worker)."""

    def plan(self, optimization: Optimization, dataset: Dataset) -> Schedule | None:
        """The schedule of a just created Studio run: when it starts running, its trials, its end."""


def settle(optimization: Optimization, now: datetime) -> Optimization:
    """The run as it stands at `now`: the trials and status changes its schedule holds up to `now` are
    applied (a status change also sets `last_updated_at`, and its `error_info` when it has one), and the
    rest stays scheduled. The run itself when nothing is due; settling at one instant and then at a later
    one is settling at the later one, so when it is asked does not change the history."""
    schedule = optimization.schedule
    if schedule is None or schedule.next_at > now:
        return optimization
    trials = bisect_right(schedule.trials, now, key=lambda trial: trial.created_at)
    statuses = bisect_right(schedule.statuses, now, key=lambda change: change.at)
    settled = copy.copy(optimization)
    settled.trials = [*optimization.trials, *schedule.trials[:trials]]
    for change in schedule.statuses[:statuses]:
        settled.status, settled.last_updated_at = change.status, change.at
        if change.error_info is not None:
            settled.error_info = copy.deepcopy(change.error_info)
    rest = Schedule(schedule.trials[trials:], schedule.statuses[statuses:])
    settled.schedule = rest if rest.trials or rest.statuses else None
    return settled


def planned_trials(optimization: Optimization) -> int | None:
    """How many trials a live run will have when it ends (None for a run its client drives)."""
    if optimization.schedule is None:
        return None
    return len(optimization.trials) + len(optimization.schedule.trials)
