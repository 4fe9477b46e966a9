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


def sdk_signed_headers(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    access_key: str,
    secret_key: str,
    project_id: str,
    when: datetime | None = None,
) -> dict[str, str]:
    """The headers to send (the given ones plus Host, X-Project-Id, X-Sdk-Date, Authorization).

    `url` is the full URL; a base URL's path prefix is part of what is signed, as it is for the SDK.
    """
    parts = urlsplit(url)
    params: dict[str, str] = {"Host": parts.netloc, **headers, "X-Project-Id": project_id}
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
    Signer(BasicCredentials(access_key, secret_key, project_id)).sign(request)
    return {key: str(value) for key, value in request.header_params.items()}
