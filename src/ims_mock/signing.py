"""AK/SK request signing, `SDK-HMAC-SHA256`, exactly as `auth.aksk` and the official SDK do it.

Written from the contract, not copied from the SDK: the mock's tests sign with the official
`huaweicloudsdkcore` signer and check that this module agrees byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_CLOCK_SKEW_SECONDS = 15 * 60

_AUTHORIZATION = re.compile(
    r"SDK-HMAC-SHA256\s+Access=(?P<access>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<sig>[0-9a-f]+)"
)


@dataclass(frozen=True)
class Authorization:
    """The parts of an `Authorization: SDK-HMAC-SHA256 ...` header."""

    access_key: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> Authorization | None:
    """Parse the Authorization header; None when it is not a well-formed SDK-HMAC-SHA256 value."""
    match = _AUTHORIZATION.fullmatch(value.strip())
    if match is None:
        return None
    return Authorization(match["access"], tuple(match["signed"].split(";")), match["sig"])


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Each segment of the (percent-decoded) path percent-encoded, always ending with `/`."""
    uri = "/".join(_encode(segment) for segment in path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """The raw query string's key/value pairs, percent-decoded (`+` is not a space here)."""
    pairs = []
    for part in raw_query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The pairs sorted as raw strings, then each side percent-encoded, joined by `&`."""
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs))


def canonical_request(
    method: str,
    path: str,
    pairs: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    body: bytes,
) -> str:
    """The canonical request; `headers` maps lowercased names to values."""
    names = list(signed_headers)
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in names)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(pairs),
            canonical_headers,
            ";".join(names),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """The algorithm, X-Sdk-Date and hex SHA-256 of the canonical request, one per line."""
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def signature(secret_key: str, to_sign: str) -> str:
    """hex(HMAC-SHA256(SK, string to sign))."""
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_sdk_date(value: str) -> datetime | None:
    """The X-Sdk-Date header as an aware UTC datetime; None when malformed."""
    try:
        return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def sign(
    *,
    access_key: str,
    secret_key: str,
    method: str,
    path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
) -> dict[str, str]:
    """Headers to add to a request so that it carries a valid signature (X-Sdk-Date, Authorization).

    `headers` are the request's other headers (Host, Content-Type, X-Project-Id, ...), all signed.
    """
    sdk_date = now.astimezone(UTC).strftime(DATE_FORMAT)
    lowered = {name.lower(): value for name, value in headers.items()}
    lowered["x-sdk-date"] = sdk_date
    names = sorted(lowered)
    canonical = canonical_request(method, path, query_pairs(raw_query), lowered, names, body)
    value = signature(secret_key, string_to_sign(canonical, sdk_date))
    return {
        "X-Sdk-Date": sdk_date,
        "Authorization": f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, Signature={value}",
    }
