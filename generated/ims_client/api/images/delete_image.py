from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_image_request import DeleteImageRequest
from ...models.gateway_error import GatewayError
from ...models.ims_error import ImsError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    image_id: UUID,
    *,
    body: DeleteImageRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v2/images/{image_id}".format(
            image_id=quote(str(image_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | GatewayError | ImsError | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = ImsError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = GatewayError.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ImsError.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = GatewayError.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | GatewayError | ImsError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    image_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DeleteImageRequest | Unset = UNSET,
) -> Response[Any | GatewayError | ImsError]:
    """Delete an image

     Deletes one of the caller's images. An image that does not exist, or no longer does, is a
    `404`. The optional body says whether the backup an image was made from is deleted too.

    Args:
        image_id (UUID):
        body (DeleteImageRequest | Unset): Options for deleting an image.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | GatewayError | ImsError]
    """

    kwargs = _get_kwargs(
        image_id=image_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    image_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DeleteImageRequest | Unset = UNSET,
) -> Any | GatewayError | ImsError | None:
    """Delete an image

     Deletes one of the caller's images. An image that does not exist, or no longer does, is a
    `404`. The optional body says whether the backup an image was made from is deleted too.

    Args:
        image_id (UUID):
        body (DeleteImageRequest | Unset): Options for deleting an image.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | GatewayError | ImsError
    """

    return sync_detailed(
        image_id=image_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    image_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DeleteImageRequest | Unset = UNSET,
) -> Response[Any | GatewayError | ImsError]:
    """Delete an image

     Deletes one of the caller's images. An image that does not exist, or no longer does, is a
    `404`. The optional body says whether the backup an image was made from is deleted too.

    Args:
        image_id (UUID):
        body (DeleteImageRequest | Unset): Options for deleting an image.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | GatewayError | ImsError]
    """

    kwargs = _get_kwargs(
        image_id=image_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    image_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DeleteImageRequest | Unset = UNSET,
) -> Any | GatewayError | ImsError | None:
    """Delete an image

     Deletes one of the caller's images. An image that does not exist, or no longer does, is a
    `404`. The optional body says whether the backup an image was made from is deleted too.

    Args:
        image_id (UUID):
        body (DeleteImageRequest | Unset): Options for deleting an image.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | GatewayError | ImsError
    """

    return (
        await asyncio_detailed(
            image_id=image_id,
            client=client,
            body=body,
        )
    ).parsed


def build_request(
    image_id: UUID,
    *,
    body: DeleteImageRequest | Unset = UNSET,
) -> dict[str, Any]:
    """This operation's request as `httpx.Request` arguments (`method`, `url`, `params`, `json`, `headers`), unsent.

    For callers that send requests their own way (signing, retries, a transport of their own) and
    read the answer with `parse_response`.
    """
    return _get_kwargs(
        image_id=image_id,
        body=body,
    )


def parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | GatewayError | ImsError | None:
    """The answer to this operation's request, as its documented model (see `sync_detailed`)."""
    return _parse_response(client=client, response=response)
