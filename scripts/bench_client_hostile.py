"""`ims` and the official SDK against answers meant to take a client down: peak memory and time.

Each client asks a loopback server (`scripts/hostile.py`) for one job and gets a gzip bomb
(about 1 MiB that inflates to 1 GiB) or a 2 GiB body. Each try runs in a process of its own, so
its peak memory (VmHWM) is its own; a try is stopped after `--deadline` seconds. Both clients
sign with AK/SK; the SDK has its retries off, `ims` its defaults.

Target (issue 24): `ims` peaks under 100 MiB against both, raising `ims.MalformedAnswer`.

Usage: python -m scripts.bench_client_hostile [--deadline 120] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from scripts.benchlib import ROOT, machine, record
from scripts.hostile import gzip_bomb, hostile_server

CLIENTS = ("ims.Client", "ims.AsyncClient", "huaweicloudsdkims")
ANSWERS = {"gzip-bomb": "gzip bomb (1 MiB → 1 GiB)", "huge-body-2g": "2 GiB body"}
JOB_ID = "a" * 32


def _peak_mib() -> float:
    found = re.search(r"^VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(found.group(1)) / 1024 if found else float("nan")


def _one(client: str, url: str) -> dict[str, object]:
    """In the child: one job query with `client`; what it raised and its peak memory."""
    from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK

    outcome = "returned"
    try:
        if client == "huaweicloudsdkims":
            from huaweicloudsdkcore.auth.credentials import BasicCredentials
            from huaweicloudsdkcore.http.http_config import HttpConfig
            from huaweicloudsdkims.v2 import ImsClient, ShowJobProgressRequest

            config = HttpConfig.get_default_config()
            config.retry_times = 0
            config.timeout = (10, 60)
            credentials = BasicCredentials(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
            builder = ImsClient.new_builder().with_http_config(config).with_credentials(credentials)
            builder.with_endpoints([url]).build().show_job_progress(ShowJobProgressRequest(job_id=JOB_ID))
        else:
            import ims

            auth = ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
            if client == "ims.Client":
                with ims.Client(url, auth=auth) as sync:
                    sync.get_job(JOB_ID)
            else:

                async def query() -> None:
                    async with ims.AsyncClient(url, auth=auth) as concurrent:
                        await concurrent.get_job(JOB_ID)

                asyncio.run(query())
    except Exception as error:  # what each client raises is the figure: any kind is recorded, none escapes
        outcome = f"{type(error).__module__.split('.')[0]}.{type(error).__name__}"
    return {"outcome": outcome, "peak_mib": _peak_mib()}


def measure(answer: str, client: str, deadline: float) -> tuple[str, float, float]:
    """(what `client` raised, its peak MiB, wall s) against the server of `answer`."""
    with hostile_server(answer) as (url, _server):
        started = time.perf_counter()
        command = [sys.executable, "-m", "scripts.bench_client_hostile", "--one", client, url]
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=deadline, check=False)
        except subprocess.TimeoutExpired:
            return f"still running after {deadline:.0f} s (stopped)", float("nan"), deadline
        wall = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        return f"exit {done.returncode}: {done.stderr.strip()[-120:]}", float("nan"), wall
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return str(figures["outcome"]), float(figures["peak_mib"]), wall


def table(rows: list[tuple[str, str, str, float, float]]) -> str:
    """The Markdown table of (answer, client, outcome, peak MiB, wall s) rows."""
    lines = ["| answer | client | outcome | peak memory MiB | wall s |", "|---|---|---|---:|---:|"]
    for answer, client, outcome, peak, wall in rows:
        lines.append(f"| {ANSWERS[answer]} | `{client}` | `{outcome}` | {peak:,.0f} | {wall:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure every client against every answer; print the table (and with --record, record it)."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_client_hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds one try may take")
    parser.add_argument("--record", action="store_true", help="write the table into BENCHMARKS.md")
    parser.add_argument("--one", nargs=2, metavar=("CLIENT", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        client, url = args.one
        print(json.dumps(_one(client, url)))
        return 0
    if not 1 <= args.deadline <= 900:
        parser.error("--deadline must be from 1 to 900 seconds")
    gzip_bomb()  # made once, before any try is timed (it takes the server seconds)
    rows = [(answer, client, *measure(answer, client, args.deadline)) for answer in ANSWERS for client in CLIENTS]
    result = table(rows)
    print(result)
    if args.record:
        record(
            "Client against hostile answers (`make bench-client`)",
            "\n".join(
                [
                    f"- machine: {machine()}",
                    f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                    "- command: `make bench-client` (`python -m scripts.bench_client_hostile --record`)",
                    "- one job query per try, each try in a process of its own (peak = its VmHWM), against a loopback"
                    " server from `scripts/hostile.py`; both clients sign with AK/SK; the SDK without retries",
                    "- target: `ims` under 100 MiB against both answers, raising `ims.MalformedAnswer`",
                    "",
                    result,
                ]
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
