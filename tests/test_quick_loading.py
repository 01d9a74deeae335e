"""A body read without marshmallow's machinery gives what marshmallow's load gives, or leaves it to it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from mockopik.domain.models import OptimizationStatus, OptimizationUpdate, OptimizationWrite
from mockopik.wire import schema_of
from mockopik.wire.jackson import JavaSchema
from mockopik.wire.loading import UNSURE, quick_load
from mockopik.wire.schemas import DeleteIdsHolderSchema, OptimizationUpdateSchema, OptimizationWriteSchema
from tests.test_fuzz_writes import V7_IDS, noise, passing_writes, updates, writes

SCHEMAS = [OptimizationWriteSchema, OptimizationUpdateSchema, DeleteIdsHolderSchema]
DROPPER = JavaSchema._drop_nulls.__name__


@pytest.mark.parametrize(
    ("kind", "body", "loaded"),
    [
        (
            OptimizationWriteSchema,
            {"dataset_name": "qa-set", "objective_name": "accuracy", "status": "running", "extra": [1]},
            OptimizationWrite(
                dataset_name="qa-set", objective_name="accuracy", status=OptimizationStatus.RUNNING
            ),
        ),
        (
            OptimizationWriteSchema,
            {
                "name": None,
                "dataset_name": "qa-set",
                "objective_name": "f1",
                "status": "completed",
                "metadata": {},
            },
            OptimizationWrite(
                dataset_name="qa-set", objective_name="f1", status=OptimizationStatus.COMPLETED, metadata={}
            ),
        ),
        (
            OptimizationUpdateSchema,
            {"status": "cancelled"},
            OptimizationUpdate(status=OptimizationStatus.CANCELLED),
        ),
    ],
)
def test_a_plain_body_is_read_quickly_as_marshmallow_reads_it(
    kind: type[JavaSchema], body: Any, loaded: Any
) -> None:
    schema = schema_of(kind)
    assert quick_load(schema, body, DROPPER) == loaded == schema.load(body)


@pytest.mark.parametrize(
    "body",
    [
        {"objective_name": "accuracy", "status": "running"},  # a required field missing
        {"dataset_name": " ", "objective_name": "accuracy", "status": "running"},  # blank
        {"dataset_name": "qa-set", "objective_name": "accuracy", "status": "paused"},  # unknown status
        {"dataset_name": {}, "objective_name": "accuracy", "status": "running"},  # a type mismatch
    ],
)
def test_a_body_with_an_error_is_left_to_marshmallow(body: dict[str, Any]) -> None:
    assert quick_load(schema_of(OptimizationWriteSchema), body, DROPPER) is UNSURE


bodies = st.one_of(
    writes,
    passing_writes,
    updates,
    noise.filter(lambda body: isinstance(body, dict)),
    st.fixed_dictionaries({"ids": st.lists(st.sampled_from(V7_IDS), max_size=3)}),
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(SCHEMAS), body=bodies)
def test_any_body_is_read_as_marshmallow_reads_it(kind: type[JavaSchema], body: dict[str, Any]) -> None:
    schema = schema_of(kind)
    try:
        expected: Any = schema.load(body)
    except ValidationError:
        expected = UNSURE
    except Exception as error:  # whatever marshmallow raises, the quick read raises too
        with pytest.raises(type(error)):
            quick_load(schema, body, DROPPER)
        return
    quick = quick_load(schema, body, DROPPER)
    if expected is UNSURE or quick is UNSURE:
        assert quick is UNSURE
    else:  # NaN in metadata: compared as written
        assert repr(quick) == repr(expected)
