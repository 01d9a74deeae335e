"""Every error, raised or injected, rendered through the same code: Opik's bodies, JSON 404/405/500."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from mockopik.domain.errors import MockopikError, OpikError, server_error
from mockopik.http.responses import empty_response, json_response

log = logging.getLogger(__name__)


def render(error: MockopikError) -> Response:
    """The response of a mockopik error: its JSON body (or none) with its headers."""
    payload = error.body()
    response = empty_response(error.status) if payload is None else json_response(payload, error.status)
    response.headers.update(error.headers)
    return response


def register_error_handlers(app: Flask) -> None:
    """Render mockopik's errors, Werkzeug's routing errors and anything unexpected as JSON."""

    @app.errorhandler(MockopikError)
    def _mockopik_error(error: MockopikError) -> Response:
        return render(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = render(OpikError(f"HTTP {status} {error.name}", status=status))
        allowed = error.get_response().headers.get("Allow") if status == 405 else None
        if allowed:
            response.headers["Allow"] = allowed
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        incident = secrets.randbits(64)
        log.exception("Error handling a request: %016x", incident)
        return render(server_error(incident))
