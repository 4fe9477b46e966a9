from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gateway_error import GatewayError
from ...models.ims_error import ImsError
from ...models.job import Job
from ...types import Response


def _get_kwargs(
    project_id: str,
    job_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/{project_id}/jobs/{job_id}".format(
            project_id=quote(str(project_id), safe=""),
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GatewayError | ImsError | Job | None:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())

        return response_200

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
) -> Response[GatewayError | ImsError | Job]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[GatewayError | ImsError | Job]:
    """Query an asynchronous job (older form)

     Returns the state of an asynchronous job of the caller's project. Huawei marks this call
    deprecated in favour of `showJobProgress`, but the official SDK still offers it as
    `show_job`. A job of another project is answered with `404`, exactly as an unknown one.

    Args:
        project_id (str):
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatewayError | ImsError | Job]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> GatewayError | ImsError | Job | None:
    """Query an asynchronous job (older form)

     Returns the state of an asynchronous job of the caller's project. Huawei marks this call
    deprecated in favour of `showJobProgress`, but the official SDK still offers it as
    `show_job`. A job of another project is answered with `404`, exactly as an unknown one.

    Args:
        project_id (str):
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatewayError | ImsError | Job
    """

    return sync_detailed(
        project_id=project_id,
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[GatewayError | ImsError | Job]:
    """Query an asynchronous job (older form)

     Returns the state of an asynchronous job of the caller's project. Huawei marks this call
    deprecated in favour of `showJobProgress`, but the official SDK still offers it as
    `show_job`. A job of another project is answered with `404`, exactly as an unknown one.

    Args:
        project_id (str):
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatewayError | ImsError | Job]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> GatewayError | ImsError | Job | None:
    """Query an asynchronous job (older form)

     Returns the state of an asynchronous job of the caller's project. Huawei marks this call
    deprecated in favour of `showJobProgress`, but the official SDK still offers it as
    `show_job`. A job of another project is answered with `404`, exactly as an unknown one.

    Args:
        project_id (str):
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatewayError | ImsError | Job
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            job_id=job_id,
            client=client,
        )
    ).parsed


def build_request(
    project_id: str,
    job_id: str,
) -> dict[str, Any]:
    """This operation's request as `httpx.Request` arguments (`method`, `url`, `params`, `json`, `headers`), unsent.

    For callers that send requests their own way (signing, retries, a transport of their own) and
    read the answer with `parse_response`.
    """
    return _get_kwargs(
        project_id=project_id,
        job_id=job_id,
    )


def parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GatewayError | ImsError | Job | None:
    """The answer to this operation's request, as its documented model (see `sync_detailed`)."""
    return _parse_response(client=client, response=response)
