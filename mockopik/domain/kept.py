"""Values made once from records that never change, kept by the identity of the record they came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptByIdentity(Generic[V]):
    """At most `size` values, each kept with the record it was made from: a value is made again only
    for a record not seen (or no longer kept). When full, all go at once, which stays safe when
    threads share it without a lock."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: dict[int, tuple[object, V]] = {}

    def get(self, record: object, make: Callable[[], V]) -> V:
        """The value kept for `record`, else `make()`, kept for it from now on."""
        found = self._kept.get(id(record))
        if found is not None and found[0] is record:
            return found[1]
        value = make()
        if len(self._kept) >= self._size:
            self._kept.clear()
        self._kept[id(record)] = (record, value)
        return value
