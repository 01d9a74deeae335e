"""Checks of the request journal: partial matching of bodies, and failure messages that explain."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

_MISSING = object()


def difference(expected: Any, actual: Any, where: str = "body") -> str | None:
    """None when `actual` matches `expected`, else the first place where it does not.

    Objects match when every expected key matches (extra keys are fine); lists match item by item
    and must have the same length; anything else must be equal (`unittest.mock.ANY` matches all).
    """
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"{where}: expected an object, got {_show(actual)}"
        for key, value in expected.items():
            found = actual.get(key, _MISSING)
            if found is _MISSING:
                return f"{where}.{key}: missing"
            problem = difference(value, found, f"{where}.{key}")
            if problem is not None:
                return problem
        return None
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected {_show(list(expected))}, got {_show(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problem = difference(want, got, f"{where}[{index}]")
            if problem is not None:
                return problem
        return None
    return None if expected == actual else f"{where}: expected {_show(expected)}, got {_show(actual)}"


def matching_calls(body: Any, calls: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The calls whose body matches `body` (all of them when `body` is None)."""
    return [call for call in calls if body is None or difference(body, call.get("body")) is None]


def call_count_failure(
    operation: str,
    times: int | None,
    body: Any,
    calls: Sequence[Mapping[str, Any]],
    journal: Sequence[Mapping[str, Any]],
) -> str | None:
    """None when `operation` was called as expected (`times` None: at least once), else why not;
    `journal` (every request) is only read to list what came instead when nothing did."""
    matching = matching_calls(body, calls)
    if (times is None and matching) or len(matching) == times:
        return None
    expected = "not to be called" if times == 0 else f"to be called {_times(times)}"
    lines = [f"expected {operation} {expected}"]
    if body is not None:
        lines[0] += f" with a body matching {_show(body)}"
    if not calls:
        received = Counter(str(entry.get("operation") or entry.get("path")) for entry in journal)
        seen = ", ".join(f"{name} x{count}" for name, count in sorted(received.items())) or "nothing"
        lines.append(f"but it was not called; the mock received: {seen}")
        return "\n".join(lines)
    lines.append(f"but it was called {_times(len(calls))}, {len(matching)} of them matching:")
    for number, call in enumerate(calls, 1):
        lines.append(
            f"  #{number} {call.get('method')} {call.get('path')} -> {call.get('status')}"
            f"  body: {_show(call.get('body'))}"
        )
        problem = None if body is None else difference(body, call.get("body"))
        if problem is not None:
            lines.append(f"      {problem}")
    return "\n".join(lines)


def _times(count: int | None) -> str:
    return {None: "at least once", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _show(value: Any, limit: int = 300) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
