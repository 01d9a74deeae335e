"""UUID v7 ids: minted now or from a given instant, parsed from paths and bodies."""

from __future__ import annotations

import random
import re
from datetime import datetime
from uuid import UUID

import uuid6

_CANONICAL = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RANDOM_BITS = 80
_NOT_VERSION_OR_VARIANT = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_7_RFC_VARIANT = (7 << 76) | (0x8000 << 48)  # what uuid6.UUID(int=..., version=7) sets


def new_id() -> UUID:
    """A fresh v7 id from the wall clock, monotonic within the process."""
    return UUID(int=uuid6.uuid7().int)


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
