"""Secrets in what mockopik records: header, query and JSON key names that hold one; values masked whole."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
# `Authorization`, `Cookie`, `Comet-Api-Key`, `opikApiKey`, `api_key`, `X-Auth-Token`, `client_secret`,
# `password`, ... (but not `max_tokens` or `token_count`).
_SECRET_NAME = re.compile(
    r"(?:^|[-_.])(?:authorization|cookie|api[-_]?key|password|passwd|secret"
    r"|(?:access|auth|refresh)?[-_]?token|session)$|apikey$",
    re.IGNORECASE,
)
_QUERY_PAIR = re.compile(r"(?P<name>[^&=]*)=(?P<value>[^&]*)")


def is_secret(name: str) -> bool:
    """Whether a header, query parameter or JSON key of this name holds a secret."""
    return _SECRET_NAME.search(name) is not None


def masked_query_string(query: str) -> str:
    """A raw query string with the value of each secret parameter masked (`api_key=***`)."""
    if not query or not any(is_secret(pair.split("=", 1)[0]) for pair in query.split("&")):
        return query
    return _QUERY_PAIR.sub(_masked_pair, query)


def _masked_pair(pair: re.Match[str]) -> str:
    return f"{pair['name']}={MASK}" if is_secret(pair["name"]) else pair[0]


def masked_json(value: Any) -> Any:
    """A JSON value with the value of each secret key masked, at any depth (changed in place)."""
    pending = [value] if isinstance(value, (dict, list)) else []
    while pending:
        current = pending.pop()
        if isinstance(current, list):
            pending.extend(item for item in current if isinstance(item, (dict, list)))
            continue
        for key, item in current.items():
            if is_secret(key):
                current[key] = MASK
            elif isinstance(item, (dict, list)):
                pending.append(item)
    return value
