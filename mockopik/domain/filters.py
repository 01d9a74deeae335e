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
# Opik's Operator enum: any other text is not an operator at all (the whole parameter is invalid).
ALL_OPERATORS = frozenset({op for ops in OPERATORS_BY_TYPE.values() for op in ops} | {">=", "<="})
FIELD_TYPES: dict[str, FieldType] = {
    "status": FieldType.ENUM,
    "dataset_id": FieldType.STRING_EXACT,
    "metadata": FieldType.DICTIONARY,
    "project_id": FieldType.STRING_EXACT,
}
_REQUIRED_KEYS = ("field", "operator", "value")
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LIKE_SPECIAL = re.compile(r"[%_\\]")
# Java's String.trim(): every character up to U+0020.
_JAVA_TRIMMED = "".join(map(chr, range(0x21)))
# ClickHouse's lower(): ASCII letters only.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Filter:
    """One validated filter; `matches` tells whether an optimization passes it."""

    field: str
    operator: str
    value: str | None
    key: str | None = None

    @property
    def type(self) -> FieldType:
        return FIELD_TYPES[self.field]

    def predicate(self) -> Callable[[Optimization], bool]:
        """A function telling whether an optimization passes this filter (built once per find)."""
        test = _TESTS[self.type][self.operator](self.value or "")
        read = _reader(self.field, self.key)
        return lambda optimization: test(read(optimization))


def parse_filters(raw: str | None) -> tuple[Filter, ...]:
    """The filters in `raw` (blank or `[]` = none), duplicates removed; 400 on anything invalid.

    As FiltersFactory reads them: Jackson first (a missing field, operator or value, an unknown field
    or operator, or a value that is not text makes the whole parameter invalid), then each filter in
    turn. An explicit `null` field or operator, or a null value that a metadata filter would URL-decode,
    fails inside the backend with a NullPointerException (a 500); no input gets a 500 from mockopik,
    which refuses the parameter instead (a deliberate difference, in `contract/drift.py`)."""
    if raw is None or not raw.strip():
        return ()
    invalid = BadRequestError(f"Invalid filters query parameter '{raw}'")
    try:
        items = json_text.loads(raw)
    except ValueError:
        raise invalid from None
    if not isinstance(items, list):
        raise invalid
    read = [_read(item, invalid) for item in items]
    return tuple(dict.fromkeys(_validated(candidate, invalid) for candidate in dict.fromkeys(read)))


def _read(item: Any, invalid: BadRequestError) -> Filter:
    """One filter as Jackson binds it; refusals are the parameter's 400."""
    if not isinstance(item, dict) or any(key not in item for key in _REQUIRED_KEYS):
        raise invalid
    texts = {name: _text(item.get(name)) for name in (*_REQUIRED_KEYS, "key")}
    if any(item.get(name) is not None and text is None for name, text in texts.items()):
        raise invalid  # an object or array where Jackson wants text
    field, operator = texts["field"], texts["operator"]
    if field not in (None, *FIELD_TYPES) or operator not in (None, *ALL_OPERATORS):
        raise invalid
    # An empty text was refused above: "" stands for an explicit null from here on.
    return Filter(field or "", operator or "", texts["value"], texts["key"])


def _validated(candidate: Filter, invalid: BadRequestError) -> Filter:
    """Opik's checks in its order: URL-decode dictionary values, then operator, then value and key."""
    if not candidate.field or not candidate.operator:
        raise invalid  # Opik: a NullPointerException
    kind = candidate.type
    needs_value = candidate.operator not in NO_VALUE_OPERATORS
    if kind is FieldType.DICTIONARY and needs_value:
        if candidate.value is None:
            raise invalid  # Opik: a NullPointerException
        candidate = replace(candidate, value=_url_decoded(candidate.value))
    if candidate.operator not in OPERATORS_BY_TYPE[kind]:
        raise BadRequestError(
            f"Invalid operator '{candidate.operator}' for field '{candidate.field}' of type '{kind.value}'"
        )
    if kind is FieldType.DICTIONARY:
        blank = not (candidate.key or "").strip()
    else:
        blank = needs_value and not (candidate.value or "").strip()
    if blank:
        raise BadRequestError(
            f"Invalid value '{_java_text(candidate.value)}' or key '{_java_text(candidate.key)}' "
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


def is_literal(text: str) -> bool:
    """Whether LIKE reads `text` as itself: it holds no `%`, `_` or backslash."""
    return not _LIKE_SPECIAL.search(text)


def like_expression(pattern: str, any_character: str = ".") -> str:
    """A LIKE pattern as a regular expression, `any_character` standing for one character."""
    parts: list[str] = []
    characters = iter(pattern)
    for character in characters:
        if character == "\\":
            parts.append(re.escape(next(characters, "\\")))
        else:
            parts.append(
                {"%": any_character + "*", "_": any_character}.get(character) or re.escape(character)
            )
    return "".join(parts)


def like(pattern: str, ignore_case: bool = False) -> Test:
    """ClickHouse's LIKE (ILIKE with `ignore_case`, folding case as `str.lower` does) as a test of a
    text: `%` is any text, `_` any one character, and a backslash makes the next character literal."""
    fold: Callable[[str], str] = str.lower if ignore_case else str
    inner = fold(pattern[1:-1])
    if len(pattern) > 1 and pattern[0] == pattern[-1] == "%" and is_literal(inner):
        return lambda text: inner in fold(text)  # `%text%`: a substring, several times faster
    matches = re.compile(like_expression(fold(pattern)), re.DOTALL).fullmatch
    return lambda text: matches(fold(text)) is not None


def _containing(value: str, ignore_case: bool) -> Test:
    """`LIKE CONCAT('%', value, '%')`: the value is a pattern, not escaped."""
    return like(f"%{value}%", ignore_case)


def _lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _java_trimmed(text: str) -> str:
    return text.strip(_JAVA_TRIMMED)


def _listed(value: str) -> frozenset[str]:
    """The values of IN / NOT IN as Opik binds them: split at commas, trimmed, empty ones dropped."""
    return frozenset(part for part in map(_java_trimmed, value.split(",")) if part)


def _numeric(compare: Callable[[float, float], bool]) -> TestFactory:
    """`toFloat64OrNull(actual) <op> toFloat64OrNull(value)`: false when either is not a number."""

    def factory(value: str) -> Test:
        expected = _number(value)
        if expected is None:
            return lambda actual: False
        return lambda actual: (number := _number(actual)) is not None and compare(number, expected)

    return factory


# JSON_VALUE of a missing key, and of a JSON null.
_EMPTY_JSON_VALUES = frozenset({"", "null"})

# Each operator maps the filter's value to a test of the field's text, prepared once per find; each
# follows the SQL template of FilterQueryBuilder for the field's type.
_EXACT: dict[str, TestFactory] = {
    "contains": lambda value: _containing(value, ignore_case=False),
    "not_contains": lambda value: (lambda match: lambda actual: not match(actual))(_containing(value, False)),
    "starts_with": lambda value: lambda actual: actual.startswith(value),
    "ends_with": lambda value: lambda actual: actual.endswith(value),
    "=": lambda value: lambda actual: actual == value,
    "!=": lambda value: lambda actual: actual != value,
    ">": lambda value: lambda actual: actual > value,
    "<": lambda value: lambda actual: actual < value,
}
_ENUM: dict[str, TestFactory] = {
    "=": lambda value: lambda actual: actual == value,
    "!=": lambda value: lambda actual: actual != value,
    "is_empty": lambda _: lambda actual: not actual,
    "is_not_empty": lambda _: lambda actual: bool(actual),
    "in": lambda value: (lambda listed: lambda actual: actual in listed)(_listed(value)),
    "not_in": lambda value: (lambda listed: lambda actual: actual not in listed)(_listed(value)),
}
_DICTIONARY: dict[str, TestFactory] = {
    "contains": lambda value: _containing(value, ignore_case=True),
    "not_contains": lambda value: (lambda match: lambda actual: not match(actual))(_containing(value, True)),
    "starts_with": lambda value: (lambda low: lambda actual: _lower(actual).startswith(low))(_lower(value)),
    "ends_with": lambda value: (lambda low: lambda actual: _lower(actual).endswith(low))(_lower(value)),
    "=": lambda value: (lambda low: lambda actual: _lower(actual) == low)(_lower(value)),
    "!=": lambda value: (lambda low: lambda actual: _lower(actual) != low)(_lower(value)),
    ">": _numeric(lambda actual, expected: actual > expected),
    "<": _numeric(lambda actual, expected: actual < expected),
    "is_empty": lambda _: lambda actual: actual in _EMPTY_JSON_VALUES,
    "is_not_empty": lambda _: lambda actual: actual not in _EMPTY_JSON_VALUES,
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
    """ClickHouse's JSON_VALUE at `key` (a dotted path, `[n]` for list items): a scalar as text, `null`
    for a JSON null, "" when missing or not a scalar."""
    current = metadata
    for part in (key or "").replace("[", ".").replace("]", "").split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return ""
    if isinstance(current, (dict, list)):
        return ""
    if isinstance(current, str):
        return current
    return json.dumps(current)
