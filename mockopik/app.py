"""create_app: wiring of settings, runtime, blueprints, request hooks, CORS and error handlers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from flask_cors import CORS

from mockopik import api
from mockopik.api.routing import install_routing, operations_by_endpoint
from mockopik.clock import SimulatedClock
from mockopik.config import Settings
from mockopik.domain import json_text
from mockopik.faults.injector import RealTiming, Timing
from mockopik.http import hooks
from mockopik.http.errors import register_error_handlers
from mockopik.http.headers import FAULT_HEADER
from mockopik.runtime import Runtime, boot_clock

API_PREFIXES = ("", "/api")
EXPOSED_HEADERS = ["Location", FAULT_HEADER, "Retry-After", "RateLimit-Reset"]


class MockopikFlask(Flask):
    """Flask, checking whether a view or hook is an `async def` once per function instead of on each
    call (five times a request)."""

    def __init__(self, import_name: str) -> None:
        super().__init__(import_name)
        self._synced: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        synced = self._synced.get(func)
        if synced is None:
            synced = self._synced[func] = super().ensure_sync(func)
        return synced


def create_app(
    settings: Settings | None = None,
    clock: SimulatedClock | None = None,
    timing: Timing | None = None,
    **overrides: Any,
) -> Flask:
    """A mockopik app; `settings` defaults to the environment's, `overrides` change single settings.

    `clock` is mockopik's simulated time (default: now, at the `pace` setting); `timing` is what fault
    injection sleeps with and measures windows by (tests pass a fake one).
    """
    resolved = (settings or Settings.resolve()).replace(**overrides)
    json_text.ensure_recursion_budget()  # values 1000 levels deep are read, copied and written
    runtime = Runtime(resolved, clock or boot_clock(resolved), timing or RealTiming())
    app = MockopikFlask("mockopik")
    app.extensions["mockopik"] = runtime
    install_routing(app)
    register_error_handlers(app)
    for prefix in API_PREFIXES:
        app.register_blueprint(api.blueprint, url_prefix=prefix or None, name=_name(prefix))
    hooks.install(app, runtime, operations_by_endpoint(app))
    _cross_origin_only(app, resolved)
    return app


def _cross_origin_only(app: Flask, settings: Settings) -> None:
    """Flask-CORS's headers, on the answers to requests that carry an `Origin` (a browser's
    cross-origin calls, preflights included), as Opik's CORS filter (Jetty's CrossOriginFilter)
    answers them; other requests skip its work."""
    registered = list(app.after_request_funcs.get(None, ()))
    CORS(
        app,
        resources=_cross_origin(settings),
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
        intercept_exceptions=False,  # error answers go through the after-request functions too
    )
    functions = app.after_request_funcs[None]
    for index, function in enumerate(functions):
        if function not in registered:
            functions[index] = _when_origin_is_sent(function)


def _when_origin_is_sent(add_headers: Callable[[Any], Any]) -> Callable[[Response], Response]:
    def cross_origin(response: Response) -> Response:
        answered: Response = add_headers(response) if "HTTP_ORIGIN" in request.environ else response
        return answered

    return cross_origin


def _cross_origin(settings: Settings) -> dict[str | re.Pattern[str], dict[str, Any]]:
    """Which origins may call what from a browser: Opik's API any origin (any dev server), the Studio
    log downloads too (the UI fetches them), the rest of the admin API only `admin_origins`."""
    return {
        r"^(/api)?/_mockopik/studio-logs/.*": {"origins": "*"},
        r"^(/api)?/_mockopik(/.*)?$": {"origins": list(settings.admin_origins)},
        r".*": {"origins": "*"},
    }


def _name(prefix: str) -> str:
    """The blueprint name of a prefix's registration (the first keeps the blueprint's own name)."""
    return api.blueprint.name + prefix.replace("/", "_")
