"""The fault injector: live rules with their counters, its own seeded RNG, and injectable timing."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol
from uuid import UUID

from mockopik.faults.rules import API, MAX_RULES, Request, Rule, RuleError, load_rules, unknown_operations


class Timing(Protocol):
    """Where the injector reads elapsed time (for windows) and sleeps (for latency)."""

    def elapsed(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def wake(self) -> None:
        """End the sleeps in progress at once (the server is stopping)."""


class RealTiming:
    """The monotonic clock, and sleeps that `wake` ends early."""

    def __init__(self) -> None:
        self._alarm = threading.Event()

    def elapsed(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self._alarm.wait(seconds)

    def wake(self) -> None:
        self._alarm.set()  # the sleepers waiting now return; later sleeps sleep again
        self._alarm.clear()


@dataclass
class RuleState:
    """A rule in force: where it came from, when it was added, how often it matched and fired."""

    rule: Rule
    origin: str
    added_at: float
    matched: int = 0
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.rule.times is not None and self.fired >= self.rule.times

    def active(self, now: float) -> bool:
        window = self.rule.window
        return not self.spent and (window is None or window.contains(now - self.added_at))

    def to_json(self, now: float) -> dict[str, Any]:
        state = {"origin": self.origin, "matched": self.matched, "fired": self.fired}
        return {**self.rule.to_json(), **state, "active": self.active(now)}


@dataclass(frozen=True)
class Decision:
    """What happens to one request: the rules that fired, the delay, and the rule that answers."""

    fired: tuple[str, ...] = ()
    delay: float = 0.0
    answer: Rule | None = None
    incident: int = 0


NO_FAULT = Decision()


class FaultInjector:
    """Decides each request's faults; one lock keeps counters and the RNG sequence consistent."""

    def __init__(
        self,
        boot: Iterable[tuple[Rule, str]],
        seed: int,
        max_delay: float,
        timing: Timing | None = None,
        operations: Collection[str] | None = None,
    ) -> None:
        """`operations`: the operation names requests can have; rules whose operation globs match
        none of them are refused (None: any name goes)."""
        self.boot = list(boot)
        self.seed = seed
        self.max_delay = max_delay
        self.timing = timing or RealTiming()
        self.operations = operations
        for rule, _ in self.boot:
            self._check_operations(rule)
        self._lock = threading.Lock()
        self._states: list[RuleState] = []
        self.reset()

    def reset(self) -> None:
        """Back to the boot rules, with fresh counters, windows and RNG."""
        with self._lock:
            self._rng = random.Random(self.seed)
            self._forced_rng = random.Random(self.seed)  # so that forced requests leave the sequence alone
            self._numbers = itertools.count(1)
            self._states = []
            for rule, origin in self.boot:
                self._put(rule, origin)

    def add(self, rule: Rule, origin: str = API) -> Rule:
        """Put a rule in force (an id given twice replaces the older rule in place)."""
        self._check_operations(rule)
        with self._lock:
            self._check_room([rule])
            return self._put(rule, origin)

    def add_all(self, rules: list[Rule], origin: str = API) -> list[str]:
        """Put several rules in force, all or none (each is checked first); their ids."""
        for rule in rules:
            self._check_operations(rule)
        with self._lock:
            self._check_room(rules)
            return list(dict.fromkeys(self._put(rule, origin).id for rule in rules))

    def add_json(self, value: Any, origin: str = API) -> list[str]:
        """Rules in their JSON form (one object or a list), all or none; RuleError lists the problems."""
        return self.add_all(load_rules(value, self.operations), origin)

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            kept = [state for state in self._states if state.rule.id != rule_id]
            removed = len(kept) != len(self._states)
            self._states = kept
            return removed

    def clear(self) -> None:
        with self._lock:
            self._states = []

    @property
    def idle(self) -> bool:
        """Whether no rule is in force (then no request meets a fault, unless it forces one)."""
        return not self._states

    def states(self) -> list[RuleState]:
        with self._lock:
            return list(self._states)

    def listing(self, ids: Collection[str] | None = None) -> list[dict[str, Any]]:
        """The rules in force (or those of `ids`, in that order) as JSON, with their counters."""
        with self._lock:
            now = self.timing.elapsed()
            by_id = {state.rule.id: state for state in self._states}
            chosen = by_id.values() if ids is None else [by_id[i] for i in ids if i in by_id]
            return [state.to_json(now) for state in chosen]

    def decide(self, request: Request) -> Decision:
        """Consult the rules in order: delays add up, and the first rule that answers ends the search."""
        with self._lock:
            now = self.timing.elapsed()
            fired: list[str] = []
            delay = 0.0
            answer: Rule | None = None
            for state in self._states:
                rule = state.rule
                if rule.vanish or (rule.answers and answer is not None) or not state.active(now):
                    continue
                if not rule.match.matches(request):
                    continue
                state.matched += 1
                if state.matched <= rule.after or not self._chance(rule.probability):
                    continue
                state.fired += 1
                fired.append(rule.id)
                if rule.latency is not None:
                    delay += rule.latency.sample(self._rng, self.max_delay)
                if rule.answers:
                    answer = rule
            if answer is None:
                fired.extend(self._vanish_rules_touching(request, now))
            return self._decision(fired, delay, answer, self._rng)

    def force(self, rule: Rule) -> Decision:
        """The decision a request forces for itself (the X-Mockopik-Fault header); no rule is consulted."""
        with self._lock:
            delay = rule.latency.sample(self._forced_rng, self.max_delay) if rule.latency else 0.0
            return self._decision([rule.id], delay, rule if rule.answers else None, self._forced_rng)

    def vanished(self, workspace: str) -> frozenset[UUID]:
        """Ids that vanish rules in force make look deleted in `workspace`."""
        if not self._states:
            return frozenset()
        with self._lock:
            now = self.timing.elapsed()
            return frozenset(
                optimization_id
                for state in self._states
                if state.rule.vanish and state.active(now) and _in_workspace(state.rule, workspace)
                for optimization_id in state.rule.vanish
            )

    # -- helpers (called with the lock held) --------------------------------------------------

    def _put(self, rule: Rule, origin: str) -> Rule:
        if not rule.id:
            taken = {state.rule.id for state in self._states}
            rule = replace(rule, id=next(f"rule-{n}" for n in self._numbers if f"rule-{n}" not in taken))
        state = RuleState(rule, origin, self.timing.elapsed())
        positions = [i for i, old in enumerate(self._states) if old.rule.id == rule.id]
        if positions:
            self._states[positions[0]] = state
        else:
            self._states.append(state)
        return rule

    def _check_room(self, rules: list[Rule]) -> None:
        """At most MAX_RULES rules in force: each is consulted on every request."""
        taken = {state.rule.id for state in self._states}
        added = {rule.id for rule in rules if rule.id and rule.id not in taken}
        count = len(self._states) + len(added) + sum(1 for rule in rules if not rule.id)
        if count > MAX_RULES:
            raise RuleError([f"at most {MAX_RULES} rules can be in force; these would make {count}"])

    def _chance(self, probability: float) -> bool:
        return probability >= 1 or self._rng.random() < probability

    def _decision(self, fired: list[str], delay: float, answer: Rule | None, rng: random.Random) -> Decision:
        incident = rng.getrandbits(64) if answer is not None and answer.status == 500 else 0
        return Decision(tuple(fired), min(delay, self.max_delay), answer, incident)

    def _vanish_rules_touching(self, request: Request, now: float) -> list[str]:
        """Vanish rules that shape this request: finds in their workspace, and their own ids."""
        touched: list[str] = []
        for state in self._states:
            rule = state.rule
            if not rule.vanish or not state.active(now) or not _in_workspace(rule, request.workspace):
                continue
            finding = request.operation.startswith("find")
            if finding or any(str(vanished) == request.optimization_id for vanished in rule.vanish):
                state.matched += 1
                state.fired += 1
                touched.append(rule.id)
        return touched

    def _check_operations(self, rule: Rule) -> None:
        problems = unknown_operations(rule.match.operation, self.operations)
        if problems:
            where = f"rule '{rule.id}': " if rule.id else ""
            raise RuleError([f"{where}{problem}" for problem in problems])


def _in_workspace(rule: Rule, workspace: str) -> bool:
    return not rule.match.workspace or workspace in rule.match.workspace
