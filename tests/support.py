"""Test helpers: one interface over the Flask test client and real HTTP, and request builders."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import requests
from flask import Flask

from mockopik.clock import SimulatedClock, SystemClock
from mockopik.domain.ids import IdMinter
from mockopik.domain.models import Trial
from mockopik.http.server import LiveServer
from mockopik.runtime import Runtime

OPTIMIZATIONS = "/v1/private/optimizations"
UNKNOWN_ID = "0193b3a0-0000-7000-8000-000000000001"


@dataclass
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Transport:
    """Calls to one mockopik app; `runtime` and `clock` reach its state directly."""

    app: Flask

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.extensions["mockopik"]
        return runtime

    @property
    def clock(self) -> SimulatedClock:
        clock = self.runtime.clock
        assert isinstance(clock, SimulatedClock)
        return clock

    def request(self, method: str, path: str, **kwargs: Any) -> Reply:
        raise NotImplementedError

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Reply:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Reply:
        return self.request("PUT", path, **kwargs)

    def create(self, **fields: Any) -> str:
        """Create an optimization and return its id (from the Location header)."""
        reply = self.post(OPTIMIZATIONS, json=new_optimization(**fields))
        assert reply.status == 201, reply.body
        return reply.headers["Location"].rsplit("/", 1)[1]


class FlaskTransport(Transport):
    """Requests through Flask's test client (in-process)."""

    name = "flask"

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()

    def request(self, method: str, path: str, **kwargs: Any) -> Reply:
        response = self.client.open(path, method=method, **_flask_kwargs(kwargs))
        return Reply(response.status_code, dict(response.headers), response.get_data())


class HttpTransport(Transport):
    """Requests over real HTTP to a live waitress server."""

    name = "http"

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.app = server.app
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> Reply:
        response = self.session.request(method, self.server.url + path, **kwargs)
        return Reply(response.status_code, dict(response.headers), response.content)


def _flask_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    converted = dict(kwargs)
    if "params" in converted:
        converted["query_string"] = converted.pop("params")
    return converted


def new_optimization(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"dataset_name": "qa-set", "objective_name": "accuracy", "status": "running"}
    body.update(fields)
    return body


def filters(*items: dict[str, Any]) -> str:
    return json.dumps(list(items))


_CLIENT_IDS = IdMinter(SystemClock(), random.Random())


def client_id() -> str:
    """A fresh v7 id as a client mints one (the SDK's `uuid7()`): now, increasing, with random bits."""
    return str(_CLIENT_IDS.mint())


def give_trials(api: Transport, optimization_id: str, trials: list[Trial]) -> None:
    """Give a stored run these trials the way the store changes a record: a copy put in its place."""
    with api.runtime.store.lock:
        space = api.runtime.store.workspace("default")
        run = copy.copy(space.optimizations[UUID(optimization_id)])
        run.trials = trials
        space.put(run)
