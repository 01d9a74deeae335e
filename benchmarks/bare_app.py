"""The baseline of the HTTP benchmark: a bare Flask app on the same waitress server as mockopik.

It answers the benchmark's three requests with constant bodies (mockopik's own answers, given as
files), so that both servers send the same bytes:

    python benchmarks/bare_app.py --port 8001 --get get.json --list list.json [--stack-imports]

With --stack-imports it first imports marshmallow, the library mockopik starts with beside Flask and
waitress (Faker, the other, is imported only to generate data the package does not ship): its
startup is the least an app on this stack can start in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from flask import Flask, Response, request
from waitress.server import create_server

THREADS = 8  # mockopik's default


def bare_app(get_body: bytes, list_body: bytes) -> Flask:
    app = Flask("bare")
    app.url_map.strict_slashes = False

    @app.get("/v1/private/optimizations/<optimization_id>")
    def get(optimization_id: str) -> Response:
        return Response(get_body, mimetype="application/json")

    @app.get("/v1/private/optimizations")
    def find() -> Response:
        return Response(list_body, mimetype="application/json")

    @app.post("/v1/private/optimizations")
    def create() -> Response:
        request.get_json()
        response = Response(status=201, headers={"Location": f"{request.base_url}/0"})
        del response.headers["Content-Type"]
        return response

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--get", type=Path, required=True, help="body of GET /optimizations/{id}")
    parser.add_argument("--list", type=Path, required=True, help="body of GET /optimizations?size=10")
    parser.add_argument(
        "--stack-imports", action="store_true", help="import marshmallow first, as mockopik does"
    )
    arguments = parser.parse_args()
    if arguments.stack_imports:
        import marshmallow  # noqa: F401
    app = bare_app(arguments.get.read_bytes(), arguments.list.read_bytes())
    create_server(app, host="127.0.0.1", port=arguments.port, threads=THREADS, ident="bare").run()


if __name__ == "__main__":
    main()
