"""UUID v7 ids: minted now or from a given instant, parsed from paths and bodies."""

from __future__ import annotations

import random
import re
from datetime import datetime
from uuid import UUID

import uuid6

_CANONICAL = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RANDOM_BITS = 80


def new_id() -> UUID:
    """A fresh v7 id from the wall clock, monotonic within the process."""
    return UUID(int=uuid6.uuid7().int)


def id_at(moment: datetime, rng: random.Random) -> UUID:
    """A v7 id whose timestamp is `moment` and whose random bits come from `rng` (reproducible)."""
    millis = int(moment.timestamp() * 1000)
    minted = uuid6.UUID(int=(millis << _RANDOM_BITS) | rng.getrandbits(_RANDOM_BITS), version=7)
    return UUID(int=minted.int)


def is_v7(value: UUID) -> bool:
    return value.version == 7


def parse_uuid(text: str) -> UUID | None:
    """The UUID written canonically (8-4-4-4-12 hex digits) in `text`, or None."""
    return UUID(text) if _CANONICAL.match(text) else None
