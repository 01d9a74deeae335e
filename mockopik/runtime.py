"""The live state of one mockopik instance: settings, clock, store, faults and journal; and reset."""

from __future__ import annotations

import gc
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mockopik.clock import SimulatedClock, SystemClock
from mockopik.config import Settings, SettingsError
from mockopik.contract.operations import OPERATION_IDS
from mockopik.data.boot import Snapshot, boot_snapshot, describe, reference_time
from mockopik.data.studio_worker import SimulatedStudioWorker
from mockopik.domain.store import Store
from mockopik.domain.workspace import Workspace
from mockopik.faults.injector import FaultInjector, RealTiming, Timing
from mockopik.faults.rules import SETTINGS, Match, Rule, RuleError, read_rules_source
from mockopik.http.journal import Journal

if TYPE_CHECKING:
    from mockopik.data.state_file import StateFile


@dataclass
class Runtime:
    """What every request of one app works on; `reset` goes back to the boot state."""

    settings: Settings
    clock: SimulatedClock
    timing: Timing = field(default_factory=RealTiming)
    store: Store = field(init=False)
    faults: FaultInjector = field(init=False)
    journal: Journal = field(init=False)
    boot: Snapshot = field(init=False)
    source: str = field(init=False)  # what the data is, in a few words
    state: StateFile | None = field(init=False, default=None)
    frozen_data: bool = field(init=False, default=False)  # see `keep_data_from_collector`

    def __post_init__(self) -> None:
        self.store = Store(self.clock, self.settings.user, random.Random(self.settings.seed))
        fault_seed = self.settings.seed if self.settings.fault_seed is None else self.settings.fault_seed
        try:
            self.faults = FaultInjector(
                boot_rules(self.settings),
                fault_seed,
                self.settings.max_delay.seconds,
                self.timing,
                OPERATION_IDS,
            )
        except RuleError as error:
            raise SettingsError("faults", str(error)) from None
        self.store.hidden_ids = self.faults.vanished
        self.store.studio_worker = SimulatedStudioWorker(self.settings.seed)
        self.journal = Journal(self.settings.journal_size, self.settings.journal_bytes)
        self.boot = boot_snapshot(self.settings, self.clock)
        if self.settings.state is not None:
            from mockopik.data.state_file import StateFile  # sqlite3 only for those who use it

            self.state = StateFile(self.settings.state, self.settings.user)
            saved = self.state.load()
            if saved is not None:  # the state file wins over the boot data until a reset
                self.replace_data(saved, f"the state file {self.settings.state}")
                self.store.reseed(self.settings.seed)
                self.store.saver = self.state
                return
            self.store.saver = self.state
        self.reset()

    def reset(self) -> None:
        """Back to the boot state: data set (fixture file, scenario or seed and count), fault rules
        (counters and RNG too), an empty journal, and the clock at its start and pace."""
        self.clock.reset()
        settings = self.settings
        self.replace_data(
            self.boot.fresh(), describe(settings.fixtures, settings.scenario, settings.seed, settings.count)
        )
        self.store.reseed(self.settings.seed)
        self.faults.reset()
        self.journal.clear()

    def replace_data(self, workspaces: dict[str, Workspace], source: str) -> None:
        """Serve another data set (`source` says what it is)."""
        self.store.replace_all(workspaces)
        self.source = source
        if self.frozen_data:
            gc.freeze()

    def keep_data_from_collector(self) -> None:
        """For a serving process: the data set, now and after every later load, is left out of Python's
        cyclic garbage collector. Its objects live until the next load and hold no reference cycles, so
        they are freed as before; but a full collection over them stalls every request (0.7 s with the
        10,000 runs of `large`). Not for a process that builds many apps (a test run): the cycles of the
        apps alive at a freeze would never be collected."""
        self.frozen_data = True
        gc.freeze()

    def close(self) -> None:
        """Let go of the state file, if there is one (writes are saved already)."""
        if self.state is not None:
            self.state.close()


def boot_clock(settings: Settings) -> SimulatedClock:
    """The clock an instance starts with, running at the `pace` setting: from now, or from the instant
    `reference_time` pins (then, at pace 0, every answer is the same on every run)."""
    return SimulatedClock(reference_time(settings, SystemClock()), settings.pace)


def boot_rules(settings: Settings) -> list[tuple[Rule, str]]:
    """The rules a server boots with: --latency, the --faults rules, --not-found-rate, --error-rate."""
    rules: list[tuple[Rule, str]] = []
    if settings.latency is not None:
        rules.append((Rule("latency", latency=settings.latency), SETTINGS))
    if settings.faults is not None:
        rules.extend((rule, SETTINGS) for rule in read_rules_source(settings.faults, OPERATION_IDS))
    if settings.not_found_rate:
        by_id = Match(operation=("get*ById", "update*ById"))
        rules.append(
            (Rule("not-found-rate", by_id, status=404, probability=settings.not_found_rate), SETTINGS)
        )
    if settings.error_rate:
        rules.append((Rule("error-rate", status=500, probability=settings.error_rate), SETTINGS))
    return rules
