"""The official SDK's client (huaweicloudsdkims), set up for the mock: no retries, short timeouts."""

from __future__ import annotations

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkims.v2 import ImsClient

from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK


def sdk_client(url: str, sk: str = DEFAULT_SK) -> ImsClient:
    """An SDK client of the default project and AK, with `sk`, for the mock at `url`."""
    http = HttpConfig.get_default_config()
    http.retry_times = 0
    http.timeout = (5, 5)
    return (
        ImsClient.new_builder()
        .with_http_config(http)
        .with_credentials(BasicCredentials(DEFAULT_AK, sk, DEFAULT_PROJECT_ID))
        .with_endpoints([url])
        .build()
    )
