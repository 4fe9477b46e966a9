"""Servers that misbehave on purpose, for the safety tests of the contract suite.

Each answers the suite's preflight (`GET /v2/cloudimages?limit=1`) like a conforming server, so
that the run goes on to meet the misbehaviour. All bind loopback addresses only.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GIB = 1024**3
PREFLIGHT = "/v2/cloudimages?limit=1"
TRICKLE_SECONDS = 0.5
# What a hostile target puts in its error message: a code fence closed, a heading, HTML, a table row,
# terminal control (window title, clear screen, colour), a NUL and a bell.
HOSTILE_TEXT = (
    "```\n# Injected heading\n<img src=x onerror=alert(1)><script>alert(2)</script>\n| fake | row |\n"
    "\x1b]0;owned title\x07\x1b[2J\x1b[31mred\x00nul\r overwritten"
)


def lossy(app: Any, every: int) -> Any:
    """`app`, but every `every`-th answer is lost after the app has acted.

    The status line and headers go out, then the connection is closed before the body: what a
    client sees when a network drops an answer the server already sent.
    """
    counter = itertools.count(1)

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or next(counter) % every:
            await app(scope, receive, send)
            return
        messages = await _answer(app, scope, receive)
        await send(next(m for m in messages if m["type"] == "http.response.start"))
        raise ConnectionAbortedError("this answer is lost on purpose")

    return wrapped


async def _answer(app: Any, scope: dict[str, Any], receive: Any) -> list[dict[str, Any]]:
    """Run `app` on one request and keep its answer (start and body messages) instead of sending it."""
    messages: list[dict[str, Any]] = []

    async def keep(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, keep)
    return messages


def lying_jobs(app: Any, image_id: Callable[[], str]) -> Any:
    """`app`, but every job that ended in SUCCESS names `image_id()` (someone else's image) as its image.

    The stale or wrong id a broken service may put in `entities.image_id`: the suite must report it
    and never touch that image, and still find and delete the image its create really made.
    """

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or "/job" not in path:
            await app(scope, receive, send)
            return
        messages = await _answer(app, scope, receive)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        try:
            job = json.loads(body)
        except ValueError:
            job = None
        if isinstance(job, dict) and job.get("status") == "SUCCESS" and isinstance(job.get("entities"), dict):
            job["entities"]["image_id"] = image_id()
            body = json.dumps(job).encode()
        start = next(m for m in messages if m["type"] == "http.response.start")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def held_creates(app: Any, seconds: float) -> Any:
    """`app`, but the answer to each create is held back `seconds` after the app has acted.

    The window in which a run killed outright leaves an image on its way whose job id it never got.
    """

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope.get("path", "").endswith("/action"):
            await app(scope, receive, send)
            return
        messages = await _answer(app, scope, receive)
        await asyncio.sleep(seconds)
        for message in messages:
            await send(message)

    return wrapped


@functools.cache
def gzip_bomb() -> bytes:
    """About 1 MiB of gzip that inflates to 1 GiB of zeros (made once, in 1 MiB steps)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(1024)) + packer.flush()


class _Handler(BaseHTTPRequestHandler):
    """Answers the preflight; everything else per the server's `behaviour`."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # the base class's parameter name
        """Quiet."""

    def _any(self) -> None:
        self.server.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 64 * 1024 * 1024))
        if self.path.endswith(PREFLIGHT) and self.server.behaviour != "silent":
            self._send(200, json.dumps({"images": []}).encode(), {"Content-Type": "application/json"})
            return
        getattr(self, f"_{self.server.behaviour.replace('-', '_')}")()

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = _any

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {"X-Request-Id": "hostile", "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self) -> None:
        self._send(302, b"", {"Location": f"{self.server.elsewhere}{self.path}"})

    def _gzip_bomb(self) -> None:
        self._send(200, gzip_bomb(), {"Content-Type": "application/json", "Content-Encoding": "gzip"})

    def _huge_body(self, size: int = GIB) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.send_header("X-Request-Id", "hostile")
        self.end_headers()
        chunk = b" " * (1024 * 1024)
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            return  # the client hung up, as it should

    def _huge_body_2g(self) -> None:
        self._huge_body(2 * GIB)

    def _silent(self) -> None:
        self.server.stop.wait(120)  # never answers (bounded, so the test ends)

    def _stall_after_preflight(self) -> None:
        self._silent()

    def _trickle(self, data: bytes) -> None:
        """Send `data` one byte every TRICKLE_SECONDS: every read well within any read timeout."""
        try:
            for byte in data:
                if self.server.stop.wait(TRICKLE_SECONDS):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            return  # the client hung up, as it should

    def _trickle_headers(self) -> None:
        self._trickle(b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"x" * 100_000 + b"\r\n\r\n")

    def _trickle_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.send_header("X-Request-Id", "hostile")
        self.end_headers()
        self.wfile.flush()
        self._trickle(b'{"images": [' + b" " * 99_986 + b"]}")

    def _hostile_text(self) -> None:
        """A 400 in the IMS envelope whose message tries to become markup, a table row and terminal control."""
        body = json.dumps({"error": {"code": "IMG.0001", "message": HOSTILE_TEXT}}).encode()
        self._send(400, body, {"Content-Type": "application/json", "X-Request-Id": "```<b>injected</b>"})

    def _throttle(self) -> None:
        body = b'{"error_code": "APIGW.0308", "error_msg": "throttled", "request_id": "hostile"}'
        self._send(429, body, {"Content-Type": "application/json", "Retry-After": "20"})

    def _record(self) -> None:
        self._send(404, b"{}", {"Content-Type": "application/json"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    behaviour = "record"
    elsewhere = ""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: clients hanging up on a hostile answer is the expected outcome."""

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.seen: list[dict[str, Any]] = []
        self.stop = threading.Event()


@contextmanager
def hostile_server(behaviour: str, host: str = "127.0.0.1", elsewhere: str = "") -> Iterator[tuple[str, _Server]]:
    """Serve `behaviour` after the preflight.

    redirect, gzip-bomb, huge-body (1 GiB; huge-body-2g: 2 GiB), silent, stall-after-preflight, record;
    trickle-headers and trickle-body (one byte every TRICKLE_SECONDS, for ever); throttle (429 with Retry-After: 20);
    hostile-text (every answer a 400 whose message is HOSTILE_TEXT).
    """
    server = _Server((host, 0))
    server.behaviour = behaviour
    server.elsewhere = elsewhere
    thread = threading.Thread(target=server.serve_forever, name=f"hostile-{behaviour}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
