"""The admin API calls an open control panel page makes, at its intervals, for the HTTP benchmark."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# What mockopik/api/static/panel.js polls, every so many seconds, and how it reads the journal.
POLLS = {"requests": 1.0, "faults": 2.0, "data": 3.0, "clock": 5.0}
SHOWN_ROWS = 300


class PanelPoller:
    """A thread that polls `/_mockopik/...` as the control panel does while it is open, journal included:
    each `requests` poll reads the entries recorded since the previous one (at most SHOWN_ROWS, without
    their bodies), as the page does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.calls = 0
        self.entries_read = 0
        self._after = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="panel-poller", daemon=True)

    def _run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        due = dict.fromkeys(POLLS, 0.0)
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                for name, interval in POLLS.items():
                    if now >= due[name]:
                        due[name] = now + interval
                        self._poll(connection, name)
                self._stop.wait(max(0.0, min(due.values()) - time.monotonic()))
        finally:
            connection.close()

    def _poll(self, connection: http.client.HTTPConnection, name: str) -> None:
        journal = f"?after={self._after}&limit={SHOWN_ROWS}&bodies=false"
        path = f"/_mockopik/{name}" + (journal if name == "requests" else "")
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"control panel poll {path}: {response.status}")
        self.calls += 1
        if name == "requests":
            answer = json.loads(body)
            self.entries_read += len(answer["requests"])
            self._after = answer["latest"]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@contextmanager
def panel_open(port: int | None) -> Iterator[PanelPoller | None]:
    """A control panel polling the server on `port` for the duration of the block (None: no panel)."""
    if port is None:
        yield None
        return
    poller = PanelPoller(port)
    poller.start()
    try:
        yield poller
    finally:
        poller.stop()
