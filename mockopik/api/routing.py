"""Views bound to the Opik operations they serve: the declaration in `contract.operations` gives each
view its method, path and operationId, the request hooks read the operation from the binding, and
each view meets the fault injector as it begins."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from flask import Blueprint, Flask, Response
from werkzeug.routing import BaseConverter, Map, MapAdapter, Rule

from mockopik.contract.operations import OPERATIONS_BY_ID
from mockopik.domain.errors import route_not_found
from mockopik.domain.ids import parse_uuid
from mockopik.http import hooks

View = TypeVar("View", bound=Callable[..., Response])
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
_OPERATION_OF_VIEW: dict[Callable[..., Response], str] = {}


class RecordSegment(BaseConverter):
    """A `{...}` path segment beside a literal one: as in Jersey, the literal path wins, so GET or PUT
    on `.../optimizations/delete` is that route's 405, not an id that fails to parse (404)."""

    regex = r"(?!delete$)[^/]+"


def serves(blueprint: Blueprint, operation_id: str) -> Callable[[View], View]:
    """Register the view on `blueprint` at the method and path Opik declares for `operation_id`."""
    operation = OPERATIONS_BY_ID[operation_id]
    rule = _PATH_PARAMETER.sub(r"<record:\1>", operation.path)

    def bind(view: View) -> View:
        served = hooks.with_faults(view)
        blueprint.add_url_rule(rule, view_func=served, methods=[operation.method.upper()])
        _OPERATION_OF_VIEW[served] = operation_id
        return view

    return bind


def operations_by_endpoint(app: Flask) -> dict[str, str]:
    """Every endpoint of `app` that serves an Opik operation, with that operation's id."""
    return {
        endpoint: _OPERATION_OF_VIEW[view]
        for endpoint, view in app.view_functions.items()
        if view in _OPERATION_OF_VIEW
    }


class SlashTolerantMap(Map):
    """Routes matched with or without one trailing slash, as Jersey matches a resource method's path
    (Werkzeug's `strict_slashes=False` covers the rules ending in a slash, not those with a variable
    last segment such as `.../{id}`). The request keeps the path it was sent with."""

    def bind_to_environ(self, *args: Any, **kwargs: Any) -> MapAdapter:
        adapter = super().bind_to_environ(*args, **kwargs)
        if len(adapter.path_info) > 1 and adapter.path_info.endswith("/"):
            adapter.path_info = adapter.path_info[:-1]
        return adapter


class LazyBuilderRule(Rule):
    """A rule whose URL builder (Python code Werkzeug writes and compiles for `url_for`) is compiled
    when first used: compiling the two builders of each of the ~200 rules took 50 ms of every start,
    and mockopik builds URLs of a few of them."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build(rule: Rule, **values: Any) -> tuple[str, str]:
            compiled: Callable[..., tuple[str, str]] = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)
            return compiled(**values)

        return build


def install_routing(app: Flask) -> None:
    """Give `app` the slash-tolerant URL map (before any rule is added), rules that compile their
    builders on first use, and the `record` converter."""
    app.url_map = SlashTolerantMap(strict_slashes=False)
    app.url_rule_class = LazyBuilderRule
    app.url_map.converters["record"] = RecordSegment


def path_id(text: str) -> UUID:
    """A UUID path parameter; anything else is Jersey's plain 404."""
    parsed = _parsed_path_id(text)
    if parsed is None:
        raise route_not_found()
    return parsed


@functools.lru_cache(maxsize=4096)
def _parsed_path_id(text: str) -> UUID | None:
    """The ids of the paths asked for lately, parsed once (a UI polls the same runs)."""
    return parse_uuid(text)
