"""Marshmallow schemas of fixture file format 1: workspaces of datasets, projects, optimizations, trials.

They read fixture files and write them: a record's keys are the models' field names, and what a
record leaves out is its default (null, an empty score map, no trials, not deleted)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_dump,
    pre_load,
    validate,
    validates_schema,
)

from mockopik.clock import format_instant, parse_instant
from mockopik.domain.models import OptimizationStatus, Trial, TrialType
from mockopik.wire.jackson import without_nulls
from mockopik.wire.schemas import OptimizationStudioConfigSchema, UnvalidatedErrorInfoSchema

FORMAT = 1
MAX_COUNT = 100_000  # generated optimizations a request may ask for (a fixture document or a reseed)
_BLANK = "Must not be blank."


class Timestamp(fields.Field[datetime]):
    """An ISO-8601 instant with a zone, kept to microseconds in UTC."""

    default_error_messages = {  # noqa: RUF012 (marshmallow's own class attribute)
        "invalid": "Not an ISO-8601 timestamp with a zone, such as 2026-11-27T10:15:30.123456Z."
    }

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> datetime:
        moment = parse_instant(value) if isinstance(value, str) else None
        if moment is None:
            raise self.make_error("invalid")
        return moment

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_instant(value)


class Flag(fields.Boolean):
    """A flag that is written only when set."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> bool | None:
        return True if value else None


class OmittedWhenEmpty(fields.Field[Any]):
    """A mixin for collections that are written only when they hold something."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return super()._serialize(value, attr, obj, **kwargs) if value else None


class ScoreMap(OmittedWhenEmpty, fields.Dict):
    """Scores by name."""


class Records(OmittedWhenEmpty, fields.List):  # type: ignore[type-arg]
    """A list of nested records."""


class Number(fields.Float):
    """A JSON number: text and booleans are not numbers here."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _number(**kwargs: Any) -> Number:
    return Number(allow_nan=False, **kwargs)


def _score_map() -> ScoreMap:
    return ScoreMap(keys=fields.String(validate=validate.Length(min=1, error=_BLANK)), values=_number())


def _not_blank(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(r"\S", error=_BLANK), **kwargs)


class FixtureSchema(Schema):
    """A record of a fixture file: unknown keys are mistakes, reported as such."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _null_is_absent(self, data: Any, **kwargs: Any) -> Any:
        return without_nulls(data)

    @post_dump
    def _defaults_left_out(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value is not None}


class TrialSchema(FixtureSchema):
    id = fields.UUID(required=True)
    type = fields.Enum(TrialType, by_value=True, required=True)
    candidate_id = fields.UUID()
    created_at = Timestamp(required=True)
    objective_score = _number()
    feedback_scores = _score_map()
    experiment_scores = _score_map()
    duration = _number(validate=validate.Range(min=0))
    cost = _number(validate=validate.Range(min=0))
    trace_count = fields.Integer(strict=True, required=True, validate=validate.Range(min=0))
    name = _not_blank()
    metadata = fields.Dict(keys=fields.String())

    @post_dump(pass_original=True)
    def _generated_name_left_out(self, data: dict[str, Any], trial: Trial, **kwargs: Any) -> dict[str, Any]:
        """A name Opik generated from the id is the default, as when the file leaves it out."""
        if data.get("name") == Trial(trial.id, trial.type, trial.created_at, trial.candidate_id).name:
            del data["name"]
        return data


class StatusChangeSchema(FixtureSchema):
    at = Timestamp(required=True)
    status = fields.Enum(OptimizationStatus, by_value=True, required=True)
    error_info = fields.Nested(UnvalidatedErrorInfoSchema)


class ScheduleSchema(FixtureSchema):
    """A live run's future: trials that appear at their `created_at`, statuses it takes at their `at`."""

    trials = Records(fields.Nested(TrialSchema))
    statuses = Records(fields.Nested(StatusChangeSchema))


class DatasetSchema(FixtureSchema):
    id = fields.UUID(required=True)
    name = _not_blank(required=True)
    created_at = Timestamp(required=True)
    deleted = Flag()


class ProjectSchema(FixtureSchema):
    id = fields.UUID(required=True)
    name = _not_blank(required=True)
    description = fields.String()
    created_at = Timestamp(required=True)
    created_by = _not_blank()
    last_updated_at = Timestamp()
    last_updated_by = _not_blank()


class OptimizationSchema(FixtureSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    dataset_id = fields.UUID(required=True)
    project_id = fields.UUID()
    objective_name = _not_blank(required=True)
    status = fields.Enum(OptimizationStatus, by_value=True, required=True)
    metadata = fields.Raw()
    studio_config = fields.Nested(OptimizationStudioConfigSchema)
    error_info = fields.Nested(UnvalidatedErrorInfoSchema)  # what an update may store
    created_at = Timestamp(required=True)
    created_by = _not_blank()
    last_updated_at = Timestamp()
    last_updated_by = _not_blank()
    trials = Records(fields.Nested(TrialSchema))
    schedule = fields.Nested(ScheduleSchema)


class WorkspaceConfigurationSchema(FixtureSchema):
    """What getWorkspaceConfiguration answers (without one, it answers 404)."""

    timeout_to_mark_thread_as_inactive = fields.String()
    truncation_on_tables = fields.Boolean(truthy={True}, falsy={False})
    color_map = fields.Dict(keys=fields.String(), values=fields.String())


class WorkspaceSchema(FixtureSchema):
    configuration = fields.Nested(WorkspaceConfigurationSchema)
    datasets = fields.List(fields.Nested(DatasetSchema))
    projects = fields.List(fields.Nested(ProjectSchema))
    optimizations = fields.List(fields.Nested(OptimizationSchema))


class GenerateSchema(FixtureSchema):
    """A generated data set instead of records: a recipe, and optionally its seed and size."""

    recipe = _not_blank(required=True)
    seed = fields.Integer(strict=True, validate=validate.Range(min=0))
    count = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_COUNT))


class FixtureDocumentSchema(FixtureSchema):
    """The whole file: `{"format": 1, "workspaces": {...}}` (or `"generate"` instead of workspaces)."""

    format = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Equal(
            FORMAT, error=f"Unsupported format {{input}}; this mockopik reads format {FORMAT}."
        ),
    )
    description = fields.String()
    workspaces = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\S(.*\S)?$", error="Not a workspace name.")),
        values=fields.Nested(WorkspaceSchema),
    )
    generate = fields.Nested(GenerateSchema)

    @validates_schema
    def _one_source(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("workspaces" in data) == ("generate" in data):
            raise ValidationError("Give either workspaces or generate.", "workspaces")
