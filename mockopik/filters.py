"""The `filters` query parameter of findOptimizations: parse, validate against Opik's rules, match."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from mockopik.errors import BadRequestError
from mockopik.models import Optimization


class FieldType(str, Enum):
    ENUM = "ENUM"
    STRING_EXACT = "STRING_EXACT"
    DICTIONARY = "DICTIONARY"


NO_VALUE_OPERATORS = frozenset({"is_empty", "is_not_empty"})
_STRING_EXACT_OPERATORS = (
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "=",
    "!=",
    ">",
    "<",
)
OPERATORS_BY_TYPE: dict[FieldType, tuple[str, ...]] = {
    FieldType.ENUM: ("=", "!=", "is_empty", "is_not_empty", "in", "not_in"),
    FieldType.STRING_EXACT: _STRING_EXACT_OPERATORS,
    FieldType.DICTIONARY: (*_STRING_EXACT_OPERATORS, "is_empty", "is_not_empty"),
}
ALL_OPERATORS = frozenset(op for ops in OPERATORS_BY_TYPE.values() for op in ops)
FIELD_TYPES: dict[str, FieldType] = {
    "status": FieldType.ENUM,
    "dataset_id": FieldType.STRING_EXACT,
    "metadata": FieldType.DICTIONARY,
    "project_id": FieldType.STRING_EXACT,
}
_REQUIRED_KEYS = ("field", "operator", "value")


@dataclass(frozen=True)
class Filter:
    """One validated filter; `matches` tells whether an optimization passes it."""

    field: str
    operator: str
    value: str
    key: str | None = None

    @property
    def type(self) -> FieldType:
        return FIELD_TYPES[self.field]

    def matches(self, optimization: Optimization) -> bool:
        compare = _COMPARISONS[self.type][self.operator]
        return compare(_field_text(optimization, self.field, self.key), self.value)


def parse_filters(raw: str | None) -> tuple[Filter, ...]:
    """The filters in `raw` (blank or `[]` = none), duplicates removed; 400 on anything invalid."""
    if raw is None or not raw.strip():
        return ()
    invalid = BadRequestError(f"Invalid filters query parameter '{raw}'")
    try:
        items = json.loads(raw)
    except ValueError:
        raise invalid from None
    if not isinstance(items, list):
        raise invalid
    filters: dict[Filter, None] = {}
    for item in items:
        if not isinstance(item, dict) or any(item.get(key) is None for key in _REQUIRED_KEYS):
            raise invalid
        field, operator = item["field"], item["operator"]
        value, key = _text(item["value"]), _text(item.get("key"))
        if field not in FIELD_TYPES or operator not in ALL_OPERATORS or value is None:
            raise invalid
        filters[_validated(Filter(field, operator, value, key))] = None
    return tuple(filters)


def _validated(candidate: Filter) -> Filter:
    kind = candidate.type
    if candidate.operator not in OPERATORS_BY_TYPE[kind]:
        raise BadRequestError(
            f"Invalid operator '{candidate.operator}' for field '{candidate.field}' of type '{kind.value}'"
        )
    needs_value = candidate.operator not in NO_VALUE_OPERATORS
    blank_value = needs_value and not candidate.value.strip()
    blank_key = kind is FieldType.DICTIONARY and not (candidate.key or "").strip()
    if blank_value or blank_key:
        raise BadRequestError(
            f"Invalid value '{candidate.value}' or key '{_java_text(candidate.key)}' "
            f"for field '{candidate.field}' of type '{kind.value}'"
        )
    return candidate


def _java_text(value: str | None) -> str:
    """How Java's String.format prints a possibly-null string."""
    return "null" if value is None else value


def _text(value: Any) -> str | None:
    """A filter's value or key as Jackson reads it into a String: scalars coerced, others refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


Comparison = Callable[[str, str], bool]

_EXACT: dict[str, Comparison] = {
    "contains": lambda actual, value: value in actual,
    "not_contains": lambda actual, value: value not in actual,
    "starts_with": lambda actual, value: actual.startswith(value),
    "ends_with": lambda actual, value: actual.endswith(value),
    "=": lambda actual, value: actual == value,
    "!=": lambda actual, value: actual != value,
    ">": lambda actual, value: actual > value,
    "<": lambda actual, value: actual < value,
}
_ENUM: dict[str, Comparison] = {
    "=": lambda actual, value: actual == value.strip().lower(),
    "!=": lambda actual, value: actual != value.strip().lower(),
    "is_empty": lambda actual, _: not actual,
    "is_not_empty": lambda actual, _: bool(actual),
    "in": lambda actual, value: actual in {part.strip().lower() for part in value.split(",")},
    "not_in": lambda actual, value: actual not in {part.strip().lower() for part in value.split(",")},
}
_DICTIONARY: dict[str, Comparison] = {
    **_EXACT,
    "contains": lambda actual, value: value.lower() in actual.lower(),
    "not_contains": lambda actual, value: value.lower() not in actual.lower(),
    "=": lambda actual, value: actual.lower() == value.lower(),
    "!=": lambda actual, value: actual.lower() != value.lower(),
    ">": lambda actual, value: _compare_numbers(actual, value, float.__gt__),
    "<": lambda actual, value: _compare_numbers(actual, value, float.__lt__),
    "is_empty": lambda actual, _: actual == "",
    "is_not_empty": lambda actual, _: actual != "",
}
_COMPARISONS = {
    FieldType.ENUM: _ENUM,
    FieldType.STRING_EXACT: _EXACT,
    FieldType.DICTIONARY: _DICTIONARY,
}


def _field_text(optimization: Optimization, field: str, key: str | None) -> str:
    if field == "status":
        return str(optimization.status.value)
    if field == "metadata":
        return _metadata_value(optimization.metadata, key)
    value = getattr(optimization, field)
    return "" if value is None else str(value)


def _compare_numbers(actual: str, value: str, compare: Callable[[float, float], bool]) -> bool:
    left, right = _number(actual), _number(value)
    return left is not None and right is not None and compare(left, right)


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _metadata_value(metadata: Any, key: str | None) -> str:
    """The text at `key` (a dotted path, `[n]` for list items) in metadata; "" when missing."""
    current = metadata
    for part in (key or "").replace("[", ".").replace("]", "").split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return ""
    if current is None or isinstance(current, (dict, list)):
        return ""
    if isinstance(current, str):
        return current
    return json.dumps(current)
