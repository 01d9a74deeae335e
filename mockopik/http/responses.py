"""Response builders: compact JSON in Jackson's key order, and empty bodies without a content type."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import orjson
from flask import Response

# Where orjson's text of a float differs from Python's: `1e-7` for `1e-07`, `0.00001` for `1e-05`.
# The digit before the `e` keeps texts such as `claude-3` (in most model names) on the fast path; it
# is checked behind the match so that the search starts from the literal `e-` (10x faster).
_OTHER_FLOAT_NOTATION = re.compile(rb"e-\d(?!\d)(?<=\de-\d)")


def json_body(payload: object) -> bytes:
    """Compact JSON in UTF-8, keys in the order given, non-ASCII unescaped (as Jackson writes it).

    The bytes are those of `json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
    allow_nan=False)`; orjson writes them, about ten times faster, unless it cannot (an int past 64
    bits, nesting past 254 levels, a lone surrogate, a key that is not a text) or its text may differ:
    a NaN or infinity it would write as `null` (json refuses them), a float it writes in another
    notation. Such bodies, rare, are written by json."""
    try:
        written = orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return _standard(payload)
    if (
        b"null" in written
        or b"0.0000" in written
        or (b"e-" in written and _OTHER_FLOAT_NOTATION.search(written))
    ):
        return _standard(payload)
    return written


def _standard(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def json_response(payload: object, status: int = 200) -> Response:
    return Response(json_body(payload), status=status, mimetype="application/json")


class _Bodiless(Response):
    """A response that gets no Content-Type unless one is given."""

    default_mimetype = None


def empty_response(status: int, headers: Mapping[str, str] | None = None) -> Response:
    """A response with no body and no Content-Type, as Jersey sends 201, 204 and 501."""
    return _Bodiless(status=status, headers=headers)
