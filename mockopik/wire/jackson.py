"""Marshmallow fields that read JSON as Opik's Jackson does, and their errors turned into Opik's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime, timezone
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from mockopik.clock import format_instant, parse_instant
from mockopik.domain.errors import ErrorListError, JsonProcessingError
from mockopik.domain.ids import parse_uuid
from mockopik.domain.json_text import NonFinite
from mockopik.wire.loading import UNSURE, quick_load
from mockopik.wire.messages import Path, walk


class TypeMismatch(str):
    """A marshmallow message that is really a Jackson deserialization failure (a 400, not a 422)."""


def token(value: Any) -> str:
    """How Jackson names the JSON token of `value` in its messages."""
    if isinstance(value, NonFinite):
        return "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"
    if isinstance(value, dict):
        return "Object value (token `JsonToken.START_OBJECT`)"
    if isinstance(value, list):
        return "Array value (token `JsonToken.START_ARRAY`)"
    if isinstance(value, str):
        return "String value (token `JsonToken.VALUE_STRING`)"
    if isinstance(value, bool):
        return f"Boolean value (token `JsonToken.VALUE_{str(value).upper()}`)"
    if isinstance(value, int):
        return "Integer value (token `JsonToken.VALUE_NUMBER_INT`)"
    return "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"


def mismatch(java_type: str, value: Any) -> TypeMismatch:
    return TypeMismatch(f"Cannot deserialize value of type `{java_type}` from {token(value)}")


class Text(fields.String):
    """java.lang.String: scalars are coerced to text (a number as it was written, where Jackson keeps
    its text), objects and arrays refused."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if isinstance(value, NonFinite):
            return value.source
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        if not isinstance(value, str):
            raise ValidationError(mismatch("java.lang.String", value))
        return value


class Uuid(fields.UUID):
    """java.util.UUID in the standard 36-character form."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if not isinstance(value, str) or isinstance(value, NonFinite):
            raise ValidationError(mismatch("java.util.UUID", value))
        parsed = parse_uuid(value)
        if parsed is None:
            raise ValidationError(
                TypeMismatch(
                    f'Cannot deserialize value of type `java.util.UUID` from String "{value}": '
                    "UUID has to be represented by standard 36-char representation"
                )
            )
        return parsed


class Instant(fields.Field[datetime]):
    """java.time.Instant: ISO-8601 text or epoch seconds; kept to microseconds, in UTC."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if isinstance(value, NonFinite):
            raise ValidationError(_instant_failure(value.source, 0))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, timezone.utc)
            except (OverflowError, OSError, ValueError):
                raise ValidationError(_instant_failure(str(value), 0)) from None
        if not isinstance(value, str):
            raise ValidationError(mismatch("java.time.Instant", value))
        moment = parse_instant(value)
        if moment is None:
            raise ValidationError(_instant_failure(value, 0))
        return moment

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else format_instant(value)


def _instant_failure(text: str, index: int) -> TypeMismatch:
    return TypeMismatch(
        f'Cannot deserialize value of type `java.time.Instant` from String "{text}": '
        "Failed to deserialize java.time.Instant: (java.time.format.DateTimeParseException) "
        f"Text '{text}' could not be parsed at index {index}"
    )


class Json(fields.Raw):
    """com.fasterxml.jackson.databind.JsonNode: any JSON value, kept as it is."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"description": "Any JSON value (a Jackson JsonNode)"})
        super().__init__(**kwargs)


class Object(fields.Nested):
    """A nested record; anything but a JSON object is a Jackson type error."""

    def __init__(self, nested: type[Schema], java_type: str, **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self.java_type = java_type

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        partial: bool | Sequence[str] | AbstractSet[str] | None = None,
        **kwargs: Any,
    ) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(mismatch(self.java_type, value))
        return super()._deserialize(value, attr, data, partial, **kwargs)


class Items(fields.List[Any]):
    """A Java collection; anything but a JSON array is a Jackson type error."""

    def __init__(self, inner: fields.Field[Any], java_type: str, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.java_type = java_type

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if not isinstance(value, list):
            raise ValidationError(mismatch(self.java_type, value))
        if any(item is None for item in value):
            nulls = {index: ["must not be null"] for index, item in enumerate(value) if item is None}
            raise ValidationError(nulls)
        return super()._deserialize(value, attr, data, **kwargs)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


def not_empty(value: list[Any]) -> None:
    if not value:
        raise ValidationError("must not be empty")


class JavaSchema(Schema):
    """A Jackson-read record: unknown keys ignored, explicit nulls treated as absent."""

    java_type = "java.lang.Object"
    # Opik's name in its OpenAPI document, when it is not `<class name without Schema><side>`
    # (a mapping: per side, "_Write" or "_Public").
    opik_name: ClassVar[str | Mapping[str, str] | None] = None

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _drop_nulls(self, data: Any, **kwargs: Any) -> Any:
        return without_nulls(data)


def without_nulls(data: Any) -> Any:
    """An object's keys without those whose value is null (Jackson reads null as not sent)."""
    if isinstance(data, dict):
        return {key: value for key, value in data.items() if value is not None}
    return data


def load(schema: JavaSchema, body: Any) -> Any:
    """`schema.load(body)` with Opik's answers: 422 for a null body or violations, 400 for types."""
    if body is None:
        raise ErrorListError(["The request body must not be null"])
    if not isinstance(body, dict):
        raise JsonProcessingError(f"{mismatch(schema.java_type, body)}")
    loaded = quick_load(schema, body, JavaSchema._drop_nulls.__name__)
    if loaded is not UNSURE:
        return loaded
    try:
        return schema.load(body)
    except ValidationError as error:
        raise translate(schema, error.messages) from None


def translate(schema: Schema, messages: Any) -> JsonProcessingError | ErrorListError:
    """The Opik error for marshmallow's messages: the first type error, else all violations."""
    violations: list[str] = []
    mismatches: list[str] = []
    for path, message in walk(messages):
        where, chain = _locate(schema, path)
        if isinstance(message, TypeMismatch):
            mismatches.append(f"{message} (through reference chain: {chain})")
        else:
            violations.append(f"{where} {message}")
    if mismatches:
        return JsonProcessingError(mismatches[0])
    return ErrorListError(violations)


def _locate(schema: Schema, path: Path) -> tuple[str, str]:
    """Where a message is, as Bean Validation names it (`studioConfig.prompt.messages[0].role`) and as
    Jackson's reference chain does (`com.comet.opik.api.Optimization["studio_config"]->...`)."""
    where, chain = "", getattr(schema, "java_type", "")
    current: Schema | fields.Field[Any] | None = schema
    for segment in path:
        if isinstance(current, fields.Nested) and isinstance(current.schema, Schema):
            current = current.schema
            chain += f"->{getattr(current, 'java_type', '')}"
            where += "."
        if isinstance(current, Items):
            where += f"[{segment}]"
            chain += f"->{current.java_type.split('<')[0]}[{segment}]"
            current = current.inner
        elif isinstance(current, Schema):
            where += _camel(str(segment))
            chain += f'["{segment}"]'
            current = current.fields.get(str(segment))
    return where, chain


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
