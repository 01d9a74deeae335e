"""create_app: wiring of settings, runtime, blueprints, CORS and error handlers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_cors import CORS

from mockopik.api import admin, experiments, is_alive, optimizations, projects, studio_logs
from mockopik.clock import Clock, SystemClock
from mockopik.config import Settings
from mockopik.domain.errors import register_error_handlers
from mockopik.faults.injector import RealTiming, Timing
from mockopik.http import hooks as interception
from mockopik.runtime import Runtime

API_PREFIXES = ("", "/api")
EXPOSED_HEADERS = ["Location", "X-Mockopik-Fault", "Retry-After", "RateLimit-Reset"]


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    timing: Timing | None = None,
    **overrides: Any,
) -> Flask:
    """A mockopik app; `settings` defaults to the environment's, `overrides` change single settings.

    `timing` is what fault injection sleeps with and measures windows by (tests pass a fake one).
    """
    resolved = (settings or Settings.resolve()).replace(**overrides)
    app = Flask("mockopik")
    app.url_map.strict_slashes = False
    app.extensions["mockopik"] = Runtime(resolved, clock or SystemClock(), timing or RealTiming())
    register_error_handlers(app)
    for prefix in API_PREFIXES:
        suffix = prefix.strip("/").replace("/", "_")
        name = f"_{suffix}" if suffix else ""
        app.register_blueprint(
            optimizations.blueprint, url_prefix=f"{prefix}/v1/private", name=f"optimizations{name}"
        )
        app.register_blueprint(projects.blueprint, url_prefix=f"{prefix}/v1/private", name=f"projects{name}")
        app.register_blueprint(
            experiments.blueprint, url_prefix=f"{prefix}/v1/private", name=f"experiments{name}"
        )
        app.register_blueprint(is_alive.blueprint, url_prefix=prefix, name=f"is_alive{name}")
        app.register_blueprint(admin.blueprint, url_prefix=f"{prefix}/_mockopik", name=f"admin{name}")
    app.register_blueprint(studio_logs.blueprint, url_prefix="/_mockopik")
    interception.install(app)
    CORS(app, expose_headers=EXPOSED_HEADERS, max_age=600)
    return app
