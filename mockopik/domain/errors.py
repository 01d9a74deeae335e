"""Errors with an HTTP status, rendered in Opik's two shapes: {code,message[,details]} and {errors}."""

from __future__ import annotations

import logging
import secrets
from uuid import UUID

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from mockopik.http.responses import json_response

log = logging.getLogger(__name__)


class MockopikError(Exception):
    """Base of every error mockopik answers with; `status` and `body()` make the response."""

    status = 500

    def body(self) -> dict[str, object]:
        raise NotImplementedError

    def response(self) -> Response:
        return json_response(self.body(), self.status)


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


class TooManyRequestsError(OpikError):
    status = 429


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


def register_error_handlers(app: Flask) -> None:
    """Render every error, raised or injected, through the same code."""

    @app.errorhandler(MockopikError)
    def _mockopik_error(error: MockopikError) -> Response:
        return error.response()

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = OpikError(f"HTTP {status} {error.name}", status=status).response()
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        incident = secrets.randbits(64)
        log.exception("Error handling a request: %016x", incident)
        return server_error(incident).response()
