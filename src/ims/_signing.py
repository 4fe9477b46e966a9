"""`SDK-HMAC-SHA256` request signing, as the official Huawei Cloud SDK (`huaweicloudsdkcore`) signs.

Written for the client, apart from the mock's verifier (`ims_mock/signing.py`) on purpose: the two
are checked against each other and against the SDK's own signer by the tests, byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """The path decoded, split on `/`, each segment percent-encoded with only `~` kept, ending in `/`.

    Decoded before it is split, as the SDK does: an encoded `%2F` separates segments too.
    """
    uri = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """The raw query's pairs, percent-decoded (`+` stays `+`, as the SDK and the service read it)."""
    pairs = []
    for part in raw_query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def signed(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    when: datetime,
) -> tuple[str, str]:
    """The `X-Sdk-Date` and `Authorization` values for a request; `headers` are the ones to sign.

    Every header in `headers` is signed (names lowercased, values trimmed), with `X-Sdk-Date`.
    """
    sdk_date = when.strftime(DATE_FORMAT)
    lowered = {name.lower(): value.strip() for name, value in headers.items()}
    lowered["x-sdk-date"] = sdk_date
    names = sorted(lowered)
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query_pairs(raw_query)))
    canonical = "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            query,
            "".join(f"{name}:{lowered[name]}\n" for name in names),
            ";".join(names),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    to_sign = f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
    signature = hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return sdk_date, f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, Signature={signature}"


def signed_names(names: Iterable[str]) -> list[str]:
    """The headers of a request that the client signs: Host, Content-Type, X-Project-Id, X-Security-Token."""
    return [name for name in names if name.lower() in ("host", "content-type", "x-project-id", "x-security-token")]
