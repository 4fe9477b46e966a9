"""`ims.AsyncClient`: as `ims.Client`, for asyncio."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self, Unpack

import httpx
import tenacity

from ims._base import MAX_ANSWER_BYTES, BaseClient, bounded, not_compressed, page_size, too_large
from ims._errors import ConfigurationError, ConnectionFailed
from ims._listing import ImageQuery
from ims._plans import PAGE, OsType, Pacer, Plan, Retry, create_body, finished, lost, retrying
from ims._results import Answer, Image, Job

__all__ = ["AsyncClient"]


class AsyncClient(BaseClient):
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
                    not_compressed(response)
                    if response.is_stream_consumed:  # a transport that read the answer itself
                        if len(response.content) > self.max_answer_bytes:
                            raise too_large(response, self.max_answer_bytes)
                    else:
                        body = bytearray()
                        async for chunk in response.aiter_raw():
                            body += chunk
                            if len(body) > self.max_answer_bytes:
                                raise too_large(response, self.max_answer_bytes)
                        response = bounded(response, bytes(body))
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
        size = PAGE if limit is None else page_size(limit)
        images: list[Image] = []
        async for image in self.iter_images(page_size=size, timeout=timeout, **query):
            images.append(image)
            if limit is not None and len(images) == limit:
                break
        return images

    async def delete_image(self, image_id: str, *, timeout: float | None = None) -> None:
        """As `Client.delete_image`."""
        await self._run(self._plans.delete(image_id), timeout)
