"""The drift check: the pinned Opik spec shows only the known drift; any other revision's changes show."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mockopik.cli import main
from mockopik.contract.diff import EXTRA, MISSING, check, load_document, render
from mockopik.contract.drift import DELIBERATE_DRIFT, as_backend, markdown_table
from mockopik.contract.openapi import build_spec
from tests.test_upstream_schema import SPEC_PATH

PINNED = load_document(SPEC_PATH)
README = Path(__file__).parent.parent / "README.md"
# The topics of the contract's "Known drift" list (section 7) that a spec can show.
SECTION_7 = {
    "page key",
    "`dataset_name` in responses",
    "`error_info` on Optimization / OptimizationUpdate, `metadata` on OptimizationUpdate",
    "error bodies",
}
Revision = Callable[[dict[str, Any]], None]


def lines(document: dict[str, Any]) -> list[str]:
    """The undocumented differences as the CLI prints them."""
    return render(check(document)).splitlines()[:-1]


def test_the_pinned_spec_differs_only_by_the_contracts_known_drift() -> None:
    report = check(PINNED)

    assert report.undocumented == ()
    assert {difference.drift for difference in report.differences} == SECTION_7


def test_the_cli_exits_0_on_the_pinned_spec_and_names_the_drift() -> None:
    result = CliRunner().invoke(main, ["contract", "diff", "--against", str(SPEC_PATH)])

    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"0 undocumented difference\(s\); \d+ known deliberate drift\(s\): .*\n", result.output
    )
    assert all(topic in result.output for topic in SECTION_7)


def test_the_cli_lists_each_known_drift_when_verbose() -> None:
    result = CliRunner().invoke(main, ["contract", "diff", "--against", str(SPEC_PATH), "-v"])

    assert (
        "known drift          GET /v1/private/optimizations (findOptimizations): response 200 body sortableBy"
        "  [missing in mockopik; page key]"
    ) in result.output.splitlines()


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = document["components"]["schemas"]
    return components


def add_operation(document: dict[str, Any]) -> None:
    document["paths"]["/v1/private/optimizations/studio"] = {
        "post": {
            "tags": ["Optimizations"],
            "operationId": "createStudioOptimization",
            "responses": {"201": {}},
        }
    }


def add_other_tag_operation(document: dict[str, Any]) -> None:
    document["paths"]["/v1/private/traces"] = {
        "get": {"tags": ["Traces"], "operationId": "getTraces", "responses": {"200": {"description": "ok"}}}
    }


def add_public_field(document: dict[str, Any]) -> None:
    schemas(document)["Optimization_Public"]["properties"]["experiment_count"] = {"type": "integer"}


def add_nested_field(document: dict[str, Any]) -> None:
    schemas(document)["StudioMessage_Public"]["properties"]["name"] = {"type": "string"}


def make_name_nullable(document: dict[str, Any]) -> None:
    """OpenAPI 3.1 nullability: not one of the things compared."""
    schemas(document)["Optimization_Public"]["properties"]["name"]["type"] = ["string", "null"]


def add_status_value(document: dict[str, Any]) -> None:
    schemas(document)["Optimization_Write"]["properties"]["status"]["enum"].append("paused")


def drop_write_field(document: dict[str, Any]) -> None:
    del schemas(document)["Optimization_Write"]["properties"]["project_id"]


def relax_required(document: dict[str, Any]) -> None:
    schemas(document)["Optimization_Write"]["required"].remove("objective_name")


def retype_field(document: dict[str, Any]) -> None:
    schemas(document)["Optimization_Public"]["properties"]["num_trials"] = {"type": "string"}


def add_query_parameter(document: dict[str, Any]) -> None:
    parameter = {"name": "sorting", "in": "query", "schema": {"type": "string"}}
    document["paths"]["/v1/private/optimizations"]["get"]["parameters"].append(parameter)


def add_status_code(document: dict[str, Any]) -> None:
    responses = document["paths"]["/v1/private/optimizations/{id}"]["get"]["responses"]
    responses["403"] = {"description": "Forbidden"}


def rename_operation(document: dict[str, Any]) -> None:
    document["paths"]["/v1/private/optimizations/delete"]["post"]["operationId"] = "deleteOptimizations"


def catch_up_with_the_backend(document: dict[str, Any]) -> None:
    """A newer spec that documents what the backend already does."""
    backend = as_backend(PINNED, build_spec())
    document.clear()
    document.update(backend)


GET = "GET /v1/private/optimizations/{id} (getOptimizationById)"
FIND = "GET /v1/private/optimizations (findOptimizations)"
WRITES = [
    "POST /v1/private/optimizations (createOptimization)",
    "PUT /v1/private/optimizations (upsertOptimization)",
]
REVISIONS: list[tuple[Revision, list[str]]] = [
    (
        add_operation,
        [f"{MISSING:<20} POST /v1/private/optimizations/studio (createStudioOptimization): operation"],
    ),
    (add_other_tag_operation, []),
    (
        add_public_field,
        [
            f"{MISSING:<20} {GET}: response 200 body experiment_count",
            f"{MISSING:<20} {FIND}: response 200 body content[].experiment_count",
        ],
    ),
    (
        add_nested_field,
        [
            f"{MISSING:<20} {GET}: response 200 body studio_config.prompt.messages[].name",
            f"{MISSING:<20} {FIND}: response 200 body content[].studio_config.prompt.messages[].name",
        ],
    ),
    (make_name_nullable, []),
    (add_status_value, [f"{MISSING:<20} {w}: request body status enum value 'paused'" for w in WRITES]),
    (drop_write_field, [f"{EXTRA:<20} {w}: request body project_id" for w in WRITES]),
    (relax_required, [f"{EXTRA:<20} {w}: request body objective_name required" for w in WRITES]),
    (
        retype_field,
        [
            f"{MISSING:<20} {GET}: response 200 body num_trials type string",
            f"{EXTRA:<20} {GET}: response 200 body num_trials type integer",
            f"{MISSING:<20} {FIND}: response 200 body content[].num_trials type string",
            f"{EXTRA:<20} {FIND}: response 200 body content[].num_trials type integer",
        ],
    ),
    (
        add_query_parameter,
        [f"{MISSING:<20} GET /v1/private/optimizations (findOptimizations): query parameter sorting"],
    ),
    (add_status_code, [f"{MISSING:<20} {GET}: status 403"]),
    (
        rename_operation,
        [
            f"{MISSING:<20} POST /v1/private/optimizations/delete (deleteOptimizations): operation operationId deleteOptimizations",
            f"{EXTRA:<20} POST /v1/private/optimizations/delete (deleteOptimizations): operation operationId deleteOptimizationsById",
        ],
    ),
    (catch_up_with_the_backend, []),
]


@pytest.mark.parametrize(("revise", "expected"), REVISIONS, ids=[revise.__name__ for revise, _ in REVISIONS])
def test_a_revision_shows_exactly_what_it_changed(revise: Revision, expected: list[str]) -> None:
    document = copy.deepcopy(PINNED)
    revise(document)

    assert sorted(lines(document)) == sorted(expected)


@pytest.mark.parametrize(("name", "dump"), [("opik.yaml", yaml.safe_dump), ("opik.json", json.dumps)])
def test_the_cli_exits_1_when_something_undocumented_differs(tmp_path: Path, name: str, dump: Any) -> None:
    document = copy.deepcopy(PINNED)
    add_public_field(document)
    (tmp_path / name).write_text(dump(document))

    result = CliRunner().invoke(main, ["contract", "diff", "--against", str(tmp_path / name)])

    assert result.exit_code == 1
    assert f"{MISSING:<20} {GET}: response 200 body experiment_count" in result.output.splitlines()


@pytest.mark.parametrize("content", [None, "just: text\n"])
def test_the_cli_refuses_what_is_not_an_openapi_file(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "opik.yaml"
    if content is not None:
        path.write_text(content)

    result = CliRunner().invoke(main, ["contract", "diff", "--against", str(path)])

    assert result.exit_code == 2
    assert "--against" in result.output


def test_applying_the_drift_leaves_the_given_document_alone() -> None:
    before = copy.deepcopy(PINNED)
    as_backend(PINNED, build_spec())

    assert before == PINNED


def readme_drift_table() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Deliberate differences from Opik", 1)[1]
    return "\n".join(re.findall(r"^\|.*\|$", section.split("\n#", 1)[0], flags=re.MULTILINE))


def test_the_readme_mirrors_the_deliberate_drift_list() -> None:
    assert readme_drift_table() == markdown_table()


def test_the_cli_prints_the_deliberate_drift_list() -> None:
    result = CliRunner().invoke(main, ["contract", "drift"])

    assert result.output == markdown_table() + "\n"
    assert len(result.output.splitlines()) == len(DELIBERATE_DRIFT) + 2


# -- Opik's whole published spec -------------------------------------------------------------------

FEATURES = SPEC_PATH.parent / "opik-whole-spec-features.yaml"
PROJECT = "GET /v1/private/projects/{id} (getProjectById)"
SERVED_IN_PART = "operations outside the Optimizations API (projects, experiments, liveness, ...)"


def whole_spec() -> dict[str, Any]:
    """A document shaped as Opik's whole spec: the pinned Optimizations operations beside the others."""
    document = load_document(FEATURES)
    document["paths"] = {**PINNED["paths"], **document["paths"]}
    document["components"]["schemas"] = {**schemas(PINNED), **schemas(document)}
    return copy.deepcopy(document)


def as_opik_writes_it(document: dict[str, Any]) -> str:
    """YAML with the operator `=` unquoted, as Opik's spec generator writes it (PyYAML quotes it)."""
    text = yaml.safe_dump(document, sort_keys=False)
    assert "- '='\n" in text
    return text.replace("- '='\n", "- =\n")


def test_the_unquoted_equals_enum_item_is_read_as_text() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match=r"tag:yaml\.org,2002:value"):
        yaml.safe_load(FEATURES.read_text(encoding="utf-8"))

    operator = schemas(load_document(FEATURES))["TraceFilter_Public"]["properties"]["operator"]

    assert operator["enum"] == [
        "contains", "not_contains", "starts_with", "ends_with", "=", "!=", ">", ">=", "<", "<=",
        "is_empty", "is_not_empty",
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "write"), [("opik.yaml", as_opik_writes_it), ("opik.json", json.dumps)])
def test_the_cli_reads_the_whole_spec_as_opik_publishes_it(tmp_path: Path, name: str, write: Any) -> None:
    (tmp_path / name).write_text(write(whole_spec()))

    result = CliRunner().invoke(main, ["contract", "diff", "--against", str(tmp_path / name), "-v"])

    assert result.exit_code == 0, result.output
    assert (
        f"known drift          {PROJECT}: response 200 body guardrails_failed_count"
        f"  [missing in mockopik; {SERVED_IN_PART}]"
    ) in result.output.splitlines()
    assert all(topic in result.output.splitlines()[-1] for topic in {*SECTION_7, SERVED_IN_PART})


def retype_project_name(document: dict[str, Any]) -> None:
    schemas(document)["Project_Public"]["properties"]["name"] = {"type": "integer"}


def drop_project_visibility(document: dict[str, Any]) -> None:
    del schemas(document)["Project_Public"]["properties"]["visibility"]


def add_project_query_parameter(document: dict[str, Any]) -> None:
    parameter = {"name": "include_stats", "in": "query", "schema": {"type": "boolean"}}
    document["paths"]["/v1/private/projects/{id}"]["get"]["parameters"].append(parameter)


def add_project_status(document: dict[str, Any]) -> None:
    document["paths"]["/v1/private/projects/{id}"]["get"]["responses"]["403"] = {"description": "Forbidden"}


def drop_the_project_operation(document: dict[str, Any]) -> None:
    del document["paths"]["/v1/private/projects/{id}"]["get"]


def drop_an_optimizations_operation(document: dict[str, Any]) -> None:
    del document["paths"]["/v1/private/optimizations/studio/{id}/cancel"]


WHOLE_SPEC_REVISIONS: list[tuple[Revision, list[str]]] = [
    (
        retype_project_name,
        [
            f"{MISSING:<20} {PROJECT}: response 200 body name type integer",
            f"{EXTRA:<20} {PROJECT}: response 200 body name type string",
        ],
    ),
    (drop_project_visibility, [f"{EXTRA:<20} {PROJECT}: response 200 body visibility"]),
    (add_project_query_parameter, []),
    (add_project_status, []),
    (drop_the_project_operation, []),
    (
        drop_an_optimizations_operation,
        [
            f"{EXTRA:<20} GET /v1/private/optimizations/studio/{{id}}/cancel (cancelStudioOptimizations): "
            "operation"
        ],
    ),
]


@pytest.mark.parametrize(
    ("revise", "expected"), WHOLE_SPEC_REVISIONS, ids=[revise.__name__ for revise, _ in WHOLE_SPEC_REVISIONS]
)
def test_every_operation_mockopik_serves_is_compared(revise: Revision, expected: list[str]) -> None:
    """Outside the Optimizations API the operations mockopik serves are compared too, where the document
    has them: what mockopik declares must agree; what only Opik lists there is the known drift."""
    document = whole_spec()
    revise(document)

    assert sorted(lines(document)) == sorted(expected)
