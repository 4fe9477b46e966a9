"""A whole-request deadline under `requests`: connect, send, headers and body end by a given time.

Socket timeouts bound each read, not a request: a target that trickles one byte every second keeps
every read within any timeout and a request open for ever, in the status line, the headers or the
body. So every request of the suite runs under a `Watch`: a timer that, when the request's time is
up, shuts its socket down, which ends whatever read or write is blocked on it. The session then
reports the request as timed out (`requests.ReadTimeout`), never as a dropped connection, so it is
not retried.

`BoundedAdapter` is the transport adapter that hands each connection's socket to the watch of the
thread that uses it (the suite sends each request from one thread, start to end).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class Watch:
    """Shuts down every socket a request uses once `seconds` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(seconds, 0.0)
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        """Bound `sock` by this watch (shut down at once when the time is already up)."""
        if sock is None:
            return
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def watched(seconds: float) -> Iterator[Watch]:
    """Run one request (send and read) of this thread under a `Watch` of `seconds`."""
    watch = Watch(seconds)
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    watch._timer.start()
    try:
        yield watch
    finally:
        watch._timer.cancel()
        _current.watch = previous


def _watch_socket(sock: socket.socket | None) -> None:
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch_socket(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch_socket(self.sock)  # a kept-alive connection is already connected
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch_socket(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch_socket(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class BoundedAdapter(HTTPAdapter):
    """requests' adapter whose connections are bounded by the current thread's `Watch`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """The pool manager, with connection pools whose sockets a watch can shut down."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> urllib3.PoolManager:
        """The proxy's pool manager, bounded the same way."""
        manager: urllib3.PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def timed_out(seconds: float) -> requests.ReadTimeout:
    """The error of a request whose watch fired."""
    return requests.ReadTimeout(f"no whole answer within {seconds:.1f} s (the request's deadline); not retried")
