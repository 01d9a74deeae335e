"""What an injected status answers: the body the Opik backend sends for that status and operation."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from werkzeug.http import HTTP_STATUS_CODES

from mockopik.domain.errors import (
    MockopikError,
    OpikError,
    optimization_not_found,
    project_not_found,
    route_not_found,
    server_error,
    update_target_not_found,
)
from mockopik.faults.rules import NO_BODY, Request, Rule

DEFAULT_RETRY_AFTER = 1
RATE_LIMIT_MESSAGE = (
    "Too Many Requests: You have exceeded the general rate limit for this user. Please try again later."
)
NOT_ALLOWED_MESSAGE = "User not allowed to access workspace!"
_EMPTY_BODY_ANSWERS = {(501, "cancelStudioOptimizations")}


class InjectedAnswer(MockopikError):
    """A response a fault rule answers with: a JSON body (None: no body) and extra headers."""

    def __init__(self, status: int, payload: object, headers: Mapping[str, str]) -> None:
        super().__init__(f"injected {status}")
        self.status = status
        self.payload = payload
        self.headers = dict(headers)

    def body(self) -> object:
        return self.payload


def injected_answer(rule: Rule, request: Request, incident: int) -> InjectedAnswer:
    """The answer of a rule with a status: Opik's own body unless the rule brings one."""
    status = rule.status if rule.status is not None else 500
    if rule.body is NO_BODY:
        error = opik_error(status, request, incident)
        payload = None if error is None else error.body()
    else:
        payload = rule.body
    return InjectedAnswer(status, payload, {**_status_headers(status, rule.retry_after), **rule.headers})


def opik_error(status: int, request: Request, incident: int) -> MockopikError | None:
    """The error the backend answers `request` with for `status` (None: an empty body)."""
    if (status, request.operation) in _EMPTY_BODY_ANSWERS:
        return None
    if status == 404:
        return _not_found(request)
    if status == 401:
        return OpikError(NOT_ALLOWED_MESSAGE, status=401)
    if status == 429:
        return OpikError(RATE_LIMIT_MESSAGE, status=429)
    if status == 500:
        return server_error(incident)
    return OpikError(f"HTTP {status} {HTTP_STATUS_CODES.get(status, 'Unknown')}", status=status)


def _not_found(request: Request) -> MockopikError:
    target = UUID(request.optimization_id) if request.optimization_id else None
    if request.operation == "getProjectById":
        return project_not_found()
    if target is None:
        return route_not_found()
    if request.operation == "getOptimizationById":
        return optimization_not_found(target)
    if request.operation == "updateOptimizationsById":
        return update_target_not_found(target)
    return route_not_found()


def _status_headers(status: int, retry_after: int | None) -> dict[str, str]:
    """`Retry-After` on 429 (and on 503 when asked for); on 429 also the rate-limit headers Opik sends."""
    if status != 429 and retry_after is None:
        return {}
    seconds = DEFAULT_RETRY_AFTER if retry_after is None else retry_after
    headers = {"Retry-After": str(seconds)}
    if status == 429:
        headers.update(
            {
                "RateLimit-Reset": str(max(seconds, 1)),
                "Opik-User-Limit": "general_events",
                "Opik-User-Remaining-Limit": "0",
                "Opik-User-Remaining-Limit-TTL-Millis": str(seconds * 1000),
            }
        )
    return headers
