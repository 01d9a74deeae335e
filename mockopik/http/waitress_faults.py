"""Waitress cooperation for connection faults: drop (`empty`) or reset (`reset`) a connection unanswered."""

from __future__ import annotations

import socket
import struct
from typing import Any

from waitress.channel import HTTPChannel
from waitress.task import WSGITask

from mockopik.faults.rules import ConnectionFault

_LINGER_NONE = struct.pack("ii", 1, 0)


class _DroppingTask(WSGITask):  # type: ignore[misc]
    """A task that writes nothing and closes its connection when the app raises ConnectionFault."""

    dropped = False

    def execute(self) -> None:
        try:
            super().execute()
        except ConnectionFault as fault:
            self.dropped = True
            self.close_on_finish = True
            if fault.kind == "reset":
                # Closing with a zero linger time sends a TCP RST instead of a FIN.
                self.channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_NONE)

    def finish(self) -> None:
        if not self.dropped:
            super().finish()


class _DroppingChannel(HTTPChannel):  # type: ignore[misc]
    task_class = _DroppingTask


def drop_connections_on_fault(server: Any) -> None:
    """Make a waitress server honour ConnectionFault (other servers answer it with their own 500)."""
    server.channel_class = _DroppingChannel
