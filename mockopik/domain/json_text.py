"""JSON text read as Opik's Jackson reads it: nesting and number limits, NaN and Infinity, lone surrogates."""

from __future__ import annotations

import json
import math
import re
import sys
from itertools import accumulate
from typing import Any

MAX_DEPTH = 1000  # Jackson's StreamReadConstraints.DEFAULT_MAX_DEPTH
MAX_NUMBER_LENGTH = 1000  # Jackson's StreamReadConstraints.DEFAULT_MAX_NUM_LEN
# Reading, copying and writing a value MAX_DEPTH levels deep takes a few frames per level.
RECURSION_BUDGET = 6 * MAX_DEPTH
_SHALLOW = 100  # fewer brackets than this cannot nest deep enough to need the budget

# A JSON string (one left open runs to the end of the text), and what is left of the text that counts.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_ONE_KIND = str.maketrans("{}", "[]")
# A lone surrogate in the text, or the escape of one (a pair of escapes reads as one character).
_SURROGATE_HINT = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


class JsonLimitError(ValueError):
    """JSON beyond one of Jackson's StreamReadConstraints; the message is Jackson's."""


class NotANumberError(ValueError):
    """NaN or Infinity where only standard JSON is read; the message names the token."""


class NonFinite(str):
    """A number JSON cannot write back (NaN, Infinity, or one past a double's range). Jackson reads
    it into a JsonNode as a double, and Opik stores that as the text Jackson writes for it ("NaN",
    "Infinity", "-Infinity"), which is what this string is; `source` is the number as it was sent,
    which is what Jackson gives a String field."""

    source: str

    def __new__(cls, source: str) -> NonFinite:
        value = float(source)
        written = "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
        instance = super().__new__(cls, written)
        instance.source = source
        return instance

    def __reduce__(self) -> tuple[type[NonFinite], tuple[str]]:
        return NonFinite, (self.source,)

    def __copy__(self) -> NonFinite:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> NonFinite:
        return self


def loads(text: str | bytes, *, allow_nan: bool = True) -> Any:
    """The value of a JSON document as Opik reads it; JsonLimitError past Jackson's limits, a
    json.JSONDecodeError when it is not JSON, a UnicodeDecodeError when bytes are not text.

    NaN, Infinity and numbers past a double's range read as `NonFinite` (with `allow_nan` False, the
    tokens NaN and Infinity are NotANumberError instead); a lone UTF-16 surrogate (`"\\ud800"`) reads
    as `?`, which is what Opik's databases keep of it (Java encodes it so)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
    brackets = text.count("[") + text.count("{")
    if brackets > _SHALLOW:
        ensure_recursion_budget()
        if brackets > MAX_DEPTH and _too_deep(text):
            raise JsonLimitError(
                f"Document nesting depth ({MAX_DEPTH + 1}) exceeds the maximum allowed "
                f"({MAX_DEPTH}, from `StreamReadConstraints.getMaxNestingDepth()`)"
            )
    constant = NonFinite if allow_nan else _refuse_constant
    value = json.loads(text, parse_constant=constant, parse_float=_floating, parse_int=_integer)
    if ("\\u" in text or not text.isascii()) and _SURROGATE_HINT.search(text):
        return _without_lone_surrogates(value)
    return value


def ensure_recursion_budget() -> None:
    """Let the interpreter recurse deep enough for values nested MAX_DEPTH levels deep."""
    if sys.getrecursionlimit() < RECURSION_BUDGET:
        sys.setrecursionlimit(RECURSION_BUDGET)


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest more than MAX_DEPTH levels deep anywhere in `text`: its
    brackets outside strings are counted a block at a time, and one by one only in a block that
    could pass the limit."""
    structure = _NOT_BRACKET.sub("", _STRING.sub("", text)).translate(_ONE_KIND)
    depth = 0
    for start in range(0, len(structure), MAX_DEPTH):
        block = structure[start : start + MAX_DEPTH]
        opened = block.count("[")
        if depth + opened > MAX_DEPTH:
            steps = accumulate((1 if char == "[" else -1 for char in block), initial=depth)
            if max(steps) > MAX_DEPTH:
                return True
        depth += 2 * opened - len(block)
    return False


def _refuse_constant(token: str) -> Any:
    raise NotANumberError(f"{token} is not a JSON number")


def _number_length(text: str) -> int:
    """How Jackson measures a number: its digits (integer, fraction and exponent)."""
    return sum(char.isdigit() for char in text)


def _check_length(text: str) -> None:
    if len(text) > MAX_NUMBER_LENGTH and (length := _number_length(text)) > MAX_NUMBER_LENGTH:
        raise JsonLimitError(
            f"Number value length ({length}) exceeds the maximum allowed "
            f"({MAX_NUMBER_LENGTH}, from `StreamReadConstraints.getMaxNumberLength()`)"
        )


def _integer(text: str) -> int:
    _check_length(text)
    return int(text)


def _floating(text: str) -> float | NonFinite:
    _check_length(text)
    value = float(text)
    return NonFinite(text) if math.isinf(value) else value


def _without_lone_surrogates(value: Any) -> Any:
    """`value` with each lone surrogate in its texts and keys as `?` (a pair of them, which UTF-8
    bytes can spell too, as the one character they make), changed in place, without recursion."""
    if isinstance(value, str):
        return _repaired(value)
    pending = [value]
    while pending:
        container = pending.pop()
        if isinstance(container, dict):
            entries = list(container.items())
            container.clear()
            for key, item in entries:
                container[_repaired(key)] = _repaired(item) if isinstance(item, str) else item
                if isinstance(item, (dict, list)):
                    pending.append(item)
        elif isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = _repaired(item)
                elif isinstance(item, (dict, list)):
                    pending.append(item)
    return value


def _repaired(text: str) -> str:
    return _SURROGATE.sub(_pair_or_question_mark, text) if _SURROGATE.search(text) else text


def _pair_or_question_mark(found: re.Match[str]) -> str:
    pair = found.group()
    return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le") if len(pair) == 2 else "?"
