"""The pytest plugin as a user's test suite sees it, through `pytester` (inner pytest runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.http.server import LiveServer

NEW = '{"dataset_name": "qa-set", "objective_name": "accuracy", "status": "running"}'
HEADER = f"""
import json
import os
from uuid import UUID

import pytest
import requests

NEW = json.loads('{NEW}')


def total(url, **params):
    return requests.get(url + "/v1/private/optimizations", params=params, timeout=10).json()["total"]


def create(url):
    reply = requests.post(url + "/api/v1/private/optimizations", json=NEW, timeout=10)
    assert reply.status_code == 201
    return reply.headers["Location"].rsplit("/", 1)[1]
"""


def admin_route_exists(name: str) -> bool:
    """Whether this build of mockopik has `/_mockopik/<name>` (routes other features add)."""
    return any(rule.rule == f"/_mockopik/{name}" for rule in create_app(count=0).url_map.iter_rules())


def needs_admin(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not admin_route_exists(name), reason=f"needs the admin endpoint /_mockopik/{name}, not in this build"
    )


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs start without MOCKOPIK_* variables (MOCKOPIK_URL would send them elsewhere)."""
    for name in list(os.environ):
        if name.startswith(("MOCKOPIK_", "OPIK_")):
            monkeypatch.delenv(name)


def write_tests(pytester: pytest.Pytester, body: str, conftest: str = "") -> None:
    # In-process inner runs find mockopik already imported (by this outer run): nothing to rewrite.
    pytester.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nfilterwarnings =\n    error\n"
        "    ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning\n"
    )
    if conftest:
        pytester.makeconftest(textwrap.dedent(conftest))
    pytester.makepyfile(test_user=HEADER + textwrap.dedent(body))


def test_the_plugin_brings_only_mockopik_fixtures(pytester: pytest.Pytester) -> None:
    write_tests(pytester, "")
    output = pytester.runpytest("--fixtures").stdout.str()
    section = output.split("fixtures defined from mockopik.testing.pytest_plugin", 1)[1].split(
        "fixtures defined from"
    )[0]
    names = {line.split()[0] for line in section.splitlines() if " -- " in line and not line.startswith(" ")}
    assert names == {
        "mockopik",
        "mockopik_app",
        "mockopik_client",
        "mockopik_sdk",
        "mockopik_server",
        "mockopik_settings",
    }


def test_urls_and_a_reset_before_each_test(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        def test_creates_one(mockopik):
            assert mockopik.api_url == mockopik.url + "/api"
            assert mockopik.health()["status"] == "ok"
            create(mockopik.url)
            assert total(mockopik.url) == 26

        def test_sees_the_boot_data_again(mockopik):
            assert total(mockopik.url) == 25
        """,
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_client_is_tested_against_runs_that_end(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        import time

        RUNNING = '[{"field": "status", "operator": "=", "value": "running"}]'
        STUDIO = {
            "dataset_name": "qa-set",
            "prompt": {"messages": [{"role": "system", "content": "Answer briefly."}]},
            "llm_model": {"model": "gpt-4o-mini"},
            "evaluation": {"metrics": [{"type": "equals"}]},
            "optimizer": {"type": "gepa"},
        }

        def get(mockopik, path, **params):
            return requests.get(mockopik.url + "/v1/private/optimizations" + path, params=params, timeout=10).json()

        @pytest.mark.mockopik(scenario="running")
        def test_a_seeded_run_ends(mockopik):
            run_id = get(mockopik, "", filters=RUNNING)["content"][0]["id"]
            time.sleep(0.2)
            assert get(mockopik, f"/{run_id}")["status"] == "running"  # the clock stands still
            mockopik.advance("30m")
            assert get(mockopik, f"/{run_id}")["status"] in ("completed", "error", "cancelled")
            assert get(mockopik, "", filters=RUNNING)["total"] == 0

        def test_a_studio_run_ends(mockopik):
            body = {**NEW, "objective_name": "equals", "studio_config": STUDIO}
            reply = requests.post(mockopik.url + "/v1/private/optimizations", json=body, timeout=10)
            run_id = reply.headers["Location"].rsplit("/", 1)[1]
            assert get(mockopik, f"/{run_id}")["status"] == "initialized"
            mockopik.advance("1h")
            assert get(mockopik, f"/{run_id}")["status"] in ("completed", "error")

        @pytest.mark.mockopik(scenario="running", pace=600)
        def test_a_run_ends_on_its_own_at_a_pace(mockopik):
            run_id = get(mockopik, "", filters=RUNNING)["content"][0]["id"]
            time.sleep(2.5)  # 25 simulated minutes
            assert get(mockopik, f"/{run_id}")["status"] != "running"
        """,
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_in_process_app_client_and_store_share_the_state(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        def test_one_state(mockopik, mockopik_app, mockopik_client):
            assert mockopik_app is mockopik.app
            reply = mockopik_client.post("/v1/private/optimizations/", json=NEW)
            new_id = UUID(reply.headers["Location"].rsplit("/", 1)[1])
            assert mockopik.store.get_optimization("default", new_id).objective_name == "accuracy"
            assert requests.get(f"{mockopik.url}/v1/private/optimizations/{new_id}", timeout=10).status_code == 200
        """,
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_settings_come_from_conftest_and_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOCKOPIK_SEED", "5")
    write_tests(
        pytester,
        """
        def test_settings(mockopik):
            settings = mockopik.runtime.settings
            assert (settings.count, settings.user, settings.seed, settings.host) == (2, "ci-bot", 5, "127.0.0.1")
            assert total(mockopik.url) == 2
            new_id = create(mockopik.url)
            assert mockopik.store.get_optimization("default", UUID(new_id)).created_by == "ci-bot"
        """,
        conftest="""
        import pytest

        @pytest.fixture(scope="session")
        def mockopik_settings():
            return {"count": 2, "user": "ci-bot"}
        """,
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_bad_setting_is_one_clear_error(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        "def test_never_runs(mockopik):\n    pass\n",
        conftest="""
        import pytest

        @pytest.fixture(scope="session")
        def mockopik_settings():
            return {"count": -1}
        """,
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["mockopik_settings: count: expected a whole number of 0 or more, got -1"])


def test_a_marker_with_unknown_arguments_is_an_error(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        @pytest.mark.mockopik("large", colour="red")
        def test_marked(mockopik):
            pass
        """,
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.mockopik takes only the keywords scenario, seed, count, faults, pace; got 'large', colour"
        ]
    )


@needs_admin("seed")
def test_the_marker_reseeds_for_one_test(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        pytestmark = pytest.mark.mockopik(count=4)

        @pytest.mark.mockopik(seed=3)
        def test_marked(mockopik):
            assert total(mockopik.url) == 4

        @pytest.mark.mockopik(count=None)
        def test_closest_marker_wins(mockopik):
            assert total(mockopik.url) == 4
        """,
    )
    pytester.runpytest().assert_outcomes(passed=2)


@needs_admin("faults")
def test_the_marker_adds_faults_for_one_test(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        @pytest.mark.mockopik(faults=[{"match": {"operation": "findOptimizations"}, "status": 503}])
        def test_faulted(mockopik):
            reply = requests.get(mockopik.url + "/v1/private/optimizations", timeout=10)
            assert reply.status_code == 503
            assert "X-Mockopik-Fault" in reply.headers

        def test_not_faulted(mockopik):
            assert total(mockopik.url) == 25
        """,
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


@needs_admin("requests")
def test_journal_assertions_pass_and_fail_clearly(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        def test_called_once(mockopik):
            create(mockopik.url)
            calls = mockopik.assert_called("createOptimization", times=1, body={"status": "running"})
            assert len(calls) == 1
            mockopik.assert_not_called("deleteOptimizationsById")

        def test_called_with_another_body(mockopik):
            create(mockopik.url)
            mockopik.assert_called("createOptimization", body={"status": "completed"})
        """,
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            'E * AssertionError: expected createOptimization to be called at least once with a body matching {"status": "completed"}',
            "E * but it was called once, 0 of them matching:",
            "E *   #1 POST /api/v1/private/optimizations -> 201  body: *",
            'E *       body.status: expected "completed", got "running"',
        ]
    )


def test_the_sdk_fixture_sets_the_environment_for_one_test(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        def test_pointed(mockopik_sdk):
            assert os.environ["OPIK_URL_OVERRIDE"] == mockopik_sdk.api_url
            assert (os.environ["OPIK_WORKSPACE"], os.environ["OPIK_SENTRY_ENABLE"]) == ("default", "false")
            assert os.environ["OPIK_ANALYTICS_ENABLE"] == "false"
            assert "OPIK_API_KEY" not in os.environ

        def test_restored_afterwards():
            assert "OPIK_URL_OVERRIDE" not in os.environ
        """,
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_mockopik_url_drives_a_running_mock(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.resolve({}, port=0, count=3)
    with LiveServer(create_app(settings), settings) as server:
        monkeypatch.setenv("MOCKOPIK_URL", server.url + "/api")
        write_tests(
            pytester,
            f"""
            def test_remote(mockopik):
                assert (mockopik.url, mockopik.app) == ("{server.url}", None)
                create(mockopik.url)
                assert total(mockopik.url) == 4
                with pytest.raises(RuntimeError, match="runs in another process"):
                    mockopik.store

            def test_reset_remotely(mockopik):
                assert total(mockopik.url) == 3

            def test_in_process_only(mockopik_client):
                pass
            """,
        )
        result = pytester.runpytest("-p", "no:randomly", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            f"mockopik: fixtures drive the mock at {server.url} (MOCKOPIK_URL)",
            f"SKIPPED * needs the in-process mockopik, but MOCKOPIK_URL={server.url}",
        ]
    )


def test_mockopik_url_with_nothing_there_is_one_clear_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    monkeypatch.setenv("MOCKOPIK_URL", url)
    write_tests(pytester, "def test_needs_it(mockopik):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"MOCKOPIK_URL={url}: no healthy mockopik there: GET {url}/_mockopik/health failed: *"]
    )


def test_each_xdist_worker_has_its_own_mock(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
        @pytest.mark.parametrize("n", range(4))
        def test_isolated(mockopik, n, pytestconfig):
            create(mockopik.url)
            assert total(mockopik.url) == 26
            worker = os.environ["PYTEST_XDIST_WORKER"]
            (pytestconfig.rootpath / f"url-{worker}").write_text(mockopik.url)
        """,
    )
    # Without opik's own pytest plugin, each worker starts a few seconds sooner.
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "each", "-p", "no:opik")
    result.assert_outcomes(passed=8)
    urls = {path.read_text() for path in pytester.path.glob("url-gw*")}
    assert len(urls) == 2


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    heavy = ["flask", "werkzeug", "waitress", "faker", "marshmallow", "urllib.request", "mockopik.app"]
    script = f"import sys, mockopik.testing.pytest_plugin; print([m for m in {heavy!r} if m in sys.modules])"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output == "[]\n"
