"""Contains all the data models used in inputs/outputs"""

from .create_data_image_request import CreateDataImageRequest
from .create_data_image_request_os_type import CreateDataImageRequestOsType
from .create_data_image_response import CreateDataImageResponse
from .delete_image_request import DeleteImageRequest
from .gateway_error import GatewayError
from .image import Image
from .image_imagetype import ImageImagetype
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
from .list_images_architecture import ListImagesArchitecture
from .list_images_container_format import ListImagesContainerFormat
from .list_images_disk_format import ListImagesDiskFormat
from .list_images_imagetype import ListImagesImagetype
from .list_images_isregistered import ListImagesIsregistered
from .list_images_member_status import ListImagesMemberStatus
from .list_images_os_type import ListImagesOsType
from .list_images_platform import ListImagesPlatform
from .list_images_sort_dir import ListImagesSortDir
from .list_images_sort_key import ListImagesSortKey
from .list_images_status import ListImagesStatus
from .list_images_support_diskintensive import ListImagesSupportDiskintensive
from .list_images_support_highperformance import ListImagesSupportHighperformance
from .list_images_support_kvm import ListImagesSupportKvm
from .list_images_support_kvm_infiniband import ListImagesSupportKvmInfiniband
from .list_images_support_largememory import ListImagesSupportLargememory
from .list_images_support_xen import ListImagesSupportXen
from .list_images_support_xen_hana import ListImagesSupportXenHana
from .list_images_virtual_env_type import ListImagesVirtualEnvType
from .list_images_visibility import ListImagesVisibility
from .quota_resource import QuotaResource
from .sub_job_result import SubJobResult

__all__ = (
    "CreateDataImageRequest",
    "CreateDataImageRequestOsType",
    "CreateDataImageResponse",
    "DeleteImageRequest",
    "GatewayError",
    "Image",
    "ImageImagetype",
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
    "ListImagesArchitecture",
    "ListImagesContainerFormat",
    "ListImagesDiskFormat",
    "ListImagesImagetype",
    "ListImagesIsregistered",
    "ListImagesMemberStatus",
    "ListImagesOsType",
    "ListImagesPlatform",
    "ListImagesSortDir",
    "ListImagesSortKey",
    "ListImagesStatus",
    "ListImagesSupportDiskintensive",
    "ListImagesSupportHighperformance",
    "ListImagesSupportKvm",
    "ListImagesSupportKvmInfiniband",
    "ListImagesSupportLargememory",
    "ListImagesSupportXen",
    "ListImagesSupportXenHana",
    "ListImagesVirtualEnvType",
    "ListImagesVisibility",
    "QuotaResource",
    "SubJobResult",
)
