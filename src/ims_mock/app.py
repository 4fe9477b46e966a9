"""The mock IMS server as an ASGI application.

Every request goes through the steps of `response.order` in order: route (404 APIGW.0101),
body size (413 APIGW.0201), authentication (401 APIGW.0301), throttling (429 APIGW.0308), then the
operation's own checks (400 IMG.xxxx). Every response carries X-Request-Id. Nothing a client sends
can make it answer 5xx, crash or hang; a bug that escapes is logged (without headers) and answered
with the IMS 500 envelope.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from ims_mock import errors, jsonbody
from ims_mock.auth import AkLockout, Project, SignedRequest, authenticate
from ims_mock.config import MockConfig
from ims_mock.images import PUBLIC_IMAGES, ListQuery, ascii_digits
from ims_mock.routes import CREATES, OPERATIONS, ROUTES, route
from ims_mock.rules import check_create
from ims_mock.settings import default_credentials
from ims_mock.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("ims_mock")


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class Throttle:
    """A token bucket per project: `requests` per `seconds`, bursting up to `requests`."""

    requests: int
    seconds: float
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def take(self, project_id: str, now: float) -> None:
        """Spend one token of the project's bucket, or raise a 429 with Retry-After."""
        rate = self.requests / self.seconds
        bucket = self.buckets.setdefault(project_id, _Bucket(float(self.requests), now))
        bucket.tokens = min(float(self.requests), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens < 1:
            raise errors.throttled(max(1, math.ceil((1 - bucket.tokens) / rate)))
        bucket.tokens -= 1


@dataclass(frozen=True)
class Response:
    """What an operation answers: status, JSON body bytes (None: no body) and extra headers."""

    status: int
    body: bytes | None
    headers: tuple[tuple[bytes, bytes], ...] = ()
    error: errors.ImsError | None = field(default=None, compare=False)  # the error answered, for a layer to read

    @classmethod
    def of_json(cls, status: int, payload: object, headers: tuple[tuple[bytes, bytes], ...] = ()) -> Response:
        """A response whose body is `payload` as compact JSON."""
        return cls(status, json.dumps(payload, separators=(",", ":")).encode(), headers)

    def json(self) -> Any:
        """The body, parsed (None when there is none)."""
        return None if self.body is None else json.loads(self.body)


class _ClientGone(Exception):
    pass


Handler = Callable[["Call"], Awaitable[Response]]
Dispatch = Callable[["Call", Handler], Awaitable[Response]]  # an operation layer: the call, and what it wraps


@dataclass(frozen=True)
class Call:
    """One authenticated request as an operation sees it."""

    operation: str
    method: str
    path: str
    params: dict[str, str]
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes
    now: float
    project: Project


class ImsMockApp:
    """The ASGI application. `clock` returns the current UNIX time (injectable for tests).

    Each operationId of the routes table (`routes.py`) has its handler, which answers errors as
    responses; `wrap` puts a layer around some of them.
    """

    def __init__(self, config: MockConfig, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.store = Store(
            job_seconds=config.job_seconds,
            max_jobs=config.max_jobs,
            max_images=config.max_images,
            max_jobs_per_project=config.max_jobs_per_project,
            max_images_per_project=config.max_images_per_project,
            formats=config.image_formats,
            formats_any_case=config.image_formats_any_case,
            new_id=config.new_id,
        )
        self.in_flight = 0  # bytes of request bodies reserved by requests in progress
        self.lockout = AkLockout()  # consecutive failed signatures per AK, and locked AKs
        self.throttle = Throttle(*config.rate_limit) if config.rate_limit else None
        self.public_images = PUBLIC_IMAGES if config.public_images else ()
        self._operations: dict[str, Handler] = {
            entry.operation: _answering_errors(getattr(self, entry.handler)) for entry in ROUTES
        }

    def wrap(self, operations: Iterable[str], dispatch: Dispatch) -> None:
        """Put the layer `dispatch(call, call_next)` around each of `operations`, outermost.

        As ASGI middleware wraps an app: the fault layer plants operation faults this way, and a
        test may record what an operation receives.
        """
        for operation in operations:
            if operation not in OPERATIONS:
                raise ValueError(f"no operation {operation!r}: the routes are {', '.join(OPERATIONS)}")
            self._operations[operation] = _layered(dispatch, self._operations[operation])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = uuid.uuid4().hex
        try:
            response = await self._dispatch(scope, receive, request_id)
        except _ClientGone:
            return
        except Exception:
            log.exception("unexpected error in %s %s", scope.get("method"), scope.get("path"))
            response = _ims_error(errors.INTERNAL)
        headers = [] if response.body is None else [(b"content-type", b"application/json")]
        headers.append((b"x-request-id", request_id.encode()))
        headers.extend(response.headers)
        body = response.body or b""
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _dispatch(self, scope: Scope, receive: Receive, request_id: str) -> Response:
        reservation = _Reservation(self)
        try:
            return await self._dispatch_reserving(scope, receive, request_id, reservation)
        except errors.GatewayError as error:
            return _gateway_error(error, request_id)
        finally:
            reservation.release()

    async def _dispatch_reserving(
        self, scope: Scope, receive: Receive, request_id: str, reservation: _Reservation
    ) -> Response:
        _check_framing(scope, self.config.max_head_bytes)
        method: str = scope["method"]
        path: str = scope["path"]
        # Mounted under a prefix (ASGI root_path), the API's paths are what follows the prefix;
        # the signature still covers the whole path the client sent.
        root = scope.get("root_path", "")
        route_path = path[len(root) :] if root and path.startswith(root) else path
        if route_path == "/health" and method == "GET":  # outside the API: no gateway rules apply
            return Response.of_json(200, {"status": "ok"})
        operation, params = route(method, route_path)
        if operation is None:
            return _gateway_error(errors.NO_SUCH_API, request_id)
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            # Header values are UTF-8 as the SDK sends them; anything else cannot be a valid credential.
            headers.setdefault(name, raw_value.decode("utf-8", errors="replace"))
        body = await self._read_body(headers, receive, reservation)
        raw_query = scope.get("query_string", b"").decode("latin-1")
        now = self.clock()
        try:
            project = authenticate(
                self.config.credentials,
                SignedRequest(method, path, raw_query, headers, body),
                datetime.fromtimestamp(now, UTC),
                self.config.auth,
                self.lockout,
            )
            if self.throttle is not None and operation in CREATES:
                self.throttle.take(project.project_id, now)
        except errors.GatewayError as error:
            return _gateway_error(error, request_id)
        # As a form-encoded query: `+` is a space (`created_at=lt:2018-10-28+10:00:00`), unlike in the signature.
        query = tuple(parse_qsl(raw_query, keep_blank_values=True))
        call = Call(operation, method, path, params, query, headers, body, now, project)
        return await self._operations[operation](call)

    async def _read_body(self, headers: dict[str, str], receive: Receive, reservation: _Reservation) -> bytes:
        limit = self.config.max_body_bytes
        declared = headers.get("content-length")
        expected = int(declared) if declared is not None else None  # digits only: _check_framing
        if expected is not None and expected > limit:
            raise errors.BODY_TOO_LARGE  # refused before reading a byte of it
        if expected:
            reservation.grow(expected)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.config.body_seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise _ClientGone
                    chunk: bytes = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise errors.BODY_TOO_LARGE
                    if size > reservation.bytes:
                        reservation.grow(size)
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            raise errors.BODY_TIMEOUT from None

    # Operations -------------------------------------------------------------------------------

    async def _create(self, call: Call) -> Response:
        media_type = call.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise errors.WRONG_CONTENT_TYPE
        request = check_create(jsonbody.parse(call.body), self.config.create_rules)
        job = self.store.create_job(call.project.project_id, request, call.now)
        return Response.of_json(200, {"job_id": job.job_id})

    async def _show_job(self, call: Call) -> Response:
        if call.params["project_id"] != call.project.project_id:
            raise errors.JOB_NOT_FOUND
        job = self.store.find_job(call.project.project_id, call.params["job_id"], call.now)
        return Response.of_json(200, self.store.job_json(job, call.now, progress=False))

    async def _show_job_progress(self, call: Call) -> Response:
        job = self.store.find_job(call.project.project_id, call.params["job_id"], call.now)
        return Response.of_json(200, self.store.job_json(job, call.now, progress=True))

    async def _list_images(self, call: Call) -> Response:
        query = ListQuery.parse(call.query)
        project_id = call.project.project_id
        if query.image_id is not None and query.marker is None:  # one image at most: no need to build them all
            image = self.store.project_image(project_id, query.image_id, call.now)
            own = [image] if image is not None else []
        else:
            own = self.store.project_images(project_id, call.now)
        # Ties within a sort key: the exact time the image was made, then the order the store made them in.
        exact = {image.image_id: (image.created, -index) for index, image in enumerate(own)}
        visible = [*(self.store.image_json(image) for image in own), *self.public_images]
        page = query.select(visible, lambda image: (*exact.get(image["id"], (0.0, 0)), image["id"]))
        return Response.of_json(200, {"images": page})

    async def _show_quota(self, call: Call) -> Response:
        quota = self.config.max_images_per_project
        used = self.store.images_used(call.project.project_id)
        resource = {"type": "image", "used": used, "quota": quota, "min": 1, "max": quota}
        return Response.of_json(200, {"quotas": {"resources": [resource]}})

    async def _delete_image(self, call: Call) -> Response:
        if call.body.strip():
            options = jsonbody.parse(call.body)
            if not isinstance(options, dict) or options.keys() - {"delete_backup"}:
                raise errors.MALFORMED
            if "delete_backup" in options and not isinstance(options["delete_backup"], bool):
                raise errors.MALFORMED
        image_id = call.params["image_id"].lower()
        if any(image["id"] == image_id for image in self.public_images):
            raise errors.PROTECTED_IMAGE  # another owner's public image: listed, never deletable
        self.store.delete_image(call.project.project_id, image_id, call.now)
        return Response(204, None)


def _check_framing(scope: Scope, max_head_bytes: int) -> None:
    """Refuse what the gateway could not frame safely (`gateway.malformed`), before anything else."""
    names = [name.lower() for name, _ in scope["headers"]]
    if b"transfer-encoding" in names and b"content-length" in names:
        raise errors.AMBIGUOUS_FRAMING  # RFC 9112 section 6.3: answer, then close
    lengths = [value for name, value in scope["headers"] if name.lower() == b"content-length"]
    if any(not ascii_digits(value.decode("latin-1"), 15) for value in lengths) or len(set(lengths)) > 1:
        raise errors.BAD_CONTENT_LENGTH
    # The head as it came: request line, then one "name: value" line per header, then a blank line.
    target = len(scope.get("raw_path", b"")) + (len(scope["query_string"]) + 1 if scope.get("query_string") else 0)
    head = len(scope["method"]) + target + len(" HTTP/1.1\r\n") + 1 + 2
    head += sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    if head > max_head_bytes:
        raise errors.HEAD_TOO_LARGE


@dataclass
class _Reservation:
    """The bytes of one request's body counted against the app's in-flight budget (`gateway.overload`)."""

    app: ImsMockApp
    bytes: int = 0

    def grow(self, size: int) -> None:
        """Reserve up to `size` bytes in all; 503 when the budget cannot hold them."""
        extra = size - self.bytes
        if self.app.in_flight + extra > self.app.config.in_flight_bytes:
            raise errors.overloaded(retry_after=1)
        self.app.in_flight += extra
        self.bytes = size

    def release(self) -> None:
        """Give the reservation back (the request is done)."""
        self.app.in_flight -= self.bytes
        self.bytes = 0


def _layered(dispatch: Dispatch, call_next: Handler) -> Handler:
    async def handler(call: Call) -> Response:
        return await dispatch(call, call_next)

    return handler


def _answering_errors(handler: Handler) -> Handler:
    async def answer(call: Call) -> Response:
        try:
            return await handler(call)
        except errors.ImsError as error:
            return _ims_error(error)

    return answer


def _ims_error(error: errors.ImsError) -> Response:
    headers = () if error.retry_after is None else ((b"retry-after", str(error.retry_after).encode()),)
    return dataclasses.replace(Response.of_json(error.status, error.body(), headers), error=error)


def _gateway_error(error: errors.GatewayError, request_id: str) -> Response:
    headers: tuple[tuple[bytes, bytes], ...] = ()
    if error.retry_after is not None:
        headers += ((b"retry-after", str(error.retry_after).encode()),)
    if error.close:
        headers += ((b"connection", b"close"),)
    return Response.of_json(error.status, error.body(request_id), headers)


def create_app(config: MockConfig | None = None, clock: Callable[[], float] = time.time) -> ImsMockApp:
    """The faithful app: an ImsMockApp with `config`, or with the default credentials."""
    return ImsMockApp(config or MockConfig(credentials=default_credentials()), clock)
