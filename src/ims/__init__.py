"""`ims`: Huawei Cloud IMS data images from Python, over the generated `ims_client`.

import ims

with ims.Client.from_env() as client:  # IMS_BASE_URL, HUAWEICLOUD_SDK_AK/SK/PROJECT_ID
    job_id = client.create_data_image(name="disk-1", image_url="bucket:disk.qcow2", min_disk=40)
    job = client.wait_for_job(job_id)
    print(job.image_id)

Logging: the `ims` logger says one line per request and retry at DEBUG, and each retry and
throttling wait at INFO (method, path, status, request id: never a header, so never a secret).
`IMS_LOG=debug` (or `info`) in the environment prints them to stderr without any setup.
"""

import logging as _logging
import os as _os
from importlib import metadata as _metadata

from ims._async_client import AsyncClient
from ims._auth import AkSkAuth, TokenAuth
from ims._client import Client
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
from ims._plans import OsType, Retry
from ims._results import Answer, Image, Job

try:
    __version__ = _metadata.version("ims-toolkit")
except _metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "AccessKeyLocked",
    "AkSkAuth",
    "Answer",
    "AnswerLost",
    "ApiNotFound",
    "AsyncClient",
    "AuthenticationFailed",
    "Client",
    "ConfigurationError",
    "ConnectionFailed",
    "GatewayError",
    "Image",
    "ImageQuery",
    "ImsError",
    "Job",
    "JobFailed",
    "JobTimeout",
    "MalformedAnswer",
    "NotFound",
    "OsType",
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


def _log_from_env() -> None:
    """`IMS_LOG=debug|info|warning`: the `ims` logger prints to stderr at that level (unless configured already)."""
    level = _os.environ.get("IMS_LOG", "").strip().upper()
    logger = _logging.getLogger("ims")
    if level in ("DEBUG", "INFO", "WARNING", "ERROR") and not logger.handlers:
        handler = _logging.StreamHandler()
        handler.setFormatter(_logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)


_log_from_env()
