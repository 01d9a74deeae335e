"""Request bodies: size limit, gzip, media type and JSON parsing, with Opik's errors."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from flask import Request

from mockopik.domain import json_text
from mockopik.domain.errors import JsonProcessingError, PayloadTooLargeError, UnsupportedMediaTypeError

_CHUNK = 64 * 1024
_GZIP_WINDOW = 16 + zlib.MAX_WBITS
FIXTURE_BODY_LIMIT = 256 * 1024 * 1024  # a whole data set (10,000 runs export to about 30 MB)
_FIXTURE_LOADS = frozenset({"/_mockopik/fixtures", "/api/_mockopik/fixtures"})


def body_limit(path: str, max_body_bytes: int) -> int:
    """The largest body a request to `path` may send: a fixture document loads a whole data set;
    every other body is held to the `max_body_bytes` setting."""
    return FIXTURE_BODY_LIMIT if path.rstrip("/") in _FIXTURE_LOADS else max_body_bytes


def read_json(request: Request, limit: int) -> Any:
    """The JSON value of the body (None when empty); bodies over `limit` bytes are refused."""
    _check_media_type(request)
    declared = request.content_length
    if declared is not None and declared > limit:
        raise too_large(limit)
    # A declared length is the stream's bound (and within the limit): one read takes it all.
    raw = request.stream.read() if declared is not None else _read_limited(request, limit)
    if is_gzip(request.environ.get("HTTP_CONTENT_ENCODING")):  # (a header lookup that misses raises)
        raw = _gunzip_whole(raw, limit)
    if not raw.strip():
        return None
    try:
        return json_text.loads(raw)
    except json.JSONDecodeError as error:
        raise JsonProcessingError(describe_json_error(error)) from None
    except json_text.JsonLimitError as error:
        raise JsonProcessingError(str(error)) from None
    except UnicodeDecodeError:
        raise JsonProcessingError("Invalid UTF-8 start byte") from None


def _check_media_type(request: Request) -> None:
    mimetype = request.mimetype
    if mimetype and not is_json(mimetype):
        raise UnsupportedMediaTypeError("HTTP 415 Unsupported Media Type")


def is_json(mimetype: str) -> bool:
    """Whether a media type (without its parameters) is JSON."""
    return mimetype == "application/json" or mimetype.endswith("+json")


def _read_limited(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := request.stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def is_gzip(content_encoding: str | None) -> bool:
    return (content_encoding or "").strip().lower() in {"gzip", "x-gzip"}


@dataclass(frozen=True)
class Gunzipped:
    """The head of a decompressed stream: at most `limit` bytes, and whether the stream ended there."""

    data: bytes
    whole: bool  # the stream ended within the limit
    over_limit: bool  # there was more than the limit


def gunzip(raw: bytes, limit: int) -> Gunzipped:
    """Decompress gzip in bounded steps, stopping as soon as the output passes `limit` (a gzip bomb
    costs at most `limit` bytes); zlib.error when `raw` is not gzip."""
    decompressor = zlib.decompressobj(_GZIP_WINDOW)
    output: list[bytes] = []
    size = 0
    pending = raw
    while pending and not decompressor.eof:
        piece = decompressor.decompress(pending, limit + 1 - size)
        size += len(piece)
        if size > limit:
            output.append(piece[: len(piece) - (size - limit)])
            return Gunzipped(b"".join(output), whole=False, over_limit=True)
        output.append(piece)
        pending = decompressor.unconsumed_tail
    return Gunzipped(b"".join(output), whole=decompressor.eof, over_limit=False)


def _gunzip_whole(raw: bytes, limit: int) -> bytes:
    try:
        body = gunzip(raw, limit)
    except zlib.error:
        raise JsonProcessingError("Not in GZIP format") from None
    if body.over_limit:
        raise too_large(limit)
    if not body.whole:
        raise JsonProcessingError("Unexpected end of ZLIB input stream")
    return body.data


def too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"Request body is larger than the limit of {limit} bytes")


def describe_json_error(error: json.JSONDecodeError) -> str:
    """Jackson's wording for the common ways JSON is malformed."""
    if error.pos >= len(error.doc.rstrip()):
        return "Unexpected end-of-input: expected close marker for Object"
    char = error.doc[error.pos]
    return (
        f"Unexpected character ('{char}' (code {ord(char)})): expected a valid value "
        "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
    )
