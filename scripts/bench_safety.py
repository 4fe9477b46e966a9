"""The contract suite against hostile targets, beside the plain Schemathesis CLI in the same run.

For each hostile server of scripts/hostile.py (a redirect to another host, a 1 MiB gzip bomb that
inflates to 1 GiB, a 1 GiB body, a server that never answers) both runners get the same spec, URL
and token: `python -m contract_tests` (IMS_REQUEST_TIMEOUT=5, IMS_DEADLINE=90, --maxfail=3) and
`st run --checks all` (--max-examples 5, --request-timeout 5, --max-time 90). Each run is a child
process measured for its own peak resident memory (VmHWM), under an address-space limit of 6 GiB and a hard limit of
180 s so that neither can take the machine down; a second server on 127.0.0.2 counts the requests
carrying the token that reach it. Also measured: the embedded-mock `ci` profile's wall time.

Usage: python -m scripts.bench_safety [--record]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts.benchlib import machine, record
from scripts.hostile import hostile_server
from scripts.suite_runs import clean_env, wait_with_peak

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "ims-data-image.yaml"
TOKEN = "bench-token-0123456789"  # noqa: S105  # a throwaway token the hostile servers look for
PROJECT = "0123456789abcdef0123456789abcdef"
ADDRESS_SPACE = 6 * 1024**3
HARD_LIMIT = 180.0
BEHAVIOURS = ["redirect", "gzip-bomb", "huge-body", "silent"]


@dataclass(frozen=True)
class Measure:
    """One runner against one hostile server."""

    runner: str
    behaviour: str
    exit_code: int
    seconds: float
    peak_mib: float
    leaked: int  # requests with the token that reached the other host


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[int, float, float]:
    started = time.monotonic()
    with open(os.devnull, "wb") as sink:
        # preexec_fn sets the limits in the child only, before it runs anything.
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=sink, preexec_fn=_limits)
    killer = threading.Timer(HARD_LIMIT, process.kill)
    killer.start()
    try:
        status, peak_mib = wait_with_peak(process)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.monotonic() - started, peak_mib


def measure(runner: str, behaviour: str) -> Measure:
    """Run `runner` (suite or cli) against a fresh server with `behaviour`."""
    with (
        tempfile.TemporaryDirectory() as folder,
        hostile_server("record", host="127.0.0.2") as (elsewhere, other),
        hostile_server(behaviour, elsewhere=elsewhere) as (url, _),
    ):
        work = Path(folder)
        if runner == "suite":
            env = clean_env(
                {
                    "IMS_BASE_URL": url,
                    "IMS_AUTH_TOKEN": TOKEN,
                    "IMS_PROJECT_ID": PROJECT,
                    "IMS_REQUEST_TIMEOUT": "5",
                    "IMS_DEADLINE": "90",
                    "IMS_RATE_LIMIT": "1000",
                },
                work / "reports",
            )
            command = [sys.executable, "-m", "contract_tests", "--maxfail=3"]
            code, seconds, peak = _measure(command, env, ROOT)
        else:
            env = clean_env({}, work / "reports")
            command = [
                str(Path(sys.executable).parent / "st"),
                "run",
                str(SPEC),
                "--url",
                url,
                "-H",
                f"X-Auth-Token: {TOKEN}",
                "--checks",
                "all",
                "--max-examples",
                "5",
                "--request-timeout",
                "5",
                "--max-time",
                "90",
            ]
            code, seconds, peak = _measure(command, env, work)  # its .schemathesis cache stays in the temp folder
        leaked = sum(1 for request in other.seen if TOKEN in str(request["headers"]))
        return Measure(runner, behaviour, code, seconds, peak, leaked)


def ci_profile_seconds() -> float:
    """Wall time of the embedded-mock `ci` profile (python -m contract_tests)."""
    with tempfile.TemporaryDirectory() as folder:
        code, seconds, _ = _measure(
            [sys.executable, "-m", "contract_tests"], clean_env({}, Path(folder) / "reports"), ROOT
        )
    if code != 0:
        raise SystemExit(f"the ci profile failed against the embedded mock (exit {code})")
    return seconds


def table(results: list[Measure]) -> str:
    """The results as a Markdown table, the suite and the CLI side by side per server."""
    names = {"suite": "this suite (`python -m contract_tests`)", "cli": "plain Schemathesis CLI (`st run`)"}
    lines = [
        "| hostile server | runner | exit | wall s | peak memory MiB | token requests to the other host |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        memory = f"{result.peak_mib:,.0f}"
        if result.runner == "cli" and result.peak_mib * 1024 * 1024 >= ADDRESS_SPACE * 0.9:
            memory += " (hit the 6 GiB limit)"
        lines.append(
            f"| {result.behaviour} | {names[result.runner]} | {result.exit_code} | {result.seconds:.1f} | {memory} | "
            f"{result.leaked} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run every behaviour with both runners; print the table; with --record, write BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the table to BENCHMARKS.md")
    args = parser.parse_args(argv)
    results = [measure(runner, behaviour) for behaviour in BEHAVIOURS for runner in ("suite", "cli")]
    ci_seconds = ci_profile_seconds()
    body = "\n".join(
        [
            f"- machine: {machine()}",
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "- command: `make bench-safety` (`python -m scripts.bench_safety --record`)",
            "- target: suite memory under 500 MiB against any hostile target; no token sent anywhere but"
            " the target; the embedded-mock `ci` profile under 60 s",
            f"- embedded-mock `ci` profile (`python -m contract_tests`): {ci_seconds:.1f} s wall",
            "- limits on both runners: 6 GiB of address space, 180 s; the suite with IMS_REQUEST_TIMEOUT=5,"
            " IMS_DEADLINE=90, --maxfail=3; the CLI with --max-examples 5, --request-timeout 5, --max-time 90",
            "",
            table(results),
        ]
    )
    print(body)
    if args.record:
        record("Hostile targets: the suite vs the plain CLI (`make bench-safety`)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
