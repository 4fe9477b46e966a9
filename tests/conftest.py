"""Fixtures shared by the tests: a running mock server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.servers import TOKEN_HEADERS, serve


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """The base URL of a mock with default settings, shared by one test module."""
    with serve() as url:
        yield url


@pytest.fixture
def client(mock_url: str) -> Iterator[httpx.Client]:
    """An httpx client for the module's mock, authenticated with the default token."""
    with httpx.Client(base_url=mock_url, headers=TOKEN_HEADERS, timeout=10) as http:
        yield http
