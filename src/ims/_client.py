"""`ims.Client`: the generated `ims_client`, made pleasant and safe to use, synchronously."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self, Unpack

import httpx
import tenacity

from ims._base import MAX_ANSWER_BYTES, BaseClient, bounded, not_compressed, page_size, too_large
from ims._errors import ConnectionFailed
from ims._listing import ImageQuery
from ims._plans import PAGE, OsType, Pacer, Plan, Retry, create_body, finished, lost, retrying
from ims._results import Answer, Image, Job
from ims._transport import default_transport

__all__ = ["Client", "Retry"]


class Client(BaseClient):
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
                    not_compressed(response)  # before any byte is read: a compressed one is never inflated
                    if response.is_stream_consumed:  # read by the transport itself (StdlibTransport, capped there)
                        if len(response.content) > self.max_answer_bytes:
                            raise too_large(response, self.max_answer_bytes)
                    else:
                        body = bytearray()
                        for chunk in response.iter_raw():
                            body += chunk
                            if len(body) > self.max_answer_bytes:
                                raise too_large(response, self.max_answer_bytes)
                        response = bounded(response, bytes(body))
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
        size = PAGE if limit is None else page_size(limit)
        images = self.iter_images(page_size=size, timeout=timeout, **query)
        return list(images) if limit is None else [image for _, image in zip(range(limit), images, strict=False)]

    def delete_image(self, image_id: str, *, timeout: float | None = None) -> None:
        """Delete one of the caller's images."""
        self._run(self._plans.delete(image_id), timeout)
