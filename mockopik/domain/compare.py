"""findDatasetItemsWithExperimentItems: the items a dataset's experiments ran on, searched, filtered,
sorted and paged as Opik's compare view asks; and the columns of their data and outputs."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mockopik.domain.errors import BadRequestError
from mockopik.domain.models import ComparedItem, ExperimentItem
from mockopik.domain.sorting import Sorting, map_value, ordered

NUMBER_OPERATORS = ("=", "!=", ">", ">=", "<", "<=")
EMPTY_OPERATORS = ("is_empty", "is_not_empty")
TEXT_OPERATORS = ("=", "!=", "contains", "not_contains", "starts_with", "ends_with", ">", "<")
# ExperimentsComparisonFilter's fields that mockopik filters by, and the operators each takes.
FILTER_FIELDS: dict[str, tuple[str, ...]] = {
    "feedback_scores": NUMBER_OPERATORS + EMPTY_OPERATORS,
    "duration": NUMBER_OPERATORS,
    "data": TEXT_OPERATORS + EMPTY_OPERATORS,
    "input": TEXT_OPERATORS + EMPTY_OPERATORS,
    "output": TEXT_OPERATORS + EMPTY_OPERATORS,
}
KEYED = frozenset({"feedback_scores", "data", "input", "output"})


@dataclass(frozen=True)
class Column:
    """A key of the items' data (or of the experiments' outputs) and the JSON types its values take."""

    name: str
    types: tuple[str, ...]
    filter_field_prefix: str


@dataclass(frozen=True)
class CompareFilter:
    field: str
    operator: str
    value: str
    key: str | None = None


@dataclass(frozen=True)
class CompareQuery:
    experiment_ids: frozenset[UUID]
    page: int = 1
    size: int = 10
    filters: tuple[CompareFilter, ...] = ()
    sorting: Sorting | None = None
    search: str | None = None
    truncate: bool = False


@dataclass(frozen=True)
class ComparePage:
    page: int
    total: int
    content: list[ComparedItem]
    columns: list[Column]
    sortable_by: tuple[str, ...]


def parse_compare_filters(raw: str | None) -> tuple[CompareFilter, ...]:
    """The `filters` of the compare view; anything Opik would not read is a 400 naming the parameter."""
    if raw is None or not raw.strip():
        return ()
    invalid = BadRequestError(f"Invalid filters query parameter '{raw}'")
    try:
        items = json.loads(raw)
    except ValueError:
        raise invalid from None
    if not isinstance(items, list):
        raise invalid
    found = []
    for item in items:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) for key in ("field", "operator")
        ):
            raise invalid
        field, operator, key = item["field"], item["operator"], item.get("key")
        if operator not in FILTER_FIELDS.get(field, ()) or (field in KEYED and not key):
            raise invalid
        found.append(CompareFilter(field, operator, str(item.get("value") or ""), key))
    return tuple(dict.fromkeys(found))


def find(rows: Sequence[ComparedItem], query: CompareQuery, sortable: tuple[str, ...]) -> ComparePage:
    """The page of dataset items that pass the search and every filter, newest item first unless sorted."""
    checks = [_filter_check(each) for each in query.filters]
    if query.search:
        needle = query.search.lower()
        checks.append(lambda row: needle in _text(row).lower())
    matching = [row for row in rows if all(check(row) for check in checks)]
    chosen = ordered(matching, query.sorting, _sort_value, lambda row: row.item.id.int)
    start = (query.page - 1) * query.size
    return ComparePage(
        query.page, len(matching), chosen[start : start + query.size], columns(rows, "data"), sortable
    )


def columns(rows: Iterable[ComparedItem], prefix: str) -> list[Column]:
    """The keys of the items' `data` (prefix `data`) or of their experiments' outputs (`output`), sorted."""
    types: dict[str, set[str]] = {}
    for row in rows:
        values = [row.item.data] if prefix == "data" else [item.output for item in row.experiment_items]
        for mapping in values:
            for name, value in mapping.items():
                types.setdefault(name, set()).add(json_type(value))
    return [Column(name, tuple(sorted(types[name])), prefix) for name in sorted(types)]


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def _text(row: ComparedItem) -> str:
    parts = [row.item.data, *(part for item in row.experiment_items for part in (item.input, item.output))]
    return json.dumps(parts, ensure_ascii=False)


def _filter_check(condition: CompareFilter) -> Callable[[ComparedItem], bool]:
    """Whether a row passes: on its data, or on any of its experiment items."""
    test = _test(condition)
    if condition.field == "data":
        return lambda row: test(_lookup(row.item.data, condition.key))
    read = _reader(condition)
    return lambda row: any(test(read(item)) for item in row.experiment_items)


def _reader(condition: CompareFilter) -> Callable[[ExperimentItem], Any]:
    if condition.field == "feedback_scores":
        return lambda item: item.feedback_scores.get(condition.key or "")
    if condition.field == "duration":
        return lambda item: item.duration
    source = condition.field
    return lambda item: _lookup(getattr(item, source), condition.key)


def _lookup(mapping: dict[str, Any], key: str | None) -> Any:
    """A dotted key (`a.b`) in a JSON object; None when absent."""
    value: Any = mapping
    for part in (key or "").split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _test(condition: CompareFilter) -> Callable[[Any], bool]:
    operator, wanted = condition.operator, condition.value
    if operator in EMPTY_OPERATORS:
        return lambda value: (value in (None, "")) == (operator == "is_empty")
    number = _number(wanted)
    if condition.field in ("feedback_scores", "duration") or operator in (">", "<"):
        compare: Callable[[float, float], bool] = {
            "=": lambda a, b: math.isclose(a, b),
            "!=": lambda a, b: not math.isclose(a, b),
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
        }[operator]

        def passes(value: Any) -> bool:
            given = _number(value)
            return number is not None and given is not None and compare(given, number)

        return passes
    text: Callable[[str], bool] = {
        "=": lambda a: a == wanted.lower(),
        "!=": lambda a: a != wanted.lower(),
        "contains": lambda a: wanted.lower() in a,
        "not_contains": lambda a: wanted.lower() not in a,
        "starts_with": lambda a: a.startswith(wanted.lower()),
        "ends_with": lambda a: a.endswith(wanted.lower()),
    }[operator]
    return lambda value: value is not None and text(_as_text(value).lower())


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _sort_value(row: ComparedItem, sorting: Sorting) -> Any:
    first = row.experiment_items[0] if row.experiment_items else None
    if sorting.base == "data":
        return _lookup(row.item.data, sorting.key)
    if first is None:
        return None
    if sorting.base in ("input", "output"):
        return _lookup(getattr(first, sorting.base), sorting.key)
    if sorting.base == "feedback_scores":
        return map_value(first.feedback_scores, sorting.key)
    if sorting.field in ("duration", "total_estimated_cost"):
        return getattr(first, sorting.field)
    value = getattr(row.item, sorting.field, None)
    return value.int if isinstance(value, UUID) else value
