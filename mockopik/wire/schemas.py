"""Marshmallow schemas named after Opik's DTOs: what the API reads and what it writes back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, post_dump, post_load

from mockopik.domain.models import OptimizationStatus, OptimizationUpdate, OptimizationWrite
from mockopik.wire.jackson import (
    Instant,
    Items,
    JavaSchema,
    Json,
    Object,
    Text,
    TypeMismatch,
    Uuid,
    mismatch,
    not_blank,
    not_empty,
)

API = "com.comet.opik.api"
# A version 7 UUID, as Opik checks it (the version nibble; any variant).
V7_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# `metadata`: any JSON value; what clients send (Opik's spec: an object, a list of objects or a text)
METADATA = {
    "description": "Any JSON value (a Jackson JsonNode); clients send an object, a list of objects or a text"
}
ANALYTICS_MIN = datetime(1970, 1, 1, tzinfo=timezone.utc)
ANALYTICS_MAX = datetime(2300, 1, 1, tzinfo=timezone.utc)
_STATUS_JAVA = f"{API}.OptimizationStatus"


def _blank_text(**kwargs: Any) -> Text:
    """A required @NotBlank String."""
    return Text(required=True, validate=not_blank, error_messages={"required": "must not be blank"}, **kwargs)


def _required(field_type: type[fields.Field[Any]], *args: Any, **kwargs: Any) -> Any:
    """A required @NotNull member."""
    return field_type(*args, required=True, error_messages={"required": "must not be null"}, **kwargs)


_TEXT = Text()  # how a status is read as text first


class Status(fields.Enum[OptimizationStatus]):
    """OptimizationStatus: its JSON creator refuses unknown values with its own message."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(OptimizationStatus, by_value=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValidationError(mismatch(_STATUS_JAVA, value))
        text = _TEXT._deserialize(value, attr, data)
        try:
            return OptimizationStatus(text)
        except ValueError:
            raise ValidationError(
                TypeMismatch(
                    f"Cannot construct instance of `{_STATUS_JAVA}`, "
                    f"problem: Unknown Optimization Status '{text}'"
                )
            ) from None


def _in_analytics_range(value: datetime) -> None:
    if not ANALYTICS_MIN <= value < ANALYTICS_MAX:
        raise ValidationError(
            "must be after or equal 1970-01-01T00:00:00.000000Z and before 2300-01-01T00:00:00.000000Z"
        )


# -- request bodies ---------------------------------------------------------------------------


class StudioMessageSchema(JavaSchema):
    java_type = f"{API}.StudioMessage"
    role = _blank_text()
    content = _blank_text()


class StudioPromptSchema(JavaSchema):
    java_type = f"{API}.StudioPrompt"
    messages = Items(
        Object(StudioMessageSchema, StudioMessageSchema.java_type),
        f"java.util.ArrayList<{StudioMessageSchema.java_type}>",
        required=True,
        validate=not_empty,
        error_messages={"required": "must not be empty"},
    )


class StudioLlmModelSchema(JavaSchema):
    java_type = f"{API}.StudioLlmModel"
    model = _blank_text()
    parameters = Json()


class StudioMetricSchema(JavaSchema):
    java_type = f"{API}.StudioMetric"
    type = _blank_text()
    parameters = Json()


class StudioEvaluationSchema(JavaSchema):
    java_type = f"{API}.StudioEvaluation"
    metrics = Items(
        Object(StudioMetricSchema, StudioMetricSchema.java_type),
        f"java.util.ArrayList<{StudioMetricSchema.java_type}>",
        required=True,
        validate=not_empty,
        error_messages={"required": "must not be empty"},
    )


class StudioOptimizerSchema(JavaSchema):
    java_type = f"{API}.StudioOptimizer"
    type = _blank_text()
    parameters = Json()


class OptimizationStudioConfigSchema(JavaSchema):
    """studio_config; a secret `opik_api_key` is accepted and never stored or returned."""

    java_type = f"{API}.OptimizationStudioConfig"
    dataset_name = _blank_text()
    prompt = _required(Object, StudioPromptSchema, StudioPromptSchema.java_type)
    llm_model = _required(Object, StudioLlmModelSchema, StudioLlmModelSchema.java_type)
    evaluation = _required(Object, StudioEvaluationSchema, StudioEvaluationSchema.java_type)
    optimizer = _required(Object, StudioOptimizerSchema, StudioOptimizerSchema.java_type)


class ErrorInfoSchema(JavaSchema):
    java_type = f"{API}.ErrorInfo"
    exception_type = _blank_text()
    message = Text()
    traceback = _blank_text()


class OptimizationWriteSchema(JavaSchema):
    """Optimization_Write: the body of createOptimization and upsertOptimization."""

    opik_name = "Optimization_Write"
    java_type = f"{API}.Optimization"
    id = Uuid(metadata={"pattern": V7_PATTERN})
    name = Text()
    dataset_name = _blank_text()
    project_name = Text(validate=not_blank)
    project_id = Uuid()
    objective_name = _blank_text()
    status = _required(Status)
    metadata = Json(metadata=METADATA)
    studio_config = Object(OptimizationStudioConfigSchema, OptimizationStudioConfigSchema.java_type)
    error_info = Object(ErrorInfoSchema, ErrorInfoSchema.java_type)
    last_updated_at = Instant(validate=_in_analytics_range)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> OptimizationWrite:
        return OptimizationWrite(**data)


class UnvalidatedErrorInfoSchema(ErrorInfoSchema):
    """ErrorInfo inside an update: Jackson types are checked, bean constraints are not."""

    opik_name: ClassVar[str | Mapping[str, str]] = {"_Write": "ErrorInfo", "_Public": "ErrorInfo_Public"}
    exception_type = Text()
    traceback = Text()


class OptimizationUpdateSchema(JavaSchema):
    """OptimizationUpdate: the body of updateOptimizationsById (no bean validation upstream)."""

    opik_name = "OptimizationUpdate"
    java_type = f"{API}.OptimizationUpdate"
    name = Text()
    status = Status()
    error_info = Object(UnvalidatedErrorInfoSchema, ErrorInfoSchema.java_type)
    metadata = Json(metadata=METADATA)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> OptimizationUpdate:
        return OptimizationUpdate(**data)


class DeleteIdsHolderSchema(JavaSchema):
    """DeleteIdsHolder: a set of 1 to 1000 ids (duplicates collapse, as in a Java Set)."""

    opik_name = "DeleteIdsHolder"
    java_type = f"{API}.DeleteIdsHolder"
    ids = Items(
        Uuid(),
        "java.util.HashSet<java.util.UUID>",
        required=True,
        error_messages={"required": "must not be null"},
        metadata={"minItems": 1, "maxItems": 1000, "uniqueItems": True},
    )

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> list[Any]:
        unique = list(dict.fromkeys(data["ids"]))
        if not 1 <= len(unique) <= 1000:
            raise ValidationError({"ids": ["size must be between 1 and 1000"]})
        return unique


# -- responses --------------------------------------------------------------------------------


class PublicSchema(Schema):
    """A response record: null and absent values are omitted, keys in declaration order."""

    opik_name: ClassVar[str | Mapping[str, str] | None] = None  # as on JavaSchema

    @post_dump
    def _omit_nulls(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value is not None}


class FeedbackScoreAverageSchema(PublicSchema):
    opik_name = "FeedbackScoreAverage_Public"
    name = fields.String(required=True)
    value = fields.Float(required=True)


class OptimizationPublicSchema(PublicSchema):
    """Optimization_Public, in the backend's field order."""

    opik_name = "Optimization_Public"
    id = fields.UUID()
    name = fields.String()
    dataset_name = fields.String()  # omitted when the dataset is gone
    project_id = fields.UUID()
    objective_name = fields.String(required=True)
    status = fields.Enum(OptimizationStatus, by_value=True, required=True)
    metadata = Json(metadata=METADATA)
    studio_config = fields.Raw(metadata={"described_by": OptimizationStudioConfigSchema})
    # what an update stored is returned as it is: an update body is not validated
    error_info = fields.Raw(metadata={"described_by": UnvalidatedErrorInfoSchema})
    dataset_id = fields.UUID()
    num_trials = fields.Integer(attribute="summary.num_trials")
    feedback_scores = fields.List(
        fields.Nested(FeedbackScoreAverageSchema), attribute="summary.feedback_scores"
    )
    experiment_scores = fields.List(
        fields.Nested(FeedbackScoreAverageSchema), attribute="summary.experiment_scores"
    )
    created_at = Instant()
    created_by = fields.String()
    last_updated_at = Instant()
    last_updated_by = fields.String()
    baseline_objective_score = fields.Float(attribute="summary.baseline_objective_score")
    best_objective_score = fields.Float(attribute="summary.best_objective_score")
    baseline_duration = fields.Float(attribute="summary.baseline_duration")
    best_duration = fields.Float(attribute="summary.best_duration")
    baseline_cost = fields.Float(attribute="summary.baseline_cost")
    best_cost = fields.Float(attribute="summary.best_cost")
    total_optimization_cost = fields.Float(attribute="summary.total_optimization_cost")


class PagePublicSchema(Schema):
    """A page of a find: `size` is the number of items returned; the key is `sortable_by` on the wire."""

    page = fields.Integer()
    size = fields.Function(lambda page: len(page.content), metadata={"type": "integer", "format": "int32"})
    total = fields.Integer()
    sortable_by = fields.Function(
        lambda page: list(getattr(page, "sortable_by", ())),
        metadata={"type": "array", "items": {"type": "string"}},
    )

    class Meta:
        ordered = True
        fields = ("page", "size", "total", "content", "sortable_by")


class OptimizationPagePublicSchema(PagePublicSchema):
    """OptimizationPage_Public (the spec says sortableBy; the backend and the UI say sortable_by)."""

    opik_name = "OptimizationPage_Public"
    content = fields.List(fields.Nested(OptimizationPublicSchema))


class ProjectPublicSchema(PublicSchema):
    """Project_Public as GET /v1/private/projects/{id} and findProjects return it (no traces: no
    `last_updated_trace_at`)."""

    opik_name = "Project_Public"
    id = fields.UUID()
    name = fields.String(required=True)
    visibility = fields.Constant("private", metadata={"type": "string", "enum": ["private", "public"]})
    description = fields.String()
    created_at = Instant()
    created_by = fields.String()
    last_updated_at = Instant()
    last_updated_by = fields.String()
    last_updated_trace_at = Instant()


class IsAlivePublicSchema(PublicSchema):
    """The answer of GET /is-alive/ping."""

    healthy = fields.Boolean(required=True)


class VersionPublicSchema(PublicSchema):
    """The answer of GET /is-alive/ver."""

    version = fields.String(required=True)


class OptimizationStudioLogSchema(PublicSchema):
    opik_name = "OptimizationStudioLog"
    url = fields.String()
    last_modified = Instant()
    expires_at = Instant()


class ErrorMessageSchema(PublicSchema):
    """ErrorMessage: {code, message, details?}."""

    opik_name = "ErrorMessage"
    code = fields.Integer()
    message = fields.String()
    details = fields.String()


class ValidationErrorsSchema(Schema):
    """The {"errors": [...]} body of bean-validation failures."""

    opik_name = "ValidationErrorMessage"
    errors = fields.List(fields.String())
