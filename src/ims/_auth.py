"""Credentials as `httpx.Auth`: an IAM token, or an AK/SK pair that signs each request."""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime

import httpx

from ims._errors import ConfigurationError
from ims._signing import signed, signed_names


def _credential(name: str, value: object, *, secret: bool) -> str:
    """`value` if it is a usable credential: a non-empty string with no whitespace or control character.

    A secret's value is never part of the message.
    """
    shown = "(not shown)" if secret else repr(value)[:80]
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty string, not {type(value).__name__} {shown}")
    if any(char.isspace() or not char.isprintable() for char in value):
        raise ConfigurationError(f"{name} holds whitespace or a control character (a stray newline?): {shown}")
    return value


class TokenAuth(httpx.Auth):
    """`X-Auth-Token: <IAM token>`, bound to `project_id`."""

    def __init__(self, token: str, project_id: str) -> None:
        self._token = _credential("token", token, secret=True)
        self.project_id = _credential("project_id", project_id, secret=False)

    def __repr__(self) -> str:
        return f"TokenAuth(token=***, project_id={self.project_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the token to `request`."""
        request.headers["X-Auth-Token"] = self._token
        yield request


class AkSkAuth(httpx.Auth):
    """An `SDK-HMAC-SHA256` signature with an access key and secret key, as the official SDK makes it.

    Signs the method, the path (a base URL's prefix included), the query, the body and the headers
    Host, Content-Type and X-Project-Id, at the current time (the service allows 15 minutes of skew).
    Temporary credentials from STS pass their `security_token`: it is sent as X-Security-Token and
    signed, as the SDK does.
    """

    requires_request_body = True

    def __init__(self, access_key: str, secret_key: str, project_id: str, *, security_token: str | None = None) -> None:
        self.access_key = _credential("access_key", access_key, secret=False)
        self._secret_key = _credential("secret_key", secret_key, secret=True)
        self.project_id = _credential("project_id", project_id, secret=False)
        self._security_token = (
            None if security_token is None else _credential("security_token", security_token, secret=True)
        )

    def __repr__(self) -> str:
        temporary = ", security_token=***" if self._security_token else ""
        return f"AkSkAuth(access_key={self.access_key!r}, secret_key=***{temporary}, project_id={self.project_id!r})"

    def sign(self, request: httpx.Request, when: datetime | None = None) -> None:
        """Add X-Project-Id, X-Sdk-Date and Authorization to `request` (signed at `when`, default now)."""
        request.headers["X-Project-Id"] = self.project_id
        if self._security_token:
            request.headers["X-Security-Token"] = self._security_token
        names = signed_names(request.headers.keys())
        sdk_date, authorization = signed(
            method=request.method,
            raw_path=request.url.raw_path.decode("ascii").partition("?")[0],
            raw_query=request.url.query.decode("ascii"),
            headers={name: request.headers[name] for name in names},
            body=request.content,
            access_key=self.access_key,
            secret_key=self._secret_key,
            when=(when or datetime.now(UTC)).astimezone(UTC),
        )
        request.headers["X-Sdk-Date"] = sdk_date
        request.headers["Authorization"] = authorization

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request`; a retry of it is signed afresh."""
        self.sign(request)
        yield request
