"""Run the mock on a free 127.0.0.1 port in a background thread, for tests that need real HTTP."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from contract_tests.embedded import read_ready_url
from ims_mock.app import MockConfig, create_app
from ims_mock.cli import HTTP_IMPLEMENTATION
from ims_mock.settings import DEFAULT_PROJECT_ID, DEFAULT_TOKEN, default_credentials

TOKEN_HEADERS = {"X-Auth-Token": DEFAULT_TOKEN}
PROJECT_ID = DEFAULT_PROJECT_ID
START_TIMEOUT = 10.0
IMS_MOCK = str(Path(sys.executable).parent / "ims-mock")


def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = START_TIMEOUT) -> None:
    """Return once 127.0.0.1:port accepts connections; raise TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


def config(**overrides: Any) -> MockConfig:
    """A MockConfig with the default credentials, short jobs, and `overrides`."""
    return dataclasses.replace(MockConfig(credentials=default_credentials({}), job_seconds=0.05), **overrides)


@contextmanager
def serve(mock_config: MockConfig | None = None, clock: Callable[[], float] = time.time) -> Iterator[str]:
    """Serve the mock (uvicorn, real sockets) and yield its base URL; stop it afterwards."""
    with serve_app(create_app(mock_config or config(), clock=clock)) as url:
        yield url


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve any ASGI app with uvicorn on a free 127.0.0.1 port in a thread; yield its base URL."""
    port = unused_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", http=HTTP_IMPLEMENTATION)
    )
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
    """Run `ims-mock --port 0 ARGS`; yield its URL (from the ready line) and, after exit, its output."""
    output: list[str] = []
    with subprocess.Popen(
        [IMS_MOCK, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    ) as process:
        try:
            yield read_ready_url(process, output), output
        finally:
            process.terminate()
            output.append(process.communicate(timeout=10)[0])
