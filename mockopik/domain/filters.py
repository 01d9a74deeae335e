"""The `filters` query parameter of findOptimizations: parse, validate against Opik's rules, match."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any
from urllib.parse import unquote_plus

from mockopik.domain import json_text
from mockopik.domain.errors import BadRequestError
from mockopik.domain.models import Optimization


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
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


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

    def predicate(self) -> Callable[[Optimization], bool]:
        """A function telling whether an optimization passes this filter (built once per find)."""
        test = _TESTS[self.type][self.operator](self.value)
        read = _reader(self.field, self.key)
        return lambda optimization: test(read(optimization))


def parse_filters(raw: str | None) -> tuple[Filter, ...]:
    """The filters in `raw` (blank or `[]` = none), duplicates removed; 400 on anything invalid."""
    if raw is None or not raw.strip():
        return ()
    invalid = BadRequestError(f"Invalid filters query parameter '{raw}'")
    try:
        items = json_text.loads(raw)
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
    """Opik's checks in its order: URL-decode dictionary values, then operator, then value and key."""
    kind = candidate.type
    needs_value = candidate.operator not in NO_VALUE_OPERATORS
    if kind is FieldType.DICTIONARY and needs_value:
        candidate = replace(candidate, value=_url_decoded(candidate.value))
    if candidate.operator not in OPERATORS_BY_TYPE[kind]:
        raise BadRequestError(
            f"Invalid operator '{candidate.operator}' for field '{candidate.field}' of type '{kind.value}'"
        )
    if kind is FieldType.DICTIONARY:
        invalid = not (candidate.key or "").strip()
    else:
        invalid = needs_value and not candidate.value.strip()
    if invalid:
        raise BadRequestError(
            f"Invalid value '{candidate.value}' or key '{_java_text(candidate.key)}' "
            f"for field '{candidate.field}' of type '{kind.value}'"
        )
    return candidate


def _url_decoded(value: str) -> str:
    """Java's URLDecoder.decode: `+` is a space, `%XX` a byte; a broken escape is refused."""
    if _BROKEN_ESCAPE.search(value):
        raise BadRequestError(f"Invalid filter '{value}'")
    return unquote_plus(value, errors="replace")


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


Test = Callable[[str], bool]
TestFactory = Callable[[str], Test]


def _in_list(value: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in value.split(",") if part.strip())


def _numeric(compare: Callable[[float, float], bool]) -> TestFactory:
    def factory(value: str) -> Test:
        expected = _number(value)
        if expected is None:
            return lambda actual: False
        return lambda actual: (number := _number(actual)) is not None and compare(number, expected)

    return factory


# Each operator maps the filter's value to a test of the field's text, prepared once per find.
_EXACT: dict[str, TestFactory] = {
    "contains": lambda value: lambda actual: value in actual,
    "not_contains": lambda value: lambda actual: value not in actual,
    "starts_with": lambda value: lambda actual: actual.startswith(value),
    "ends_with": lambda value: lambda actual: actual.endswith(value),
    "=": lambda value: lambda actual: actual == value,
    "!=": lambda value: lambda actual: actual != value,
    ">": lambda value: lambda actual: actual > value,
    "<": lambda value: lambda actual: actual < value,
}
_ENUM: dict[str, TestFactory] = {
    "=": lambda value: (lambda expected: lambda actual: actual == expected)(value.strip().lower()),
    "!=": lambda value: (lambda expected: lambda actual: actual != expected)(value.strip().lower()),
    "is_empty": lambda _: lambda actual: not actual,
    "is_not_empty": lambda _: lambda actual: bool(actual),
    "in": lambda value: (lambda listed: lambda actual: actual in listed)(_in_list(value)),
    "not_in": lambda value: (lambda listed: lambda actual: actual not in listed)(_in_list(value)),
}
_DICTIONARY: dict[str, TestFactory] = {
    **_EXACT,
    "contains": lambda value: (lambda low: lambda actual: low in actual.lower())(value.lower()),
    "not_contains": lambda value: (lambda low: lambda actual: low not in actual.lower())(value.lower()),
    "=": lambda value: (lambda low: lambda actual: actual.lower() == low)(value.lower()),
    "!=": lambda value: (lambda low: lambda actual: actual.lower() != low)(value.lower()),
    ">": _numeric(lambda actual, expected: actual > expected),
    "<": _numeric(lambda actual, expected: actual < expected),
    "is_empty": lambda _: lambda actual: actual == "",
    "is_not_empty": lambda _: lambda actual: actual != "",
}
_TESTS = {FieldType.ENUM: _ENUM, FieldType.STRING_EXACT: _EXACT, FieldType.DICTIONARY: _DICTIONARY}


def _reader(field: str, key: str | None) -> Callable[[Optimization], str]:
    """How to read a field of an optimization as the text filters compare."""
    if field == "status":
        return lambda optimization: optimization.status._value_
    if field == "metadata":
        return lambda optimization: _metadata_value(optimization.metadata, key)
    return lambda optimization: "" if (value := getattr(optimization, field)) is None else str(value)


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
