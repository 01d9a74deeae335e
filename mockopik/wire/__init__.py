"""Opik's wire formats: Jackson-compatible JSON reading, marshmallow schemas, query parsing."""

from __future__ import annotations

import functools
from typing import TypeVar

from marshmallow import Schema

S = TypeVar("S", bound=Schema)


@functools.cache
def schema_of(kind: type[S], exclude: tuple[str, ...] = ()) -> S:
    """The one instance of a schema (without the `exclude` fields), built on first use: building one
    copies every field, which costs more than a dump; load and dump keep no state in it."""
    return kind(exclude=exclude)
