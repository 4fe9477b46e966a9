"""What both clients share about each call: its request, whether it may be repeated, how it is read.

Each call is planned once (`Plan`: the generated module's `build_request`, whether it may be
repeated, the status that means success and how to read it with the module's `parse_response`),
then run by the sync or the async client with the same retry policy (`retrying`):

- 429 and 503 are retried for every operation: the service did nothing, and says when to come
  back (`Retry-After`, honoured up to `Retry.max_wait`); else backoff doubles from `Retry.backoff`;
- a connection that could not be made is retried for every operation: nothing was sent;
- a connection lost after a request was sent is retried for reads and deletes only. A create
  whose answer was lost raises `AnswerLost` and is never sent again blindly.

Only the generated client's public surface is used (`build_request`, `parse_response`, models).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import httpx
import tenacity

import ims_client
from ims._errors import (
    AnswerLost,
    ConnectionFailed,
    ImsError,
    JobFailed,
    JobTimeout,
    MalformedAnswer,
    RequestInvalid,
    RequestTimedOut,
)
from ims._listing import generated_kwargs
from ims._results import Answer, Image, Job
from ims._validation import check
from ims_client.api.images import create_data_image, create_data_image_v2_1, delete_image, list_images
from ims_client.api.jobs import show_job_progress
from ims_client.models import CreateDataImageRequest, CreateDataImageResponse, ImageList, JobProgress

log = logging.getLogger("ims")
PAGE = 500  # images per listImages page (the service allows 1 to 1000)
# The create's two documented paths: v1, and the "(New)" v2.1 Huawei's current pages point to.
CREATES: dict[str, Any] = {"v1": create_data_image, "v2.1": create_data_image_v2_1}
OsType = Literal["Linux", "Windows"]
# A job or image id from the server goes into a path: only these characters, never `/`, `.` or `%`.
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def job_id_checked(value: Any, *, from_server: bool = False) -> str:
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    if from_server:
        raise MalformedAnswer(f"the service gave a job id this client will not use: {str(value)[:80]!r}")
    words = f"{str(value)[:80]!r} is not a job id (1 to 64 of A-Z a-z 0-9 _ -)"
    raise RequestInvalid("job_id", "op.job-progress", words, keyword="pattern")


def image_id_checked(value: Any) -> str:
    if isinstance(value, str | UUID) and _UUID.fullmatch(str(value)):
        return str(value).lower()
    raise RequestInvalid("image_id", "op.delete", f"{str(value)[:80]!r} is not an image id (a UUID)", keyword="format")


@dataclass(frozen=True)
class Retry:
    """How often, and how long, to retry what may be retried (see the module docstring)."""

    attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 60.0


@dataclass(frozen=True)
class Plan:
    operation: str  # the spec's operationId, for logs and `Answer`
    kwargs: dict[str, Any]  # the generated `build_request(...)`
    repeatable: bool  # may be sent again after its answer was lost
    success: int
    parse: Callable[[httpx.Response], Any]


def _parsed(module: Any, client: ims_client.Client, model: type) -> Callable[[httpx.Response], Any]:
    def parse(response: httpx.Response) -> Any:
        try:
            parsed = module.parse_response(client=client, response=response)
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # not JSON, or not the spec's shape
            raise malformed(response, f"{type(error).__name__}: {str(error)[:120]}") from None
        if not isinstance(parsed, model):
            raise malformed(response, f"not a {model.__name__}")
        return parsed

    return parse


def malformed(response: httpx.Response, why: str) -> MalformedAnswer:
    return MalformedAnswer(
        f"the answer is not what the spec says ({why})",
        raw=response.content,
        status=response.status_code,
        request_id=response.headers.get("x-request-id"),
    )


def retrying(retry: Retry, plan: Plan, within: float | None = None) -> dict[str, Any]:
    """The arguments of `tenacity.Retrying` for `plan`: what is retried, how long it waits, what it logs."""

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
        return plan.repeatable and isinstance(error, httpx.TransportError)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        outcome, pause = state.outcome, state.upcoming_sleep
        if outcome is not None and not outcome.failed:
            status = outcome.result().status_code
            why = "throttled (429)" if status == 429 else f"unavailable ({status})"
        else:
            why = f"no answer ({type(outcome.exception() if outcome else None).__name__})"
        log.info(
            "%s %s: %s; waiting %.1f s before attempt %d of %d",
            plan.kwargs["method"].upper(),
            plan.kwargs["url"],
            why,
            pause,
            state.attempt_number + 1,
            retry.attempts,
        )

    stop = tenacity.stop_after_attempt(retry.attempts)
    return {
        "stop": stop if within is None else stop | tenacity.stop_before_delay(within),
        "wait": wait,
        "retry": tenacity.retry_if_result(lambda response: response.status_code in (429, 503))
        | tenacity.retry_if_exception(retriable),
        "before_sleep": before_sleep,
        # Out of attempts: the last answer is the caller's (raised as an error), or the last error.
        "retry_error_callback": lambda state: state.outcome.result() if state.outcome else None,
    }


def lost(plan: Plan, error: httpx.TransportError) -> ImsError:
    if plan.repeatable or isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        kind = RequestTimedOut if isinstance(error, httpx.TimeoutException) else ConnectionFailed
        return kind(f"no answer from the service: {error!r}")
    return AnswerLost(
        "the connection was lost after the create was sent: a job may or may not have started; "
        "list images by name to find out before creating again"
    )


def answered(plan: Plan, response: httpx.Response, attempt: int, started: float) -> Answer:
    """The `Answer` for one attempt, logged at DEBUG (method, path, status, time, request id; no header)."""
    elapsed = time.monotonic() - started
    request_id = response.headers.get("x-request-id")
    log.debug(
        "%s %s -> %d in %.3f s (attempt %d, request id %s)",
        plan.kwargs["method"].upper(),
        plan.kwargs["url"],
        response.status_code,
        elapsed,
        attempt,
        request_id,
    )
    return Answer(
        operation=plan.operation,
        method=plan.kwargs["method"].upper(),
        path=plan.kwargs["url"],
        status=response.status_code,
        headers=dict(response.headers.items()),
        request_id=request_id,
        attempt=attempt,
        elapsed=elapsed,
        content=response.content,
    )


def create_body(
    name: str,
    image_url: str,
    min_disk: int,
    description: str | None,
    os_type: str | None,
    tags: Sequence[str] | None,
    image_tags: Sequence[Mapping[str, str]] | None,
    cmk_id: str | None,
    enterprise_project_id: str | None,
) -> dict[str, Any]:
    """The create's JSON body: the fields given (None means "not sent"; the spec forbids null)."""
    body: dict[str, Any] = {"name": name, "image_url": image_url, "min_disk": min_disk}
    optional = {"description": description, "os_type": os_type, "cmk_id": cmk_id}
    optional |= {"enterprise_project_id": enterprise_project_id}
    body |= {key: value for key, value in optional.items() if value is not None}
    if tags is not None:
        body["tags"] = list(tags)
    if image_tags is not None:
        body["image_tags"] = [dict(tag) for tag in image_tags]
    return body


class Plans:
    """The request, retry class and reading of each operation, shared by both clients."""

    def __init__(self, generated: ims_client.Client, validate: bool) -> None:
        self.generated = generated
        self.validate = validate

    def create(self, body: dict[str, Any], api: str) -> Plan:
        if api not in CREATES:
            raise RequestInvalid("api", "op.create", f"must be {' or '.join(map(repr, CREATES))}, not {api!r}")
        if self.validate:
            check("CreateDataImageRequest", body)
        request = CreateDataImageRequest.from_dict(body)
        module = CREATES[api]
        read = _parsed(module, self.generated, CreateDataImageResponse)
        operation = "createDataImage" if api == "v1" else "createDataImageV2_1"
        return Plan(
            operation,
            module.build_request(body=request),
            False,
            200,
            lambda response: job_id_checked(read(response).job_id, from_server=True),
        )

    def job(self, job_id: str) -> Plan:
        read = _parsed(show_job_progress, self.generated, JobProgress)
        request = show_job_progress.build_request(job_id_checked(job_id))
        return Plan("showJobProgress", request, True, 200, lambda response: Job.from_generated(read(response)))

    def page(self, query: Mapping[str, Any], marker: str | None, limit: int) -> Plan:
        arguments: dict[str, Any] = {"limit": limit, **generated_kwargs(query, validate=self.validate)}
        if marker is not None:
            arguments["marker"] = UUID(marker)
        read = _parsed(list_images, self.generated, ImageList)

        def images(response: httpx.Response) -> list[Image]:
            return [Image.from_generated(image) for image in read(response).images]

        return Plan("listImages", list_images.build_request(**arguments), True, 200, images)

    def delete(self, image_id: str) -> Plan:
        request = delete_image.build_request(UUID(image_id_checked(image_id)))
        return Plan("deleteImage", request, True, 204, lambda _response: None)


def finished(job: Job) -> Job | None:
    """The job if it succeeded; JobFailed if it failed; None while it runs."""
    if job.status == "SUCCESS":
        return job
    if job.status == "FAIL":
        raise JobFailed(job.job_id, job.error_code, job.fail_reason)
    return None


class Pacer:
    """When `wait_for_job` queries a running job next.

    Backoff: `poll` seconds, then x1.5 each time, at most 15 s. Sooner when the job's own progress
    (`process_percent`, observed over time on this clock) says it ends sooner, never sooner than a
    quarter of `poll`: the job is then seen to end about when it ends instead of up to one backoff
    step later, and a job whose progress says nothing is polled exactly as by backoff.
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

    def pause(self, job: Job) -> float:
        """Seconds to sleep before the next query; JobTimeout once `timeout` has passed."""
        now = time.monotonic()
        left = self.timeout - (now - self.started)
        if left <= 0:
            raise JobTimeout(self.job_id, now - self.started, job.status)
        pause, self.backoff = self.backoff, min(self.backoff * 1.5, 15.0)
        percent = job.process_percent if job.process_percent is not None and 0 <= job.process_percent < 100 else None
        if percent is not None:
            if self.first is None or percent < self.first[1]:
                self.first = (now, percent)
            elif percent > self.first[1]:
                when, first = self.first
                eta = (100.0 - percent) * (now - when) / (percent - first)
                pause = min(pause, max(eta * 1.05, self.floor))
        log.debug("job %s is %s; next query in %.1f s", self.job_id, job.status, min(pause, left))
        return min(pause, left)
