"""AK/SK signing of outgoing requests with the official Huawei Cloud SDK's own signer.

The contract suite signs with `huaweicloudsdkcore` rather than with code of this project, so a
server is checked against what real SDK users send.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

DATE_FORMAT = "%Y%m%dT%H%M%SZ"


class _HostlessSigner(Signer):  # type: ignore[misc]  # the SDK ships no type information
    """The SDK's signer, except that it does not add and sign Host (the HTTP client still sends it)."""

    @classmethod
    def _process_header_host(cls, request: SdkRequest) -> None:
        return None


def sdk_signed_headers(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    project_id: str | None,
    when: datetime | None = None,
    security_token: str | None = None,
    sign_host: bool = True,
) -> dict[str, str]:
    """The headers to send (the given ones plus Host, X-Project-Id, X-Sdk-Date, Authorization).

    `url` is the full URL; a base URL's path prefix is part of what is signed, as it is for the SDK.
    `project_id` None sends no X-Project-Id (Huawei makes it optional); temporary credentials add
    their `security_token` as X-Security-Token, signed, as the SDK does. `sign_host` False leaves
    Host out of what is signed (the HTTP client still sends it): a signature Huawei's gateway refuses.
    """
    parts = urlsplit(url)
    params: dict[str, str] = {"Host": parts.netloc, **headers} if sign_host else dict(headers)
    if project_id is not None:
        params["X-Project-Id"] = project_id
    if security_token is not None:
        params["X-Security-Token"] = security_token
    params["X-Sdk-Date"] = (when or datetime.now(UTC)).astimezone(UTC).strftime(DATE_FORMAT)
    request = SdkRequest(
        method=method.upper(),
        schema=parts.scheme,
        host=parts.netloc,
        resource_path=parts.path or "/",
        query_params=parse_qsl(parts.query, keep_blank_values=True),
        header_params=params,
        body=body,
    )
    signer = Signer if sign_host else _HostlessSigner
    signer(BasicCredentials(access_key, secret_key, project_id or "")).sign(request)
    return {key: str(value) for key, value in request.header_params.items()}
