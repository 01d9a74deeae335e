"""Many threads writing at once over real HTTP: no write is lost, no page is corrupted, and with a state
file every write is in it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from mockopik.app import create_app
from mockopik.config import Settings
from mockopik.http.server import LiveServer
from tests.support import OPTIMIZATIONS, client_id, new_optimization

WORKERS = 16
PER_WORKER = 25


def test_concurrent_mixed_writes_lose_nothing(live_server: LiveServer) -> None:
    live_server.app.extensions["mockopik"].reset()
    mixed_writes_lose_nothing(live_server.url)


def test_concurrent_mixed_writes_are_all_in_the_state_file(tmp_path: Path) -> None:
    settings = Settings.resolve({}, port=0, count=0, state=str(tmp_path / "state.sqlite3"))
    with LiveServer(create_app(settings), settings) as server:
        mixed_writes_lose_nothing(server.url)
        served = requests.get(server.url + "/_mockopik/fixtures", timeout=30).content
    server.app.extensions["mockopik"].close()

    restarted = create_app(settings)

    assert restarted.test_client().get("/_mockopik/fixtures").get_data() == served
    restarted.extensions["mockopik"].close()


def mixed_writes_lose_nothing(base: str) -> None:
    """WORKERS threads create, upsert, merge metadata into one shared run and delete; then every
    write shows."""
    shared = client_id()
    requests.post(base + OPTIMIZATIONS, json=new_optimization(id=shared, metadata={}), timeout=10)

    def work(worker: int) -> tuple[set[str], set[str]]:
        session = requests.Session()
        kept: set[str] = set()
        deleted: set[str] = set()
        for index in range(PER_WORKER):
            optimization_id = client_id()
            created = session.post(
                base + OPTIMIZATIONS, json=new_optimization(id=optimization_id), timeout=10
            )
            upserted = session.put(
                base + OPTIMIZATIONS,
                json=new_optimization(id=optimization_id, name=f"w{worker}-{index}", status="completed"),
                timeout=10,
            )
            merged = session.put(
                f"{base}{OPTIMIZATIONS}/{shared}",
                json={"metadata": {f"w{worker}-{index}": index}},
                timeout=10,
            )
            assert (created.status_code, upserted.status_code, merged.status_code) == (201, 201, 204)
            if index % 5 == 0:
                gone = session.post(
                    f"{base}{OPTIMIZATIONS}/delete", json={"ids": [optimization_id]}, timeout=10
                )
                assert gone.status_code == 204
                deleted.add(optimization_id)
            else:
                kept.add(optimization_id)
        return kept, deleted

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(work, range(WORKERS)))

    kept = set().union(*(result[0] for result in results))
    deleted = set().union(*(result[1] for result in results))
    listed: list[str] = []
    page = 1
    while True:
        content = requests.get(base + OPTIMIZATIONS, params={"page": page, "size": 37}, timeout=10).json()[
            "content"
        ]
        listed.extend(item["id"] for item in content)
        if len(content) < 37:
            break
        page += 1
    shared_body = requests.get(f"{base}{OPTIMIZATIONS}/{shared}", timeout=10).json()

    assert len(listed) == len(set(listed)) == len(kept) + 1
    assert set(listed) == kept | {shared}
    assert not deleted & set(listed)
    assert listed == sorted(listed, reverse=True)
    assert len(shared_body["metadata"]) == WORKERS * PER_WORKER
    statuses = {
        requests.get(f"{base}{OPTIMIZATIONS}/{optimization_id}", timeout=10).json()["status"]
        for optimization_id in list(kept)[:50]
    }
    assert statuses == {"completed"}
