"""mockopik: a local mock server of the Opik Optimizations REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockopik.version import OPIK_VERSION, __version__

if TYPE_CHECKING:
    from flask import Flask

    from mockopik.config import Settings

__all__ = ["OPIK_VERSION", "__version__", "create_app"]


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the Flask app (see `mockopik.app.create_app`); imported lazily to keep startup light."""
    from mockopik.app import create_app as build

    return build(settings, **overrides)
