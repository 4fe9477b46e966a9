"""The sync client's default transport: HTTP/1.1 over the standard library's `http.client`.

`httpx.HTTPTransport` (httpcore + h11) spends about a millisecond of CPU per request in Python;
`http.client` parses an answer in C-backed code for about a third of that, which is most of what
puts `ims.Client` at under half the official SDK's CPU per call (`make bench-client`). Everything
above the transport stays httpx: requests, auth flows and responses are `httpx` objects, and errors
are httpx's (`ConnectError`, `ReadTimeout`, ...), so the retry policy reads them unchanged.

What it does: keep-alive connections pooled per origin (thread-safe; a pooled connection the server
has closed is noticed before it is reused), TLS with httpx's default context (certifi, or
`SSL_CERT_FILE`), the request's connect and read timeouts. What it does not: proxies, HTTP/2,
compressed answers (it asks for none). `default_transport` picks `httpx.HTTPTransport` when a proxy
from the environment applies to the base URL (never for a loopback host).
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import select
import socket
import ssl
import threading
import time
import urllib.request
from typing import Any

import httpx

from ims._hosts import is_loopback_host

_DEFAULT_PORTS = {"http": 80, "https": 443}


def default_transport(base_url: str, *, max_body: int | None = None) -> httpx.BaseTransport:
    """`StdlibTransport`, or `httpx.HTTPTransport` through the proxy the environment sets for `base_url`."""
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if proxy and not is_loopback_host(url.host) and not urllib.request.proxy_bypass(url.host):
        return httpx.HTTPTransport(proxy=proxy)
    return StdlibTransport(max_body=max_body)


class StdlibTransport(httpx.BaseTransport):
    """HTTP/1.1 through `http.client`, with at most `max_idle` kept-alive connections per origin."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True, max_idle: int = 8, max_body: int | None = None) -> None:
        self._max_body = max_body  # read at most one byte more than this: the caller refuses the answer
        self._ssl = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify=verify)
        self._max_idle = max_idle
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` on a pooled or new connection; the whole answer, read."""
        url = request.url
        if url.scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"{url.scheme!r} is not http or https", request=request)
        origin = (url.scheme, url.host, url.port or _DEFAULT_PORTS[url.scheme])
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        deadline: float | None = request.extensions.get("deadline")
        if deadline is not None and deadline <= time.monotonic():
            raise httpx.ReadTimeout("no time left for the request", request=request)
        connection = self._checkout(origin, timeouts.get("connect"), request)
        # The whole request ends by its deadline, however slowly the server trickles its answer: at the
        # deadline the socket is shut, and the read that waits on it fails at once.
        expired = threading.Event()
        watch = _WATCHDOG.watch(deadline, connection, expired) if deadline is not None else None
        try:
            connection.putrequest(request.method, url.raw_path.decode("ascii"), skip_host=True)
            for name, value in request.headers.raw:
                connection.putheader(name.decode("latin-1"), value.decode("latin-1"))
            sock = _socket(connection)
            sock.settimeout(timeouts.get("write"))
            connection.endheaders(request.read() or None)
            sock.settimeout(timeouts.get("read"))
            answer = connection.getresponse()
            content = answer.read() if self._max_body is None else answer.read(self._max_body + 1)
            if self._max_body is not None and len(content) > self._max_body:
                answer.will_close = True  # the rest is never read: the connection cannot be reused
        except TimeoutError as error:
            connection.close()
            raise httpx.ReadTimeout(str(error) or "timed out", request=request) from error
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            if expired.is_set():
                raise httpx.ReadTimeout("no whole answer within the request's deadline", request=request) from error
            raise httpx.ReadError(repr(error), request=request) from error
        finally:
            if watch is not None:
                _WATCHDOG.forget(watch)
        if expired.is_set():
            connection.close()
            raise httpx.ReadTimeout("no whole answer within the request's deadline", request=request)
        if answer.will_close:
            connection.close()
        else:
            self._checkin(origin, connection)
        headers = answer.getheaders()
        extensions = {"http_version": b"HTTP/1.1", "reason_phrase": answer.reason.encode("latin-1")}
        if (answer.getheader("content-encoding") or "identity").strip().lower() not in ("", "identity"):
            # httpx inflates `content=` at once (1 MiB of gzip became 1 GiB, and 2 GB of memory): a
            # compressed answer is handed over as a raw stream, which the client refuses unread.
            raw = httpx.ByteStream(content)
            return httpx.Response(answer.status, headers=headers, stream=raw, request=request, extensions=extensions)
        return httpx.Response(answer.status, headers=headers, content=content, request=request, extensions=extensions)

    def _checkout(
        self, origin: tuple[str, str, int], connect_timeout: float | None, request: httpx.Request
    ) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                connection = idle.pop() if idle else None
            if connection is None:
                return self._connect(origin, connect_timeout, request)
            if _usable(connection):
                return connection
            connection.close()

    def _connect(
        self, origin: tuple[str, str, int], timeout: float | None, request: httpx.Request
    ) -> http.client.HTTPConnection:
        scheme, host, port = origin
        connection = (
            http.client.HTTPSConnection(host, port, timeout=timeout, context=self._ssl)
            if scheme == "https"
            else http.client.HTTPConnection(host, port, timeout=timeout)
        )
        try:
            connection.connect()
        except TimeoutError as error:
            raise httpx.ConnectTimeout(str(error) or "timed out", request=request) from error
        except OSError as error:  # refused, unreachable, no such host, TLS refused: nothing was sent
            raise httpx.ConnectError(repr(error), request=request) from error
        _socket(connection).setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def _checkin(self, origin: tuple[str, str, int], connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < self._max_idle:
                idle.append(connection)
                return
        connection.close()


def _expire(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing to stop
            sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread for every request's deadline: at a deadline, its connection's socket is shut.

    A thread per request would cost more CPU than the request; here each request adds an entry to a
    heap and takes it out again, under a lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._entries: dict[int, tuple[http.client.HTTPConnection, threading.Event]] = {}
        self._next = 0
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float, connection: http.client.HTTPConnection, expired: threading.Event) -> int:
        """Shut `connection` at `deadline` (time.monotonic) unless forgotten first; the entry's key."""
        with self._lock:
            self._next += 1
            key = self._next
            self._entries[key] = (connection, expired)
            heapq.heappush(self._heap, (deadline, key))
            if len(self._heap) > 2 * len(self._entries) + 1024:  # forgotten entries wait on top: drop them
                self._heap = [entry for entry in self._heap if entry[1] in self._entries]
                heapq.heapify(self._heap)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ims-deadlines", daemon=True)
                self._thread.start()
            if self._heap[0][1] == key:
                self._lock.notify()
        return key

    def forget(self, key: int) -> None:
        """The request ended in time: its entry no longer matters."""
        with self._lock:
            self._entries.pop(key, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._heap and self._heap[0][1] not in self._entries:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._lock.wait()
                    continue
                deadline, key = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                heapq.heappop(self._heap)
                entry = self._entries.pop(key, None)
            if entry is not None:
                _expire(*entry)


_WATCHDOG = _Watchdog()


def _socket(connection: http.client.HTTPConnection) -> socket.socket:
    if connection.sock is None:  # http.client keeps it until close(), which only we call
        raise OSError("the connection has no socket")
    sock: socket.socket = connection.sock
    return sock


def _usable(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle kept-alive connection is still open: readable while idle means closed (or junk)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        if hasattr(select, "poll"):  # any descriptor number, unlike select()
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return not poller.poll(0)
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
