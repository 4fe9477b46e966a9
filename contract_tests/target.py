"""The server under test, its credentials, and the one HTTP session every request goes through.

The target is the embedded mock unless `IMS_BASE_URL` names another server. Credentials come from
`IMS_AUTH_TOKEN` (token) or `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (AK/SK, signed by the
official SDK's signer) with `HUAWEICLOUD_SDK_PROJECT_ID` (or `IMS_PROJECT_ID`). Against anything but
the embedded mock, requests that could create an image are sent only up to `IMS_MAX_CREATES`
(default 0). The session records every exchange (secrets masked) for the run's summary and the
curl commands that reproduce failures.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import requests
import yaml

from contract_tests.signing import sdk_signed_headers

SECRET_HEADERS = frozenset({"x-auth-token", "authorization"})
MASK = "***"
CREATE_PATH = "/v1/cloudimages/dataimages/action"
SIGN_PLACEHOLDER = "SDK-HMAC-SHA256 sign-me"
SPEC = Path(__file__).resolve().parent.parent / "openapi" / "ims-data-image.yaml"


class CreateBudgetExhausted(Exception):
    """Sending this request could create an image, and IMS_MAX_CREATES allows no more."""


@dataclass(frozen=True)
class Credentials:
    """How the suite authenticates; secrets are hidden from repr."""

    project_id: str
    token: str | None = field(default=None, repr=False)
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)

    @property
    def scheme(self) -> str:
        """`token` or `aksk`: the scheme used by default (the token when both are given)."""
        return "token" if self.token else "aksk"


@dataclass(frozen=True)
class Exchange:
    """One request the suite sent, and the status it got."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    status: int

    def as_curl(self) -> str:
        """A curl command that sends this request again, with secrets masked."""
        parts = ["curl", "-X", self.method, self.url]
        for name, value in self.headers.items():
            if name.lower() in ("content-length", "connection", "accept-encoding", "accept", "user-agent"):
                continue
            parts += ["-H", f"{name}: {MASK if name.lower() in SECRET_HEADERS else value}"]
        if self.body:
            parts += ["--data-binary", self.body.decode("utf-8", errors="backslashreplace")]
        return shlex.join(parts)


class ContractSession(requests.Session):
    """A requests session that authenticates, keeps to the create budget and records exchanges."""

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Sign `request` if it asks to be signed, keep to the create budget, send and record it."""
        body = _body_bytes(request)
        method = (request.method or "GET").upper()
        url = request.url or ""
        self.target.spend_create_budget(method, url, _text_headers(request), body)
        if request.headers.get("Authorization") == SIGN_PLACEHOLDER:
            self.target.sign(request, body)
        response = super().send(request, **kwargs)
        with self._lock:
            self.exchanges.append(Exchange(method, url, _text_headers(request), body, response.status_code))
        return response

    def last_exchange(self) -> Exchange | None:
        """The most recent exchange, if any."""
        with self._lock:
            return self.exchanges[-1] if self.exchanges else None


@dataclass
class Target:
    """Where the suite sends requests, and how."""

    base_url: str
    credentials: Credentials
    embedded: bool
    max_creates: int | None  # None: unlimited
    creates_sent: int = 0
    creates_refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def url(self, path: str) -> str:
        """The full URL of an API path such as `/v2/cloudimages`."""
        return self.base_url.rstrip("/") + path

    def credential_headers(self, scheme: str = "") -> dict[str, str]:
        """Headers that authenticate a request with `scheme` (default: the target's).

        For AK/SK this is a placeholder Authorization header that ContractSession replaces with a
        real signature over the final request bytes. A probe that removes or replaces the header
        (as Schemathesis's ignored-auth check does) is sent exactly as the probe made it.
        """
        scheme = scheme or self.credentials.scheme
        if scheme == "token":
            if not self.credentials.token:
                raise LookupError("no token configured (IMS_AUTH_TOKEN)")
            return {"X-Auth-Token": self.credentials.token}
        if not (self.credentials.access_key and self.credentials.secret_key):
            raise LookupError("no AK/SK configured (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)")
        return {"Authorization": SIGN_PLACEHOLDER}

    def sign(self, request: requests.PreparedRequest, body: bytes) -> None:
        """Replace the placeholder Authorization of `request` with an SDK signature."""
        credentials = self.credentials
        assert credentials.access_key and credentials.secret_key
        # Content-Type is signed only when it is JSON: for other types the SDK's signer switches to
        # UNSIGNED-PAYLOAD, which CONTRACT.md section 6 rules out (the body hash is always computed).
        headers = {
            name: value
            for name, value in _text_headers(request).items()
            if name.lower() == "content-type" and value.lower().startswith("application/json")
        }
        signed = sdk_signed_headers(
            method=request.method or "GET",
            url=request.url or "",
            headers=headers,
            body=body,
            access_key=credentials.access_key,
            secret_key=credentials.secret_key,
            project_id=credentials.project_id,
        )
        for name, value in signed.items():
            if name.lower() != "host":
                request.headers[name] = value

    def could_create(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether a conforming server could accept this request and create an image.

        That is an authenticated JSON create whose body the spec's request schema accepts, with
        no repeated JSON key and distinct tag keys (the rules JSON Schema cannot state). Anything
        else must be rejected by the contract, so it is always sent.
        """
        if method != "POST" or not urlsplit(url).path.endswith(CREATE_PATH):
            return False
        lowered = {name.lower(): value for name, value in headers.items()}
        if lowered.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return False
        token, authorization = lowered.get("x-auth-token"), lowered.get("authorization", "")
        access_key = self.credentials.access_key
        if not (
            (token and token == self.credentials.token)
            or authorization == SIGN_PLACEHOLDER
            or (access_key and f"Access={access_key}," in authorization)
        ):
            return False
        try:
            parsed = json.loads(body, object_pairs_hook=_no_repeated_keys)
        except (ValueError, RecursionError):
            return False
        return _request_validator().is_valid(parsed) and _tag_keys_distinct(parsed)

    def spend_create_budget(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> None:
        """Count a request that could create an image; raise when the budget is spent."""
        if not self.could_create(method, url, headers, body):
            return
        with self._lock:
            if self.max_creates is not None and self.creates_sent >= self.max_creates:
                self.creates_refused += 1
                raise CreateBudgetExhausted(f"IMS_MAX_CREATES={self.max_creates} creates already sent")
            self.creates_sent += 1

    def creates_allowed(self, count: int = 1) -> bool:
        """Whether `count` more creates fit in the budget (without spending it)."""
        return self.max_creates is None or self.creates_sent + count <= self.max_creates


def _body_bytes(request: requests.PreparedRequest) -> bytes:
    if request.body is None:
        return b""
    if isinstance(request.body, bytes):
        return request.body
    if isinstance(request.body, str):
        return request.body.encode("utf-8")
    raise TypeError("the contract suite sends whole bodies, not streams")


def _text_headers(request: requests.PreparedRequest) -> dict[str, str]:
    return {
        name: value if isinstance(value, str) else value.decode("latin-1") for name, value in request.headers.items()
    }


@functools.cache
def _request_validator() -> jsonschema.protocols.Validator:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": spec["components"],
        "$ref": "#/components/schemas/CreateDataImageRequest",
    }
    return jsonschema.Draft202012Validator(schema)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a JSON object repeats a key")
    return dict(pairs)


def _tag_keys_distinct(body: dict[str, Any]) -> bool:
    keys = [str(tag).split(".", 1)[0] for tag in body.get("tags", [])]
    keys += [str(tag.get("key")) for tag in body.get("image_tags", []) if isinstance(tag, dict)]
    return len(keys) == len(set(keys))


def credentials_from_env(env: Mapping[str, str]) -> Credentials | None:
    """Credentials from IMS_AUTH_TOKEN or HUAWEICLOUD_SDK_AK/SK, or None when neither is set."""
    project = env.get("HUAWEICLOUD_SDK_PROJECT_ID") or env.get("IMS_PROJECT_ID") or ""
    token = env.get("IMS_AUTH_TOKEN") or None
    access_key = env.get("HUAWEICLOUD_SDK_AK") or None
    secret_key = env.get("HUAWEICLOUD_SDK_SK") or None
    if not token and not (access_key and secret_key):
        return None
    if not project:
        raise ValueError("set HUAWEICLOUD_SDK_PROJECT_ID (or IMS_PROJECT_ID) with the credentials")
    return Credentials(project, token, access_key, secret_key)


def max_creates_from_env(env: Mapping[str, str] = os.environ) -> int:
    """IMS_MAX_CREATES as a non-negative integer (default 0)."""
    text = env.get("IMS_MAX_CREATES", "0").strip() or "0"
    if not text.isdigit():
        raise ValueError(f"IMS_MAX_CREATES must be a whole number, not {text!r}")
    return int(text)
