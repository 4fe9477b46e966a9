"""Who is calling: X-Auth-Token or an AK/SK signature, each bound to one project (`auth.*`).

AK/SK as Huawei's gateway judges it: `Host` and `X-Sdk-Date` signed, `X-Project-Id` optional (when
present it must name the key's project), temporary credentials from STS with their
`X-Security-Token` (signed), and the lockout: more than five consecutive failed authentications
with one AK lock that AK for five minutes, every request with it refused meanwhile, a valid one
included (`AkLockout`).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from ims_mock import errors, signing


@dataclass(frozen=True)
class Project:
    """One project's credentials. Secrets are never printed: repr hides them."""

    project_id: str
    token: str = field(repr=False)
    access_key: str
    secret_key: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)  # set for temporary (STS) credentials


@dataclass(frozen=True)
class TemporaryKey:
    """A temporary AK/SK from STS: valid only with its security token, for one project's calls."""

    project_id: str
    access_key: str
    secret_key: str = field(repr=False)
    security_token: str = field(repr=False)


@dataclass(frozen=True)
class Credentials:
    """The accepted credentials of every configured project."""

    projects: tuple[Project, ...]
    temporary: tuple[TemporaryKey, ...] = ()

    def __post_init__(self) -> None:
        ids = [p.project_id for p in self.projects]
        tokens = [p.token for p in self.projects]
        keys = [p.access_key for p in self.projects] + [t.access_key for t in self.temporary]
        if not ids or len(set(ids)) != len(ids) or len(set(tokens)) != len(tokens) or len(set(keys)) != len(keys):
            raise ValueError("projects need distinct project IDs, tokens and access keys")
        if {t.project_id for t in self.temporary} - set(ids):
            raise ValueError("temporary credentials must belong to a configured project")

    def by_token(self, token: str) -> Project | None:
        """The project whose token this is (compared in constant time)."""
        found = None
        for project in self.projects:
            if hmac.compare_digest(project.token.encode(), token.encode()):
                found = project
        return found

    def by_access_key(self, access_key: str) -> Project | None:
        """The project whose access key this is (for a temporary key: with its SK and security token)."""
        found = next((p for p in self.projects if p.access_key == access_key), None)
        if found is not None:
            return found
        temporary = next((t for t in self.temporary if t.access_key == access_key), None)
        if temporary is None:
            return None
        owner = next(p for p in self.projects if p.project_id == temporary.project_id)
        return replace(
            owner,
            access_key=temporary.access_key,
            secret_key=temporary.secret_key,
            security_token=temporary.security_token,
        )


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
    """How tokens and AK/SK signatures are judged; the defaults are the contract's (`auth.*`)."""

    max_clock_skew: float = signing.MAX_CLOCK_SKEW_SECONDS  # seconds either way
    verify_signature: bool = True
    query_in_canonical_request: bool = True
    project_id_required: bool = False  # open: Huawei makes X-Project-Id optional (the mock's choice)
    host_signed: bool = True  # Host must be among the signed headers
    temporary_token: bool = True  # a temporary (STS) key needs its X-Security-Token, signed
    lockout_failures: int | None = 5  # more than this many consecutive failures lock the AK (None: never)
    lockout_seconds: float = 300.0
    # How tokens are judged (`auth.token`): "exact" by the contract; a fault may make it "loose" (a
    # known token in another case, or with a character more or less) or "any" (any non-empty token).
    credential_match: str = "exact"
    anonymous: bool = False  # a request without credentials is served as the first project's (a fault)


CONTRACT = AuthPolicy()
LOCKED_MESSAGE = "AK access failed to reach the limit,forbidden."


@dataclass
class AkLockout:
    """Consecutive failed authentications per AK, and the AKs locked until when (UNIX time)."""

    failures: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check(self, access_key: str, now: float) -> None:
        """Refuse a request with `access_key` while it is locked."""
        with self._lock:
            until = self.locked_until.get(access_key)
            if until is not None and now < until:
                raise errors.unauthorized(LOCKED_MESSAGE)
            if until is not None:
                del self.locked_until[access_key]

    def record(self, access_key: str, ok: bool, now: float, policy: AuthPolicy) -> bool:
        """Count one authentication with `access_key`; True when this failure locked it."""
        with self._lock:
            if ok:
                self.failures.pop(access_key, None)
                return False
            count = self.failures.get(access_key, 0) + 1
            self.failures[access_key] = count
            if policy.lockout_failures is not None and count > policy.lockout_failures:
                self.locked_until[access_key] = now + policy.lockout_seconds
                del self.failures[access_key]
                return True
            return False


def authenticate(
    credentials: Credentials,
    request: SignedRequest,
    now: datetime,
    policy: AuthPolicy = CONTRACT,
    lockout: AkLockout | None = None,
) -> Project:
    """The caller's project, or a 401 GatewayError saying (without secrets) what was wrong.

    A request with both a token and a signature is judged by the token (`auth.both`). With
    `lockout`, a known AK's failures are counted and a locked AK is refused.
    """
    token = request.headers.get("x-auth-token")
    if token is not None:
        return _by_token(credentials, token, policy)
    authorization = request.headers.get("authorization")
    if authorization is None and policy.anonymous:
        return credentials.projects[0]
    if authorization is None:
        raise errors.unauthorized("no X-Auth-Token and no Authorization header")
    parsed = signing.parse_authorization(authorization)
    if parsed is None:
        raise errors.unauthorized("the Authorization header is not an SDK-HMAC-SHA256 signature")
    project = credentials.by_access_key(parsed.access_key)
    if project is None:
        raise errors.unauthorized("the access key is unknown")
    stamp = now.timestamp()
    if lockout is not None:
        lockout.check(parsed.access_key, stamp)
    try:
        _verify(project, parsed, request, now, policy)
    except errors.GatewayError:
        if lockout is not None and lockout.record(parsed.access_key, False, stamp, policy):
            raise errors.unauthorized(LOCKED_MESSAGE) from None
        raise
    if lockout is not None:
        lockout.record(parsed.access_key, True, stamp, policy)
    return project


def _by_token(credentials: Credentials, token: str, policy: AuthPolicy) -> Project:
    sent = token.strip()
    project = credentials.by_token(sent)
    if project is None and sent and policy.credential_match == "any":
        project = credentials.projects[0]
    if project is None and sent and policy.credential_match == "loose":
        project = next((known for known in credentials.projects if _near(sent, known.token)), None)
    if project is None:
        raise errors.unauthorized("the token is invalid or has expired")
    return project


def _near(sent: str, token: str) -> bool:
    """`sent` is `token` in another case, or with characters more or less at its end (a loose match)."""
    return sent.lower() == token.lower() or sent.startswith(token) or token.startswith(sent)


def _verify(
    project: Project, parsed: signing.Authorization, request: SignedRequest, now: datetime, policy: AuthPolicy
) -> None:
    """Raise a 401 GatewayError unless the signature of `request` is right for `project`."""
    if "x-sdk-date" not in parsed.signed_headers:
        raise errors.unauthorized("X-Sdk-Date must be signed")
    date_text = request.headers.get("x-sdk-date", "")
    sdk_date = signing.parse_sdk_date(date_text)
    if sdk_date is None:
        raise errors.unauthorized("X-Sdk-Date is missing or not in the form 20240101T000000Z")
    if abs((now.astimezone(UTC) - sdk_date).total_seconds()) > policy.max_clock_skew:
        raise errors.unauthorized("X-Sdk-Date is more than 15 minutes from the server's clock")
    if policy.host_signed and "host" not in parsed.signed_headers:
        raise errors.unauthorized("Host must be signed")
    named = request.headers.get("x-project-id")
    if named is None and policy.project_id_required:
        raise errors.unauthorized("X-Project-Id is missing")
    if named is not None and named.strip() != project.project_id:
        raise errors.unauthorized("X-Project-Id is not the access key's project")
    if (
        project.security_token is not None
        and policy.temporary_token
        and (
            "x-security-token" not in parsed.signed_headers
            or not hmac.compare_digest(
                request.headers.get("x-security-token", "").strip().encode(), project.security_token.encode()
            )
        )
    ):
        raise errors.unauthorized("a temporary access key needs its X-Security-Token, signed")
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
