"""The pinned upstream response schema (Optimization_Public), with only the contract's listed drift allowed."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SPEC_PATH = Path(__file__).parent / "data" / "opik-optimizations-openapi.yaml"
# Contract section 7: `dataset_name` is omitted when the dataset is gone (the spec requires it).
MISSING_DATASET_NAME = "'dataset_name' is a required property"


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    components = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))["components"]
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def contract_problems(record: Any, dataset_gone: bool = False) -> list[str]:
    """What in `record` the upstream Optimization_Public schema refuses, beyond the allowed drift."""
    found = sorted(error.message for error in _validator("Optimization_Public").iter_errors(record))
    if dataset_gone and "dataset_name" not in record:
        found.remove(MISSING_DATASET_NAME)
    return found
