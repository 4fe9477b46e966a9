"""Run the mock on a free 127.0.0.1 port in a background thread, for tests that need real HTTP."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from contract_tests.embedded import ims_mock, unused_port, wait_for_port
from ims_mock.cli import HTTP_IMPLEMENTATION
from ims_mock.config import MockConfig
from ims_mock.faults import build_app
from ims_mock.server import uvicorn_config
from ims_mock.settings import DEFAULT_PROJECT_ID, DEFAULT_TOKEN, default_credentials

TOKEN_HEADERS = {"X-Auth-Token": DEFAULT_TOKEN}
PROJECT_ID = DEFAULT_PROJECT_ID
START_TIMEOUT = 10.0
IMS_MOCK = str(Path(sys.executable).parent / "ims-mock")


def config(**overrides: Any) -> MockConfig:
    """A MockConfig with the default credentials, short jobs, and `overrides`."""
    return dataclasses.replace(MockConfig(credentials=default_credentials({}), job_seconds=0.05), **overrides)


@contextmanager
def serve(
    mock_config: MockConfig | None = None, clock: Callable[[], float] = time.time, faults: Iterable[str] = ()
) -> Iterator[str]:
    """Serve the mock (uvicorn, real sockets) with `faults` planted; yield its base URL; stop it afterwards."""
    mock_config = mock_config or config()
    app, _core = build_app(mock_config, faults, clock=clock)
    with serve_app(app, mock_config) as url:
        yield url


@contextmanager
def serve_app(app: Any, mock_config: MockConfig | None = None) -> Iterator[str]:
    """Serve any ASGI app with uvicorn on a free 127.0.0.1 port in a thread; yield its base URL.

    With `mock_config`, served as ims-mock serves it (the gateway protocol and its limits).
    """
    port = unused_port()
    if mock_config is not None:
        options = uvicorn_config(app, mock_config, "127.0.0.1", port, "error")
    else:
        options = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", http=HTTP_IMPLEMENTATION)
    server = uvicorn.Server(options)
    thread = threading.Thread(target=server.run, name=f"asgi-{port}", daemon=True)
    thread.start()
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)


@contextmanager
def serve_process(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, list[str]]]:
    """Run `ims-mock --port 0 ARGS` with only `env` as IMS_MOCK_*; yield its URL and output (complete after exit)."""
    with ims_mock(*args, env=env) as mock:
        yield mock.url, mock.output
