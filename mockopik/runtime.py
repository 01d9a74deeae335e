"""The live state of one mockopik instance: settings, clock and store, and how to reset them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flask import current_app

from mockopik.boot import Snapshot, boot_snapshot
from mockopik.clock import Clock, SystemClock
from mockopik.config import Settings
from mockopik.store import Store


@dataclass
class Runtime:
    """What every request of one app works on; `reset` goes back to the boot state."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    store: Store = field(init=False)
    boot: Snapshot = field(init=False)

    def __post_init__(self) -> None:
        self.store = Store(self.clock, self.settings.user, random.Random(self.settings.seed))
        self.boot = boot_snapshot(self.settings, self.clock)
        self.reset()

    def reset(self) -> None:
        """Back to the boot data set (the fixture file, scenario or seed and count of the settings)."""
        self.store.replace_all(self.boot.fresh())


def current_runtime() -> Runtime:
    """The runtime of the app handling the current request."""
    runtime: Runtime = current_app.extensions["mockopik"]
    return runtime
