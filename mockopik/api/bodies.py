"""JSON answers of values that never change once built (the views and pages the store keeps), written once."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema

from mockopik.domain.kept import KeptByIdentity
from mockopik.http.responses import json_body
from mockopik.wire.dumping import dump

BODIES_KEPT = 64  # bodies kept per schema, by the identity of the value they were written from
_KEPT: dict[type[Schema], KeptByIdentity[bytes]] = {}


def kept_json_response(kind: type[Schema], value: Any) -> Response:
    """`json_response(dump(kind, value))`, its body written once per value (which must never change)."""
    kept = _KEPT.get(kind) or _KEPT.setdefault(kind, KeptByIdentity(BODIES_KEPT))
    body = kept.get(value, lambda: json_body(dump(kind, value)))
    return Response(body, status=200, mimetype="application/json")
