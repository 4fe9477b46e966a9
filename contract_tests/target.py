"""The server under test: its URL, its credentials, how to sign for it, and the create budget.

The target is the embedded mock unless `IMS_BASE_URL` names another server. Credentials come from
`IMS_AUTH_TOKEN` (token) or `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (AK/SK, signed by the
official SDK's signer; temporary credentials add `HUAWEICLOUD_SDK_SECURITY_TOKEN`), with
`HUAWEICLOUD_SDK_PROJECT_ID` (or `IMS_PROJECT_ID`). Against anything but the embedded mock,
requests that could create an image are sent only up to `IMS_MAX_CREATES` (default 0).
`session.py` sends the requests.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import jsonschema
import requests
import yaml

from contract_tests.mark import tag_keys
from contract_tests.signing import sdk_signed_headers
from contract_tests.spec import SPEC

SECRET_HEADERS = frozenset({"x-auth-token", "authorization", "x-security-token"})
MASK = "***"
CREATE_PATH = "/v1/cloudimages/dataimages/action"
# Both paths of the one create call: v1 and its documented "(New)" v2.1 (`op.create-v2.1`). Every
# guard that keeps a run within its budget and marks what it may make matches either.
CREATE_PATHS = (CREATE_PATH, "/v2.1/cloudimages/dataimages/action")


def is_create_path(path: str) -> bool:
    """Whether a request path (a prefix allowed) is the createDataImage call's, by either version."""
    return path.rstrip("/").endswith(CREATE_PATHS)


SIGN_PLACEHOLDER = "SDK-HMAC-SHA256 sign-me"


class Withheld(Exception):
    """The run chose not to send this request (it could create an image it may not make)."""


class CreateBudgetExhausted(Withheld):
    """Sending this request could create an image, and IMS_MAX_CREATES allows no more."""


@dataclass(frozen=True)
class Credentials:
    """How the suite authenticates; secrets are hidden from repr."""

    project_id: str
    token: str | None = field(default=None, repr=False)
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)  # with temporary (STS) credentials
    # A temporary key of the same project (AK, SK, security token) besides the main one: the embedded
    # mock hands one out, so that `auth.aksk.temporary` is checked without temporary main credentials.
    temporary: tuple[str, str, str] | None = field(default=None, repr=False)

    def temporary_key(self) -> tuple[str, str, str] | None:
        """A temporary AK, its SK and its security token, when the run has one."""
        if self.temporary is not None:
            return self.temporary
        if self.access_key and self.secret_key and self.security_token:
            return self.access_key, self.secret_key, self.security_token
        return None

    @property
    def scheme(self) -> str:
        """`token` or `aksk`: the scheme used by default (the token when both are given)."""
        return "token" if self.token else "aksk"


@dataclass
class Target:
    """Where the suite sends requests, and how."""

    base_url: str
    credentials: Credentials
    embedded: bool
    max_creates: int | None  # None: unlimited
    creates_sent: int = 0
    creates_refused: int = 0
    # Why no more creates are sent (a job of the run did not end within IMS_JOB_TIMEOUT), or None.
    creates_stopped: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
        # UNSIGNED-PAYLOAD, which `auth.aksk.payload` rules out (the body hash is always computed).
        headers = {
            name: value
            for name, value in text_headers(request).items()
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
            security_token=credentials.security_token,
        )
        for name, value in signed.items():
            if name.lower() != "host":
                request.headers[name] = value

    def sends_own_credentials_as_json(self, headers: Mapping[str, str]) -> bool:
        """Whether a request with these headers is JSON sent with the run's own credentials.

        A create a conforming server could accept is one of those whose body it could accept
        (`could_accept`); any other must be rejected by the contract, so it is always sent.
        """
        lowered = {name.lower(): value for name, value in headers.items()}
        if lowered.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return False
        token, authorization = lowered.get("x-auth-token"), lowered.get("authorization", "")
        access_key = self.credentials.access_key
        return bool(
            (token and token == self.credentials.token)
            or authorization == SIGN_PLACEHOLDER
            or (access_key and f"Access={access_key}," in authorization)
        )

    @staticmethod
    def could_accept(body: Any) -> bool:
        """Whether a conforming server could accept this parsed create body.

        That is, the spec's request schema accepts it and its tag keys are distinct (a rule JSON
        Schema cannot state).
        """
        return _request_validator().is_valid(body) and _tag_keys_distinct(body)

    @staticmethod
    def parse_body(body: bytes) -> Any:
        """The create body as JSON; None when it is no JSON, repeats a key or nests too deep to read."""
        try:
            return json.loads(body, object_pairs_hook=no_repeated_keys)
        except (ValueError, RecursionError):
            return None

    def body_faults(self, body: Any) -> frozenset[tuple[str, str]]:
        """Why a create body breaks the request rules: (JSON pointer, rule) pairs; empty if none."""
        faults = {
            ("/" + "/".join(map(str, error.absolute_path)), str(error.validator))
            for error in _request_validator().iter_errors(body)
        }
        if isinstance(body, dict) and not _tag_keys_distinct(body):
            faults.add(("/tags", "distinct keys"))
        return frozenset(faults)

    def spend_create_budget(self) -> None:
        """Count a create about to be sent; raise CreateBudgetExhausted when the budget is spent."""
        with self.lock:
            if self.creates_stopped:
                self.creates_refused += 1
                raise CreateBudgetExhausted(f"no more creates are sent: {self.creates_stopped}")
            if self.max_creates is not None and self.creates_sent >= self.max_creates:
                self.creates_refused += 1
                raise CreateBudgetExhausted(f"IMS_MAX_CREATES={self.max_creates} creates already sent")
            self.creates_sent += 1

    def creates_allowed(self, count: int = 1) -> bool:
        """Whether `count` more creates fit in the budget (without spending it), and creates still go out."""
        if self.creates_stopped:
            return False
        return self.max_creates is None or self.creates_sent + count <= self.max_creates

    def stop_creates(self, why: str) -> None:
        """Send no more creates that could be accepted: the target's jobs do not end as the contract says.

        Each would be a real import that never finishes (time, storage, a quota slot), and each
        test waiting for one would hold the run for a whole job window. The first reason stays.
        """
        with self.lock:
            self.creates_stopped = self.creates_stopped or why


def body_bytes(request: requests.PreparedRequest) -> bytes:
    """The request's body as bytes (the suite sends whole bodies, never streams)."""
    if request.body is None:
        return b""
    if isinstance(request.body, bytes):
        return request.body
    if isinstance(request.body, str):
        return request.body.encode("utf-8")
    raise TypeError("the contract suite sends whole bodies, not streams")


def text_headers(request: requests.PreparedRequest) -> dict[str, str]:
    """The request's headers as text."""
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


def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A json.loads object hook that refuses an object repeating a key (ValueError)."""
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a JSON object repeats a key")
    return dict(pairs)


def _tag_keys_distinct(body: dict[str, Any]) -> bool:
    keys = tag_keys(body)
    return len(keys) == len(set(keys))


CREDENTIAL_VARIABLES = (
    "IMS_AUTH_TOKEN",
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "IMS_PROJECT_ID",
)


def _credential(env: Mapping[str, str], name: str) -> str | None:
    """A credential variable's value; ValueError naming the variable (never the value) when it is unusable."""
    value = env.get(name) or None
    if value is not None and (value != value.strip() or any(ord(c) < 32 or ord(c) == 127 for c in value)):
        raise ValueError(
            f"{name} has surrounding whitespace or a control character (a pasted newline?): remove it;"
            " the value is not shown"
        )
    return value


def credentials_from_env(env: Mapping[str, str]) -> Credentials | None:
    """Credentials from IMS_AUTH_TOKEN or HUAWEICLOUD_SDK_AK/SK, or None when neither is set."""
    values = {name: _credential(env, name) for name in CREDENTIAL_VARIABLES}
    project = values["HUAWEICLOUD_SDK_PROJECT_ID"] or values["IMS_PROJECT_ID"] or ""
    token = values["IMS_AUTH_TOKEN"]
    access_key = values["HUAWEICLOUD_SDK_AK"]
    secret_key = values["HUAWEICLOUD_SDK_SK"]
    if not token and not (access_key and secret_key):
        return None
    if not project:
        raise ValueError("set HUAWEICLOUD_SDK_PROJECT_ID (or IMS_PROJECT_ID) with the credentials")
    return Credentials(project, token, access_key, secret_key, values["HUAWEICLOUD_SDK_SECURITY_TOKEN"])


def base_url_from_env(env: Mapping[str, str]) -> tuple[str, list[str]]:
    """IMS_BASE_URL without user info, and the user info it carried (secrets: never printed, never sent).

    ValueError when it is no http(s) URL with a host.
    """
    text = env.get("IMS_BASE_URL", "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError("IMS_BASE_URL is not a URL (its port is not a number)") from None
    userinfo = [value for raw in (parts.username, parts.password) if raw for value in (raw, unquote(raw))]
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("IMS_BASE_URL must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("IMS_BASE_URL has no host (an unset variable inside it?): e.g. https://ims.example.com")
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc, query="", fragment="")).rstrip("/"), userinfo


def max_creates_from_env(env: Mapping[str, str]) -> int:
    """IMS_MAX_CREATES as a non-negative integer (default 0)."""
    text = env.get("IMS_MAX_CREATES", "0").strip() or "0"
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ValueError(f"IMS_MAX_CREATES must be a whole number, not {text!r}")
    return int(text)
