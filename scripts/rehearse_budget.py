"""The create budget rehearsed as a user runs it on staging (issue 23), recorded in BENCHMARKS.md.

Each server is the staging-like mock of `tests.staging` (other projects' images in it) with jobs of
`--job-seconds` (60), the documented create limit of 20 per 5 s, AK/SK signing, and one hidden
create-side fault (or none). The suite runs whole against each (`python -m contract_tests`, the
default rate limit of 20/5, IMS_MAX_CREATES=5, IMS_JOB_TIMEOUT 3x the jobs, IMS_DEADLINE 540 s) as
its own process; `--parallel` servers at a time. For each: the exit code, the wall time, the rule
the kill matrix blames for the fault and whether the run contradicted it, the plan line, the
rules confirmed, and whether the account was left as it was found (or, for the faults that hide
the run's mark, whether each image it could not prove its own was named in the summary).

Usage: python -m scripts.rehearse_budget [--job-seconds 60] [--budget 5] [--parallel 4] [--record]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts.benchlib import machine, record
from scripts.mutation import FAULT_RULES
from scripts.suite_runs import run_suite
from tests.staging import AKSK_ENV, SECRETS, staging_like

# Six servers that each break a create-side rule after answering the create: the image never
# listed, listed without its tags or its description's text, os_type defaulting to Windows,
# descriptions counted in bytes, the job's status going back from SUCCESS to RUNNING.
HIDDEN = (
    "image-not-listed",
    "image-tags-dropped",
    "image-description-ascii-only",
    "default-os-type-windows",
    "description-length-in-bytes",
    "job-status-backwards",
)
# Rehearsed: those, a server whose jobs never end, and one with no fault (the run must pass on it).
FAULTS = ("", *HIDDEN, "job-never-ends")
# These hide the run's mark from listImages: the run cannot prove those images its own.
HIDES_THE_MARK = {"image-not-listed", "image-tags-dropped"}
LIMIT_SECONDS = 600.0  # the bar for one run


@dataclass(frozen=True)
class Rehearsal:
    """One run of the suite against one server."""

    fault: str
    code: int
    seconds: float
    caught: bool
    confirmed: int
    account: str
    plan: str


def rehearse(fault: str, job_seconds: float, budget: int, workdir: Path) -> Rehearsal:
    """Run the whole suite against a server with `fault`; what it found and what it left."""
    faults = frozenset({fault}) if fault else frozenset()
    with staging_like(job_seconds=job_seconds, rate_limit=(20, 5.0), faults=faults) as staging:
        env = {
            "IMS_BASE_URL": staging.url,
            "IMS_MAX_CREATES": str(budget),
            "IMS_JOB_TIMEOUT": f"{3 * job_seconds:g}",
            "IMS_DEADLINE": "540",
            **AKSK_ENV,
        }
        started = time.monotonic()
        run = run_suite(workdir, env, secrets=SECRETS, timeout=1800)
        seconds = time.monotonic() - started
        left = staging.images() - staging.foreign
        touched = staging.foreign - staging.images()
        if touched:
            account = f"TOUCHED {len(touched)} foreign"
        elif not left:
            account = "as found"
        elif fault in HIDES_THE_MARK and all(image_id in run.output for image_id in left):
            account = f"{len(left)} unprovable, named"
        else:
            account = f"LEFT {len(left)}"
    card = json.loads((run.reports / "report-card.json").read_text(encoding="utf-8"))
    status = {rule["id"]: rule["status"] for rule in card["rules"]}
    blamed = FAULT_RULES.get(fault, ())
    caught = run.code == 0 if not fault else run.code == 1 and any(status.get(r) == "contradicted" for r in blamed)
    plan = next((line for line in run.output.splitlines() if line.startswith("create plan:")), "no plan line")
    confirmed = sum(1 for value in status.values() if value == "confirmed")
    return Rehearsal(fault or "(none)", run.code, seconds, caught, confirmed, account, plan)


def table(rows: list[Rehearsal]) -> str:
    """The rehearsals as a Markdown table."""
    lines = [
        "| server | exit | wall time | caught (blamed rule contradicted) | rules confirmed | account after |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = "passes" if row.fault == "(none)" else ("yes" if row.caught else "NO")
        if row.fault == "(none)" and not row.caught:
            verdict = "FAILS"
        lines.append(
            f"| {row.fault} | {row.code} | {row.seconds:.0f} s | {verdict} | {row.confirmed} | {row.account} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Rehearse each server, print the table (and record it); 1 when a run was slow or missed its fault."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job-seconds", type=float, default=60.0)
    parser.add_argument("--budget", type=int, default=5)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--only", action="append", default=[], help="rehearse only these faults ('' for none)")
    parser.add_argument("--record", action="store_true", help="append the table to BENCHMARKS.md")
    parser.add_argument("--keep", type=Path, default=None, help="keep each run's output and reports under this folder")
    args = parser.parse_args()
    faults = tuple(args.only) if args.only else FAULTS
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.parallel) as pool:
        base = args.keep or Path(tmp)
        dirs = [base / (re.sub(r"\W", "_", fault) or "none") for fault in faults]
        for folder in dirs:
            folder.mkdir(parents=True)
        runs = [
            pool.submit(rehearse, fault, args.job_seconds, args.budget, folder)
            for fault, folder in zip(faults, dirs, strict=True)
        ]
        rows = [run.result() for run in runs]
    plans = sorted({row.plan for row in rows})
    text = table(rows) + "\n\n" + "\n".join(f"- {plan}" for plan in plans)
    print(text)
    slow = [row.fault for row in rows if row.seconds > LIMIT_SECONDS]
    missed = [row.fault for row in rows if not row.caught]
    if args.record:
        command = (
            f"python -m scripts.rehearse_budget --job-seconds {args.job_seconds:g} --budget {args.budget}"
            f" --parallel {args.parallel}"
        )
        record(
            "Create budget rehearsal (`python -m scripts.rehearse_budget`)",
            f"- machine: {machine()}\n- date: {datetime.now(UTC):%Y-%m-%d}\n- command: `{command}` (the suite whole"
            f" against each server: {args.job_seconds:g} s jobs, the 20-per-5 s limit on every request, AK/SK,"
            f" IMS_MAX_CREATES={args.budget}, IMS_JOB_TIMEOUT={3 * args.job_seconds:g}, IMS_DEADLINE=540;"
            f" {args.parallel} runs at a time)\n- target: every hidden fault caught (the rule the kill matrix blames"
            f" for it contradicted), the run within {LIMIT_SECONDS:g} s, the account as found\n\n{text}",
        )
    if slow or missed:
        print(f"over {LIMIT_SECONDS:g} s: {slow or 'none'}; not caught: {missed or 'none'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
