"""Real HTTP servers on 127.0.0.1 for tests that need what a mock transport cannot give:
sockets, keep-alive, connections reset or cut, stalls past a timeout.

`LoopbackServer(app)` runs an ASGI app with uvicorn in a background thread on a free port,
and keeps the transport of every open connection, so the app can cut one (`reset`, `close`)
and a test can see whether the client left any connection open (`open_connections`).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["Connections", "LoopbackServer", "serve"]


class Connections:
    """The open connections of one server, by the client's (host, port)."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, int], asyncio.Transport] = {}
        self.opened = 0  # connections accepted since the start (or the last `reset_count`)
        self._lock = threading.Lock()

    def add(self, peer: tuple[str, int], transport: asyncio.Transport) -> None:
        with self._lock:
            self._open[peer] = transport
            self.opened += 1

    def discard(self, peer: tuple[str, int]) -> None:
        with self._lock:
            self._open.pop(peer, None)

    def count(self) -> int:
        with self._lock:
            return len(self._open)

    def transport(self, scope: dict[str, Any]) -> asyncio.Transport:
        client = scope["client"]
        with self._lock:
            return self._open[(client[0], client[1])]

    def reset(self, scope: dict[str, Any]) -> None:
        """Abort the request's connection with a TCP RST (the client reads ECONNRESET)."""
        transport = self.transport(scope)
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()

    def close(self, scope: dict[str, Any]) -> None:
        """Close the request's connection cleanly (FIN) wherever the response stands."""
        self.transport(scope).close()


def _protocol(connections: Connections) -> type[H11Protocol]:
    class Tracked(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            peer = transport.get_extra_info("peername")
            self._peer = (peer[0], peer[1])
            connections.add(self._peer, transport)

        def connection_lost(self, exc: Exception | None) -> None:
            connections.discard(self._peer)
            super().connection_lost(exc)

    return Tracked


class LoopbackServer:
    """An ASGI app served on 127.0.0.1 (a free port) from a background thread."""

    def __init__(self, app: Any, connections: Connections | None = None) -> None:
        self.connections = connections or Connections()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            http=_protocol(self.connections),
            lifespan="off",
            log_config=None,
            log_level="critical",  # the faults make uvicorn log what is expected here
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, name="loopback-server", daemon=True
        )
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the loopback server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)

    def wait_until_closed(self, timeout: float = 5.0) -> int:
        """Wait (up to `timeout`) for every connection to be closed; the number left open."""
        deadline = time.monotonic() + timeout
        while self.connections.count() and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.connections.count()


@contextmanager
def serve(app: Any, connections: Connections | None = None) -> Iterator[LoopbackServer]:
    server = LoopbackServer(app, connections)
    server.start()
    try:
        yield server
    finally:
        server.stop()
