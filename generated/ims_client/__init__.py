"""A client library for accessing Huawei Cloud IMS Data Image API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

__version__ = "2.1.1"  # info.version of the spec it was generated from
