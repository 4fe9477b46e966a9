"""`ims`: Huawei Cloud IMS data images from Python, over the generated `ims_client`.

import ims

with ims.Client.from_env() as client:  # IMS_BASE_URL, HUAWEICLOUD_SDK_AK/SK/PROJECT_ID
    job_id = client.create_data_image(name="disk-1", image_url="bucket:disk.qcow2", min_disk=40)
    job = client.wait_for_job(job_id)
    print(job.entities.image_id)
"""

from importlib import metadata as _metadata

from ims._auth import AkSkAuth, TokenAuth
from ims._client import AsyncClient, Client, Retry
from ims._errors import (
    AccessKeyLocked,
    AnswerLost,
    ApiNotFound,
    AuthenticationFailed,
    ConfigurationError,
    ConnectionFailed,
    GatewayError,
    ImsError,
    JobFailed,
    JobTimeout,
    MalformedAnswer,
    NotFound,
    QuotaExceeded,
    RequestInvalid,
    RequestTimedOut,
    ServiceError,
    Throttled,
    TooManyJobs,
)
from ims._hosts import is_loopback_host
from ims._listing import ImageQuery

try:
    __version__ = _metadata.version("ims-toolkit")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "AccessKeyLocked",
    "AkSkAuth",
    "AnswerLost",
    "ApiNotFound",
    "AsyncClient",
    "AuthenticationFailed",
    "Client",
    "ConfigurationError",
    "ConnectionFailed",
    "GatewayError",
    "ImageQuery",
    "ImsError",
    "JobFailed",
    "JobTimeout",
    "MalformedAnswer",
    "NotFound",
    "QuotaExceeded",
    "RequestInvalid",
    "RequestTimedOut",
    "Retry",
    "ServiceError",
    "Throttled",
    "TokenAuth",
    "TooManyJobs",
    "is_loopback_host",
]
