"""Run the contract suite as a user runs it (`python -m contract_tests`), and read what it left.

Every run gets a clean environment (none of the caller's IMS_* or HUAWEICLOUD_* variables), its own
reports folder, and is searched afterwards for the secrets it was given: in what it printed and in
every file it wrote.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scripts.benchlib import memory_kib

ROOT = Path(__file__).resolve().parent.parent
SIGNATURE = re.compile(r"Signature=[0-9a-f]{16,}")


@dataclass
class SuiteRun:
    """What one run of the suite did."""

    code: int
    output: str
    reports: Path
    max_rss_mib: float

    def written(self) -> str:
        """Every file the run wrote under its reports folder, as one text."""
        return "\n".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(self.reports.rglob("*"))
            if path.is_file()
        )

    def run_id(self) -> str:
        """The run id the suite printed first."""
        match = re.search(r"ims contract run: (\S+)", self.output)
        if not match:
            raise AssertionError(f"expected the run id first, got {self.output[:300]!r}")
        return match.group(1)


def clean_env(env: dict[str, str], reports: Path) -> dict[str, str]:
    """The caller's environment without IMS_*, HUAWEICLOUD_* or GITHUB_STEP_SUMMARY, plus `env` and the reports."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("IMS_", "HUAWEICLOUD_", "GITHUB_STEP_SUMMARY"))}
    return {**keep, "IMS_REPORTS_DIR": str(reports), **env}


def run_suite(
    tmp_path: Path,
    env: dict[str, str],
    *args: str,
    secrets: tuple[str, ...] = (),
    timeout: float = 600,
    while_running: Callable[[subprocess.Popen[bytes], Path], None] | None = None,
) -> SuiteRun:
    """Run the suite to its end (or until `while_running` stops it); check no secret got out."""
    reports = tmp_path / "reports"
    log = tmp_path / "suite-output.txt"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "contract_tests", *args],
            cwd=ROOT,
            env=clean_env(env, reports),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            if while_running is not None:
                while_running(process, reports)
            status, peak_mib = wait_with_peak(process)
        finally:
            killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
    run = SuiteRun(process.returncode, log.read_text(errors="replace"), reports, peak_mib)
    everything = run.output + run.written()
    if any(secret in everything for secret in secrets):
        raise AssertionError("a secret appeared in the suite's output or in a file it wrote")
    if SIGNATURE.search(everything):
        raise AssertionError("an AK/SK signature appeared in the suite's output or files")
    return run


def wait_with_peak(process: subprocess.Popen[bytes], every: float = 0.05) -> tuple[int, float]:
    """Wait for `process`; its wait status and its own peak resident memory in MiB.

    The peak is the kernel's high-water mark of the process's own memory (VmHWM), read until it
    exits. Not `ru_maxrss`: Linux carries the parent's resident size into the child's across fork
    and exec, so a suite started from a large pytest worker would be charged that worker's memory.
    """
    peak_kib = 0
    while True:
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            return status, peak_kib / 1024
        # None when it exited between the two calls: the next wait4 reaps it.
        peak_kib = max(peak_kib, memory_kib(process.pid, "VmHWM") or 0)
        time.sleep(every)


def wait_for_ledger(reports: Path, event: str, count: int = 1, timeout: float = 120) -> Path:
    """Wait until a run's ledger records `event` `count` times; return the ledger's path."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for ledger in reports.glob("runs/*/ledger.jsonl"):
            if ledger.read_text(encoding="utf-8").count(f'"event": "{event}"') >= count:
                return ledger
        time.sleep(0.05)
    raise TimeoutError(f"no ledger recorded {count} x {event} within {timeout} s")


def interrupt_after_creates(sig: signal.Signals, creates: int = 1) -> Callable[[subprocess.Popen[bytes], Path], None]:
    """A `while_running` that sends `sig` once the run's ledger shows `creates` answered creates."""

    def stop(process: subprocess.Popen[bytes], reports: Path) -> None:
        wait_for_ledger(reports, "create-answered", creates)
        process.send_signal(sig)

    return stop
