"""Serving the mock like a gateway: uvicorn's h11 protocol with the protections a gateway has.

uvicorn takes an HTTP protocol class (`uvicorn.Config(http=...)`); `gateway_protocol(config)`
returns uvicorn's h11 protocol with what it lacks (`gateway.*` of docs/contract.md):

- a header timeout: the request line and headers must arrive within `header_seconds` of the
  connection, or of the first byte of the next request on a kept-alive connection, else
  `408 APIGW.0201` and the connection closed (the body timeout is the app's, see app.py);
- a connection limit: beyond `max_connections` open connections, a new one is answered
  `503 APIGW.0308` with `Retry-After` and closed at once, while those already open go on; the
  log says so once per overload, not once per refused socket;
- errors found before the app runs (bytes that are not HTTP/1.1, a header block over the limit
  while it arrives) answered `400 APIGW.0201` in the gateway envelope with `X-Request-Id`, and the
  connection closed, where uvicorn would answer text/plain;
- no log line per request a client controls (uvicorn warns twice for each `Upgrade` request).

The header-size limit is one limit whatever way the bytes arrive: h11's buffer limit while the head
is incomplete, and the app's own count of the complete head (`max_head_bytes`) once it is parsed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import uuid
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ims_mock import errors
from ims_mock.config import MockConfig

log = logging.getLogger("ims_mock")

FD_RESERVE = 64  # descriptors kept for the listening socket, logs and the like


def raw_response(error: errors.GatewayError) -> bytes:
    """A whole HTTP/1.1 response for `error` in the gateway envelope, closing the connection."""
    request_id = uuid.uuid4().hex
    body = json.dumps(error.body(request_id), separators=(",", ":")).encode()
    reason = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}.get(error.status, "Error")
    lines = [
        f"HTTP/1.1 {error.status} {reason}",
        "content-type: application/json",
        f"x-request-id: {request_id}",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    if error.retry_after is not None:
        lines.append(f"retry-after: {error.retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def connection_limit(wanted: int) -> int:
    """`wanted`, lowered to what the process's descriptor limit allows (raising the soft limit first)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - FD_RESERVE))


class _Overload:
    """Whether the server is refusing connections now, so that the log says it once per episode."""

    def __init__(self) -> None:
        self.refusing = False
        self.refused = 0


def gateway_protocol(config: MockConfig, max_connections: int | None = None) -> type[H11Protocol]:
    """The h11 protocol of uvicorn with the gateway's header timeout, connection limit and error envelopes."""
    limit = connection_limit(config.max_connections) if max_connections is None else max_connections
    overload = _Overload()

    class GatewayProtocol(H11Protocol):
        """One connection (see the module docstring)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.header_timer: asyncio.TimerHandle | None = None
            self.refused = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn's
            if len(self.connections) >= limit:
                overload.refused += 1
                if not overload.refusing:
                    overload.refusing = True
                    log.warning("overloaded: %d connections open; refusing new ones with 503", len(self.connections))
                self.refused = True
                transport.write(raw_response(errors.overloaded(retry_after=1)))
                transport.close()
                return
            if overload.refusing and len(self.connections) < limit * 0.9:
                overload.refusing = False
                log.warning("no longer overloaded: %d connections refused meanwhile", overload.refused)
                overload.refused = 0
            super().connection_made(transport)
            self._await_head()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_header_timer()
            if self.refused:  # refused in connection_made: uvicorn never knew it
                return
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.transport.is_closing():
                self._stop_header_timer()
            elif self.conn.their_state is h11.IDLE:
                self._await_head()  # part of a head has come, or a new request is to come
            else:
                self._stop_header_timer()  # the head is complete: the app times the body

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # Waiting for the next request is the keep-alive timeout's job until a byte arrives.
            self._stop_header_timer()

        def _unsupported_upgrade_warning(self) -> None:
            pass  # served as plain HTTP; uvicorn would log two warnings per such request, a log flood

        def send_400_response(self, msg: str) -> None:
            self._stop_header_timer()
            self.transport.write(raw_response(errors.MALFORMED_HTTP))
            self.transport.close()

        def _await_head(self) -> None:
            if self.header_timer is None and self.conn.their_state is h11.IDLE:
                self.header_timer = self.loop.call_later(config.header_seconds, self._header_timeout)

        def _stop_header_timer(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _header_timeout(self) -> None:
            self.header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            self.transport.write(raw_response(errors.HEADER_TIMEOUT))
            self.transport.close()

    return GatewayProtocol


def uvicorn_config(app: Any, config: MockConfig, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    """How the mock is served, wherever it is served from (the CLI, the tests)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=gateway_protocol(config),
        h11_max_incomplete_event_size=config.max_head_bytes,
        timeout_keep_alive=5,
        access_log=False,
        lifespan="on",
    )
