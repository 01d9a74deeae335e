"""The recipes generated data sets follow: how each mixes its runs (statuses, Studio share, time span)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from mockopik.domain.models import OptimizationStatus as Status


@dataclass(frozen=True)
class Recipe:
    """How a generated workspace is mixed (by default, a team's): runs in progress, terminal statuses,
    Studio share, the days the runs span."""

    in_progress: int | None = None  # the newest N runs are running/initialized (None: a few, by size)
    terminal: Mapping[Status, int] = field(
        default_factory=lambda: {Status.COMPLETED: 72, Status.ERROR: 14, Status.CANCELLED: 14}
    )
    endings: Mapping[Status, int] | None = None  # how the runs in progress will end (None: as `terminal`)
    studio_share: float = 0.18
    days: float = 28.0
    fail_at_start: float = 0.25  # share of failed runs that fail before their first trial
    salt: str = ""  # mixed into the seed, so that each recipe makes its own runs from one seed


DEFAULT_RECIPE = "team"
RECIPES = MappingProxyType(
    {
        DEFAULT_RECIPE: Recipe(),
        "running": Recipe(
            salt="running",
            in_progress=6,
            terminal={Status.COMPLETED: 80, Status.ERROR: 10, Status.CANCELLED: 10},
            endings={Status.COMPLETED: 50, Status.ERROR: 25, Status.CANCELLED: 25},
            studio_share=0.35,
            days=3.0,
        ),
        "studio": Recipe(
            salt="studio",
            in_progress=4,
            terminal={Status.COMPLETED: 60, Status.ERROR: 20, Status.CANCELLED: 20},
            endings={Status.COMPLETED: 50, Status.ERROR: 30, Status.CANCELLED: 20},
            studio_share=1.0,
            days=14.0,
        ),
        "failures": Recipe(
            salt="failures",
            in_progress=0,
            terminal={Status.ERROR: 65, Status.CANCELLED: 35},
            studio_share=0.3,
            days=21.0,
            fail_at_start=0.5,
        ),
    }
)
