from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_data_image_request import CreateDataImageRequest
from ...models.create_data_image_response import CreateDataImageResponse
from ...models.gateway_error import GatewayError
from ...models.ims_error import ImsError
from ...types import Response


def _get_kwargs(
    *,
    body: CreateDataImageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2.1/cloudimages/dataimages/action",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateDataImageResponse | GatewayError | ImsError | None:
    if response.status_code == 200:
        response_200 = CreateDataImageResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ImsError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = GatewayError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ImsError.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = GatewayError.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = GatewayError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ImsError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = GatewayError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateDataImageResponse | GatewayError | ImsError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateDataImageRequest,
) -> Response[CreateDataImageResponse | GatewayError | ImsError]:
    """Create a data disk image from an image file in OBS (the documented "(New)" version)

     The same call as `createDataImage`, at the path Huawei's current pages point to (the SDK's
    `create_data_image_in_safe_mode`): the same body, the same rules, the same answer and the
    same job. Either path may be used; a client that can should prefer this one.

    Args:
        body (CreateDataImageRequest): The image to create. `name`, `image_url` and `min_disk` are
            required; no other property
            than those listed is allowed, no property may be `null`, and `tags` and `image_tags` must
            not both be sent (even empty). Tag keys must be unique within the list (not expressible in
            JSON Schema; servers answer `400 IMG.0115`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateDataImageResponse | GatewayError | ImsError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateDataImageRequest,
) -> CreateDataImageResponse | GatewayError | ImsError | None:
    """Create a data disk image from an image file in OBS (the documented "(New)" version)

     The same call as `createDataImage`, at the path Huawei's current pages point to (the SDK's
    `create_data_image_in_safe_mode`): the same body, the same rules, the same answer and the
    same job. Either path may be used; a client that can should prefer this one.

    Args:
        body (CreateDataImageRequest): The image to create. `name`, `image_url` and `min_disk` are
            required; no other property
            than those listed is allowed, no property may be `null`, and `tags` and `image_tags` must
            not both be sent (even empty). Tag keys must be unique within the list (not expressible in
            JSON Schema; servers answer `400 IMG.0115`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateDataImageResponse | GatewayError | ImsError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateDataImageRequest,
) -> Response[CreateDataImageResponse | GatewayError | ImsError]:
    """Create a data disk image from an image file in OBS (the documented "(New)" version)

     The same call as `createDataImage`, at the path Huawei's current pages point to (the SDK's
    `create_data_image_in_safe_mode`): the same body, the same rules, the same answer and the
    same job. Either path may be used; a client that can should prefer this one.

    Args:
        body (CreateDataImageRequest): The image to create. `name`, `image_url` and `min_disk` are
            required; no other property
            than those listed is allowed, no property may be `null`, and `tags` and `image_tags` must
            not both be sent (even empty). Tag keys must be unique within the list (not expressible in
            JSON Schema; servers answer `400 IMG.0115`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateDataImageResponse | GatewayError | ImsError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateDataImageRequest,
) -> CreateDataImageResponse | GatewayError | ImsError | None:
    """Create a data disk image from an image file in OBS (the documented "(New)" version)

     The same call as `createDataImage`, at the path Huawei's current pages point to (the SDK's
    `create_data_image_in_safe_mode`): the same body, the same rules, the same answer and the
    same job. Either path may be used; a client that can should prefer this one.

    Args:
        body (CreateDataImageRequest): The image to create. `name`, `image_url` and `min_disk` are
            required; no other property
            than those listed is allowed, no property may be `null`, and `tags` and `image_tags` must
            not both be sent (even empty). Tag keys must be unique within the list (not expressible in
            JSON Schema; servers answer `400 IMG.0115`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateDataImageResponse | GatewayError | ImsError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed


def build_request(
    *,
    body: CreateDataImageRequest,
) -> dict[str, Any]:
    """This operation's request as `httpx.Request` arguments (`method`, `url`, `params`, `json`, `headers`), unsent.

    For callers that send requests their own way (signing, retries, a transport of their own) and
    read the answer with `parse_response`.
    """
    return _get_kwargs(
        body=body,
    )


def parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateDataImageResponse | GatewayError | ImsError | None:
    """The answer to this operation's request, as its documented model (see `sync_detailed`)."""
    return _parse_response(client=client, response=response)
