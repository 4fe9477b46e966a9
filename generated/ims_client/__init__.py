"""A client library for accessing Huawei Cloud IMS Data Image API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
