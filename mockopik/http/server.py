"""A waitress server (one process, many threads) running a mockopik app, in the foreground or not;
it drops or resets the connection of a request that meets a connection fault."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask
from waitress.wasyncore import close_all

from mockopik.config import Settings
from mockopik.faults.rules import ConnectionFault
from mockopik.http.access_log import AccessLog

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


class LiveServer:
    """Serves an app on `host:port` (port 0 picks a free one); `url` tells where.

    With `access_log`, each request is also written there as one line (see `AccessLog`)."""

    def __init__(self, app: Any, settings: Settings, access_log: Callable[[str], None] | None = None) -> None:
        self.app = app
        channels: dict[int, Any] = {}
        try:
            self._server = create_server(
                AccessLog(app, access_log) if access_log is not None else app,
                map=channels,
                host=settings.host,
                port=settings.port,
                threads=settings.threads,
                ident="mockopik",
                clear_untrusted_proxy_headers=True,
            )
        except OSError:  # the port is taken, say: close what waitress opened before failing
            close_all(channels)
            raise
        self._server.channel_class = _DroppingChannel
        self.host = settings.host
        # A host name with several addresses (IPv4 and IPv6) gets one socket each: report the first.
        listening = getattr(self._server, "effective_listen", None)
        self.port: int = listening[0][1] if listening else self._server.effective_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve in the calling thread until `stop` is called (from a signal handler, say)."""
        self._server.run()

    def start(self) -> LiveServer:
        """Serve from a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="mockopik-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, let requests in progress finish, then close every connection."""
        server = self._server

        def close_everything() -> None:
            for channel in list(server._map.values()):
                if channel is not server and channel is not server.trigger:
                    channel.handle_close()
            server.close()

        server.accepting = False
        server.task_dispatcher.shutdown(timeout=5)
        if self._thread is None:  # nothing runs the server's loop: close from here
            close_everything()
            return
        server.trigger.pull_trigger(close_everything)
        self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
