"""JSON answers of values that never change once built (the views and pages the store keeps), written once."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema

from mockopik.http.responses import json_body
from mockopik.wire.dumping import dump

BODIES_KEPT = 64  # bodies kept per schema, by the identity of the value they were written from
_KEPT: dict[tuple[type[Schema], int], tuple[Any, bytes]] = {}


def kept_json_response(kind: type[Schema], value: Any) -> Response:
    """`json_response(dump(kind, value))`, its body written once per value (which must never change)."""
    key = (kind, id(value))
    found = _KEPT.get(key)
    if found is not None and found[0] is value:
        body = found[1]
    else:
        body = json_body(dump(kind, value))
        if len(_KEPT) >= BODIES_KEPT:
            _KEPT.clear()
        _KEPT[key] = (value, body)
    return Response(body, status=200, mimetype="application/json")
