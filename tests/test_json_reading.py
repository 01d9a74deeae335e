"""JSON read as Opik's Jackson reads it: what it accepts reads back without fail, what passes its
limits is refused with its message, everywhere JSON comes in; a refused or failed write changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.data.fixture_files import FixtureError
from mockopik.faults.rules import RuleError, read_rules_source
from tests.support import OPTIMIZATIONS, UNKNOWN_ID, Transport, new_optimization

TOO_DEEP = (
    "Document nesting depth (1001) exceeds the maximum allowed "
    "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
)
JSON_HEADERS = {"Content-Type": "application/json"}
STUDIO_CONFIG = {
    "dataset_name": "qa-set",
    "prompt": {"messages": [{"role": "user", "content": "{question}"}]},
    "llm_model": {"model": "gpt-4o-mini", "parameters": {"temperature": 1e999}},
    "evaluation": {"metrics": [{"type": "equals", "parameters": {}}]},
    "optimizer": {"type": "gepa", "parameters": {}},
}


def nested(levels: int, leaf: str = "1") -> str:
    """A JSON value that is `levels` arrays deep."""
    return "[" * levels + leaf + "]" * levels


def body_with(metadata_text: str, **fields: Any) -> bytes:
    """A create body whose metadata is the given JSON text (which json.dumps could not write)."""
    head = json.dumps(new_optimization(**fields))[:-1]
    return f'{head}, "metadata": {metadata_text}}}'.encode()


def created(api: Transport, raw: bytes) -> dict[str, Any]:
    """Post a raw create body; the optimization as get returns it."""
    reply = api.post(OPTIMIZATIONS, data=raw, headers=JSON_HEADERS)
    assert reply.status == 201, reply.body
    reply = api.get(urlsplit(reply.headers["Location"]).path)
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.json()
    return body


def everything_reads(api: Transport) -> None:
    """Every read of the data answers: find, get, the trials, a logs download, export, the journal."""
    page = api.get(OPTIMIZATIONS, params={"size": 100})
    assert page.status == 200, page.body
    for item in page.json()["content"]:
        assert api.get(f"{OPTIMIZATIONS}/{item['id']}").status == 200
        logs = api.get(f"{OPTIMIZATIONS}/studio/{item['id']}/logs").json()["url"]
        assert api.get(urlsplit(logs).path).status == 200
        assert api.get("/v1/private/experiments", params={"optimization_id": item["id"]}).status == 200
    for admin in ("/_mockopik/fixtures", "/_mockopik/requests", "/_mockopik/faults", "/_mockopik/config"):
        assert api.get(admin).status == 200, admin


# -- numbers a double cannot hold -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("1e999", "Infinity"),
        ("-1e999", "-Infinity"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("1e308", 1e308),
        ("1e-999", 0.0),
    ],
)
def test_numbers_past_a_double_read_back_as_jackson_writes_them(api: Transport, sent: str, read: Any) -> None:
    optimization = created(api, body_with(f'{{"x": {sent}, "list": [{sent}]}}'))

    assert optimization["metadata"] == {"x": read, "list": [read]}
    everything_reads(api)


def test_studio_parameters_past_a_double_read_back_as_text(api: Transport) -> None:
    optimization = created(api, json.dumps(new_optimization(studio_config=STUDIO_CONFIG)).encode())

    assert optimization["studio_config"]["llm_model"]["parameters"] == {"temperature": "Infinity"}
    everything_reads(api)


@pytest.mark.parametrize("sent", ["1e999", "NaN", "-Infinity"])
def test_a_number_in_a_text_field_keeps_the_text_it_was_sent_as(api: Transport, sent: str) -> None:
    head = json.dumps(new_optimization())[:-1]

    optimization = created(api, f'{head}, "name": {sent}}}'.encode())

    assert optimization["name"] == sent


def test_a_number_past_a_double_is_no_id(api: Transport) -> None:
    head = json.dumps(new_optimization())[:-1]

    reply = api.post(OPTIMIZATIONS, data=f'{head}, "id": 1e999}}'.encode(), headers=JSON_HEADERS)

    assert (reply.status, reply.json()) == (
        400,
        {
            "code": 400,
            "message": "Unable to process JSON. Cannot deserialize value of type `java.util.UUID` from "
            "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`) (through reference chain: "
            'com.comet.opik.api.Optimization["id"])',
        },
    )


def test_a_number_longer_than_jacksons_limit_is_refused(api: Transport) -> None:
    before = api.get("/_mockopik/fixtures").body

    accepted = created(api, body_with("9" * 1000))
    api.runtime.reset()
    refused = api.post(OPTIMIZATIONS, data=body_with("9" * 1001), headers=JSON_HEADERS)

    assert accepted["metadata"] == int("9" * 1000)
    assert (refused.status, refused.json()) == (
        400,
        {
            "code": 400,
            "message": "Unable to process JSON. Number value length (1001) exceeds the maximum allowed "
            "(1000, from `StreamReadConstraints.getMaxNumberLength()`)",
        },
    )
    assert api.get("/_mockopik/fixtures").body == before


# -- lone surrogates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_name", "name"),
    [
        (b'"\\ud800"', "?"),
        (b'"a\\udfffb"', "a?b"),
        (b'"\\ud83d\\ude00 \\ud83d"', "\U0001f600 ?"),
        (b'"\xed\xa0\xbd\xed\xb8\x80 \xed\xa0\x80"', "\U0001f600 ?"),  # the same, as UTF-8 bytes
    ],
)
def test_lone_surrogates_read_as_question_marks_as_opik_stores_them(
    api: Transport, raw_name: bytes, name: str
) -> None:
    head = json.dumps(new_optimization(dataset_name="d"))[:-1].encode()
    raw = head + b', "name": ' + raw_name + b', "metadata": {' + raw_name + b": [" + raw_name + b"]}}"

    optimization = created(api, raw)

    assert (optimization["name"], optimization["metadata"]) == (name, {name: [name]})
    everything_reads(api)


# -- nesting depth --------------------------------------------------------------------------------


def test_metadata_as_deep_as_jackson_allows_reads_back_everywhere(api: Transport) -> None:
    deepest = nested(999)  # the body's object is the first level

    optimization = created(api, body_with(deepest, project_name="deep"))
    merged = api.put(
        f"{OPTIMIZATIONS}/{optimization['id']}",
        data=('{"metadata": {"more": ' + nested(998) + "}}").encode(),
        headers=JSON_HEADERS,
    )

    assert optimization["metadata"] == json.loads(deepest)
    assert merged.status == 204
    everything_reads(api)


WRITES = [
    ("POST", OPTIMIZATIONS),
    ("PUT", OPTIMIZATIONS),
    ("PUT", f"{OPTIMIZATIONS}/{UNKNOWN_ID}"),
    ("POST", f"{OPTIMIZATIONS}/delete"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "raw",
    [
        body_with(nested(1000), project_name="deep"),
        body_with(nested(100_000), project_name="deep"),
        ("[" * 1001).encode(),
        ('{"x": "[[[", "y": ' + nested(1000) + "}").encode(),
    ],
    ids=["metadata", "very deep", "unclosed", "after a string"],
)
def test_a_body_deeper_than_jackson_allows_is_refused_and_changes_nothing(
    api: Transport, method: str, path: str, raw: bytes
) -> None:
    before = api.get("/_mockopik/fixtures").body

    reply = api.request(method, path, data=raw, headers=JSON_HEADERS)

    assert (reply.status, reply.json()) == (
        400,
        {"code": 400, "message": f"Unable to process JSON. {TOO_DEEP}"},
    )
    assert api.get("/_mockopik/fixtures").body == before
    everything_reads(api)


def test_brackets_inside_texts_do_not_count_as_nesting(api: Transport) -> None:
    optimization = created(api, body_with(json.dumps({"text": "[" * 5000, "other": "{" * 5000})))

    assert optimization["metadata"] == {"text": "[" * 5000, "other": "{" * 5000}


@pytest.mark.parametrize(
    ("path", "parameter", "message"),
    [
        (OPTIMIZATIONS, "filters", "Invalid filters query parameter '{raw}'"),
        ("/v1/private/experiments", "types", "Invalid query param types '{raw}'"),
    ],
)
def test_query_parameters_deeper_than_jackson_allows_are_refused(
    api: Transport, path: str, parameter: str, message: str
) -> None:
    raw = nested(1001, '"x"')

    reply = api.get(path, params={parameter: raw})

    assert (reply.status, reply.json()) == (400, {"code": 400, "message": message.format(raw=raw)})


def test_admin_bodies_deeper_than_jackson_allows_are_refused(api: Transport) -> None:
    raw = ('{"id": "deep", "status": 503, "body": ' + nested(1000) + "}").encode()
    accepted = ('{"id": "deep", "status": 503, "body": ' + nested(999) + "}").encode()

    refused = [
        api.post(path, data=raw, headers=JSON_HEADERS)
        for path in ("/_mockopik/faults", "/_mockopik/seed", "/_mockopik/fixtures")
    ]
    answered = api.post("/_mockopik/faults", data=accepted, headers=JSON_HEADERS)
    faulted = api.get(OPTIMIZATIONS)
    listed = api.get("/_mockopik/faults")

    assert [(reply.status, reply.json()) for reply in refused] == 3 * [
        (400, {"code": 400, "message": f"Unable to process JSON. {TOO_DEEP}"})
    ]
    assert (answered.status, faulted.status, faulted.json()) == (201, 503, json.loads(nested(999)))
    assert listed.json()["rules"][0]["body"] == json.loads(nested(999))


def test_deep_bodies_are_journaled_as_text_or_json(api: Transport) -> None:
    api.post(OPTIMIZATIONS, data=body_with(nested(1000)), headers=JSON_HEADERS)
    api.post(OPTIMIZATIONS, data=body_with(nested(500)), headers=JSON_HEADERS)

    bodies = [entry["body"] for entry in api.get("/_mockopik/requests").json()["requests"]]

    assert bodies[0] == body_with(nested(1000)).decode()
    assert bodies[1]["metadata"] == json.loads(nested(500))


def test_fixture_files_and_fault_rules_deeper_than_jackson_allows_are_refused(tmp_path: Path) -> None:
    fixture = tmp_path / "deep.json"
    fixture.write_text('{"format": 1, "workspaces": {}, "x": ' + nested(1000) + "}")
    rules = tmp_path / "rules.json"
    rules.write_text('{"status": 503, "body": ' + nested(1000) + "}")

    with pytest.raises(FixtureError) as broken:
        create_app(Settings.resolve({}), fixtures=str(fixture))
    with pytest.raises(RuleError) as refused:
        read_rules_source(str(rules))
    assert broken.value.errors == [f"Not valid JSON: {TOO_DEEP}."]
    assert refused.value.problems == [f"not valid JSON: {TOO_DEEP}"]


# -- a write that fails leaves nothing behind -----------------------------------------------------


class FailingSaver:
    """A state file that cannot be written (a full disk, say)."""

    def save(self, workspace: str, change: object) -> None:
        raise OSError(28, "No space left on device")

    def save_all(self, workspaces: object) -> None:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", OPTIMIZATIONS, new_optimization(dataset_name="new-set", project_name="new-project")),
        ("PUT", OPTIMIZATIONS, new_optimization(id="{existing}", name="renamed", project_name="p2")),
        ("PUT", f"{OPTIMIZATIONS}/{{existing}}", {"name": "renamed", "metadata": {"k": 1}}),
        ("POST", f"{OPTIMIZATIONS}/delete", {"ids": ["{existing}"]}),
    ],
    ids=["create", "upsert", "update", "delete"],
)
def test_a_write_that_fails_after_validation_changes_nothing(
    api: Transport, method: str, path: str, body: dict[str, Any]
) -> None:
    existing = api.create(name="kept", metadata={"k": 0})
    before = api.get("/_mockopik/fixtures").body
    api.runtime.store.saver = FailingSaver()
    try:
        reply = api.request(
            method,
            path.format(existing=existing),
            json=json.loads(json.dumps(body).replace("{existing}", existing)),
        )
    finally:
        api.runtime.store.saver = None

    assert reply.status == 500
    assert reply.json()["message"].startswith("There was an error processing your request.")
    assert api.get("/_mockopik/fixtures").body == before
    assert api.get(f"{OPTIMIZATIONS}/{existing}").json()["name"] == "kept"
