"""Opik's OptimizationService rules for writing over a run: cancelling, terminal runs, restarts, metadata."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from mockopik.domain.errors import ConflictError
from mockopik.domain.models import (
    CANCELLABLE_STATUSES,
    Optimization,
    OptimizationStatus,
    OptimizationUpdate,
    OptimizationWrite,
)

# The `exception_type` Opik's stalled-run reaper (and a Studio job that could not be queued) writes
# into `error_info`: the only mark of an ERROR the platform guessed rather than the worker reported.
SYSTEM_FAILURE_TYPE = "SystemDetectedFailure"


@dataclass(frozen=True)
class UpdatePlan:
    """What an update by id does to a stored run: skipped whole, or applied (maybe clearing error_info)."""

    skipped: bool = False
    clears_error_info: bool = False


def is_system_detected_failure(optimization: Optimization) -> bool:
    """A Studio run in ERROR whose error_info the platform wrote (`isSystemDetectedFailure`)."""
    error_info = optimization.error_info
    return (
        optimization.studio_config is not None
        and optimization.status is OptimizationStatus.ERROR
        and isinstance(error_info, dict)
        and error_info.get("exception_type") == SYSTEM_FAILURE_TYPE
    )


def plan_update(optimization: Optimization, update: OptimizationUpdate) -> UpdatePlan:
    """OptimizationService.applyUpdate: a Studio run is cancelled only from RUNNING or INITIALIZED (or a
    guessed failure), else 409; an already terminal Studio run ignores an update to another status
    (`isTerminalOverwrite`) unless that supersedes a guessed failure with anything but ERROR, which
    also clears the failure's error_info when the update brings none."""
    requested = update.status
    studio = optimization.studio_config is not None
    if requested is OptimizationStatus.CANCELLED and studio and not _cancellable(optimization):
        allowed = ", ".join(status.name for status in CANCELLABLE_STATUSES)
        raise ConflictError(
            f"Cannot cancel optimization with status '{optimization.status.name}'. "
            f"Only optimizations with status [{allowed}] can be cancelled."
        )
    supersedes = (
        is_system_detected_failure(optimization)
        and requested is not None
        and requested is not OptimizationStatus.ERROR
    )
    overwrite = (
        studio
        and requested is not None
        and optimization.status.terminal
        and requested is not optimization.status
        and not supersedes
    )
    return UpdatePlan(skipped=overwrite, clears_error_info=supersedes and update.error_info is None)


def _cancellable(optimization: Optimization) -> bool:
    return optimization.status in CANCELLABLE_STATUSES or is_system_detected_failure(optimization)


def is_restart(existing: Optimization, write: OptimizationWrite) -> bool:
    """An upsert that moves a terminal run back to a non-terminal status starts a new attempt: the
    backend stamps `created_at` and `last_updated_at` anew and drops a guessed failure's error_info."""
    return existing.status.terminal and not write.status.terminal


def merged_metadata(stored: Any, given: Any) -> Any:
    """JsonUtils.merge of an update's metadata: an object's keys overwrite the stored object's; a value
    that is not an object leaves the stored metadata as it is."""
    if not isinstance(given, dict):
        return stored
    if isinstance(stored, dict):
        return {**stored, **copy.deepcopy(given)}
    return copy.deepcopy(given)
