"""The embedded target: the project's mock, started as a process on a free 127.0.0.1 port.

The suite knows the mock only as a command line (`ims-mock`), exactly as a user would start it:
fresh random credentials are handed to it through its documented environment variables.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contract_tests.target import Credentials

READY = re.compile(r"ready on (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 30.0


@contextmanager
def embedded_mock(job_seconds: float = 0.2, faults: str | None = None) -> Iterator[tuple[str, Credentials]]:
    """Start `ims-mock --port 0`; yield its base URL and credentials; stop it afterwards.

    Faults to plant come from `faults` or else IMS_MOCK_FAULTS in the environment, which is how
    the mutation run plants them.
    """
    credentials = Credentials(
        project_id=secrets.token_hex(16),
        token=secrets.token_urlsafe(24),
        access_key="CT" + secrets.token_hex(9).upper(),
        secret_key=secrets.token_urlsafe(30),
    )
    env = {
        **os.environ,
        "IMS_MOCK_PROJECT_ID": credentials.project_id,
        "IMS_MOCK_TOKEN": credentials.token or "",
        "IMS_MOCK_AK": credentials.access_key or "",
        "IMS_MOCK_SK": credentials.secret_key or "",
    }
    if faults is not None:
        env["IMS_MOCK_FAULTS"] = faults
    command = [str(Path(sys.executable).parent / "ims-mock"), "--host", "127.0.0.1", "--port", "0"]
    command += ["--job-seconds", str(job_seconds)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, preexec_fn=_die_with_parent
    ) as process:
        try:
            yield read_ready_url(process, []), credentials
        finally:
            process.terminate()
            try:
                process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


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
