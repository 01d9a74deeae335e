"""The live state of one mockopik instance: settings, clock and store, and how to reset them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flask import current_app

from mockopik import factories
from mockopik.clock import Clock, SystemClock
from mockopik.config import Settings
from mockopik.store import Store


@dataclass
class Runtime:
    """What every request of one app works on; `reset` goes back to the boot state."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    store: Store = field(init=False)

    def __post_init__(self) -> None:
        self.store = Store(self.clock, self.settings.user, random.Random(self.settings.seed))
        self.reset()

    def reset(self) -> None:
        """Back to the boot data set."""
        self.store.replace_all(factories.seed_workspaces(self.settings))
        self.store.rng.seed(self.settings.seed)


def current_runtime() -> Runtime:
    """The runtime of the app handling the current request."""
    runtime: Runtime = current_app.extensions["mockopik"]
    return runtime
