"""A waitress server (one process, many threads) running a mockopik app, in the foreground or not."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from waitress.server import create_server
from waitress.wasyncore import close_all

from mockopik.config import Settings
from mockopik.http.access_log import AccessLog
from mockopik.http.waitress_faults import drop_connections_on_fault


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
        drop_connections_on_fault(self._server)
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
