from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gateway_error import GatewayError
from ...models.image_list import ImageList
from ...models.ims_error import ImsError
from ...models.list_images_imagetype import ListImagesImagetype
from ...models.list_images_virtual_env_type import ListImagesVirtualEnvType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
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

    json_virtual_env_type: str | Unset = UNSET
    if not isinstance(virtual_env_type, Unset):
        json_virtual_env_type = virtual_env_type

    params["virtual_env_type"] = json_virtual_env_type

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
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> Response[GatewayError | ImageList | ImsError]:
    """List images

     Lists the caller's images, newest first, filtered by the query. Use `name` (exact match) or
    `id` to find an image that a job created. Page with `limit` and `marker`, the last image ID
    of the previous page; an unknown marker is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
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
        virtual_env_type=virtual_env_type,
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
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> GatewayError | ImageList | ImsError | None:
    """List images

     Lists the caller's images, newest first, filtered by the query. Use `name` (exact match) or
    `id` to find an image that a job created. Page with `limit` and `marker`, the last image ID
    of the previous page; an unknown marker is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
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
        virtual_env_type=virtual_env_type,
        limit=limit,
        marker=marker,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name: str | Unset = UNSET,
    id: UUID | Unset = UNSET,
    field_imagetype: ListImagesImagetype | Unset = UNSET,
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> Response[GatewayError | ImageList | ImsError]:
    """List images

     Lists the caller's images, newest first, filtered by the query. Use `name` (exact match) or
    `id` to find an image that a job created. Page with `limit` and `marker`, the last image ID
    of the previous page; an unknown marker is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
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
        virtual_env_type=virtual_env_type,
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
    virtual_env_type: ListImagesVirtualEnvType | Unset = UNSET,
    limit: int | Unset = 500,
    marker: UUID | Unset = UNSET,
) -> GatewayError | ImageList | ImsError | None:
    """List images

     Lists the caller's images, newest first, filtered by the query. Use `name` (exact match) or
    `id` to find an image that a job created. Page with `limit` and `marker`, the last image ID
    of the previous page; an unknown marker is a `400`.

    Args:
        name (str | Unset):
        id (UUID | Unset):
        field_imagetype (ListImagesImagetype | Unset):
        virtual_env_type (ListImagesVirtualEnvType | Unset):
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
            virtual_env_type=virtual_env_type,
            limit=limit,
            marker=marker,
        )
    ).parsed
