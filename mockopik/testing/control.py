"""A client of mockopik's control API (/_mockopik) over HTTP, standard library only (cheap to import)."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Mapping
from typing import Any

from mockopik.http.headers import HEALTH_PROBE_AGENT

ADMIN_PREFIX = "/_mockopik"
DEFAULT_TIMEOUT = 10.0
_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


class ControlError(RuntimeError):
    """A control API call did not succeed; the message has the call, the status and the body."""

    def __init__(self, message: str, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status  # None: no answer at all
        self.body = body


class ControlClient:
    """Calls `/_mockopik/...` of the mockopik at `url` and decodes the JSON answers; `token` is the
    admin token that mockopik requires, if it requires one."""

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        user_agent: str = "mockopik-control",
        token: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.user_agent = user_agent
        self.token = token

    def call(
        self, method: str, path: str, body: object = None, query: Mapping[str, object] | None = None
    ) -> Any:
        """`method /_mockopik/<path>` with an optional JSON body; the decoded answer (None when empty)."""
        payload = self.fetch(method, path, body, query)
        return json.loads(payload) if payload.strip() else None

    def fetch(
        self, method: str, path: str, body: object = None, query: Mapping[str, object] | None = None
    ) -> bytes:
        """`method /_mockopik/<path>` with an optional JSON body; the answer's bytes as sent."""
        # here: `mockopik serve` starts faster without urllib.request (about 20 ms)
        from urllib.error import HTTPError
        from urllib.request import Request, urlopen

        target = f"{self.url}{ADMIN_PREFIX}/{path.lstrip('/')}"
        params = {k: v for k, v in (query or {}).items() if v is not None}
        if params:
            target += "?" + urllib.parse.urlencode(params)
        data = None if body is None else json.dumps(body).encode()
        request = Request(target, data=data, method=method)
        request.add_header("User-Agent", self.user_agent)
        if data is not None or method == "POST":
            request.add_header("Content-Type", "application/json")
        if self.token is not None:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urlopen(request, timeout=self.timeout) as response:
                payload: bytes = response.read()
        except HTTPError as error:
            body = error.read()
            detail = body.decode(errors="replace").strip() or "(empty body)"
            raise ControlError(
                f"{method} {target} answered {error.code}: {detail}", error.code, body
            ) from None
        except OSError as error:
            raise ControlError(f"{method} {target} failed: {_reason(error)}") from None
        return payload


def local_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server listening on `host:port`."""
    host = _LOOPBACK.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def check_health(url: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """None when a mockopik answers `url`/_mockopik/health with status ok, else what went wrong."""
    try:
        answer = ControlClient(url, timeout, HEALTH_PROBE_AGENT).call("GET", "health")
    except (ControlError, ValueError) as error:
        return str(error)
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        return f"unexpected health answer {answer!r}"
    return None


def wait_until_healthy(url: str, seconds: float, interval: float = 0.1) -> str | None:
    """Check health until it passes or `seconds` have gone; None when healthy, else the last problem."""
    deadline = time.monotonic() + seconds
    while True:
        problem = check_health(url)
        if problem is None or time.monotonic() + interval > deadline:
            return problem
        time.sleep(interval)


def _reason(error: OSError) -> str:
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else error)
