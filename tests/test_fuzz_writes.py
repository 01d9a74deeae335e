"""No input answers a 500 or breaks a later read: every write operation, Opik's and the admin API's,
fuzzed with nested, huge, non-BMP and invalid values, then every read, and a restart from the state file."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockopik.app import create_app
from tests.support import OPTIMIZATIONS, UNKNOWN_ID

DEEP = "@@deep@@"
OPERATIONS = [
    ("POST", OPTIMIZATIONS),
    ("PUT", OPTIMIZATIONS),
    ("PUT", OPTIMIZATIONS + "/{id}"),
    ("POST", OPTIMIZATIONS + "/delete"),
    ("POST", "/_mockopik/faults"),
    ("POST", "/_mockopik/seed"),
    ("POST", "/_mockopik/fixtures"),
]
FIELDS = [
    "id",
    "name",
    "dataset_name",
    "objective_name",
    "status",
    "project_name",
    "project_id",
    "metadata",
    "studio_config",
    "error_info",
    "last_updated_at",
    "ids",
    "match",
    "body",
    "headers",
    "latency",
    "vanish",
    "scenario",
    "count",
    "format",
    "workspaces",
    "generate",
]

_text = st.text(
    st.characters(codec=None, categories=None, exclude_characters="\x00")
    | st.sampled_from('😀𝄞\u2028\ufeff\\"{}[]'),
    max_size=15,
)
# Hypothesis's texts hold no lone surrogates: they are put in between two of them.
texts = st.tuples(_text, st.sampled_from(["", "", "\ud800", "\udfff", "\ud83d"]), _text).map("".join)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, 10**1000])
    | texts
    | st.sampled_from(
        [
            "running",
            "completed",
            "cancelled",
            "qa-set",
            UNKNOWN_ID,
            "01a181ca-24c3-7ba4-8b69-ca385f3f5638",
            DEEP,
        ]
    )
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | texts, inner, max_size=5)
    ),
    max_leaves=25,
)
noise = st.dictionaries(st.sampled_from(FIELDS) | texts, values, max_size=8) | values
# Mostly names that pass, so that the fuzzed values around them are stored and read back.
named = st.sampled_from(["qa-set", "p1", "ds \U0001f600", "x" * 300])
names = st.one_of(named, named, named, texts, st.sampled_from([" ", ""]))
V7_IDS = ["01a181ca-24c3-7ba4-8b69-ca385f3f5638", "01a181ca-24c3-7ba4-8b69-ca385f3f5639"]


def records(required: dict[str, Any], **optional: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional)


messages = st.lists(records({"role": named, "content": named}), min_size=1, max_size=2)
studio_configs = records(
    {
        "dataset_name": named,
        "prompt": records({"messages": messages}),
        "llm_model": records({"model": named, "parameters": values}),
        "evaluation": records(
            {"metrics": st.lists(records({"type": named, "parameters": values}), min_size=1, max_size=2)}
        ),
        "optimizer": records({"type": named, "parameters": values}),
    }
)
writes = records(
    {
        "dataset_name": names,
        "objective_name": names,
        "status": st.sampled_from(["running", "completed", "error"]),
    },
    id=st.sampled_from(V7_IDS),
    name=st.one_of(names, names, values),
    project_name=names,
    metadata=values,
    studio_config=studio_configs,
    error_info=records({"exception_type": named, "traceback": names}, message=values),
    last_updated_at=st.sampled_from(["2026-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2299-12-31T23:59:59Z"]),
)
# Writes that pass, so that what they carry (any JSON in metadata and parameters, any text in
# names) is stored and read back.
passing_writes = records(
    {"dataset_name": named, "objective_name": named, "status": st.sampled_from(["running", "completed"])},
    id=st.sampled_from(V7_IDS),
    name=texts,
    project_name=named,
    metadata=values,
    studio_config=studio_configs,
)
updates = records(
    {},
    name=names | values,
    status=st.sampled_from(["cancelled", "completed", "running"]),
    metadata=values,
    error_info=values,
)
rules = records(
    {"status": st.integers(400, 599)},
    body=values,
    headers=st.dictionaries(texts, texts, max_size=3),
    match=records({}, operation=st.sampled_from(["find*", "get*"]), path=texts),
)
generated = records({"recipe": st.just("team"), "count": st.integers(0, 30)})
BODIES: dict[str, st.SearchStrategy[Any]] = {
    OPTIMIZATIONS: st.one_of(passing_writes, passing_writes, writes),
    OPTIMIZATIONS + "/{id}": updates,
    OPTIMIZATIONS + "/delete": records({"ids": st.lists(values | st.sampled_from(V7_IDS), max_size=3)}),
    "/_mockopik/faults": rules | st.lists(rules, max_size=3),
    "/_mockopik/seed": records({}, count=st.integers(0, 30), seed=values),
    "/_mockopik/fixtures": records({"format": st.just(1), "generate": generated}),
}


@st.composite
def raw_bodies(draw: st.DrawFn, path: str) -> tuple[bytes, dict[str, str]]:
    """A body for `path` as bytes, the way a careless client might send it, with its headers: mostly
    the operation's shape with fuzzed values, sometimes anything at all."""
    body = draw(st.one_of(BODIES[path], BODIES[path], BODIES[path], noise))
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    if DEEP in text:
        levels = draw(st.sampled_from([1, 500, 999, 1000, 1001, 5000]))
        text = text.replace(json.dumps(DEEP), "[" * levels + "{}" + "]" * levels, 1)
    text = text.replace("Infinity", draw(st.sampled_from(["Infinity", "1e999", "-1e999"])))
    raw = text.encode("utf-8", "surrogatepass")  # lone surrogates as raw bytes, too
    cut = draw(st.sampled_from([None] * 7 + [len(raw) // 2]))
    raw = raw if cut is None else raw[:cut]
    headers = {"Content-Type": draw(st.sampled_from(["application/json"] * 5 + ["text/plain"]))}
    if draw(st.booleans()):
        raw = gzip.compress(raw, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return raw, headers


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    served = create_app(count=5, state=str(tmp_path_factory.mktemp("fuzz") / "state.sqlite3"))
    yield served
    served.extensions["mockopik"].close()


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data(), target=st.sampled_from(["known", UNKNOWN_ID]))
def test_no_write_answers_500_or_breaks_a_read(app: Flask, data: st.DataObject, target: str) -> None:
    client = app.test_client()
    method, path = data.draw(st.sampled_from(OPERATIONS))
    raw, headers = data.draw(raw_bodies(path))
    known = client.get(OPTIMIZATIONS, query_string={"size": 1}).get_json()["content"]
    optimization_id = known[0]["id"] if known and target == "known" else UNKNOWN_ID

    reply = client.open(path.format(id=optimization_id), method=method, data=raw, headers=headers)

    assert reply.status_code < 500, (reply.status_code, reply.get_data()[:300])
    client.delete("/_mockopik/faults")  # a fuzzed rule must not hide the reads below
    assert_everything_reads(app)


def assert_everything_reads(app: Flask) -> None:
    client = app.test_client()
    page = client.get(OPTIMIZATIONS, query_string={"size": 100})
    assert page.status_code == 200, page.get_data()[:300]
    for item in page.get_json()["content"][:10]:
        for path in (
            f"{OPTIMIZATIONS}/{item['id']}",
            f"{OPTIMIZATIONS}/studio/{item['id']}/logs",
            f"/_mockopik/studio-logs/default/{item['id']}.log.gz",
        ):
            assert client.get(path).status_code == 200, path
        trials = client.get("/v1/private/experiments", query_string={"optimization_id": item["id"]})
        assert trials.status_code == 200
    for admin in ("/_mockopik/fixtures", "/_mockopik/requests", "/_mockopik/faults", "/_mockopik/config"):
        assert client.get(admin).status_code == 200, admin


def test_what_the_fuzzing_left_comes_back_from_the_state_file(app: Flask, tmp_path: Path) -> None:
    """Runs after the fuzzing (same module): the state file restores what was served, byte for byte."""
    served = app.test_client().get("/_mockopik/fixtures").get_data()
    runtime = app.extensions["mockopik"]
    path = runtime.settings.state
    runtime.close()

    restarted = create_app(count=5, state=path)
    restored = restarted.test_client().get("/_mockopik/fixtures").get_data()
    restarted.extensions["mockopik"].close()
    runtime.state = None  # closed already: the module fixture has nothing left to close

    assert restored == served
    assert json.loads(served)["format"] == 1
