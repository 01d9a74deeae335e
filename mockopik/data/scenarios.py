"""Named data sets: the scenario files shipped in `fixtures/`, what they are, and the seed request."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from mockopik.config import SettingsError
from mockopik.data.fixture_files import problems
from mockopik.data.fixture_schemas import MAX_COUNT
from mockopik.domain.errors import ErrorListError

SUFFIX = ".json"


def scenarios_dir() -> Path:
    """Where the scenario files are: package data (the source tree's `fixtures/` links to them)."""
    return Path(str(resources.files("mockopik.data") / "fixtures"))


def scenario_names() -> list[str]:
    return sorted(path.name.removesuffix(SUFFIX) for path in scenarios_dir().glob(f"*{SUFFIX}"))


def scenario_path(name: str) -> Path:
    """The file of scenario `name`; an unknown name is a settings error listing the known ones."""
    path = scenarios_dir() / f"{name}{SUFFIX}"
    if "/" in name or "\\" in name or not path.is_file():
        raise SettingsError("scenario", f"unknown scenario {name!r} (known: {', '.join(scenario_names())})")
    return path


def describe(name: str) -> str:
    """The description a scenario file gives of itself."""
    description: str = json.loads(scenario_path(name).read_text(encoding="utf-8")).get("description", "")
    return description


def is_curated(name: str) -> bool:
    """A curated scenario lists its records; the others are generated from a recipe."""
    return "workspaces" in json.loads(scenario_path(name).read_text(encoding="utf-8"))


class SeedRequestSchema(Schema):
    """The body of `POST /_mockopik/seed`: which data set to put in place of the current one."""

    class Meta:
        unknown = RAISE

    scenario = fields.String(validate=lambda name: _known(name))
    seed = fields.Integer(strict=True, validate=validate.Range(min=0))
    count = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_COUNT))

    @validates_schema
    def _sizing_applies(self, data: dict[str, Any], **kwargs: Any) -> None:
        scenario = data.get("scenario")
        if scenario and ("seed" in data or "count" in data) and is_curated(scenario):
            raise ValidationError(
                f"Scenario {scenario} is curated data: seed and count do not apply.", "scenario"
            )


def _known(name: str) -> None:
    if name not in scenario_names():
        raise ValidationError(f"Unknown scenario {name!r} (known: {', '.join(scenario_names())}).")


def load_seed_request(body: Any) -> dict[str, Any]:
    """The validated seed request (an empty body asks for the settings' seed and count again)."""
    try:
        request: dict[str, Any] = SeedRequestSchema().load({} if body is None else body)
    except ValidationError as error:
        raise ErrorListError([str(problem) for problem in problems(error.messages)], status=400) from None
    return request
