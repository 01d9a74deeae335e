"""Response builders: compact JSON in Jackson's key order, and empty bodies without a content type."""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Response


def json_body(payload: object) -> str:
    """Compact JSON, keys in the order given, non-ASCII kept as UTF-8 (as Jackson writes it)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def json_response(payload: object, status: int = 200) -> Response:
    return Response(json_body(payload), status=status, mimetype="application/json")


def empty_response(status: int, headers: Mapping[str, str] | None = None) -> Response:
    """A response with no body and no Content-Type, as Jersey sends 201, 204 and 501."""
    response = Response(status=status, headers=dict(headers or {}))
    del response.headers["Content-Type"]
    return response
