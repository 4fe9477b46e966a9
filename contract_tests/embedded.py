"""The embedded target: the project's mock, started as a process on a free 127.0.0.1 port.

The suite knows the mock only as a command line (`ims-mock`), exactly as a user would start it:
fresh random credentials are handed to it through its documented environment variables. The
launcher here (`ims_mock`) is the only one in the project: tests and benchmarks use it too.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from contract_tests.target import Credentials

READY = re.compile(r"ready on (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class MockProcess:
    """A running `ims-mock`: its base URL and the lines it has printed (the rest arrive after it stops)."""

    url: str
    output: list[str]
    process: subprocess.Popen[str]


@contextmanager
def ims_mock(*args: str, env: Mapping[str, str] | None = None, host: str = "127.0.0.1") -> Iterator[MockProcess]:
    """Start `ims-mock --host HOST --port 0 ARGS` and yield it once it is ready; stop it afterwards.

    The one launcher of the mock, used by the suite, the tests and the benchmarks. The mock's
    environment is this process's without any IMS_MOCK_* variable, plus `env`: what the caller
    passes is what the mock gets. The mock ends with this process, even when it is killed.
    """
    base = {key: value for key, value in os.environ.items() if not key.startswith("IMS_MOCK_")}
    command = [str(Path(sys.executable).parent / "ims-mock"), "--host", host, "--port", "0", *args]
    output: list[str] = []
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**base, **(env or {})},
        preexec_fn=_die_with_parent,
    ) as process:
        try:
            yield MockProcess(read_ready_url(process, output), output, process)
        finally:
            process.terminate()
            try:
                output.append(process.communicate(timeout=10)[0])
            except subprocess.TimeoutExpired:
                process.kill()
                output.append(process.communicate()[0])


@contextmanager
def embedded_mock(job_seconds: float = 0.2, faults: str | None = None) -> Iterator[tuple[str, Credentials]]:
    """Start `ims-mock` with fresh random credentials; yield its base URL and those credentials.

    Faults to plant come from `faults` or else IMS_MOCK_FAULTS in the environment, which is how
    the kill matrix plants them.
    """
    credentials = Credentials(
        project_id=secrets.token_hex(16),
        token=secrets.token_urlsafe(24),
        access_key="CT" + secrets.token_hex(9).upper(),
        secret_key=secrets.token_urlsafe(30),
        temporary=("CTSTS" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30), secrets.token_urlsafe(48)),
    )
    assert credentials.temporary is not None
    env = {
        "IMS_MOCK_PROJECT_ID": credentials.project_id,
        "IMS_MOCK_TOKEN": credentials.token or "",
        "IMS_MOCK_AK": credentials.access_key or "",
        "IMS_MOCK_SK": credentials.secret_key or "",
        "IMS_MOCK_TEMPORARY_KEYS": ":".join((credentials.project_id, *credentials.temporary)),
        "IMS_MOCK_FAULTS": os.environ.get("IMS_MOCK_FAULTS", "") if faults is None else faults,
    }
    with ims_mock("--job-seconds", str(job_seconds), env=env) as mock:
        yield mock.url, credentials


def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for servers that cannot take port 0)."""
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


def _die_with_parent() -> None:
    """In the mock's process: ask Linux to end it when the suite dies (even by SIGKILL).

    A run killed outright must not leave its mock listening. Elsewhere this is a no-op.
    """
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def read_ready_url(process: subprocess.Popen[str], lines: list[str], timeout: float = START_TIMEOUT) -> str:
    """Read `ims-mock`'s output into `lines` until its ready line; return the URL it names.

    Reads the pipe's descriptor directly with select(), so the wait is bounded even when the mock
    hangs before printing, and no line sits unseen in a buffer. Raises RuntimeError on timeout or
    when the mock exits first.
    """
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    pending = b""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0 and select.select([descriptor], [], [], remaining)[0]:
        chunk = os.read(descriptor, 65536)
        if not chunk:
            break
        *complete, pending = (pending + chunk).split(b"\n")
        for raw in complete:
            lines.append(raw.decode("utf-8", errors="replace") + "\n")
            match = READY.search(lines[-1])
            if match:
                return match.group(1)
    if pending:
        lines.append(pending.decode("utf-8", errors="replace"))
    raise RuntimeError(f"ims-mock did not print its ready line within {timeout} s: {''.join(lines)[-500:]!r}")
