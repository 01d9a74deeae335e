"""mockopik's simulated clock: pace, advance, reset, and the admin API and settings that drive it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from mockopik.app import create_app
from mockopik.clock import SimulatedClock
from mockopik.config import Settings, SettingsError
from tests.conftest import NOW, NOW_TEXT
from tests.support import OPTIMIZATIONS, Transport


class FakeReal:
    """Real seconds that pass only when told to."""

    def __init__(self) -> None:
        self.seconds = 100.0

    def __call__(self) -> float:
        return self.seconds


def test_the_clock_runs_at_its_pace_moves_on_when_advanced_and_resets_to_its_start() -> None:
    real = FakeReal()
    clock = SimulatedClock(NOW, pace=60, real=real)
    real.seconds += 2
    assert clock.now() == NOW + timedelta(minutes=2)
    clock.advance(timedelta(hours=1))
    assert clock.now() == NOW + timedelta(hours=1, minutes=2)
    clock.set_pace(0)
    real.seconds += 10
    assert (clock.now(), clock.pace) == (NOW + timedelta(hours=1, minutes=2), 0)
    clock.set_pace(2)
    real.seconds += 1.5
    assert clock.now() == NOW + timedelta(hours=1, minutes=2, seconds=3)
    clock.reset()
    real.seconds += 1
    assert (clock.now(), clock.pace) == (NOW + timedelta(minutes=1), 60)


def clock(api: Transport, body: Any = None) -> tuple[int, Any]:
    reply = api.get("/_mockopik/clock") if body is None else api.post("/_mockopik/clock", json=body)
    return reply.status, reply.json()


@pytest.mark.parametrize(
    ("body", "now"),
    [
        ({"advance": "90s"}, "2026-11-27T10:17:00.123456Z"),
        ({"advance": "10m"}, "2026-11-27T10:25:30.123456Z"),
        ({"advance": "2h"}, "2026-11-27T12:15:30.123456Z"),
        ({"advance": "1d"}, "2026-11-28T10:15:30.123456Z"),
        ({"advance": 250}, "2026-11-27T10:15:30.373456Z"),
        ({"advance": "0s", "pace": 0}, NOW_TEXT),
    ],
)
def test_advancing_moves_the_clock_and_answers_its_state(api: Transport, body: Any, now: str) -> None:
    assert clock(api) == (200, {"now": NOW_TEXT, "pace": 0})
    assert clock(api, body) == (200, {"now": now, "pace": 0})
    assert clock(api) == (200, {"now": now, "pace": 0})


def test_the_pace_is_a_number_and_a_reset_restores_the_boot_clock(api: Transport) -> None:
    assert clock(api, {"pace": 60}) == (200, {"now": NOW_TEXT, "pace": 60})
    assert clock(api, {"pace": 0.5})[1]["pace"] == 0.5
    status, stopped = clock(api, {"pace": 0})
    assert (status, stopped["pace"]) == (200, 0)
    assert stopped["now"] > NOW_TEXT  # time ran in between
    assert clock(api) == (200, stopped)  # and stands still again
    assert api.post("/_mockopik/reset", json={}).status == 204
    assert clock(api) == (200, {"now": NOW_TEXT, "pace": 0})


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"advance": "soon"}, ["advance: Expected a duration such as 90s, 10m, 2h or 1d, got 'soon'."]),
        ({"advance": -5}, ["advance: Expected a duration such as 90s, 10m, 2h or 1d, got -5."]),
        ({"pace": -1}, ["pace: Must be greater than or equal to 0 and less than or equal to 1000000."]),
        ({"pace": "fast"}, ["pace: Not a valid number."]),
        ({"speed": 2}, ["speed: Unknown field."]),
        ({}, ['Give advance, pace or both (`{"advance": "10m"}`).']),
        ([1], ["Invalid input type."]),
    ],
)
def test_a_bad_clock_change_is_a_400_naming_the_field_and_changes_nothing(
    api: Transport, body: Any, errors: list[str]
) -> None:
    assert clock(api, body) == (400, {"errors": errors})
    assert clock(api) == (200, {"now": NOW_TEXT, "pace": 0})


def test_records_are_stamped_with_the_simulated_time(api: Transport) -> None:
    clock(api, {"advance": "1d"})
    created = api.create(name="tomorrow")
    record = api.get(f"{OPTIMIZATIONS}/{created}").json()
    assert (record["created_at"], record["last_updated_at"]) == ("2026-11-28T10:15:30.123456Z",) * 2


@pytest.mark.parametrize(
    ("environ", "pace"), [({}, 1.0), ({"MOCKOPIK_PACE": "60"}, 60.0), ({"MOCKOPIK_PACE": "0"}, 0.0)]
)
def test_the_pace_setting_starts_the_clock(environ: dict[str, str], pace: float) -> None:
    app = create_app(Settings.resolve(environ), count=0)
    assert app.test_client().get("/_mockopik/clock").get_json()["pace"] == pace


def test_a_bad_pace_stops_the_start() -> None:
    with pytest.raises(
        SettingsError, match=r"^MOCKOPIK_PACE: expected a number from 0 to 1,000,000, got '-1'$"
    ):
        Settings.resolve({"MOCKOPIK_PACE": "-1"})


def test_a_pinned_reference_time_is_where_the_clock_starts() -> None:
    app = create_app(Settings.resolve({}), reference_time="2026-11-01T12:00:00Z", pace=0, count=0)
    assert app.test_client().get("/_mockopik/clock").get_json() == {
        "now": "2026-11-01T12:00:00.000000Z",
        "pace": 0,
    }
