"""The admin API is not for every web page: no cross-origin access unless allowed, JSON-typed POSTs,
an optional admin token; Opik's API stays open to any dev origin, and checks its key before faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mockopik.app import create_app
from mockopik.cli import main
from mockopik.config import Settings
from mockopik.http.server import LiveServer
from mockopik.testing.client import Mockopik
from mockopik.testing.control import ControlError
from tests.support import OPTIMIZATIONS, Transport, new_optimization

EVIL = "http://evil.example"
JSON = {"Content-Type": "application/json"}
TOKEN = "s3cret-admin-token"
UNAUTHORIZED = {"code": 401, "message": "The admin API needs its token: send Authorization: Bearer <token>"}
ADMIN_CALLS = [
    ("GET", "/_mockopik/requests"),
    ("GET", "/api/_mockopik/faults"),
    ("GET", "/_mockopik/faults/none"),
    ("GET", "/_mockopik/config"),
    ("GET", "/_mockopik/openapi.json"),
    ("GET", "/_mockopik/fixtures"),
    ("POST", "/_mockopik/reset"),
    ("POST", "/_mockopik/seed"),
    ("POST", "/_mockopik/faults"),
    ("POST", "/_mockopik/fixtures"),
    ("DELETE", "/_mockopik/faults"),
    ("DELETE", "/_mockopik/requests"),
]


def allowed_origin(reply: Any) -> str | None:
    return reply.headers.get("Access-Control-Allow-Origin")


def preflight(api: Transport, path: str, origin: str) -> Any:
    return api.request(
        "OPTIONS",
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )


def test_the_admin_api_gives_other_origins_nothing_and_opiks_api_everything(api: Transport) -> None:
    optimization_id = api.create()
    logs = f"/_mockopik/studio-logs/default/{optimization_id}.log.gz"

    assert allowed_origin(api.get("/_mockopik/requests", headers={"Origin": EVIL})) is None
    assert allowed_origin(api.get("/api/_mockopik/fixtures", headers={"Origin": EVIL})) is None
    assert allowed_origin(preflight(api, "/_mockopik/reset", EVIL)) is None
    assert allowed_origin(preflight(api, "/api/_mockopik/faults", EVIL)) is None
    assert allowed_origin(api.get(OPTIMIZATIONS, headers={"Origin": EVIL})) == EVIL
    assert allowed_origin(preflight(api, OPTIMIZATIONS, EVIL)) == EVIL
    assert allowed_origin(api.get(logs, headers={"Origin": EVIL})) == EVIL


def test_admin_origins_lets_those_pages_in(make_api: Callable[..., Transport]) -> None:
    api = make_api(admin_origins="http://localhost:5174")

    assert (
        allowed_origin(preflight(api, "/_mockopik/reset", "http://localhost:5174")) == "http://localhost:5174"
    )
    assert allowed_origin(api.get("/_mockopik/requests", headers={"Origin": "http://localhost:5174"})) == (
        "http://localhost:5174"
    )
    assert allowed_origin(api.get("/_mockopik/requests", headers={"Origin": EVIL})) is None


@pytest.mark.parametrize(
    ("path", "headers", "body"),
    [
        ("/_mockopik/reset", {}, b""),
        ("/_mockopik/reset", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1"),
        ("/_mockopik/seed", {"Content-Type": "text/plain"}, b'{"count": 1}'),
        ("/_mockopik/fixtures", {"Content-Type": "multipart/form-data; boundary=x"}, b"--x--"),
        ("/_mockopik/faults", {}, b'{"status": 503}'),
    ],
    ids=["reset bare", "reset as a form", "seed as text", "fixtures as multipart", "faults bare"],
)
def test_admin_posts_a_page_could_send_without_asking_are_refused(
    api: Transport, path: str, headers: dict[str, str], body: bytes
) -> None:
    api.create(name="kept")
    before = api.get("/_mockopik/fixtures").body

    reply = api.request("POST", path, headers=headers, data=body)

    assert (reply.status, reply.json()) == (415, {"code": 415, "message": "HTTP 415 Unsupported Media Type"})
    assert api.get("/_mockopik/fixtures").body == before
    assert api.get("/_mockopik/faults").json() == {"rules": []}


@pytest.mark.parametrize(("method", "path"), ADMIN_CALLS)
@pytest.mark.parametrize("sent", [None, "Bearer wrong", TOKEN, f"Basic {TOKEN}"])
def test_with_an_admin_token_every_admin_call_needs_it(
    make_api: Callable[..., Transport], method: str, path: str, sent: str | None
) -> None:
    api = make_api(admin_token=TOKEN)
    api.create(name="kept")
    before = api.runtime.store.workspace("default").optimizations.copy()
    headers = {**JSON, **({"Authorization": sent} if sent else {})}

    reply = api.request(method, path, headers=headers, data=b"")

    assert (reply.status, reply.json()) == (401, UNAUTHORIZED)
    assert {name.lower(): value for name, value in reply.headers.items()}["www-authenticate"] == (
        'Bearer realm="mockopik"'
    )
    assert api.runtime.store.workspace("default").optimizations == before


@pytest.mark.parametrize(("method", "path"), ADMIN_CALLS)
def test_with_the_token_admin_calls_are_answered(
    make_api: Callable[..., Transport], method: str, path: str
) -> None:
    api = make_api(admin_token=TOKEN)

    reply = api.request(method, path, headers={**JSON, "Authorization": f"Bearer {TOKEN}"}, data=b"")

    assert reply.status != 401


def test_health_studio_logs_and_opiks_api_need_no_admin_token(make_api: Callable[..., Transport]) -> None:
    api = make_api(admin_token=TOKEN)
    optimization_id = api.create()

    assert api.get("/_mockopik/health").status == 200
    assert api.get(f"/_mockopik/studio-logs/default/{optimization_id}.log.gz").status == 200
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").status == 200
    config = api.get("/_mockopik/config", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert config["admin_token"] == "***"


def test_the_api_key_is_checked_before_faults_and_latency(make_api: Callable[..., Transport]) -> None:
    api = make_api(api_key="the-key", latency="2s", max_delay="2s")
    api.request(
        "POST",
        "/_mockopik/faults",
        headers=JSON,
        json={"id": "down", "match": {"operation": "find*"}, "status": 503},
    )

    refused = api.get(OPTIMIZATIONS)
    journaled = api.get("/_mockopik/requests").json()["requests"]
    rules = {rule["id"]: rule["fired"] for rule in api.get("/_mockopik/faults").json()["rules"]}

    assert (refused.status, refused.json()) == (401, {"code": 401, "message": "API key should be provided"})
    assert "X-Mockopik-Fault" not in refused.headers
    assert [(entry["status"], entry["faults"], entry["delay_ms"]) for entry in journaled] == [(401, [], 0.0)]
    assert rules == {"latency": 0, "down": 0}


def test_the_clients_pass_the_admin_token(tmp_path: Path) -> None:
    settings = Settings.resolve({}, port=0, count=2, admin_token=TOKEN)
    target = tmp_path / "state.json"
    with LiveServer(create_app(settings), settings) as server:
        with_token = Mockopik(server.url, token=TOKEN)
        with_token.reset()
        with_token.add_fault(latency=0)
        rules = [rule["id"] for rule in with_token.faults()]
        exported = CliRunner().invoke(
            main,
            ["fixtures", "export", "--url", server.url, "-o", str(target)],
            env={"MOCKOPIK_ADMIN_TOKEN": TOKEN},
        )
        with pytest.raises(ControlError) as refused:
            Mockopik(server.url).reset()

    assert rules == ["rule-1"]
    assert (exported.exit_code, exported.output) == (0, "")
    assert len(target.read_bytes()) > 0
    assert refused.value.status == 401


def test_the_pytest_plugin_passes_the_admin_token(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    pytester.makeconftest(
        f"""
import pytest

@pytest.fixture(scope="session")
def mockopik_settings():
    return {{"admin_token": "{TOKEN}", "count": 1}}
"""
    )
    pytester.makepyfile(
        test_user="""
import requests

def test_admin_calls_work(mockopik):
    mockopik.add_fault(latency=0)
    assert [rule["id"] for rule in mockopik.faults()] == ["rule-1"]
    requests.get(mockopik.url + "/v1/private/optimizations", timeout=10)
    mockopik.assert_called("findOptimizations", times=1)
    assert requests.get(mockopik.url + "/_mockopik/faults", timeout=10).status_code == 401
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_creating_optimizations_stays_open_to_any_origin(api: Transport) -> None:
    reply = api.post(OPTIMIZATIONS, json=new_optimization(), headers={"Origin": EVIL})

    assert (reply.status, allowed_origin(reply)) == (201, EVIL)
