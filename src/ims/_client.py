"""`ims.Client` and `ims.AsyncClient`: the generated `ims_client`, made pleasant and safe to use.

Each call is planned once (`_Plan`: the generated module's request, whether it may be repeated,
the status that means success and how to read it), then run by the sync or the async client with
the same retry policy:

- 429 and 503 are retried for every operation: the service did nothing, and says when to come
  back (`Retry-After`, honoured up to `Retry.max_wait`); else backoff doubles from `Retry.backoff`;
- a connection that could not be made is retried for every operation: nothing was sent;
- a connection lost after a request was sent is retried for reads and deletes only. A create
  whose answer was lost raises `AnswerLost` and is never sent again blindly.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from types import TracebackType
from typing import Any, Literal, Self, Unpack
from uuid import UUID

import httpx
import tenacity

import ims_client
from ims._auth import AkSkAuth, TokenAuth
from ims._errors import (
    AnswerLost,
    ConfigurationError,
    ConnectionFailed,
    ImsError,
    JobFailed,
    JobTimeout,
    MalformedAnswer,
    RequestInvalid,
    RequestTimedOut,
    from_response,
)
from ims._listing import ImageQuery, generated_kwargs
from ims._transport import default_transport
from ims._validation import check
from ims_client.api.images import create_data_image, create_data_image_v2_1, delete_image, list_images
from ims_client.api.jobs import show_job_progress
from ims_client.models import CreateDataImageRequest, Image, JobProgress

PAGE = 500
# The create's two documented paths: v1, and the "(New)" v2.1 Huawei's current pages point to.
_CREATES: dict[str, Any] = {"v1": create_data_image, "v2.1": create_data_image_v2_1}


def _user_agent() -> str:
    try:
        return f"ims-toolkit/{metadata.version('ims-toolkit')}"
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "ims-toolkit"


# identity: a compressed answer is never asked for, so none is ever inflated (a gzip bomb is refused).
_HEADERS = {"Accept": "application/json", "Accept-Encoding": "identity", "User-Agent": _user_agent()}
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # the largest answer read: a listImages page of 1,000 images is ~2 MB
# A job or image id from the server goes into a path: only these characters, never `/`, `.` or `%`.
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _job_id(value: Any, *, from_server: bool = False) -> str:
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    if from_server:
        raise MalformedAnswer(f"the service gave a job id this client will not use: {str(value)[:80]!r}")
    raise RequestInvalid("job_id", "pattern", f"{str(value)[:80]!r} is not a job id (1 to 64 of A-Z a-z 0-9 _ -)")


def _image_id(value: Any) -> str:
    if isinstance(value, str | UUID) and _UUID.fullmatch(str(value)):
        return str(value).lower()
    raise RequestInvalid("image_id", "format", f"{str(value)[:80]!r} is not an image id (a UUID)")


@dataclass(frozen=True)
class Retry:
    """How often, and how long, to retry what may be retried (see the module docstring)."""

    attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 60.0


@dataclass(frozen=True)
class _Plan:
    kwargs: dict[str, Any]
    repeatable: bool  # may be sent again after its answer was lost
    success: int
    parse: Callable[[httpx.Response], Any]


def _parsed(module: Any, client: ims_client.Client) -> Callable[[httpx.Response], Any]:
    def parse(response: httpx.Response) -> Any:
        try:
            return module._parse_response(client=client, response=response)
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # not JSON, or not the spec's shape
            raise MalformedAnswer(
                f"the answer is not what the spec says ({type(error).__name__}: {str(error)[:120]})",
                raw=response.content,
                status=response.status_code,
                request_id=response.headers.get("x-request-id"),
            ) from None

    return parse


def _retrying_kwargs(retry: Retry, repeatable: bool, within: float | None = None) -> dict[str, Any]:
    def wait(state: tenacity.RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            after = outcome.result().headers.get("retry-after", "")
            if after.isascii() and after.isdigit() and len(after) <= 6:
                return min(float(after), retry.max_wait)
        return float(min(retry.backoff * 2 ** (state.attempt_number - 1), retry.max_wait))

    def retriable(error: BaseException) -> bool:
        if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
            return True  # nothing was sent
        return repeatable and isinstance(error, httpx.TransportError)

    stop = tenacity.stop_after_attempt(retry.attempts)
    return {
        "stop": stop if within is None else stop | tenacity.stop_before_delay(within),
        "wait": wait,
        "retry": tenacity.retry_if_result(lambda response: response.status_code in (429, 503))
        | tenacity.retry_if_exception(retriable),
        # Out of attempts: the last answer is the caller's (raised as an error), or the last error.
        "retry_error_callback": lambda state: state.outcome.result() if state.outcome else None,
    }


def _lost(plan: _Plan, error: httpx.TransportError) -> ImsError:
    if plan.repeatable or isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        kind = RequestTimedOut if isinstance(error, httpx.TimeoutException) else ConnectionFailed
        return kind(f"no answer from the service: {error!r}")
    return AnswerLost(
        "the connection was lost after the create was sent: a job may or may not have started; "
        "list images by name to find out before creating again"
    )


class _Plans:
    """The request, retry class and reading of each operation, shared by both clients."""

    def __init__(self, generated: ims_client.Client, validate: bool) -> None:
        self.generated = generated
        self.validate = validate

    def create(self, name: str, image_url: str, min_disk: int, optional: Mapping[str, Any], api: str) -> _Plan:
        body = {"name": name, "image_url": image_url, "min_disk": min_disk, **optional}
        if self.validate:
            check("CreateDataImageRequest", body)
        request = CreateDataImageRequest.from_dict(body)
        if api not in _CREATES:
            raise ValueError(f"api must be {' or '.join(map(repr, _CREATES))}, not {api!r}")
        return _Plan(
            _CREATES[api]._get_kwargs(body=request),
            False,
            200,
            lambda response: _job_id(_parsed(create_data_image, self.generated)(response).job_id, from_server=True),
        )

    def job(self, job_id: str) -> _Plan:
        plan = show_job_progress._get_kwargs(_job_id(job_id))
        return _Plan(plan, True, 200, _parsed(show_job_progress, self.generated))

    def page(self, query: Mapping[str, Any], marker: str | None, limit: int) -> _Plan:
        arguments: dict[str, Any] = {"limit": limit, **generated_kwargs(query, validate=self.validate)}
        if marker is not None:
            arguments["marker"] = UUID(marker)
        return _Plan(list_images._get_kwargs(**arguments), True, 200, _parsed(list_images, self.generated))

    def delete(self, image_id: str) -> _Plan:
        return _Plan(delete_image._get_kwargs(UUID(_image_id(image_id))), True, 204, lambda _response: None)


def _auth_from_env(environ: Mapping[str, str]) -> httpx.Auth:
    ak, sk = environ.get("HUAWEICLOUD_SDK_AK"), environ.get("HUAWEICLOUD_SDK_SK")
    project = environ.get("HUAWEICLOUD_SDK_PROJECT_ID") or environ.get("IMS_PROJECT_ID")
    if ak and sk and project:
        return AkSkAuth(ak, sk, project, security_token=environ.get("HUAWEICLOUD_SDK_SECURITY_TOKEN") or None)
    token, token_project = environ.get("IMS_AUTH_TOKEN"), environ.get("IMS_PROJECT_ID")
    if token and token_project:
        return TokenAuth(token, token_project)
    raise ImsError(
        "no credentials: set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID, "
        "or IMS_AUTH_TOKEN and IMS_PROJECT_ID"
    )


def _base_url_from_env(environ: Mapping[str, str]) -> str:
    base_url = environ.get("IMS_BASE_URL")
    if not base_url:
        raise ImsError("set IMS_BASE_URL, e.g. https://ims.ap-southeast-1.myhuaweicloud.com")
    return base_url


class _Clients:
    """What both clients share: the generated client under them, the plans, the retry policy.

    Each request is built from the generated module's `_get_kwargs`, signed by `auth` (any
    `httpx.Auth` flow) and handed straight to an httpx transport, without `httpx.Client`'s
    layers: no cookie jar (IMS sets none, and a server could not plant one), no redirects (a signed
    request is never replayed elsewhere), no URL merging per call. With the sync client's
    `http.client` transport, that puts its CPU per call under half the official SDK's
    (`make bench-client`). Pass `transport=` for custom TLS, a proxy or tests, e.g.
    `httpx.HTTPTransport(proxy=..., verify=...)`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth,
        timeout: float = 30.0,
        validate: bool = True,
        retry: Retry = Retry(),
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self._base_url = _checked_base_url(base_url)
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError(
                f"auth must be ims.TokenAuth, ims.AkSkAuth or another httpx.Auth, not {type(auth).__name__}"
            )
        if not 0 < timeout <= 3600:
            raise ConfigurationError(f"timeout must be more than 0 and at most 3600 seconds, not {timeout!r}")
        self._auth = auth
        self.timeout = timeout  # every request ends within it, connect to last byte
        self.max_answer_bytes = max_answer_bytes
        self._timeout = httpx.Timeout(timeout).as_dict()  # sent with each request (see `_request`)
        # Only its response parsers are used: it never opens a connection, so it needs no timeout.
        self._generated = ims_client.Client(base_url=self._base_url)
        self._plans = _Plans(self._generated, validate)
        self.retry = retry

    def _request(self, plan: _Plan, deadline: float) -> httpx.Request:
        kwargs = plan.kwargs
        headers = {**_HEADERS, **kwargs.get("headers", {})}
        return httpx.Request(
            kwargs["method"],
            self._base_url + kwargs["url"],
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            headers=headers,
            extensions={"timeout": self._timeout, "deadline": deadline},  # StdlibTransport keeps to the deadline
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client for IMS_BASE_URL, with HUAWEICLOUD_SDK_AK/SK/PROJECT_ID or IMS_AUTH_TOKEN + IMS_PROJECT_ID.

        Temporary credentials from STS add HUAWEICLOUD_SDK_SECURITY_TOKEN, as the official SDK reads it.
        """
        env = os.environ if environ is None else environ
        return cls(_base_url_from_env(env), auth=_auth_from_env(env), **options)


def _checked_base_url(base_url: str) -> str:
    """The base URL without a trailing `/`; ConfigurationError unless it is http(s) with a host."""
    try:
        url = httpx.URL(str(base_url).rstrip("/"))
    except (httpx.InvalidURL, TypeError) as error:
        raise ConfigurationError(f"base_url is not a URL: {error}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"base_url must be http(s)://host[:port][/prefix], e.g. https://ims.ap-southeast-1.myhuaweicloud.com, "
            f"not {str(base_url)[:100]!r}"
        )
    if url.userinfo or url.query or url.fragment:
        raise ConfigurationError("base_url may not carry user info, a query or a fragment")
    return str(url).rstrip("/")


def _not_compressed(response: httpx.Response) -> None:
    """MalformedAnswer for a compressed answer: this client asks for none, so none is inflated (no gzip bomb)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise MalformedAnswer(
            f"the service answered {encoding[:40]}-compressed though this client asks for none; not inflated",
            status=response.status_code,
            request_id=response.headers.get("x-request-id"),
        )


def _bounded(response: httpx.Response, body: bytes) -> httpx.Response:
    """`response` with its whole `body`, read within the cap."""
    answer = httpx.Response(
        response.status_code,
        headers=response.headers,
        content=body,
        request=response.request,
        extensions=response.extensions,
    )
    return answer


def _too_large(response: httpx.Response, cap: int) -> MalformedAnswer:
    return MalformedAnswer(
        f"the answer is over {cap} bytes (max_answer_bytes); not read further",
        status=response.status_code,
        request_id=response.headers.get("x-request-id"),
    )


def _finished(job_id: str, job: JobProgress) -> JobProgress | None:
    """The job if it succeeded; JobFailed if it failed; None while it runs."""
    if job.status == "SUCCESS":
        return job
    if job.status == "FAIL":
        raise JobFailed(job_id, _text(job.error_code), _text(job.fail_reason))
    return None


class _Pacer:
    """When `wait_for_job` queries a running job next.

    Backoff: `poll` seconds, then x1.5 each time, at most 15 s. Sooner when the job's own progress
    (`entities.process_percent`, observed over time on this clock) says it ends sooner, never sooner
    than a quarter of `poll`: the job is then seen to end about when it ends instead of up to one
    backoff step later, and a job whose progress says nothing is polled exactly as by backoff.
    """

    def __init__(self, job_id: str, timeout: float, poll: float) -> None:
        self.job_id, self.timeout = job_id, timeout
        self.started = time.monotonic()
        self.backoff, self.floor = poll, poll / 4
        self.first: tuple[float, float] | None = None  # (when, percent) of the first progress seen

    def left(self, status: str | None = None) -> float:
        """Seconds of the wait that are left: what the next query may take; JobTimeout when none are."""
        waited = time.monotonic() - self.started
        if waited >= self.timeout:
            raise JobTimeout(self.job_id, waited, status)
        return self.timeout - waited

    def pause(self, job: JobProgress) -> float:
        """Seconds to sleep before the next query; JobTimeout once `timeout` has passed."""
        now = time.monotonic()
        left = self.timeout - (now - self.started)
        if left <= 0:
            raise JobTimeout(self.job_id, now - self.started, job.status)
        pause, self.backoff = self.backoff, min(self.backoff * 1.5, 15.0)
        percent = _percent(job)
        if percent is not None:
            if self.first is None or percent < self.first[1]:
                self.first = (now, percent)
            elif percent > self.first[1]:
                when, first = self.first
                eta = (100.0 - percent) * (now - when) / (percent - first)
                pause = min(pause, max(eta * 1.05, self.floor))
        return min(pause, left)


def _percent(job: JobProgress) -> float | None:
    value = getattr(job.entities, "process_percent", None)
    return float(value) if isinstance(value, int | float) and 0 <= value < 100 else None


class Client(_Clients):
    """IMS data images, synchronously. Use as a context manager, or call `close()`.

    `auth` is an `ims.AkSkAuth` or `ims.TokenAuth` (or any `httpx.Auth`); requests are checked
    against the spec before they are sent (`validate=False` to send them as they are).
    `transport` is the httpx transport requests go through (default: `ims._transport.StdlibTransport`,
    HTTP/1.1 over `http.client`, or `httpx.HTTPTransport` through a proxy the environment sets).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth,
        timeout: float = 30.0,
        validate: bool = True,
        retry: Retry = Retry(),
        transport: httpx.BaseTransport | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        super().__init__(
            base_url, auth=auth, timeout=timeout, validate=validate, retry=retry, max_answer_bytes=max_answer_bytes
        )
        self._transport = (
            transport if transport is not None else default_transport(self._base_url, max_body=max_answer_bytes)
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._transport.close()

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the auth flow (signed afresh on each attempt); the answer, read."""
        flow = self._auth.sync_auth_flow(request)
        try:
            request = next(flow)
            while True:
                response = self._transport.handle_request(request)
                response.request = request
                try:
                    _not_compressed(response)  # before any byte is read: a compressed one is never inflated
                    if response.is_stream_consumed:  # read by the transport itself (StdlibTransport, capped there)
                        if len(response.content) > self.max_answer_bytes:
                            raise _too_large(response, self.max_answer_bytes)
                    else:
                        body = bytearray()
                        for chunk in response.iter_raw():
                            body += chunk
                            if len(body) > self.max_answer_bytes:
                                raise _too_large(response, self.max_answer_bytes)
                        response = _bounded(response, bytes(body))
                finally:
                    response.close()
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
        finally:
            flow.close()

    def _run(self, plan: _Plan, within: float | None = None) -> Any:
        def attempt() -> httpx.Response:
            return self._send(self._request(plan, time.monotonic() + min(self.timeout, within or self.timeout)))

        try:
            response: httpx.Response = tenacity.Retrying(**_retrying_kwargs(self.retry, plan.repeatable, within))(
                attempt
            )
        except httpx.TransportError as error:
            raise _lost(plan, error) from error
        if response.status_code != plan.success:
            raise from_response(response)
        return plan.parse(response)

    def create_data_image(
        self, *, name: str, image_url: str, min_disk: int, api: Literal["v1", "v2.1"] = "v1", **optional: Any
    ) -> str:
        """Start importing `image_url` (`bucket:object`) as a data image; the job ID.

        `api="v2.1"` sends it to the documented "(New)" path (`/v2.1/cloudimages/dataimages/action`):
        the same body, rules and answer.
        """
        job_id: str = self._run(self._plans.create(name, image_url, min_disk, optional, api))
        return job_id

    def get_job(self, job_id: str) -> JobProgress:
        """The job as it is now (one query, no waiting)."""
        job: JobProgress = self._run(self._plans.job(job_id))
        return job

    def wait_for_job(self, job_id: str, *, timeout: float = 1800.0, poll: float = 1.0) -> JobProgress:
        """The job once it has succeeded; JobFailed if it failed, JobTimeout after `timeout` seconds.

        Queries the job at once, then after `poll` seconds, backing off (x1.5, at most 15 s) and
        polling sooner when the job's progress says it ends sooner (see `_Pacer`).
        """
        pacer = _Pacer(job_id, timeout, poll)
        status = None
        while True:
            try:
                job: JobProgress = self._run(self._plans.job(job_id), within=pacer.left(status))
            except ConnectionFailed:
                pacer.left(status)  # the wait is over: JobTimeout; else the query's own failure
                raise
            status = job.status
            if done := _finished(job_id, job):
                return done
            time.sleep(pacer.pause(job))

    def list_images(self, **query: Unpack[ImageQuery]) -> list[Image]:
        """Every image the caller can see that matches `query`, over all pages, in the order asked.

        `query` takes every documented filter by a Python name (`ims.ImageQuery`: `status="active"`,
        `os_type="Linux"`, `tag="env=prod"`, `created_at="gt:2024-01-01T00:00:00Z"`, `imagetype` for
        `__imagetype`, ...) and `sort_key`/`sort_dir` (newest first by default). An unfiltered list
        holds the region's public images too: pass `owner=<project ID>` or `imagetype="private"` for
        the caller's own.
        """
        images: list[Image] = []
        marker = None
        while True:
            page = self._run(self._plans.page(query, marker, PAGE)).images
            images.extend(page)
            if len(page) < PAGE:
                return images
            marker = str(page[-1].id)

    def delete_image(self, image_id: str) -> None:
        """Delete one of the caller's images."""
        self._run(self._plans.delete(image_id))


class AsyncClient(_Clients):
    """`Client`, asynchronously: `async with ims.AsyncClient(...) as ims: await ims.create_data_image(...)`.

    At most `max_in_flight` requests are on the wire at once; the others wait their turn here, in
    order. httpcore's pool scans its whole queue for every request it assigns, so 100 requests
    queued there cost more CPU than the requests themselves (`make bench-client`). `transport`
    defaults to `httpx.AsyncHTTPTransport` with that many connections, all kept alive.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth,
        timeout: float = 30.0,
        validate: bool = True,
        retry: Retry = Retry(),
        transport: httpx.AsyncBaseTransport | None = None,
        max_in_flight: int = 8,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        super().__init__(
            base_url, auth=auth, timeout=timeout, validate=validate, retry=retry, max_answer_bytes=max_answer_bytes
        )
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
        self._transport = transport if transport is not None else httpx.AsyncHTTPTransport(limits=limits)
        self._in_flight = asyncio.Semaphore(max_in_flight)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._transport.aclose()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """As `Client._send`, holding one of the `max_in_flight` places."""
        async with self._in_flight:
            return await self._send_now(request)

    async def _send_now(self, request: httpx.Request) -> httpx.Response:
        deadline: float = request.extensions["deadline"]
        try:
            async with asyncio.timeout_at(deadline):  # the loop's clock is time.monotonic, as the deadline's
                return await self._send_flow(request)
        except TimeoutError:
            raise httpx.ReadTimeout("no whole answer within the request's deadline", request=request) from None

    async def _send_flow(self, request: httpx.Request) -> httpx.Response:
        flow = self._auth.async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                response = await self._transport.handle_async_request(request)
                response.request = request
                try:
                    _not_compressed(response)
                    if response.is_stream_consumed:  # a transport that read the answer itself
                        if len(response.content) > self.max_answer_bytes:
                            raise _too_large(response, self.max_answer_bytes)
                    else:
                        body = bytearray()
                        async for chunk in response.aiter_raw():
                            body += chunk
                            if len(body) > self.max_answer_bytes:
                                raise _too_large(response, self.max_answer_bytes)
                        response = _bounded(response, bytes(body))
                finally:
                    await response.aclose()
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
        finally:
            await flow.aclose()

    async def _run(self, plan: _Plan, within: float | None = None) -> Any:
        async def send() -> httpx.Response:
            return await self._send(self._request(plan, time.monotonic() + min(self.timeout, within or self.timeout)))

        try:
            response: httpx.Response = await tenacity.AsyncRetrying(
                **_retrying_kwargs(self.retry, plan.repeatable, within)
            )(send)
        except httpx.TransportError as error:
            raise _lost(plan, error) from error
        if response.status_code != plan.success:
            raise from_response(response)
        return plan.parse(response)

    async def create_data_image(
        self, *, name: str, image_url: str, min_disk: int, api: Literal["v1", "v2.1"] = "v1", **optional: Any
    ) -> str:
        """As `Client.create_data_image`."""
        job_id: str = await self._run(self._plans.create(name, image_url, min_disk, optional, api))
        return job_id

    async def get_job(self, job_id: str) -> JobProgress:
        """As `Client.get_job`."""
        job: JobProgress = await self._run(self._plans.job(job_id))
        return job

    async def wait_for_job(self, job_id: str, *, timeout: float = 1800.0, poll: float = 1.0) -> JobProgress:
        """As `Client.wait_for_job`."""
        pacer = _Pacer(job_id, timeout, poll)
        status = None
        while True:
            try:
                job: JobProgress = await self._run(self._plans.job(job_id), within=pacer.left(status))
            except ConnectionFailed:
                pacer.left(status)
                raise
            status = job.status
            if done := _finished(job_id, job):
                return done
            await asyncio.sleep(pacer.pause(job))

    async def list_images(self, **query: Unpack[ImageQuery]) -> list[Image]:
        """As `Client.list_images`."""
        images: list[Image] = []
        marker = None
        while True:
            page = (await self._run(self._plans.page(query, marker, PAGE))).images
            images.extend(page)
            if len(page) < PAGE:
                return images
            marker = str(page[-1].id)

    async def delete_image(self, image_id: str) -> None:
        """As `Client.delete_image`."""
        await self._run(self._plans.delete(image_id))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
