"""`Mockopik`: what the `mockopik` pytest fixture gives a test, driving a mock through its control API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockopik.testing.control import ControlClient, ControlError
from mockopik.testing.expectations import call_count_failure, matching_calls

if TYPE_CHECKING:
    from flask import Flask

    from mockopik.domain.store import Store
    from mockopik.runtime import Runtime


class Mockopik:
    """A running mockopik: its URLs, its control API, and (in-process only) its app and store.

    Everything except `app`, `runtime` and `store` goes over HTTP, so it works the same against
    the plugin's own server and against one named by MOCKOPIK_URL (a container, say); `token` is
    the admin token the mock requires, if it requires one.
    """

    def __init__(
        self, url: str, app: Flask | None = None, workspace: str = "default", token: str | None = None
    ) -> None:
        self.url = url.rstrip("/")
        self.app = app
        self.workspace = workspace
        self.control = ControlClient(self.url, token=token)

    def __repr__(self) -> str:
        where = "in-process" if self.app is not None else "remote"
        return f"<Mockopik {self.url} ({where})>"

    @property
    def api_url(self) -> str:
        """The base URL the Opik SDK takes (`OPIK_URL_OVERRIDE`): the server's URL plus `/api`."""
        return self.url + "/api"

    # -- in-process shortcuts ---------------------------------------------------------------

    @property
    def runtime(self) -> Runtime:
        """The live state of the in-process server (settings, clock, store)."""
        if self.app is None:
            raise RuntimeError(
                f"the mock at {self.url} runs in another process (MOCKOPIK_URL): "
                "direct access to its app and store needs the in-process server"
            )
        runtime: Runtime = self.app.extensions["mockopik"]
        return runtime

    @property
    def store(self) -> Store:
        """The in-process server's store, for arranging and inspecting data directly."""
        return self.runtime.store

    # -- state ------------------------------------------------------------------------------

    def health(self) -> Any:
        return self.control.call("GET", "health")

    def reset(self) -> None:
        """Back to the boot state (data, fault rules, journal)."""
        self.control.call("POST", "reset")

    def reseed(
        self, *, scenario: str | None = None, seed: int | None = None, count: int | None = None
    ) -> None:
        """Replace the data with a scenario and/or freshly generated data (`POST /_mockopik/seed`)."""
        self.control.call("POST", "seed", _given(scenario=scenario, seed=seed, count=count))

    def load_fixtures(self, fixtures: Mapping[str, Any] | str | Path) -> None:
        """Replace the data with a fixture file's content (a path, or the parsed JSON)."""
        data = json.loads(Path(fixtures).read_text()) if isinstance(fixtures, (str, Path)) else fixtures
        self.control.call("POST", "fixtures", data)

    def export_fixtures(self) -> Any:
        """The current data in the fixture file format."""
        return self.control.call("GET", "fixtures")

    # -- the clock --------------------------------------------------------------------------

    def clock(self) -> dict[str, Any]:
        """The mock's simulated time: `{"now": "<ISO-8601 instant>", "pace": <number>}`."""
        state: dict[str, Any] = self.control.call("GET", "clock")
        return state

    def advance(self, duration: str | float) -> dict[str, Any]:
        """Move the clock on by `duration` (`"90s"`, `"10m"`, `"2h"`, `"1d"`; a number is
        milliseconds): runs in progress move as if that time had passed. Returns the clock."""
        state: dict[str, Any] = self.control.call("POST", "clock", {"advance": duration})
        return state

    def set_pace(self, pace: float) -> dict[str, Any]:
        """Run the clock at `pace` simulated seconds per real second (0 freezes it)."""
        state: dict[str, Any] = self.control.call("POST", "clock", {"pace": pace})
        return state

    # -- faults -----------------------------------------------------------------------------

    def add_fault(self, rule: Mapping[str, Any] | None = None, **fields: Any) -> Any:
        """Add a fault rule (a dict, or its fields as keywords); returns the rule as stored."""
        return self.control.call("POST", "faults", {**(rule or {}), **fields})

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules in force, in order, each with how often it matched and fired."""
        answer = self.control.call("GET", "faults")
        rules: list[dict[str, Any]] = answer["rules"]
        return rules

    def remove_faults(self, rule_id: str | None = None) -> None:
        """Remove one fault rule, or all of them."""
        self.control.call("DELETE", "faults" if rule_id is None else f"faults/{rule_id}")

    # -- journal ----------------------------------------------------------------------------

    def journal(self, operation: str | None = None) -> list[dict[str, Any]]:
        """The requests received since the last reset, oldest first (only `operation`'s if given: an
        Opik operationId or a glob; a name that matches no operation raises ValueError)."""
        try:
            answer = self.control.call("GET", "requests", query={"operation": operation})
        except ControlError as error:
            if error.status == 400:
                raise ValueError("; ".join(json.loads(error.body)["errors"])) from None
            raise
        entries: list[dict[str, Any]] = answer["requests"]
        return entries

    def assert_called(
        self, operation: str, *, times: int | None = None, body: Any = None
    ) -> list[Mapping[str, Any]]:
        """Fail unless `operation` (an Opik operationId) was called `times` times (default: at least
        once) with a body matching `body` (a partial match, see `expectations.difference`); returns
        the matching calls."""
        __tracebackhide__ = True
        calls = self.journal(operation)
        failure = call_count_failure(operation, times, body, calls, [] if calls else self.journal())
        if failure is not None:
            raise AssertionError(failure)
        return matching_calls(body, calls)

    def assert_not_called(self, operation: str) -> None:
        __tracebackhide__ = True
        self.assert_called(operation, times=0)


def _given(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}
