"""`ims.Client` and `ims.AsyncClient`: the generated `ims_client`, made pleasant and safe to use.

Each call is planned by `ims._plans` (the request, whether it may be repeated, how its answer is
read) and run here, sync or async, with the same retry policy, caps and deadlines.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from importlib import metadata
from types import TracebackType
from typing import Any, Literal, Self, Unpack

import httpx
import tenacity

import ims_client
from ims._auth import AkSkAuth, TokenAuth
from ims._errors import ConfigurationError, ConnectionFailed, ImsError, MalformedAnswer, from_response
from ims._listing import ImageQuery
from ims._plans import PAGE, OsType, Pacer, Plan, Plans, Retry, answered, create_body, finished, log, lost, retrying
from ims._results import Answer, Image, Job
from ims._transport import default_transport

__all__ = ["AsyncClient", "Client", "Retry"]


def _user_agent() -> str:
    try:
        return f"ims-toolkit/{metadata.version('ims-toolkit')}"
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "ims-toolkit"


# identity: a compressed answer is never asked for, so none is ever inflated (a gzip bomb is refused).
_HEADERS = {"Accept": "application/json", "Accept-Encoding": "identity", "User-Agent": _user_agent()}
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # the largest answer read: a listImages page of 1,000 images is ~2 MB


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


def _checked_timeout(timeout: object, what: str = "timeout") -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        raise ConfigurationError(f"{what} must be more than 0 and at most 3600 seconds, not {timeout!r}")
    return float(timeout)


class _Clients:
    """What both clients share: the generated client under them, the plans, the retry policy.

    Each request is built from the generated module's `build_request`, signed by `auth` (any
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
        on_answer: Callable[[Answer], None] | None = None,
    ) -> None:
        self._base_url = _checked_base_url(base_url)
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError(
                f"auth must be ims.TokenAuth, ims.AkSkAuth or another httpx.Auth, not {type(auth).__name__}"
            )
        self._auth = auth
        self.timeout = _checked_timeout(timeout)  # every request ends within it, connect to last byte
        self.max_answer_bytes = max_answer_bytes
        self.on_answer = on_answer  # called with every answer (each attempt), before it is read
        # Only its response parsers are used: it never opens a connection, so it needs no timeout.
        self._generated = ims_client.Client(base_url=self._base_url)
        self._plans = Plans(self._generated, validate)
        self.retry = retry

    def _request(self, plan: Plan, timeout: float) -> httpx.Request:
        kwargs = plan.kwargs
        headers = {**_HEADERS, **kwargs.get("headers", {})}
        return httpx.Request(
            kwargs["method"],
            self._base_url + kwargs["url"],
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            headers=headers,
            # StdlibTransport keeps to the deadline; httpx transports to the per-phase timeouts.
            extensions={"timeout": httpx.Timeout(timeout).as_dict(), "deadline": time.monotonic() + timeout},
        )

    def _timeout(self, timeout: float | None, within: float | None = None) -> float:
        """The deadline of one request: the call's `timeout=`, else the client's, cut to `within`."""
        chosen = self.timeout if timeout is None else _checked_timeout(timeout)
        return chosen if within is None else min(chosen, within)

    def _answered(self, plan: Plan, response: httpx.Response, attempt: int, started: float) -> httpx.Response:
        if self.on_answer is not None or log.isEnabledFor(logging.DEBUG):  # else nothing to build or say
            answer = answered(plan, response, attempt, started)
            if self.on_answer is not None:
                self.on_answer(answer)
        return response

    def _result(self, plan: Plan, response: httpx.Response) -> Any:
        if response.status_code != plan.success:
            raise from_response(response)
        return plan.parse(response)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client for IMS_BASE_URL, with HUAWEICLOUD_SDK_AK/SK/PROJECT_ID or IMS_AUTH_TOKEN + IMS_PROJECT_ID.

        Temporary credentials from STS add HUAWEICLOUD_SDK_SECURITY_TOKEN, as the official SDK reads it.
        """
        env = os.environ if environ is None else environ
        return cls(_base_url_from_env(env), auth=_auth_from_env(env), **options)


class Client(_Clients):
    """IMS data images, synchronously. Use as a context manager, or call `close()`.

    `auth` is an `ims.AkSkAuth` or `ims.TokenAuth` (or any `httpx.Auth`); requests are checked
    against the spec before they are sent (`validate=False` to send them as they are).
    `transport` is the httpx transport requests go through (default: `ims._transport.StdlibTransport`,
    HTTP/1.1 over `http.client`, or `httpx.HTTPTransport` through a proxy the environment sets).
    `on_answer` is called with each answer as it came (`ims.Answer`: status, headers, request id).
    Every method takes `timeout=`, the deadline of each of its requests (default: the client's).
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
        on_answer: Callable[[Answer], None] | None = None,
    ) -> None:
        super().__init__(
            base_url,
            auth=auth,
            timeout=timeout,
            validate=validate,
            retry=retry,
            max_answer_bytes=max_answer_bytes,
            on_answer=on_answer,
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

    def _run(self, plan: Plan, timeout: float | None = None, within: float | None = None) -> Any:
        seconds, attempts = self._timeout(timeout, within), iter(range(1, 1 << 30))

        def attempt() -> httpx.Response:
            started = time.monotonic()
            return self._answered(plan, self._send(self._request(plan, seconds)), next(attempts), started)

        try:
            response: httpx.Response = tenacity.Retrying(**retrying(self.retry, plan, within))(attempt)
        except httpx.TransportError as error:
            raise lost(plan, error) from error
        return self._result(plan, response)

    def create_data_image(
        self,
        *,
        name: str,
        image_url: str,
        min_disk: int,
        description: str | None = None,
        os_type: OsType | None = None,
        tags: Sequence[str] | None = None,
        image_tags: Sequence[Mapping[str, str]] | None = None,
        cmk_id: str | None = None,
        enterprise_project_id: str | None = None,
        api: Literal["v1", "v2.1"] = "v1",
        timeout: float | None = None,
    ) -> str:
        """Start importing `image_url` (`bucket:object` in OBS) as a data image; the job ID.

        `min_disk` is in GB (40 to 2048). `tags` (`"key.value"` strings) or `image_tags`
        (`{"key": ..., "value": ...}`), not both, at most 10; `os_type` defaults to Linux on the
        service; `cmk_id` encrypts the image with that KMS key. A field left as None is not sent.
        `api="v2.1"` sends it to the documented "(New)" path (`/v2.1/cloudimages/dataimages/action`):
        the same body, rules and answer.
        """
        body = create_body(
            name, image_url, min_disk, description, os_type, tags, image_tags, cmk_id, enterprise_project_id
        )
        job_id: str = self._run(self._plans.create(body, api), timeout)
        return job_id

    def get_job(self, job_id: str, *, timeout: float | None = None) -> Job:
        """The job as it is now (one query, no waiting)."""
        job: Job = self._run(self._plans.job(job_id), timeout)
        return job

    def wait_for_job(
        self, job_id: str, *, timeout: float = 1800.0, poll: float = 1.0, request_timeout: float | None = None
    ) -> Job:
        """The job once it has succeeded; JobFailed if it failed, JobTimeout after `timeout` seconds.

        Queries the job at once, then after `poll` seconds, backing off (x1.5, at most 15 s) and
        polling sooner when the job's progress says it ends sooner (see `ims._plans.Pacer`). No
        query outlasts the wait; each also ends within `request_timeout` (default: the client's).
        """
        pacer = Pacer(job_id, timeout, poll)
        status = None
        while True:
            try:
                job: Job = self._run(self._plans.job(job_id), request_timeout, within=pacer.left(status))
            except ConnectionFailed:
                pacer.left(status)  # the wait is over: JobTimeout; else the query's own failure
                raise
            status = job.status
            if done := finished(job):
                return done
            time.sleep(pacer.pause(job))

    def iter_images(
        self, *, page_size: int = PAGE, timeout: float | None = None, **query: Unpack[ImageQuery]
    ) -> Iterator[Image]:
        """The images that match `query`, one at a time, a page (`page_size`, 1 to 1000) fetched as needed.

        `query` takes every documented filter by a Python name (`ims.ImageQuery`: `status="active"`,
        `os_type="Linux"`, `tag="env=prod"`, `created_at="gt:2024-01-01T00:00:00Z"`, `imagetype` for
        `__imagetype`, ...) and `sort_key`/`sort_dir` (newest first by default). An unfiltered list
        holds the region's public images too: pass `owner=<project ID>` or `imagetype="private"` for
        the caller's own. Bad filters raise `RequestInvalid` at the first `next()`.
        """
        marker = None
        while True:
            page: list[Image] = self._run(self._plans.page(query, marker, page_size), timeout)
            yield from page
            if len(page) < page_size:
                return
            marker = page[-1].id

    def list_images(
        self, *, limit: int | None = None, timeout: float | None = None, **query: Unpack[ImageQuery]
    ) -> list[Image]:
        """The images that match `query` (as for `iter_images`), over all pages, or the first `limit`."""
        size = PAGE if limit is None else _page_size(limit)
        images = self.iter_images(page_size=size, timeout=timeout, **query)
        return list(images) if limit is None else [image for _, image in zip(range(limit), images, strict=False)]

    def delete_image(self, image_id: str, *, timeout: float | None = None) -> None:
        """Delete one of the caller's images."""
        self._run(self._plans.delete(image_id), timeout)


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
        on_answer: Callable[[Answer], None] | None = None,
    ) -> None:
        super().__init__(
            base_url,
            auth=auth,
            timeout=timeout,
            validate=validate,
            retry=retry,
            max_answer_bytes=max_answer_bytes,
            on_answer=on_answer,
        )
        if max_in_flight < 1:
            raise ConfigurationError("max_in_flight must be at least 1")
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

    async def _run(self, plan: Plan, timeout: float | None = None, within: float | None = None) -> Any:
        seconds, attempts = self._timeout(timeout, within), iter(range(1, 1 << 30))

        async def attempt() -> httpx.Response:
            started = time.monotonic()
            response = await self._send(self._request(plan, seconds))
            return self._answered(plan, response, next(attempts), started)

        try:
            response: httpx.Response = await tenacity.AsyncRetrying(**retrying(self.retry, plan, within))(attempt)
        except httpx.TransportError as error:
            raise lost(plan, error) from error
        return self._result(plan, response)

    async def create_data_image(
        self,
        *,
        name: str,
        image_url: str,
        min_disk: int,
        description: str | None = None,
        os_type: OsType | None = None,
        tags: Sequence[str] | None = None,
        image_tags: Sequence[Mapping[str, str]] | None = None,
        cmk_id: str | None = None,
        enterprise_project_id: str | None = None,
        api: Literal["v1", "v2.1"] = "v1",
        timeout: float | None = None,
    ) -> str:
        """As `Client.create_data_image`."""
        body = create_body(
            name, image_url, min_disk, description, os_type, tags, image_tags, cmk_id, enterprise_project_id
        )
        job_id: str = await self._run(self._plans.create(body, api), timeout)
        return job_id

    async def get_job(self, job_id: str, *, timeout: float | None = None) -> Job:
        """As `Client.get_job`."""
        job: Job = await self._run(self._plans.job(job_id), timeout)
        return job

    async def wait_for_job(
        self, job_id: str, *, timeout: float = 1800.0, poll: float = 1.0, request_timeout: float | None = None
    ) -> Job:
        """As `Client.wait_for_job`."""
        pacer = Pacer(job_id, timeout, poll)
        status = None
        while True:
            try:
                job: Job = await self._run(self._plans.job(job_id), request_timeout, within=pacer.left(status))
            except ConnectionFailed:
                pacer.left(status)
                raise
            status = job.status
            if done := finished(job):
                return done
            await asyncio.sleep(pacer.pause(job))

    async def iter_images(
        self, *, page_size: int = PAGE, timeout: float | None = None, **query: Unpack[ImageQuery]
    ) -> AsyncIterator[Image]:
        """As `Client.iter_images`: `async for image in client.iter_images(...)`."""
        marker = None
        while True:
            page: list[Image] = await self._run(self._plans.page(query, marker, page_size), timeout)
            for image in page:
                yield image
            if len(page) < page_size:
                return
            marker = page[-1].id

    async def list_images(
        self, *, limit: int | None = None, timeout: float | None = None, **query: Unpack[ImageQuery]
    ) -> list[Image]:
        """As `Client.list_images`."""
        size = PAGE if limit is None else _page_size(limit)
        images: list[Image] = []
        async for image in self.iter_images(page_size=size, timeout=timeout, **query):
            images.append(image)
            if limit is not None and len(images) == limit:
                break
        return images

    async def delete_image(self, image_id: str, *, timeout: float | None = None) -> None:
        """As `Client.delete_image`."""
        await self._run(self._plans.delete(image_id), timeout)


def _page_size(limit: object) -> int:
    """The page to ask for `limit` images: no larger than needed, within the service's 1 to 1000."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigurationError(f"limit must be a whole number of images, at least 1, not {limit!r}")
    return min(limit, 1000)
