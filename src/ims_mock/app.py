"""The mock IMS server as an ASGI application.

Every request goes through the steps of `response.order` in order: route (404 APIGW.0101),
body size (413 APIGW.0201), authentication (401 APIGW.0301), throttling (429 APIGW.0308), then the
operation's own checks (400 IMG.xxxx). Every response carries X-Request-Id. Nothing a client sends
can make it answer 5xx, crash or hang; a bug that escapes is logged (without headers) and answered
with the IMS 500 envelope.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ims_mock import errors, jsonbody
from ims_mock.auth import Credentials, Project, SignedRequest, authenticate
from ims_mock.rules import check_create
from ims_mock.settings import default_credentials
from ims_mock.signing import query_pairs
from ims_mock.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger("ims_mock")

MAX_BODY_BYTES = 12 * 1024 * 1024
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_IMAGE_TYPES = frozenset({"gold", "private", "shared", "market"})
_ENV_TYPES = frozenset({"FusionCompute", "Ironic", "DataImage", "IsoImage"})


@dataclass(frozen=True)
class MockConfig:
    """Everything the server is started with."""

    credentials: Credentials
    job_seconds: float = 0.5
    faults: frozenset[str] = frozenset()
    rate_limit: tuple[int, float] | None = None  # (requests, per seconds), per project, for creates
    max_jobs: int = 100_000
    max_images: int = 100_000
    max_body_bytes: int = MAX_BODY_BYTES


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
class _Response:
    status: int
    body: bytes | None
    headers: tuple[tuple[bytes, bytes], ...] = ()


class _ClientGone(Exception):
    pass


Handler = Callable[["_Call"], Awaitable[_Response]]


@dataclass
class _Call:
    """One request as the handlers see it."""

    method: str
    path: str
    params: dict[str, str]
    raw_query: str
    headers: dict[str, str]
    body: bytes
    now: float
    project: Project


class ImsMockApp:
    """The ASGI application. `clock` returns the current UNIX time (injectable for tests)."""

    def __init__(self, config: MockConfig, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.faults = config.faults
        self.store = Store(config.job_seconds, config.max_jobs, config.max_images, config.faults)
        self.throttle = Throttle(*config.rate_limit) if config.rate_limit else None

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
            response = self._ims_error(errors.INTERNAL)
        headers = [(b"content-type", b"text/plain" if "text-plain-responses" in self.faults else b"application/json")]
        if response.body is None:
            headers = []
        if "missing-request-id" not in self.faults:  # Planted bug: missing-request-id
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

    def _route(self, method: str, path: str) -> tuple[Handler | None, dict[str, str]]:
        parts = path.split("/")[1:]
        if any(not part for part in parts):
            return None, {}
        route: tuple[str, Handler] | None = None
        params: dict[str, str] = {}
        match parts:
            case ["v1", "cloudimages", "dataimages", "action"]:
                route = ("POST", self._create)
            case ["v1", "cloudimages", "job", job_id]:
                route, params = ("GET", self._show_job_progress), {"job_id": job_id}
            case ["v1", project_id, "jobs", job_id]:
                route, params = ("GET", self._show_job), {"project_id": project_id, "job_id": job_id}
            case ["v2", "cloudimages"]:
                route = ("GET", self._list_images)
            case ["v2", "images", image_id]:
                route, params = ("DELETE", self._delete_image), {"image_id": image_id}
        # The gateway matches method and path together: a wrong method is an unknown API (404).
        if route is None or route[0] != method:
            return None, {}
        return route[1], params

    async def _dispatch(self, scope: Scope, receive: Receive, request_id: str) -> _Response:
        method: str = scope["method"]
        path: str = scope["path"]
        # Mounted under a prefix (ASGI root_path), the API's paths are what follows the prefix;
        # the signature still covers the whole path the client sent.
        root = scope.get("root_path", "")
        route_path = path[len(root) :] if root and path.startswith(root) else path
        if route_path == "/health" and method == "GET":  # outside the API: no gateway rules apply
            return self._json(200, {"status": "ok", "faults": sorted(self.faults)})
        handler, params = self._route(method, route_path)
        if handler is None:
            return self._gateway_error(errors.NO_SUCH_API, request_id)
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            # Header values are UTF-8 as the SDK sends them; anything else cannot be a valid credential.
            headers.setdefault(name, raw_value.decode("utf-8", errors="replace"))
        try:
            body = await self._read_body(headers, receive)
        except errors.GatewayError as error:
            return self._gateway_error(error, request_id)
        raw_query = scope.get("query_string", b"").decode("latin-1")
        now = self.clock()
        try:
            project = self._authenticate(SignedRequest(method, path, raw_query, headers, body), now)
            if self.throttle is not None and handler == self._create:
                self.throttle.take(project.project_id, now)
        except errors.GatewayError as error:
            return self._gateway_error(error, request_id)
        try:
            return await handler(_Call(method, path, params, raw_query, headers, body, now, project))
        except errors.ImsError as error:
            return self._ims_error(error)

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        limit = self.config.max_body_bytes
        if "no-body-limit" in self.faults:  # Planted bug: no-body-limit
            limit = 64 * 1024 * 1024
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise errors.BODY_TOO_LARGE  # refused before reading a byte of it
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise errors.BODY_TOO_LARGE
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _authenticate(self, signed: SignedRequest, now: float) -> Project:
        try:
            return authenticate(
                self.config.credentials,
                signed,
                datetime.fromtimestamp(now, UTC),
                verify_signature="accept-bad-signature" not in self.faults,  # Planted bug: accept-bad-signature
                check_clock="ignore-clock-skew" not in self.faults,  # Planted bug: ignore-clock-skew
                sign_query="aksk-ignores-query" not in self.faults,  # Planted bug: aksk-ignores-query
            )
        except errors.GatewayError:
            no_credentials = "x-auth-token" not in signed.headers and "authorization" not in signed.headers
            if "ignore-auth" in self.faults and no_credentials:  # Planted bug: ignore-auth
                return self.config.credentials.projects[0]
            if "accept-any-token" in self.faults and signed.headers.get("x-auth-token", "").strip():
                return self.config.credentials.projects[0]  # Planted bug: accept-any-token
            raise

    # Responses --------------------------------------------------------------------------------

    def _json(self, status: int, payload: object, headers: tuple[tuple[bytes, bytes], ...] = ()) -> _Response:
        return _Response(status, json.dumps(payload, separators=(",", ":")).encode(), headers)

    def _ims_error(self, error: errors.ImsError) -> _Response:
        if error.status == 400 and "flat-error-envelope" in self.faults:  # Planted bug: flat-error-envelope
            return self._json(400, {"error_code": error.code, "error_msg": error.message})
        if error.status == 400 and "bad-error-code" in self.faults:  # Planted bug: bad-error-code
            return self._json(400, {"error": {"code": error.code.replace("IMG.", "IMS."), "message": error.message}})
        return self._json(error.status, error.body())

    def _gateway_error(self, error: errors.GatewayError, request_id: str) -> _Response:
        headers: tuple[tuple[bytes, bytes], ...] = ()
        if error.retry_after is not None:
            headers = ((b"retry-after", str(error.retry_after).encode()),)
        if error.status == 401 and "auth-error-ims-shape" in self.faults:  # Planted bug: auth-error-ims-shape
            return self._json(401, {"error": {"code": "IMG.0401", "message": error.message}}, headers)
        return self._json(error.status, error.body(request_id), headers)

    # Operations -------------------------------------------------------------------------------

    async def _create(self, call: _Call) -> _Response:
        content_type = call.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json" and "accept-wrong-content-type" not in self.faults:  # Planted bug
            raise errors.WRONG_CONTENT_TYPE
        if ";" in content_type and "reject-json-charset" in self.faults:  # Planted bug: reject-json-charset
            raise errors.WRONG_CONTENT_TYPE
        request = check_create(jsonbody.parse(call.body), self.faults)
        if "server-error-on-empty-tag-value" in self.faults and any(not value for _, value in request.tags):
            raise errors.INTERNAL  # Planted bug: server-error-on-empty-tag-value
        job = self.store.create_job(call.project.project_id, request, call.now)
        status = 201 if "create-returns-201" in self.faults else 200  # Planted bug: create-returns-201
        return self._json(status, {"job_id": job.job_id})

    async def _show_job(self, call: _Call) -> _Response:
        if call.params["project_id"] != call.project.project_id and "cross-project-jobs" not in self.faults:
            raise errors.JOB_NOT_FOUND
        job = self.store.find_job(call.project.project_id, call.params["job_id"], call.now)
        return self._json(200, self.store.job_json(job, call.now, progress=False))

    async def _show_job_progress(self, call: _Call) -> _Response:
        job = self.store.find_job(call.project.project_id, call.params["job_id"], call.now)
        return self._json(200, self.store.job_json(job, call.now, progress=True))

    async def _list_images(self, call: _Call) -> _Response:
        query: dict[str, str] = {}
        for key, value in query_pairs(call.raw_query):
            query.setdefault(key, value)
        limit_text = query.get("limit", "500")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= 1000:
            raise errors.BAD_QUERY
        for key in ("id", "marker"):
            if key in query and not _UUID.fullmatch(query[key]):
                raise errors.BAD_QUERY
        if len(query.get("name", "")) > 255:
            raise errors.BAD_QUERY
        if query.get("__imagetype", "private") not in _IMAGE_TYPES:
            raise errors.BAD_QUERY
        if query.get("virtual_env_type", "DataImage") not in _ENV_TYPES:
            raise errors.BAD_QUERY
        images = self.store.project_images(call.project.project_id, call.now)
        if "list-oldest-first" in self.faults:  # Planted bug: list-oldest-first
            images.reverse()
        if "name" in query and "list-ignores-name" not in self.faults:  # Planted bug: list-ignores-name
            images = [image for image in images if image.request.name == query["name"]]
        if "id" in query:
            images = [image for image in images if image.image_id == query["id"].lower()]
        # Every image here is a private data image: other kinds match nothing.
        if (
            query.get("__imagetype", "private") != "private"
            or query.get("virtual_env_type", "DataImage") != "DataImage"
        ):
            images = []
        if "marker" in query:
            ids = [image.image_id for image in images]
            if query["marker"].lower() not in ids:
                raise errors.BAD_MARKER
            if "list-ignores-marker" not in self.faults:  # Planted bug: list-ignores-marker
                images = images[ids.index(query["marker"].lower()) + 1 :]
        page = images if "list-ignores-limit" in self.faults else images[: int(limit_text)]  # Planted bug
        return self._json(200, {"images": [self.store.image_json(image) for image in page]})

    async def _delete_image(self, call: _Call) -> _Response:
        if call.body.strip():
            options = jsonbody.parse(call.body)
            if not isinstance(options, dict) or options.keys() - {"delete_backup"}:
                raise errors.MALFORMED
            if "delete_backup" in options and not isinstance(options["delete_backup"], bool):
                raise errors.MALFORMED
        self.store.delete_image(call.project.project_id, call.params["image_id"].lower(), call.now)
        return _Response(204, None)


def create_app(config: MockConfig | None = None, clock: Callable[[], float] = time.time) -> ImsMockApp:
    """The app factory: an ImsMockApp with `config`, or with the default credentials."""
    return ImsMockApp(config or MockConfig(credentials=default_credentials()), clock)
