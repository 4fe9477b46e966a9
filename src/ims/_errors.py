"""The errors `ims` raises: every one is an `ImsError`, so `except ims.ImsError` catches them all."""

from __future__ import annotations

import json
from typing import Any

import httpx


class ImsError(Exception):
    """An error answer from IMS (`{"error": {"code": "IMG.xxxx", "message": ...}}`), and the base of all.

    `status` is the HTTP status (None when no answer came), `request_id` the `X-Request-Id` to quote
    to Huawei support.
    """

    def __init__(
        self, message: str, *, status: int | None = None, code: str | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id

    def __str__(self) -> str:
        parts = [str(self.status)] if self.status is not None else []
        parts += [self.code] if self.code else []
        head = " ".join(parts)
        tail = f" (request {self.request_id})" if self.request_id else ""
        return f"{head}: {self.message}{tail}" if head else f"{self.message}{tail}"


class GatewayError(ImsError):
    """An error answer from the API gateway (`{"error_code": "APIGW.xxxx", ...}`): auth, throttling, size.

    Huawei writes the same codes `APIG.xxxx` too; `code` is what the gateway sent.
    """


class AuthenticationFailed(GatewayError):
    """401 (or 403): the gateway refused the credentials: a wrong, expired or foreign token or signature."""


class Throttled(GatewayError):
    """429, still, after the retries `Retry` allows: the project's request rate is over its limit."""


class AccessKeyLocked(AuthenticationFailed):
    """401: the gateway locked the AK after more than five consecutive failed signatures (for 5 minutes).

    Never retried: every request with the AK is refused until the lock ends, and a retry would only
    prolong the failures.
    """


class NotFound(ImsError):
    """404: no such image or job (IMS), or no such API at this address (gateway: check the base URL)."""


class ApiNotFound(GatewayError, NotFound):
    """404 from the gateway (APIGW.0101): no such API at this address; check the base URL and its prefix."""


class ServiceError(ImsError):
    """5xx: the service failed or is unavailable; nothing is known to have been done."""


class ConnectionFailed(ImsError):
    """No answer: the connection could not be made, or was lost (after the retries allowed)."""


class RequestTimedOut(ConnectionFailed, TimeoutError):
    """No whole answer within the request's deadline (`Client(timeout=...)`, connect to last byte)."""


class MalformedAnswer(ImsError):
    """An answer this client cannot read: not JSON, not the spec's shape, too large, or compressed unasked.

    `raw` holds its first bytes (at most `RAW_KEPT`), for a bug report.
    """

    RAW_KEPT = 2048

    def __init__(self, message: str, *, raw: bytes = b"", status: int | None = None, request_id: str | None = None):
        super().__init__(message, status=status, request_id=request_id)
        self.raw = raw[: self.RAW_KEPT]


class ConfigurationError(ImsError, ValueError):
    """The client was set up wrongly (a base URL without a host, no credentials, ...): raised at once."""


class QuotaExceeded(ImsError):
    """400 IMG.0015: the project has as many private images as its quota allows; delete some first."""


class TooManyJobs(ImsError):
    """400 IMG.0060: the project has too many jobs at work (job flow control); try again later."""


class RequestInvalid(ImsError, ValueError):
    """A request the spec refuses, caught before anything was sent.

    `field` is where (`min_disk`, `tags[3]`), `rule` the rule of the project's contract
    (`docs/contract.md`) it breaks (`create.min_disk`, `create.name.length`, `list.query`), `keyword`
    the spec's schema keyword (`minimum`, `maxLength`, ...). The message says it in words, with the
    limit: "name: 129 characters, at most 128 (create.name.length)".
    """

    def __init__(self, field: str, rule: str, message: str, *, keyword: str = "") -> None:
        super().__init__(f"{field or 'the request'}: {message} ({rule})")
        self.field = field
        self.rule = rule
        self.keyword = keyword


class JobFailed(ImsError):
    """The job ended with `FAIL`: `error_code` and `fail_reason` say why."""

    def __init__(self, job_id: str, error_code: str | None, fail_reason: str | None) -> None:
        super().__init__(f"job {job_id} failed: {fail_reason or 'no reason given'}", code=error_code)
        self.job_id = job_id
        self.error_code = error_code
        self.fail_reason = fail_reason


class JobTimeout(ImsError, TimeoutError):
    """`wait_for_job` waited `waited` seconds and the job had not ended (`last_status`)."""

    def __init__(self, job_id: str, waited: float, last_status: str | None) -> None:
        super().__init__(f"job {job_id} had not ended after {waited:.0f} s (last status {last_status})")
        self.job_id = job_id
        self.waited = waited
        self.last_status = last_status


class AnswerLost(ImsError):
    """The connection dropped after a create was sent: it may or may not have started a job.

    A create is never sent again blindly; list images by name to find out.
    """


def from_response(response: httpx.Response) -> ImsError:
    """The typed error for an error answer, whatever its body (JSON in either envelope, or not)."""
    request_id = response.headers.get("x-request-id")
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        body = None
    status = response.status_code
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        by_code = {"IMG.0015": QuotaExceeded, "IMG.0060": TooManyJobs}
        kind = by_code.get(str(error.get("code")), NotFound if status == 404 else _by_status(status, ImsError))
        return kind(str(error.get("message", ""))[:500], status=status, code=error.get("code"), request_id=request_id)
    if isinstance(body, dict) and "error_code" in body:
        locked = status == 401 and "reach the limit" in str(body.get("error_msg", "")).lower()
        gateway: type[ImsError] = {
            401: AuthenticationFailed,
            403: AuthenticationFailed,
            404: ApiNotFound,
            429: Throttled,
        }.get(status, GatewayError)
        return (AccessKeyLocked if locked else gateway)(
            str(body.get("error_msg", ""))[:500],
            status=status,
            code=str(body["error_code"]),
            request_id=request_id or body.get("request_id"),
        )
    text = response.content[:200].decode("utf-8", "replace") if response.content else response.reason_phrase
    kind = _by_status(status, ImsError)
    if kind is ImsError:
        return MalformedAnswer(
            f"unexpected answer: {text!r}", raw=response.content, status=status, request_id=request_id
        )
    return kind(f"unexpected answer: {text!r}", status=status, request_id=request_id)


def _by_status(status: int, default: type[ImsError]) -> type[ImsError]:
    if status == 404:
        return NotFound
    if status >= 500:
        return ServiceError
    if status in (401, 403):
        return AuthenticationFailed
    if status == 429:
        return Throttled
    return default
