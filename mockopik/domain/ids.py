"""UUID v7 ids: minted from a clock and a seeded RNG, or from a given instant; parsed from text."""

from __future__ import annotations

import random
import re
from datetime import datetime
from uuid import UUID

from mockopik.clock import Clock

_CANONICAL = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RANDOM_BITS = 80
_NOT_VERSION_OR_VARIANT = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_7_RFC_VARIANT = (7 << 76) | (0x8000 << 48)  # version 7, RFC 9562 variant
_COUNTER_BITS = 74  # the bits of a v7 id after its 48-bit timestamp that are not version or variant
_RAND_B_BITS = 62


class IdMinter:
    """Mints v7 ids from `clock` and `rng`: the same clock and seed give the same ids, and each id is
    greater than the one before even when the clock stands still or goes back (RFC 9562's monotonic
    counter: within a millisecond, the random part counts up)."""

    def __init__(self, clock: Clock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self.reset()

    def reset(self) -> None:
        self._millis = -1
        self._counter = 0

    def mint(self) -> UUID:
        millis = int(self.clock.now().timestamp() * 1000)
        if millis > self._millis:
            self._millis, self._counter = millis, self.rng.getrandbits(_COUNTER_BITS - 1)  # room to count up
        else:
            self._counter += 1
            if self._counter >> _COUNTER_BITS:
                self._millis, self._counter = self._millis + 1, 0
        rand_a, rand_b = self._counter >> _RAND_B_BITS, self._counter & ((1 << _RAND_B_BITS) - 1)
        return UUID(int=(self._millis << 80) | (rand_a << 64) | rand_b | _VERSION_7_RFC_VARIANT)


def id_at(moment: datetime, rng: random.Random) -> UUID:
    """A v7 id whose timestamp is `moment` and whose random bits come from `rng` (reproducible)."""
    millis = int(moment.timestamp() * 1000)
    bits = (millis << _RANDOM_BITS) | rng.getrandbits(_RANDOM_BITS)
    return UUID(int=(bits & _NOT_VERSION_OR_VARIANT) | _VERSION_7_RFC_VARIANT)


def is_v7(value: UUID) -> bool:
    """The version nibble is 7, whatever the variant bits (Java's UUID.version(), which Opik checks)."""
    return (value.int >> 76) & 0xF == 7


def parse_uuid(text: str) -> UUID | None:
    """The UUID written canonically (8-4-4-4-12 hex digits) in `text`, or None."""
    return UUID(text) if _CANONICAL.match(text) else None
