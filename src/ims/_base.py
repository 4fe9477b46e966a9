"""What `ims.Client` and `ims.AsyncClient` share: settings read and checked, the base, the answer's bounds.

Each call is planned by `ims._plans` (the request, whether it may be repeated, how its answer is
read) and run by the sync client (`_client.py`) or the async one (`_async_client.py`), with the same
retry policy, caps and deadlines.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any, Self

import httpx

import ims_client
from ims._auth import AkSkAuth, TokenAuth
from ims._errors import ConfigurationError, ImsError, MalformedAnswer, from_response
from ims._plans import Plan, Plans, Retry, answered, log
from ims._results import Answer


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


def not_compressed(response: httpx.Response) -> None:
    """MalformedAnswer for a compressed answer: this client asks for none, so none is inflated (no gzip bomb)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise MalformedAnswer(
            f"the service answered {encoding[:40]}-compressed though this client asks for none; not inflated",
            status=response.status_code,
            request_id=response.headers.get("x-request-id"),
        )


def bounded(response: httpx.Response, body: bytes) -> httpx.Response:
    """`response` with its whole `body`, read within the cap."""
    answer = httpx.Response(
        response.status_code,
        headers=response.headers,
        content=body,
        request=response.request,
        extensions=response.extensions,
    )
    return answer


def too_large(response: httpx.Response, cap: int) -> MalformedAnswer:
    return MalformedAnswer(
        f"the answer is over {cap} bytes (max_answer_bytes); not read further",
        status=response.status_code,
        request_id=response.headers.get("x-request-id"),
    )


def _checked_timeout(timeout: object, what: str = "timeout") -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        raise ConfigurationError(f"{what} must be more than 0 and at most 3600 seconds, not {timeout!r}")
    return float(timeout)


class BaseClient:
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


def page_size(limit: object) -> int:
    """The page to ask for `limit` images: no larger than needed, within the service's 1 to 1000."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigurationError(f"limit must be a whole number of images, at least 1, not {limit!r}")
    return min(limit, 1000)
