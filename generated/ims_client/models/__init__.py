"""Contains all the data models used in inputs/outputs"""

from .create_data_image_request import CreateDataImageRequest
from .create_data_image_request_os_type import CreateDataImageRequestOsType
from .create_data_image_response import CreateDataImageResponse
from .delete_image_request import DeleteImageRequest
from .gateway_error import GatewayError
from .image import Image
from .image_list import ImageList
from .image_quota import ImageQuota
from .image_quota_quotas import ImageQuotaQuotas
from .image_status import ImageStatus
from .image_tag import ImageTag
from .image_visibility import ImageVisibility
from .ims_error import ImsError
from .ims_error_detail import ImsErrorDetail
from .job import Job
from .job_entities import JobEntities
from .job_entities_result import JobEntitiesResult
from .job_progress import JobProgress
from .job_progress_entities import JobProgressEntities
from .job_status import JobStatus
from .list_images_imagetype import ListImagesImagetype
from .list_images_virtual_env_type import ListImagesVirtualEnvType
from .quota_resource import QuotaResource
from .sub_job_result import SubJobResult

__all__ = (
    "CreateDataImageRequest",
    "CreateDataImageRequestOsType",
    "CreateDataImageResponse",
    "DeleteImageRequest",
    "GatewayError",
    "Image",
    "ImageList",
    "ImageQuota",
    "ImageQuotaQuotas",
    "ImageStatus",
    "ImageTag",
    "ImageVisibility",
    "ImsError",
    "ImsErrorDetail",
    "Job",
    "JobEntities",
    "JobEntitiesResult",
    "JobProgress",
    "JobProgressEntities",
    "JobStatus",
    "ListImagesImagetype",
    "ListImagesVirtualEnvType",
    "QuotaResource",
    "SubJobResult",
)
