"""The `sorting` query parameter as Opik's SortingFactory reads it: one field, ascending unless told."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from mockopik.domain.errors import BadRequestError

T = TypeVar("T")
DIRECTIONS = {"ASC": False, "DESC": True}


@dataclass(frozen=True)
class Sorting:
    """A sortable field (`name`, or `feedback_scores.accuracy` for a dynamic one) and its direction."""

    field: str
    descending: bool = False

    @property
    def base(self) -> str:
        return self.field.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The dynamic part of `feedback_scores.accuracy` (`accuracy`); empty for a plain field."""
        return self.field.split(".", 1)[1] if "." in self.field else ""


def parse_sorting(raw: str | None, sortable: Sequence[str]) -> Sorting | None:
    """The sorting in `raw` (a JSON list of `{field, direction}`), or None for none.

    As Opik's SortingFactory: text that is not such a list is a 400 naming it; only the first field
    counts; a field the endpoint does not sort by is ignored (None); a missing direction is ASC.
    """
    if raw is None or not raw.strip():
        return None
    invalid = BadRequestError(f"Invalid sorting query parameter '{raw}'")
    try:
        items = json.loads(raw)
    except ValueError:
        raise invalid from None
    if items is None:
        return None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise invalid
    fields = []
    for item in items:
        direction = item.get("direction")
        if direction is not None and direction not in DIRECTIONS:
            raise invalid
        field = item.get("field")
        if isinstance(field, bool) or not isinstance(field, (str, int, float)):
            raise invalid
        fields.append(Sorting(str(field), DIRECTIONS.get(direction or "ASC", False)))
    if not fields:
        return None
    return fields[0] if supports(sortable, fields[0].field) else None


def supports(sortable: Sequence[str], field: str) -> bool:
    """A listed field, or `<base>.<key>` where `<base>.*` is listed."""
    if field in sortable:
        return True
    base, _, key = field.partition(".")
    return bool(key) and f"{base}.*" in sortable


def ordered(
    records: Iterable[T],
    sorting: Sorting | None,
    value: Callable[[T, Sorting], Any],
    newest_first: Callable[[T], int],
) -> list[T]:
    """`records` newest first, then (stably) by the sorting's value, as ClickHouse orders them: a
    dynamic key a record lacks reads as 0 and comes after (before, ascending) the records that have it."""
    result = sorted(records, key=newest_first, reverse=True)
    if sorting is not None:
        result.sort(key=lambda record: _comparable(value(record, sorting)), reverse=sorting.descending)
    return result


def map_value(values: dict[str, Any] | None, key: str) -> tuple[Any, bool]:
    """A dynamic field's sort value: (value, present), with ClickHouse's 0 for a missing key."""
    if values is None or key not in values:
        return (0.0, False)
    return (values[key], True)


def _comparable(value: Any) -> tuple[int, Any]:
    """Values of one field compare among themselves; None (no value) sorts lowest."""
    if value is None:
        return (0, 0)
    if isinstance(value, tuple):
        return (1, tuple(_comparable(part) for part in value))
    if isinstance(value, datetime):
        return (1, value.timestamp())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))
