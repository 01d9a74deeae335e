"""Marshmallow schemas of the workspace's lists the UI reads around optimizations: projects, their stats,
datasets, the workspace's version, configuration and feature toggles, and the sidebar's empty lists."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from mockopik.wire.jackson import Instant
from mockopik.wire.schemas import PagePublicSchema, ProjectPublicSchema, PublicSchema

_STRINGS = {"type": "array", "items": {"type": "string"}}
_EMPTY = {"type": "array", "maxItems": 0, "items": {"type": "object"}}


class ProjectPagePublicSchema(PagePublicSchema):
    """ProjectPage_Public (findProjects)."""

    opik_name = "ProjectPage_Public"
    content = fields.List(fields.Nested(ProjectPublicSchema))


class ProjectStatsSummaryItemSchema(PublicSchema):
    """ProjectStatsSummaryItem of a project without traces: only its id."""

    opik_name = "ProjectStatsSummaryItem"
    project_id = fields.UUID(attribute="id")


class ProjectStatsSummarySchema(Schema):
    """ProjectStatsSummary (getProjectStats): one item per project of the page, no paging fields."""

    opik_name = "ProjectStatsSummary"
    content = fields.List(fields.Nested(ProjectStatsSummaryItemSchema))


class DatasetPublicSchema(PublicSchema):
    """Dataset_Public, in the backend's field order, with what Opik counts about a dataset."""

    opik_name = "Dataset_Public"
    id = fields.UUID(attribute="dataset.id")
    name = fields.String(attribute="dataset.name", required=True)
    type = fields.Constant("dataset", metadata={"type": "string", "enum": ["dataset", "evaluation_suite"]})
    visibility = fields.Constant("private", metadata={"type": "string", "enum": ["private", "public"]})
    created_at = Instant(attribute="dataset.created_at")
    created_by = fields.String()
    last_updated_at = Instant()
    last_updated_by = fields.String()
    experiment_count = fields.Integer()
    dataset_items_count = fields.Integer()
    optimization_count = fields.Integer()
    most_recent_experiment_at = Instant()
    last_created_experiment_at = Instant()
    most_recent_optimization_at = Instant()
    last_created_optimization_at = Instant()


class DatasetPagePublicSchema(Schema):
    """DatasetPage_Public (findDatasets, findDatasetsByProject): content first."""

    opik_name = "DatasetPage_Public"
    content = fields.List(fields.Nested(DatasetPublicSchema))
    page = fields.Integer()
    size = fields.Function(lambda page: len(page.content), metadata={"type": "integer", "format": "int32"})
    total = fields.Integer()
    sortable_by = fields.Function(lambda page: list(page.sortable_by), metadata=_STRINGS)

    class Meta:
        ordered = True


class DatasetExportJobSchema(PublicSchema):
    """DatasetExportJob_Public: getDatasetExportJobs answers a JSON array of these (mockopik: none)."""

    opik_name = "DatasetExportJob_Public"
    id = fields.UUID()
    dataset_id = fields.UUID()
    dataset_name = fields.String()
    status = fields.String(metadata={"enum": ["PENDING", "PROCESSING", "COMPLETED", "FAILED"]})
    file_path = fields.String()
    error_message = fields.String()
    created_at = Instant()
    last_updated_at = Instant()
    expires_at = Instant()
    viewed_at = Instant()
    created_by = fields.String()
    last_updated_by = fields.String()


class WorkspaceVersionSchema(Schema):
    """WorkspaceVersion: which generation of pages the UI shows (`version_1` or `version_2`)."""

    opik_name = "WorkspaceVersion"
    opik_version = fields.String(metadata={"enum": ["version_1", "version_2"]})


class WorkspaceConfigurationSchema(PublicSchema):
    """WorkspaceConfiguration, as a fixture file gives it."""

    opik_name = "WorkspaceConfiguration"
    timeout_to_mark_thread_as_inactive = fields.String()
    truncation_on_tables = fields.Boolean()
    color_map = fields.Dict(keys=fields.String(), values=fields.String())


# A local install's feature flags, as ServiceTogglesConfig serves them (snake_case, as the UI reads them).
SERVICE_TOGGLES: dict[str, bool] = {
    "python_evaluator_enabled": True,
    "trace_thread_python_evaluator_enabled": True,
    "span_llm_as_judge_enabled": True,
    "span_user_defined_metric_python_enabled": True,
    "guardrails_enabled": False,
    "opik_aienabled": False,
    "alerts_enabled": True,
    "welcome_wizard_enabled": False,
    "csv_upload_enabled": True,
    "export_enabled": True,
    "dataset_export_enabled": True,
    "dashboards_enabled": True,
    "optimization_studio_enabled": True,
    "demo_data_enabled": False,
    "ollie_enabled": False,
    "agent_insights_enabled": False,
    "project_homepage_enabled": False,
    "cost_intelligence_enabled": False,
    "agentic_tools_enabled": False,
    "openai_provider_enabled": True,
    "anthropic_provider_enabled": True,
    "gemini_provider_enabled": True,
    "openrouter_provider_enabled": True,
    "vertexai_provider_enabled": True,
    "bedrock_provider_enabled": True,
    "customllm_provider_enabled": True,
    "ollama_provider_enabled": True,
}
ServiceTogglesSchema: type[Schema] = Schema.from_dict(
    {name: fields.Boolean(required=True) for name in SERVICE_TOGGLES}, name="ServiceTogglesConfig"
)


class EmptyPageSchema(Schema):
    """A find of a resource mockopik keeps none of (prompts, alerts, ...): Opik's empty page."""

    page = fields.Integer()
    size = fields.Constant(0, metadata={"type": "integer"})
    total = fields.Constant(0, metadata={"type": "integer"})
    content: fields.Constant[list[Any]] = fields.Constant([], metadata=_EMPTY)
    sortable_by = fields.Function(lambda page: list(page.sortable_by), metadata=_STRINGS)

    class Meta:
        ordered = True


class EmptyContentFirstPageSchema(EmptyPageSchema):
    """The same, for the resources whose pages put `content` first (dashboards)."""

    class Meta:
        ordered = True
        fields = ("content", "page", "size", "total", "sortable_by")
