"""The data settings: scenario, fixture file and the reference instant, from the environment or arguments."""

from __future__ import annotations

import pytest

from mockopik.app import create_app
from mockopik.config import Settings, SettingsError


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        (None, "now"),
        ("now", "now"),
        (" NOW ", "now"),
        ("2030-02-03T04:05:06Z", "2030-02-03T04:05:06.000000Z"),
        ("2030-02-03T04:05:06.5+02:00", "2030-02-03T02:05:06.500000Z"),
        ("2030-02-03T04:05:06.123456789-01:30", "2030-02-03T05:35:06.123456Z"),
    ],
)
def test_generated_data_is_dated_back_from_the_start_unless_pinned(given: str | None, resolved: str) -> None:
    env = {} if given is None else {"MOCKOPIK_REFERENCE_TIME": given}

    assert Settings.resolve(env).reference_time == resolved


@pytest.mark.parametrize(
    "given", ["yesterday", "2030-02-03", "2030-02-03T04:05:06", "2030-13-03T04:05:06Z", ""]
)
def test_a_bad_reference_instant_names_the_setting(given: str) -> None:
    with pytest.raises(
        SettingsError, match=r"^MOCKOPIK_REFERENCE_TIME: expected an ISO-8601 instant such as "
    ):
        Settings.resolve({"MOCKOPIK_REFERENCE_TIME": given})


def test_the_scenario_and_fixture_file_come_from_the_environment_too() -> None:
    settings = Settings.resolve({"MOCKOPIK_SCENARIO": "failures", "MOCKOPIK_FIXTURES": " "})
    app = create_app(settings)

    assert (settings.scenario, settings.fixtures) == ("failures", None)
    assert app.test_client().get("/v1/private/optimizations").get_json()["total"] == 16
