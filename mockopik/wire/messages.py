"""marshmallow's nested validation messages as (path, message) pairs: the one walker over them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Segment = str | int
Path = tuple[Segment, ...]
SCHEMA = "_schema"  # marshmallow's key for a schema-level message


def walk(messages: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every message with where it is, in marshmallow's order: object keys and list indexes become
    path segments. marshmallow's own keys stay in the path for the caller to read: `_schema` for a
    schema-level message, `key` and `value` under an entry of a Dict field."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from walk(value, (*path, key))
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                yield from walk(message, path)
            else:
                yield path, message
    else:
        yield path, messages
