"""Response bodies dumped fast: each schema compiled once into plain readers and writers, giving what
`Schema.dump` gives (a test holds the two equal on every response schema, over every scenario).

Marshmallow's dump is generic: every field of every record goes through `Field.serialize`, the
accessor, a dotted-path split and the processors' lookup, which makes a page of ten optimizations
cost half a millisecond. Here a schema's fields are read once: where a field is one of
marshmallow's own, its reader and writer are what it does, without the detours; any other field
(mockopik's `Instant`, say) writes through its own `_serialize`, and a schema with pre-dump
processors is dumped by marshmallow. The dump of a record that never changes (KEPT_TYPES) is made once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import ensure_text_type

from mockopik.domain.kept import KeptByIdentity
from mockopik.domain.models import OptimizationView
from mockopik.wire import schema_of
from mockopik.wire.schemas import PublicSchema

# Records that never change once built (the store keeps one view per stored record): their dumps are
# kept, up to KEPT_DUMPS per schema, by the record's identity.
KEPT_TYPES: frozenset[type] = frozenset({OptimizationView})
KEPT_DUMPS = 1024
Read = Callable[[Any], Any]  # a record -> its value (or `missing`)
Convert = Callable[[Any], Any]  # a value other than None -> the value dumped
Write = Callable[[Any, Any], Any]  # (value, record) -> the value dumped
Dump = Callable[[Any, bool], Any]  # (record, many) -> the record dumped


def dump(kind: type[Schema], value: Any) -> Any:
    """What `kind().dump(value)` gives."""
    return _dumper(kind)(value)


@functools.cache
def _dumper(kind: type[Schema]) -> Callable[[Any], Any]:
    schema = schema_of(kind)
    if schema.many:
        dump_many: Callable[[Any], Any] = schema.dump
        return dump_many
    dump_one = _compiled(schema)
    return lambda value: dump_one(value, False)


def _compiled(schema: Schema) -> Dump:
    """A record's dump as `schema` makes it (with its post-dump processors that take one record)."""
    hooks = schema._hooks  # marshmallow's processors, as `Schema.dump` reads them
    post_dump = [getattr(schema, name) for name, collection, _ in hooks[POST_DUMP]]
    omit_nulls = isinstance(schema, PublicSchema)  # its processor drops the nulls: they are not written
    if omit_nulls:
        post_dump = [
            processor for processor in post_dump if processor.__func__ is not PublicSchema._omit_nulls
        ]
    simple = all(
        not collection and not options.get("pass_original") for _, collection, options in hooks[POST_DUMP]
    )
    if hooks[PRE_DUMP] or not simple:
        return lambda record, many: schema.dump(record, many=False)
    steps = [
        (
            field.data_key if field.data_key is not None else name,
            *_reading(schema, name, field),
            *_writing(name, field),
        )
        for name, field in schema.dump_fields.items()
    ]
    dict_class = schema.dict_class
    kept = {
        many: KeptByIdentity[Any](KEPT_DUMPS) for many in (False, True)
    }  # by `many`, as processors see it

    def dump_kept(record: Any, many: bool) -> Any:
        """The dump of a record that never changes, made once (and read, never edited, by its users)."""
        if record.__class__ not in KEPT_TYPES:
            return dump_one(record, many)
        return kept[many].get(record, lambda: dump_one(record, many))

    def dump_one(record: Any, many: bool) -> Any:
        dumped = dict_class()
        items = _subscriptable(record.__class__)
        for key, first, rest, read, convert, write in steps:
            if read is not None:
                value = read(record)
            else:
                value = _value_for_key(record, first) if items else getattr(record, first, missing)
                for part in rest:
                    value = _value_for_key(value, part)
            if value is missing:
                continue
            if write is not None:
                value = write(value, record)
            elif convert is not None and value is not None:
                value = convert(value)
            if value is not None or not omit_nulls:
                dumped[key] = value
        for processor in post_dump:
            dumped = processor(dumped, many=many)
        return dumped

    return dump_kept


def _reading(schema: Schema, name: str, field: fields.Field[Any]) -> tuple[str, tuple[str, ...], Read | None]:
    """How `field.serialize` reads a record: the path of its attribute (first key, other keys), or
    else a reader (for a field that reads otherwise, or has a default)."""
    path = (field.attribute if field.attribute is not None else name).split(".")
    if not field._CHECK_ATTRIBUTE:  # Constant, Function: written without reading
        return "", (), _nothing
    custom = type(field).get_value is not fields.Field.get_value
    if custom or type(schema).get_attribute is not Schema.get_attribute:

        def read(record: Any) -> Any:
            return field.get_value(record, name, accessor=schema.get_attribute)

    elif field.dump_default is not missing:
        read = functools.partial(_value_at, tuple(path))
    else:
        return path[0], tuple(path[1:]), None
    default = field.dump_default
    if default is missing:
        return "", (), read

    def read_or_default(record: Any) -> Any:
        value = read(record)
        if value is missing:
            return default() if callable(default) else default
        return value

    return "", (), read_or_default


def _nothing(record: Any) -> None:
    return None


def _value_at(path: tuple[str, ...], record: Any) -> Any:
    """marshmallow's `get_value`: each key of the path looked up as an item, else as an attribute."""
    for key in path:
        record = _value_for_key(record, key)
    return record


def _value_for_key(record: Any, key: str) -> Any:
    if _subscriptable(record.__class__):
        try:
            return record[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return getattr(record, key, missing)


_SUBSCRIPTABLE: dict[type, bool] = {}


def _subscriptable(kind: type) -> bool:
    known = _SUBSCRIPTABLE.get(kind)
    if known is None:
        known = _SUBSCRIPTABLE[kind] = hasattr(kind, "__getitem__")
    return known


def _writing(name: str, field: fields.Field[Any]) -> tuple[Convert | None, Write | None]:
    """What `field._serialize` writes: most fields keep None and convert any other value (`convert`;
    None: kept as it is); others write from the value and the record (`write`)."""
    serializer: Any = type(field)._serialize
    if serializer is fields.Field._serialize:  # Raw and fields that keep values as they are
        return None, None
    if serializer is fields.String._serialize:
        return ensure_text_type, None
    if serializer is fields.UUID._serialize:
        return str, None
    if serializer is fields.Number._serialize:
        number: Any = field
        formatted = number._format_num
        return (lambda value: number._to_string(formatted(value))) if number.as_string else formatted, None
    if serializer is fields.Constant._serialize:
        constant = field.constant  # type: ignore[attr-defined]
        return None, lambda value, record: constant
    if serializer is fields.Function._serialize:
        function = field.serialize_func  # type: ignore[attr-defined]
        return None, lambda value, record: function(record)
    if isinstance(field, fields.Enum) and serializer is fields.Enum._serialize:
        return _enum_writing(name, field)
    if isinstance(field, fields.List) and serializer is fields.List._serialize:
        return _list_writing(name, field)
    if isinstance(field, fields.Nested) and serializer is fields.Nested._serialize:
        return _nested_writing(field), None
    return None, lambda value, record: field._serialize(value, name, record)


def _writer(name: str, field: fields.Field[Any]) -> Write:
    """`field._serialize` as one function of the value and the record."""
    convert, write = _writing(name, field)
    if write is not None:
        return write
    if convert is None:
        return lambda value, record: value
    return lambda value, record: None if value is None else convert(value)


def _enum_writing(name: str, field: fields.Enum[Any]) -> tuple[Convert | None, Write | None]:
    write = _writer(name, field.field)
    by_value = field.by_value
    return (
        None,
        lambda value, record: (
            None if value is None else write(value.value if by_value else value.name, record)
        ),
    )


def _list_writing(name: str, field: fields.List[Any]) -> tuple[Convert | None, Write | None]:
    write = _writer(name, field.inner)
    return None, lambda value, record: None if value is None else [write(each, record) for each in value]


def _nested_writing(field: fields.Nested) -> Convert:
    schema = field.schema
    dump_one = _compiled(schema)
    if schema.many or field.many:
        return lambda value: [dump_one(each, True) for each in value]
    return lambda value: dump_one(value, False)
