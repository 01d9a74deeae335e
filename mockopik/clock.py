"""Time: the wall clock, mockopik's simulated clock (pace, advance), durations, Opik's timestamps."""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class SimulatedClock:
    """mockopik's time: from `start`, simulated time runs at `pace` simulated seconds per real second
    (0 freezes it, 60 makes an hour pass in a minute), and moves on when advanced or set. `reset`
    goes back to the start and the pace it was built with.

    Its state is one tuple (the base instant, the real time it was taken at, the pace), replaced whole
    by the changes, which a lock keeps in turn: `now` reads it without waiting."""

    def __init__(
        self, start: datetime, pace: float = 0.0, real: Callable[[], float] = time.monotonic
    ) -> None:
        self._start, self._boot_pace, self._real = start, pace, real
        self._lock = threading.Lock()
        self._state: tuple[datetime, float, float] = (start, real(), pace)

    def reset(self) -> None:
        with self._lock:
            self._state = (self._start, self._real(), self._boot_pace)

    @property
    def pace(self) -> float:
        return self._state[2]

    def now(self) -> datetime:
        base, real_base, pace = self._state
        if not pace:
            return base
        return base + timedelta(seconds=(self._real() - real_base) * pace)

    def set_pace(self, pace: float) -> datetime:
        """Run at `pace` from now on (what has passed stays passed); the instant of the change."""
        with self._lock:
            base = self.now()
            self._state = (base, self._real(), pace)
            return base

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            base = self.now() + delta
            self._state = (base, self._real(), self._state[2])
            return base

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._state = (moment, self._real(), self._state[2])


def frozen_at(moment: datetime) -> SimulatedClock:
    """A clock standing still at `moment` until advanced or set (tests, reproducible lifecycles)."""
    return SimulatedClock(moment, pace=0.0)


@dataclass(frozen=True)
class Duration:
    """A non-negative time span; written as milliseconds or with a unit (ms, s, m, h, d)."""

    seconds: float

    def __str__(self) -> str:
        if self.seconds >= 1 and (self.seconds * 1000) % 1000 == 0:
            return f"{self.seconds:g}s"
        return f"{self.seconds * 1000:g}ms"


def parse_duration(text: object) -> Duration:
    """`300` (ms), `250ms`, `2s`, `1.5s`, `10m`, `2h`, `1d`; a bare number is milliseconds."""
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        if text < 0 or not math.isfinite(text):
            raise ValueError(text)
        return Duration(text / 1000)
    if not isinstance(text, str):
        raise ValueError(text)
    found = _DURATION.match(text)
    if found is None:
        raise ValueError(f"not a duration: {text!r}")
    number, unit = found.groups()
    return Duration(float(number) * _SECONDS_PER_UNIT[(unit or "ms").lower()])


def format_instant(moment: datetime) -> str:
    """ISO-8601 UTC with microseconds and Z, e.g. 2026-11-27T10:15:30.123456Z (a year before 1000 is
    written without leading zeros)."""
    utc = moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)
    if utc.year < 1000:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.isoformat(timespec="microseconds")[:-6] + "Z"  # the same text, faster than strftime


# Jackson's java.time.Instant: ISO-8601 with a zone, seconds optional, up to 9 fraction digits, any case.
_ISO_INSTANT = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def parse_instant(text: str) -> datetime | None:
    """The UTC instant an ISO-8601 text with a zone (`Z` or `+hh:mm`) names, to the microsecond, read
    as Opik's Jackson reads a java.time.Instant; None when it names none."""
    match = _ISO_INSTANT.match(text)
    if match is None:
        return None
    date, hours, fraction, zone = match.groups()
    seconds = ":00" if hours.count(":") == 1 else ""
    offset = "+00:00" if zone.upper() == "Z" else zone
    try:
        moment = datetime.fromisoformat(
            f"{date}T{hours}{seconds}.{(fraction or '').ljust(6, '0')[:6]}{offset}"
        )
    except ValueError:
        return None
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # in UTC before year 1 or after 9999: a java.time.Instant, not a datetime
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=timezone.utc)
