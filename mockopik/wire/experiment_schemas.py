"""Marshmallow schemas of Opik's experiment DTOs: experiments (an optimization's trials), the compare
view of a dataset's items with their experiment items, and item columns."""

from __future__ import annotations

from marshmallow import Schema, fields

from mockopik.domain.models import TrialType
from mockopik.wire.jackson import Instant, Json
from mockopik.wire.schemas import FeedbackScoreAverageSchema, PagePublicSchema, PublicSchema

_STRINGS = {"type": "array", "items": {"type": "string"}}


class PercentageValuesSchema(PublicSchema):
    """PercentageValues: percentiles of the trace durations of an experiment, in milliseconds."""

    opik_name = "PercentageValues_Public"
    p50 = fields.Float()
    p90 = fields.Float()
    p99 = fields.Float()


class ExperimentPublicSchema(PublicSchema):
    """Experiment_Public, in the backend's field order, as mockopik fills it for an optimization's trials."""

    opik_name = "Experiment_Public"
    id = fields.UUID()
    dataset_name = fields.String()
    dataset_id = fields.UUID()
    project_id = fields.UUID()
    name = fields.String()
    metadata = Json(metadata={"description": "What the optimizer logged with the trial (any JSON value)"})
    type = fields.Enum(TrialType, by_value=True)
    evaluation_method = fields.Constant("dataset", metadata={"type": "string", "enum": ["dataset"]})
    optimization_id = fields.UUID()
    feedback_scores = fields.List(fields.Nested(FeedbackScoreAverageSchema))
    trace_count = fields.Integer()
    dataset_item_count = fields.Integer()
    created_at = Instant()
    duration = fields.Nested(PercentageValuesSchema)
    total_estimated_cost = fields.Float()
    total_estimated_cost_avg = fields.Float()
    last_updated_at = Instant()
    created_by = fields.String()
    last_updated_by = fields.String()
    status = fields.String(metadata={"enum": ["running", "completed", "cancelled"]})
    experiment_scores = fields.List(fields.Nested(FeedbackScoreAverageSchema))


class ExperimentPagePublicSchema(PagePublicSchema):
    """ExperimentPage_Public: `sortable_by` lists what `sorting` takes."""

    opik_name = "ExperimentPage_Public"
    content = fields.List(fields.Nested(ExperimentPublicSchema))


class FeedbackScoreCompareSchema(PublicSchema):
    """A trace's score, as the compare view returns it (logged by the SDK)."""

    opik_name = "FeedbackScore_Compare"
    name = fields.String(required=True)
    value = fields.Float(required=True)
    source = fields.Constant("sdk", metadata={"type": "string", "enum": ["sdk", "ui", "online_scoring"]})


class ExperimentItemCompareSchema(PublicSchema):
    """ExperimentItem_Compare: one trace of an experiment on a dataset item."""

    opik_name = "ExperimentItem_Compare"
    id = fields.UUID()
    experiment_id = fields.UUID(required=True)
    dataset_item_id = fields.UUID(required=True)
    trace_id = fields.UUID(required=True)
    input = Json()
    output = Json()
    feedback_scores = fields.List(fields.Nested(FeedbackScoreCompareSchema), attribute="scores")
    total_estimated_cost = fields.Float()
    duration = fields.Float()
    created_at = Instant()
    last_updated_at = Instant()


class DatasetItemCompareSchema(PublicSchema):
    """DatasetItem_Compare: a dataset item with the experiment items of the compared experiments."""

    opik_name = "DatasetItem_Compare"
    id = fields.UUID()
    dataset_item_id = fields.UUID(attribute="item.id")
    source = fields.Constant("sdk", metadata={"type": "string", "enum": ["manual", "trace", "span", "sdk"]})
    data = Json()
    experiment_items = fields.List(fields.Nested(ExperimentItemCompareSchema))
    created_at = Instant()
    last_updated_at = Instant(attribute="item.created_at")


class ColumnSchema(PublicSchema):
    """Column: a key of the items' data or outputs, its JSON types and the field that filters on it."""

    opik_name = "Column_Compare"
    name = fields.String()
    types = fields.List(
        fields.String(),
        metadata={"items": {"enum": ["string", "number", "object", "boolean", "array", "null"]}},
    )
    filter_field_prefix = fields.String()
    filterField = fields.Function(
        lambda column: f"{column.filter_field_prefix}.{column.name}", metadata={"type": "string"}
    )


class DatasetItemPageCompareSchema(Schema):
    """DatasetItemPage_Compare: items, the data columns, and what `sorting` takes."""

    opik_name = "DatasetItemPage_Compare"
    content = fields.List(fields.Nested(DatasetItemCompareSchema))
    page = fields.Integer()
    size = fields.Function(lambda page: len(page.content), metadata={"type": "integer", "format": "int32"})
    total = fields.Integer()
    columns = fields.List(fields.Nested(ColumnSchema))
    sortable_by = fields.Function(lambda page: list(page.sortable_by), metadata=_STRINGS)

    class Meta:
        ordered = True


class PageColumnsSchema(Schema):
    """PageColumns: the keys of the compared experiments' outputs."""

    opik_name = "PageColumns"
    columns = fields.List(fields.Nested(ColumnSchema))
