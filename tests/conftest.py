"""Fixtures shared by the tests: a running mock server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.servers import TOKEN_HEADERS, serve


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--drill-job-seconds`: the staging drill's job length (tests/test_contract_safety.py)."""
    parser.addoption(
        "--drill-job-seconds",
        type=float,
        default=None,
        help="run the contract suite's safety drill with jobs of this many seconds (make staging-drill: 30)",
    )


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
