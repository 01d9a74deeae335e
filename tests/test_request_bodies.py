"""Request bodies: gzip as the SDK sends it, and the size limit answered with an Opik-shaped 413."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable

import pytest
import requests

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.http.server import LiveServer
from tests.support import OPTIMIZATIONS, Transport, new_optimization

TOO_LARGE = {"code": 413, "message": "Request body is larger than the limit of 2048 bytes"}


def gzipped(payload: object) -> bytes:
    return gzip.compress(json.dumps(payload).encode(), mtime=0)


@pytest.mark.parametrize("encoding", ["gzip", "GZIP", "x-gzip"])
def test_gzip_bodies_are_accepted(api: Transport, encoding: str) -> None:
    body = new_optimization(name="zipped", metadata={"notes": "x" * 400})

    reply = api.post(
        OPTIMIZATIONS,
        data=gzipped(body),
        headers={"Content-Type": "application/json", "Content-Encoding": encoding},
    )
    optimization_id = reply.headers["Location"].rsplit("/", 1)[1]

    assert reply.status == 201
    assert api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["metadata"] == {"notes": "x" * 400}


def test_gzip_update_and_delete(api: Transport) -> None:
    optimization_id = api.create()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}

    updated = api.put(
        f"{OPTIMIZATIONS}/{optimization_id}", data=gzipped({"status": "completed"}), headers=headers
    )
    status = api.get(f"{OPTIMIZATIONS}/{optimization_id}").json()["status"]
    deleted = api.post(f"{OPTIMIZATIONS}/delete", data=gzipped({"ids": [optimization_id]}), headers=headers)

    assert (updated.status, status, deleted.status) == (204, "completed", 204)


@pytest.mark.parametrize("raw", [b"not gzip at all", gzipped(new_optimization())[:-12]])
def test_broken_gzip_is_a_json_error(api: Transport, raw: bytes) -> None:
    reply = api.post(
        OPTIMIZATIONS, data=raw, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )

    assert reply.status == 400
    assert reply.json()["message"].startswith("Unable to process JSON. ")
    assert api.get(OPTIMIZATIONS).json()["total"] == 0


def test_a_body_over_the_limit_is_refused(make_api: Callable[..., Transport]) -> None:
    api = make_api(max_body_bytes=2048)

    reply = api.post(OPTIMIZATIONS, json=new_optimization(metadata={"blob": "x" * 4000}))

    assert (reply.status, reply.json()) == (413, TOO_LARGE)
    assert api.get(OPTIMIZATIONS).json()["total"] == 0


def test_a_gzip_bomb_is_refused_by_its_decompressed_size(make_api: Callable[..., Transport]) -> None:
    api = make_api(max_body_bytes=2048)
    bomb = gzipped(new_optimization(metadata={"blob": "x" * 10_000_000}))

    reply = api.post(
        OPTIMIZATIONS, data=bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )

    assert len(bomb) < 2048 * 10
    assert (reply.status, reply.json()) == (413, TOO_LARGE)


def test_a_body_at_the_limit_is_accepted(make_api: Callable[..., Transport]) -> None:
    api = make_api(max_body_bytes=2048)
    body = json.dumps(new_optimization(metadata={"blob": ""}))
    padded = body.replace('"blob": ""', '"blob": "' + "y" * (2048 - len(body)) + '"')

    reply = api.post(OPTIMIZATIONS, data=padded, headers={"Content-Type": "application/json"})

    assert len(padded) == 2048
    assert reply.status == 201


def test_zlib_window_is_not_mistaken_for_gzip(api: Transport) -> None:
    raw = zlib.compress(json.dumps(new_optimization()).encode())

    reply = api.post(
        OPTIMIZATIONS, data=raw, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )

    assert reply.status == 400


def test_a_chunked_body_over_the_limit_is_refused_over_http() -> None:
    settings = Settings.resolve({}, port=0, count=0, max_body_bytes=2048)
    body = json.dumps(new_optimization(metadata={"blob": "z" * 5000})).encode()

    with LiveServer(create_app(settings), settings) as server:
        reply = requests.post(
            server.url + OPTIMIZATIONS,
            data=(body[index : index + 500] for index in range(0, len(body), 500)),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )

    assert reply.request.headers["Transfer-Encoding"] == "chunked"
    assert (reply.status_code, reply.json()) == (413, TOO_LARGE)
