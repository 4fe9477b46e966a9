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

import http.client
import select
import socket
import ssl
import threading
import urllib.request
from typing import Any

import httpx

from ims._hosts import is_loopback_host

_DEFAULT_PORTS = {"http": 80, "https": 443}


def default_transport(base_url: str) -> httpx.BaseTransport:
    """`StdlibTransport`, or `httpx.HTTPTransport` through the proxy the environment sets for `base_url`."""
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if proxy and not is_loopback_host(url.host) and not urllib.request.proxy_bypass(url.host):
        return httpx.HTTPTransport(proxy=proxy)
    return StdlibTransport()


class StdlibTransport(httpx.BaseTransport):
    """HTTP/1.1 through `http.client`, with at most `max_idle` kept-alive connections per origin."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True, max_idle: int = 8) -> None:
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
        connection = self._checkout(origin, timeouts.get("connect"), request)
        try:
            connection.putrequest(request.method, url.raw_path.decode("ascii"), skip_host=True)
            for name, value in request.headers.raw:
                connection.putheader(name.decode("latin-1"), value.decode("latin-1"))
            sock = _socket(connection)
            sock.settimeout(timeouts.get("write"))
            connection.endheaders(request.read() or None)
            sock.settimeout(timeouts.get("read"))
            answer = connection.getresponse()
            content = answer.read()
        except TimeoutError as error:
            connection.close()
            raise httpx.ReadTimeout(str(error) or "timed out", request=request) from error
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise httpx.ReadError(repr(error), request=request) from error
        if answer.will_close:
            connection.close()
        else:
            self._checkin(origin, connection)
        return httpx.Response(
            answer.status,
            headers=answer.getheaders(),
            content=content,
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": answer.reason.encode("latin-1")},
        )

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
