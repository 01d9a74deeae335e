"""Time sources: the wall clock, a settable clock for tests, and Opik's timestamp format."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC, truncated to microseconds."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to: for tests and reproducible lifecycles."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


def format_instant(moment: datetime) -> str:
    """ISO-8601 UTC with microseconds and Z, e.g. 2026-11-27T10:15:30.123456Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    date, time, fraction, zone = match.groups()
    seconds = ":00" if time.count(":") == 1 else ""
    offset = "+00:00" if zone.upper() == "Z" else zone
    try:
        moment = datetime.fromisoformat(
            f"{date}T{time}{seconds}.{(fraction or '').ljust(6, '0')[:6]}{offset}"
        )
    except ValueError:
        return None
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # in UTC before year 1 or after 9999: a java.time.Instant, not a datetime
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=timezone.utc)
