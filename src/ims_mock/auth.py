"""Who is calling: X-Auth-Token or an AK/SK signature, each bound to one project (`auth.*`)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ims_mock import errors, signing


@dataclass(frozen=True)
class Project:
    """One project's credentials. Secrets are never printed: repr hides them."""

    project_id: str
    token: str = field(repr=False)
    access_key: str
    secret_key: str = field(repr=False)


@dataclass(frozen=True)
class Credentials:
    """The accepted credentials of every configured project."""

    projects: tuple[Project, ...]

    def __post_init__(self) -> None:
        ids = [p.project_id for p in self.projects]
        tokens = [p.token for p in self.projects]
        keys = [p.access_key for p in self.projects]
        if not ids or len(set(ids)) != len(ids) or len(set(tokens)) != len(tokens) or len(set(keys)) != len(keys):
            raise ValueError("projects need distinct project IDs, tokens and access keys")

    def by_token(self, token: str) -> Project | None:
        """The project whose token this is (compared in constant time)."""
        found = None
        for project in self.projects:
            if hmac.compare_digest(project.token.encode(), token.encode()):
                found = project
        return found

    def by_access_key(self, access_key: str) -> Project | None:
        """The project whose access key this is."""
        return next((p for p in self.projects if p.access_key == access_key), None)


@dataclass(frozen=True)
class SignedRequest:
    """What signature verification needs of a request."""

    method: str
    path: str
    raw_query: str
    headers: Mapping[str, str]  # lowercased names
    body: bytes


@dataclass(frozen=True)
class AuthPolicy:
    """How AK/SK signatures are judged; the defaults are the contract's (`auth.aksk`)."""

    max_clock_skew: float = signing.MAX_CLOCK_SKEW_SECONDS  # seconds either way
    verify_signature: bool = True
    query_in_canonical_request: bool = True


CONTRACT = AuthPolicy()


def authenticate(
    credentials: Credentials, request: SignedRequest, now: datetime, policy: AuthPolicy = CONTRACT
) -> Project:
    """The caller's project, or a 401 GatewayError saying (without secrets) what was wrong.

    A request with both a token and a signature is judged by the token (`auth.both`).
    """
    token = request.headers.get("x-auth-token")
    if token is not None:
        project = credentials.by_token(token.strip())
        if project is None:
            raise errors.unauthorized("the token is invalid or has expired")
        return project
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise errors.unauthorized("no X-Auth-Token and no Authorization header")
    parsed = signing.parse_authorization(authorization)
    if parsed is None:
        raise errors.unauthorized("the Authorization header is not an SDK-HMAC-SHA256 signature")
    project = credentials.by_access_key(parsed.access_key)
    if project is None:
        raise errors.unauthorized("the access key is unknown")
    if "x-sdk-date" not in parsed.signed_headers:
        raise errors.unauthorized("X-Sdk-Date must be signed")
    date_text = request.headers.get("x-sdk-date", "")
    sdk_date = signing.parse_sdk_date(date_text)
    if sdk_date is None:
        raise errors.unauthorized("X-Sdk-Date is missing or not in the form 20240101T000000Z")
    if abs((now.astimezone(UTC) - sdk_date).total_seconds()) > policy.max_clock_skew:
        raise errors.unauthorized("X-Sdk-Date is more than 15 minutes from the server's clock")
    if request.headers.get("x-project-id", "").strip() != project.project_id:
        raise errors.unauthorized("X-Project-Id is missing or is not the access key's project")
    if policy.verify_signature:
        canonical = signing.canonical_request(
            request.method,
            request.path,
            signing.query_pairs(request.raw_query) if policy.query_in_canonical_request else [],
            request.headers,
            parsed.signed_headers,
            request.body,
        )
        expected = signing.signature(project.secret_key, signing.string_to_sign(canonical, date_text.strip()))
        if not hmac.compare_digest(expected, parsed.signature):
            raise errors.unauthorized("verify aksk signature fail")
    return project
