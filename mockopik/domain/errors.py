"""Errors with Opik's status and message, in its two body shapes: {code,message[,details]} and {errors}.

They carry no web objects: `mockopik.http.errors` renders every one of them, raised or injected, the
same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID


class MockopikError(Exception):
    """Base of every error mockopik answers with: a status, a JSON body (None: none) and headers."""

    status = 500
    headers: Mapping[str, str] = {}

    def body(self) -> object:
        raise NotImplementedError


class OpikError(MockopikError):
    """An error in the `{"code": ..., "message": ...[, "details": ...]}` shape."""

    def __init__(self, message: str, details: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if status is not None:
            self.status = status

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.status, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class BadRequestError(OpikError):
    status = 400


class UnauthorizedError(OpikError):
    status = 401


class NotFoundError(OpikError):
    status = 404


class ConflictError(OpikError):
    status = 409


class PayloadTooLargeError(OpikError):
    status = 413


class UnsupportedMediaTypeError(OpikError):
    status = 415


class JsonProcessingError(BadRequestError):
    """A body Jackson could not read: malformed JSON, a wrong JSON type or an unknown enum value."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Unable to process JSON. {detail}")


class ErrorListError(MockopikError):
    """An error in the `{"errors": [...]}` shape: bean validation (422 bodies, 400 queries) and more."""

    def __init__(self, errors: list[str], status: int = 422) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
        self.status = status

    def body(self) -> dict[str, object]:
        return {"errors": self.errors}


HTTP_NOT_FOUND = "HTTP 404 Not Found"


def route_not_found() -> NotFoundError:
    """What Jersey answers for an unknown path or an unparsable path or query parameter."""
    return NotFoundError(HTTP_NOT_FOUND)


def optimization_not_found(optimization_id: UUID) -> NotFoundError:
    """The 404 of getOptimizationById."""
    return NotFoundError(f"Not found optimization with id '{optimization_id}'")


def update_target_not_found(optimization_id: UUID) -> NotFoundError:
    """The 404 of updateOptimizationsById (a different text from get's)."""
    return NotFoundError(f"Optimization id: {optimization_id} not found")


def project_not_found() -> ErrorListError:
    """The 404 of GET /v1/private/projects/{id}, which Opik sends in the errors-list shape."""
    return ErrorListError(["Project not found"], status=404)


def server_error(incident: int) -> OpikError:
    """Dropwizard's 500 for an unexpected failure, naming the incident logged on the server."""
    message = f"There was an error processing your request. It has been logged (ID {incident:016x})."
    return OpikError(message, status=500)
