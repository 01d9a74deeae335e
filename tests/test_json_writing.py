"""JSON written as mockopik always wrote it (compact, keys in order, UTF-8 unescaped, Python's float
texts), whichever encoder writes it."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from mockopik.domain.json_text import NonFinite
from mockopik.http.responses import json_body
from tests.support import OPTIMIZATIONS, Transport, new_optimization


class Colour(str, enum.Enum):
    RED = "red"


def standard(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@pytest.mark.parametrize(
    "payload",
    [
        {"b": 1, "a": [True, False, None], "c": {"z": "", "y": -0.0}},
        [1e-07, 1e-05, 0.0001, 1.5e-05, 5e-324, 1e-10, 1.2345e-08, -5.5509512847766725e-08],
        [0.1, 1 / 3, 1e16, 1e22, 1.7976931348623157e308, 123.0, 1000000000000000.0],
        [2**63 - 1, -(2**63), 2**64, -(2**64) - 1, 10**999],
        ["é\u2028😀", '\x00\x1f\x7f"\\/\n\t\b\f\r', "1e-7", "0.00001 null"],
        ["claude-3-opus", 1e-07, "gpt-4 x1e-5", "claude-3e-5", 2.5e-06],
        {"deep": json.loads("[" * 300 + "1" + "]" * 300)},
        {"infinite": NonFinite("1e999"), "nan": NonFinite("NaN"), "enum": Colour.RED},
        ({"id": "x"}, [("tuple", 1)]),
        {1: "a key that is a number", None: "null", 1.5: "float"},
    ],
    ids=[
        "order",
        "small-floats",
        "floats",
        "big-ints",
        "texts",
        "model-names",
        "deep",
        "str-subclasses",
        "tuples",
        "keys",
    ],
)
def test_bodies_are_the_bytes_json_dumps_writes(payload: Any) -> None:
    assert json_body(payload) == standard(payload)


@pytest.mark.parametrize("payload", [[float("nan")], {"x": float("inf")}, {"id": object()}])
def test_what_json_refuses_is_refused(payload: Any) -> None:
    with pytest.raises((ValueError, TypeError)) as refused:
        standard(payload)
    with pytest.raises(refused.type):
        json_body(payload)


@pytest.mark.parametrize(
    "metadata",
    [
        '{"tiny":1e-07,"small":1.5e-05,"text":"é😀\\u0001"}',
        '{"big":123456789012345678901234567890,"none":null}',
    ],
)
def test_metadata_reads_back_in_the_same_bytes(api: Transport, metadata: str) -> None:
    head = json.dumps(new_optimization())[:-1]
    created = api.request(
        "POST",
        OPTIMIZATIONS,
        data=f'{head}, "metadata": {metadata}}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    optimization_id = created.headers["Location"].rsplit("/", 1)[1]

    read = api.get(f"{OPTIMIZATIONS}/{optimization_id}")

    assert f'"metadata":{metadata}'.encode() in read.body
