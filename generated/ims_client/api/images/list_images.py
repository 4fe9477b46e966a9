from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gateway_error import GatewayError
from ...models.image_list import ImageList
from ...models.ims_error import ImsError
from ...models.list_images_architecture import ListImagesArchitecture
from ...models.list_images_container_format import ListImagesContainerFormat
from ...models.list_images_disk_format import ListImagesDiskFormat
from ...models.list_images_imagetype import ListImagesImagetype
from ...models.list_images_isregistered import ListImagesIsregistered
from ...models.list_images_member_status import ListImagesMemberStatus
from ...models.list_images_os_type import ListImagesOsType
from ...models.list_images_platform import ListImagesPlatform
from ...models.list_images_sort_dir import ListImagesSortDir
from ...models.list_images_sort_key import ListImagesSortKey
from ...models.list_images_status import ListImagesStatus
from ...models.list_images_support_diskintensive import (
    ListImagesSupportDiskintensive,
)
from ...models.list_images_support_highperformance import (
    ListImagesSupportHighperformance,
)
from ...models.list_images_support_kvm import ListImagesSupportKvm
from ...models.list_images_support_kvm_infiniband import (
    ListImagesSupportKvmInfiniband,
)
from ...models.list_images_support_largememory import (
    ListImagesSupportLargememory,
)
from ...models.list_images_support_xen import ListImagesSupportXen
from ...models.list_images_support_xen_hana import ListImagesSupportXenHana
from ...models.list_images_virtual_env_type import ListImagesVirtualEnvType
from ...models.list_images_visibility import ListImagesVisibility
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["name"] = name

    json_id: str | Unset = UNSET
    if not isinstance(id, Unset):
        json_id = str(id)
    params["id"] = json_id

    json_field_imagetype: str | Unset = UNSET
    if not isinstance(field_imagetype, Unset):
        json_field_imagetype = field_imagetype

    params["__imagetype"] = json_field_imagetype

    json_field_isregistered: str | Unset = UNSET
    if not isinstance(field_isregistered, Unset):
        json_field_isregistered = field_isregistered

    params["__isregistered"] = json_field_isregistered

    params["__whole_image"] = field_whole_image

    params["__system__cmkid"] = field_system_cmkid

    params["protected"] = protected

    json_visibility: str | Unset = UNSET
    if not isinstance(visibility, Unset):
        json_visibility = visibility

    params["visibility"] = json_visibility

    params["owner"] = owner

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["flavor_id"] = flavor_id

    json_container_format: str | Unset = UNSET
    if not isinstance(container_format, Unset):
        json_container_format = container_format

    params["container_format"] = json_container_format

    json_disk_format: str | Unset = UNSET
    if not isinstance(disk_format, Unset):
        json_disk_format = disk_format

    params["disk_format"] = json_disk_format

    params["min_ram"] = min_ram

    params["min_disk"] = min_disk

    params["__os_bit"] = field_os_bit

    json_field_platform: str | Unset = UNSET
    if not isinstance(field_platform, Unset):
        json_field_platform = field_platform

    params["__platform"] = json_field_platform

    json_field_os_type: str | Unset = UNSET
    if not isinstance(field_os_type, Unset):
        json_field_os_type = field_os_type

    params["__os_type"] = json_field_os_type

    params["tag"] = tag

    json_member_status: str | Unset = UNSET
    if not isinstance(member_status, Unset):
        json_member_status = member_status

    params["member_status"] = json_member_status

    json_field_support_kvm: str | Unset = UNSET
    if not isinstance(field_support_kvm, Unset):
        json_field_support_kvm = field_support_kvm

    params["__support_kvm"] = json_field_support_kvm

    json_field_support_xen: str | Unset = UNSET
    if not isinstance(field_support_xen, Unset):
        json_field_support_xen = field_support_xen

    params["__support_xen"] = json_field_support_xen

    json_field_support_largememory: str | Unset = UNSET
    if not isinstance(field_support_largememory, Unset):
        json_field_support_largememory = field_support_largememory

    params["__support_largememory"] = json_field_support_largememory

    json_field_support_diskintensive: str | Unset = UNSET
    if not isinstance(field_support_diskintensive, Unset):
        json_field_support_diskintensive = field_support_diskintensive

    params["__support_diskintensive"] = json_field_support_diskintensive

    json_field_support_highperformance: str | Unset = UNSET
    if not isinstance(field_support_highperformance, Unset):
        json_field_support_highperformance = field_support_highperformance

    params["__support_highperformance"] = json_field_support_highperformance

    json_field_support_xen_hana: str | Unset = UNSET
    if not isinstance(field_support_xen_hana, Unset):
        json_field_support_xen_hana = field_support_xen_hana

    params["__support_xen_hana"] = json_field_support_xen_hana

    json_field_support_kvm_infiniband: str | Unset = UNSET
    if not isinstance(field_support_kvm_infiniband, Unset):
        json_field_support_kvm_infiniband = field_support_kvm_infiniband

    params["__support_kvm_infiniband"] = json_field_support_kvm_infiniband

    params["__support_xen_gpu_type"] = field_support_xen_gpu_type

    params["__support_kvm_gpu_type"] = field_support_kvm_gpu_type

    json_virtual_env_type: str | Unset = UNSET
    if not isinstance(virtual_env_type, Unset):
        json_virtual_env_type = virtual_env_type

    params["virtual_env_type"] = json_virtual_env_type

    params["enterprise_project_id"] = enterprise_project_id

    params["created_at"] = created_at

    params["updated_at"] = updated_at

    json_architecture: str | Unset = UNSET
    if not isinstance(architecture, Unset):
        json_architecture = architecture

    params["architecture"] = json_architecture

    json_sort_key: str | Unset = UNSET
    if not isinstance(sort_key, Unset):
        json_sort_key = sort_key

    params["sort_key"] = json_sort_key

    json_sort_dir: str | Unset = UNSET
    if not isinstance(sort_dir, Unset):
        json_sort_dir = sort_dir

    params["sort_dir"] = json_sort_dir

    params["limit"] = limit

    json_marker: str | Unset = UNSET
    if not isinstance(marker, Unset):
        json_marker = str(marker)
    params["marker"] = json_marker

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/cloudimages",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GatewayError | ImageList | ImsError | None:
    if response.status_code == 200:
        response_200 = ImageList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ImsError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = GatewayError.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = GatewayError.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GatewayError | ImageList | ImsError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> Response[GatewayError | ImageList | ImsError]:
    """List images

     Lists the images the caller can see, filtered and sorted by the query: its own images and
    the region's public images (`__imagetype=gold`, owned by another project, protected). Every
    parameter Huawei documents is taken, and honoured: a filter keeps the images whose field of
    the same name holds the value (`tag` as `key=value`; `created_at`/`updated_at` with an
    operator), `sort_key` and `sort_dir` order the list (newest first by default), and `limit`
    and `marker` (the last image ID of the previous page) page it in that order. A value
    outside a parameter's documented set, a malformed time, an unknown marker, or a parameter
    that is not documented is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        field_isregistered (ListImagesIsregistered | Unset):
        field_whole_image (bool | Unset):
        field_system_cmkid (str | Unset):
        protected (bool | Unset):
        visibility (ListImagesVisibility | Unset):
        owner (str | Unset):
        status (ListImagesStatus | Unset):
        flavor_id (str | Unset):
        container_format (ListImagesContainerFormat | Unset):
        disk_format (ListImagesDiskFormat | Unset):
        min_ram (int | Unset):
        min_disk (int | Unset):
        field_os_bit (str | Unset):
        field_platform (ListImagesPlatform | Unset):
        field_os_type (ListImagesOsType | Unset):
        tag (str | Unset):
        member_status (ListImagesMemberStatus | Unset):
        field_support_kvm (ListImagesSupportKvm | Unset):
        field_support_xen (ListImagesSupportXen | Unset):
        field_support_largememory (ListImagesSupportLargememory | Unset):
        field_support_diskintensive (ListImagesSupportDiskintensive | Unset):
        field_support_highperformance (ListImagesSupportHighperformance | Unset):
        field_support_xen_hana (ListImagesSupportXenHana | Unset):
        field_support_kvm_infiniband (ListImagesSupportKvmInfiniband | Unset):
        field_support_xen_gpu_type (str | Unset):
        field_support_kvm_gpu_type (str | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
        enterprise_project_id (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
        architecture (ListImagesArchitecture | Unset):
        sort_key (ListImagesSortKey | Unset):
        sort_dir (ListImagesSortDir | Unset):
        limit (int | Unset):  Default: 500.
        marker (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatewayError | ImageList | ImsError]
    """

    kwargs = _get_kwargs(
        name=name,
        id=id,
        field_imagetype=field_imagetype,
        field_isregistered=field_isregistered,
        field_whole_image=field_whole_image,
        field_system_cmkid=field_system_cmkid,
        protected=protected,
        visibility=visibility,
        owner=owner,
        status=status,
        flavor_id=flavor_id,
        container_format=container_format,
        disk_format=disk_format,
        min_ram=min_ram,
        min_disk=min_disk,
        field_os_bit=field_os_bit,
        field_platform=field_platform,
        field_os_type=field_os_type,
        tag=tag,
        member_status=member_status,
        field_support_kvm=field_support_kvm,
        field_support_xen=field_support_xen,
        field_support_largememory=field_support_largememory,
        field_support_diskintensive=field_support_diskintensive,
        field_support_highperformance=field_support_highperformance,
        field_support_xen_hana=field_support_xen_hana,
        field_support_kvm_infiniband=field_support_kvm_infiniband,
        field_support_xen_gpu_type=field_support_xen_gpu_type,
        field_support_kvm_gpu_type=field_support_kvm_gpu_type,
        virtual_env_type=virtual_env_type,
        enterprise_project_id=enterprise_project_id,
        created_at=created_at,
        updated_at=updated_at,
        architecture=architecture,
        sort_key=sort_key,
        sort_dir=sort_dir,
        limit=limit,
        marker=marker,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> GatewayError | ImageList | ImsError | None:
    """List images

     Lists the images the caller can see, filtered and sorted by the query: its own images and
    the region's public images (`__imagetype=gold`, owned by another project, protected). Every
    parameter Huawei documents is taken, and honoured: a filter keeps the images whose field of
    the same name holds the value (`tag` as `key=value`; `created_at`/`updated_at` with an
    operator), `sort_key` and `sort_dir` order the list (newest first by default), and `limit`
    and `marker` (the last image ID of the previous page) page it in that order. A value
    outside a parameter's documented set, a malformed time, an unknown marker, or a parameter
    that is not documented is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        field_isregistered (ListImagesIsregistered | Unset):
        field_whole_image (bool | Unset):
        field_system_cmkid (str | Unset):
        protected (bool | Unset):
        visibility (ListImagesVisibility | Unset):
        owner (str | Unset):
        status (ListImagesStatus | Unset):
        flavor_id (str | Unset):
        container_format (ListImagesContainerFormat | Unset):
        disk_format (ListImagesDiskFormat | Unset):
        min_ram (int | Unset):
        min_disk (int | Unset):
        field_os_bit (str | Unset):
        field_platform (ListImagesPlatform | Unset):
        field_os_type (ListImagesOsType | Unset):
        tag (str | Unset):
        member_status (ListImagesMemberStatus | Unset):
        field_support_kvm (ListImagesSupportKvm | Unset):
        field_support_xen (ListImagesSupportXen | Unset):
        field_support_largememory (ListImagesSupportLargememory | Unset):
        field_support_diskintensive (ListImagesSupportDiskintensive | Unset):
        field_support_highperformance (ListImagesSupportHighperformance | Unset):
        field_support_xen_hana (ListImagesSupportXenHana | Unset):
        field_support_kvm_infiniband (ListImagesSupportKvmInfiniband | Unset):
        field_support_xen_gpu_type (str | Unset):
        field_support_kvm_gpu_type (str | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
        enterprise_project_id (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
        architecture (ListImagesArchitecture | Unset):
        sort_key (ListImagesSortKey | Unset):
        sort_dir (ListImagesSortDir | Unset):
        limit (int | Unset):  Default: 500.
        marker (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatewayError | ImageList | ImsError
    """

    return sync_detailed(
        client=client,
        name=name,
        id=id,
        field_imagetype=field_imagetype,
        field_isregistered=field_isregistered,
        field_whole_image=field_whole_image,
        field_system_cmkid=field_system_cmkid,
        protected=protected,
        visibility=visibility,
        owner=owner,
        status=status,
        flavor_id=flavor_id,
        container_format=container_format,
        disk_format=disk_format,
        min_ram=min_ram,
        min_disk=min_disk,
        field_os_bit=field_os_bit,
        field_platform=field_platform,
        field_os_type=field_os_type,
        tag=tag,
        member_status=member_status,
        field_support_kvm=field_support_kvm,
        field_support_xen=field_support_xen,
        field_support_largememory=field_support_largememory,
        field_support_diskintensive=field_support_diskintensive,
        field_support_highperformance=field_support_highperformance,
        field_support_xen_hana=field_support_xen_hana,
        field_support_kvm_infiniband=field_support_kvm_infiniband,
        field_support_xen_gpu_type=field_support_xen_gpu_type,
        field_support_kvm_gpu_type=field_support_kvm_gpu_type,
        virtual_env_type=virtual_env_type,
        enterprise_project_id=enterprise_project_id,
        created_at=created_at,
        updated_at=updated_at,
        architecture=architecture,
        sort_key=sort_key,
        sort_dir=sort_dir,
        limit=limit,
        marker=marker,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> Response[GatewayError | ImageList | ImsError]:
    """List images

     Lists the images the caller can see, filtered and sorted by the query: its own images and
    the region's public images (`__imagetype=gold`, owned by another project, protected). Every
    parameter Huawei documents is taken, and honoured: a filter keeps the images whose field of
    the same name holds the value (`tag` as `key=value`; `created_at`/`updated_at` with an
    operator), `sort_key` and `sort_dir` order the list (newest first by default), and `limit`
    and `marker` (the last image ID of the previous page) page it in that order. A value
    outside a parameter's documented set, a malformed time, an unknown marker, or a parameter
    that is not documented is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        field_isregistered (ListImagesIsregistered | Unset):
        field_whole_image (bool | Unset):
        field_system_cmkid (str | Unset):
        protected (bool | Unset):
        visibility (ListImagesVisibility | Unset):
        owner (str | Unset):
        status (ListImagesStatus | Unset):
        flavor_id (str | Unset):
        container_format (ListImagesContainerFormat | Unset):
        disk_format (ListImagesDiskFormat | Unset):
        min_ram (int | Unset):
        min_disk (int | Unset):
        field_os_bit (str | Unset):
        field_platform (ListImagesPlatform | Unset):
        field_os_type (ListImagesOsType | Unset):
        tag (str | Unset):
        member_status (ListImagesMemberStatus | Unset):
        field_support_kvm (ListImagesSupportKvm | Unset):
        field_support_xen (ListImagesSupportXen | Unset):
        field_support_largememory (ListImagesSupportLargememory | Unset):
        field_support_diskintensive (ListImagesSupportDiskintensive | Unset):
        field_support_highperformance (ListImagesSupportHighperformance | Unset):
        field_support_xen_hana (ListImagesSupportXenHana | Unset):
        field_support_kvm_infiniband (ListImagesSupportKvmInfiniband | Unset):
        field_support_xen_gpu_type (str | Unset):
        field_support_kvm_gpu_type (str | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
        enterprise_project_id (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
        architecture (ListImagesArchitecture | Unset):
        sort_key (ListImagesSortKey | Unset):
        sort_dir (ListImagesSortDir | Unset):
        limit (int | Unset):  Default: 500.
        marker (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatewayError | ImageList | ImsError]
    """

    kwargs = _get_kwargs(
        name=name,
        id=id,
        field_imagetype=field_imagetype,
        field_isregistered=field_isregistered,
        field_whole_image=field_whole_image,
        field_system_cmkid=field_system_cmkid,
        protected=protected,
        visibility=visibility,
        owner=owner,
        status=status,
        flavor_id=flavor_id,
        container_format=container_format,
        disk_format=disk_format,
        min_ram=min_ram,
        min_disk=min_disk,
        field_os_bit=field_os_bit,
        field_platform=field_platform,
        field_os_type=field_os_type,
        tag=tag,
        member_status=member_status,
        field_support_kvm=field_support_kvm,
        field_support_xen=field_support_xen,
        field_support_largememory=field_support_largememory,
        field_support_diskintensive=field_support_diskintensive,
        field_support_highperformance=field_support_highperformance,
        field_support_xen_hana=field_support_xen_hana,
        field_support_kvm_infiniband=field_support_kvm_infiniband,
        field_support_xen_gpu_type=field_support_xen_gpu_type,
        field_support_kvm_gpu_type=field_support_kvm_gpu_type,
        virtual_env_type=virtual_env_type,
        enterprise_project_id=enterprise_project_id,
        created_at=created_at,
        updated_at=updated_at,
        architecture=architecture,
        sort_key=sort_key,
        sort_dir=sort_dir,
        limit=limit,
        marker=marker,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> GatewayError | ImageList | ImsError | None:
    """List images

     Lists the images the caller can see, filtered and sorted by the query: its own images and
    the region's public images (`__imagetype=gold`, owned by another project, protected). Every
    parameter Huawei documents is taken, and honoured: a filter keeps the images whose field of
    the same name holds the value (`tag` as `key=value`; `created_at`/`updated_at` with an
    operator), `sort_key` and `sort_dir` order the list (newest first by default), and `limit`
    and `marker` (the last image ID of the previous page) page it in that order. A value
    outside a parameter's documented set, a malformed time, an unknown marker, or a parameter
    that is not documented is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        field_isregistered (ListImagesIsregistered | Unset):
        field_whole_image (bool | Unset):
        field_system_cmkid (str | Unset):
        protected (bool | Unset):
        visibility (ListImagesVisibility | Unset):
        owner (str | Unset):
        status (ListImagesStatus | Unset):
        flavor_id (str | Unset):
        container_format (ListImagesContainerFormat | Unset):
        disk_format (ListImagesDiskFormat | Unset):
        min_ram (int | Unset):
        min_disk (int | Unset):
        field_os_bit (str | Unset):
        field_platform (ListImagesPlatform | Unset):
        field_os_type (ListImagesOsType | Unset):
        tag (str | Unset):
        member_status (ListImagesMemberStatus | Unset):
        field_support_kvm (ListImagesSupportKvm | Unset):
        field_support_xen (ListImagesSupportXen | Unset):
        field_support_largememory (ListImagesSupportLargememory | Unset):
        field_support_diskintensive (ListImagesSupportDiskintensive | Unset):
        field_support_highperformance (ListImagesSupportHighperformance | Unset):
        field_support_xen_hana (ListImagesSupportXenHana | Unset):
        field_support_kvm_infiniband (ListImagesSupportKvmInfiniband | Unset):
        field_support_xen_gpu_type (str | Unset):
        field_support_kvm_gpu_type (str | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
        enterprise_project_id (str | Unset):
        created_at (str | Unset):
        updated_at (str | Unset):
        architecture (ListImagesArchitecture | Unset):
        sort_key (ListImagesSortKey | Unset):
        sort_dir (ListImagesSortDir | Unset):
        limit (int | Unset):  Default: 500.
        marker (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatewayError | ImageList | ImsError
    """

    return (
        await asyncio_detailed(
            client=client,
            name=name,
            id=id,
            field_imagetype=field_imagetype,
            field_isregistered=field_isregistered,
            field_whole_image=field_whole_image,
            field_system_cmkid=field_system_cmkid,
            protected=protected,
            visibility=visibility,
            owner=owner,
            status=status,
            flavor_id=flavor_id,
            container_format=container_format,
            disk_format=disk_format,
            min_ram=min_ram,
            min_disk=min_disk,
            field_os_bit=field_os_bit,
            field_platform=field_platform,
            field_os_type=field_os_type,
            tag=tag,
            member_status=member_status,
            field_support_kvm=field_support_kvm,
            field_support_xen=field_support_xen,
            field_support_largememory=field_support_largememory,
            field_support_diskintensive=field_support_diskintensive,
            field_support_highperformance=field_support_highperformance,
            field_support_xen_hana=field_support_xen_hana,
            field_support_kvm_infiniband=field_support_kvm_infiniband,
            field_support_xen_gpu_type=field_support_xen_gpu_type,
            field_support_kvm_gpu_type=field_support_kvm_gpu_type,
            virtual_env_type=virtual_env_type,
            enterprise_project_id=enterprise_project_id,
            created_at=created_at,
            updated_at=updated_at,
            architecture=architecture,
            sort_key=sort_key,
            sort_dir=sort_dir,
            limit=limit,
            marker=marker,
        )
    ).parsed


def build_request(
    *,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    field_isregistered: ListImagesIsregistered | Unset = UNSET,
    field_whole_image: bool | Unset = UNSET,
    field_system_cmkid: str | Unset = UNSET,
    protected: bool | Unset = UNSET,
    visibility: ListImagesVisibility | Unset = UNSET,
    owner: str | Unset = UNSET,
    status: ListImagesStatus | Unset = UNSET,
    flavor_id: str | Unset = UNSET,
    container_format: ListImagesContainerFormat | Unset = UNSET,
    disk_format: ListImagesDiskFormat | Unset = UNSET,
    min_ram: int | Unset = UNSET,
    min_disk: int | Unset = UNSET,
    field_os_bit: str | Unset = UNSET,
    field_platform: ListImagesPlatform | Unset = UNSET,
    field_os_type: ListImagesOsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    member_status: ListImagesMemberStatus | Unset = UNSET,
    field_support_kvm: ListImagesSupportKvm | Unset = UNSET,
    field_support_xen: ListImagesSupportXen | Unset = UNSET,
    field_support_largememory: ListImagesSupportLargememory | Unset = UNSET,
    field_support_diskintensive: ListImagesSupportDiskintensive | Unset = UNSET,
    field_support_highperformance: ListImagesSupportHighperformance | Unset = UNSET,
    field_support_xen_hana: ListImagesSupportXenHana | Unset = UNSET,
    field_support_kvm_infiniband: ListImagesSupportKvmInfiniband | Unset = UNSET,
    field_support_xen_gpu_type: str | Unset = UNSET,
    field_support_kvm_gpu_type: str | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    enterprise_project_id: str | Unset = UNSET,
    created_at: str | Unset = UNSET,
    updated_at: str | Unset = UNSET,
    architecture: ListImagesArchitecture | Unset = UNSET,
    sort_key: ListImagesSortKey | Unset = UNSET,
    sort_dir: ListImagesSortDir | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> dict[str, Any]:
    """This operation's request as `httpx.Request` arguments (`method`, `url`, `params`, `json`, `headers`), unsent.

    For callers that send requests their own way (signing, retries, a transport of their own) and
    read the answer with `parse_response`.
    """
    return _get_kwargs(
        name=name,
        id=id,
        field_imagetype=field_imagetype,
        field_isregistered=field_isregistered,
        field_whole_image=field_whole_image,
        field_system_cmkid=field_system_cmkid,
        protected=protected,
        visibility=visibility,
        owner=owner,
        status=status,
        flavor_id=flavor_id,
        container_format=container_format,
        disk_format=disk_format,
        min_ram=min_ram,
        min_disk=min_disk,
        field_os_bit=field_os_bit,
        field_platform=field_platform,
        field_os_type=field_os_type,
        tag=tag,
        member_status=member_status,
        field_support_kvm=field_support_kvm,
        field_support_xen=field_support_xen,
        field_support_largememory=field_support_largememory,
        field_support_diskintensive=field_support_diskintensive,
        field_support_highperformance=field_support_highperformance,
        field_support_xen_hana=field_support_xen_hana,
        field_support_kvm_infiniband=field_support_kvm_infiniband,
        field_support_xen_gpu_type=field_support_xen_gpu_type,
        field_support_kvm_gpu_type=field_support_kvm_gpu_type,
        virtual_env_type=virtual_env_type,
        enterprise_project_id=enterprise_project_id,
        created_at=created_at,
        updated_at=updated_at,
        architecture=architecture,
        sort_key=sort_key,
        sort_dir=sort_dir,
        limit=limit,
        marker=marker,
    )


def parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GatewayError | ImageList | ImsError | None:
    """The answer to this operation's request, as its documented model (see `sync_detailed`)."""
    return _parse_response(client=client, response=response)
