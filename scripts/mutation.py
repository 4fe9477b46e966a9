"""The fault kill matrix: run the contract suite against the mock once clean and once per fault.

Each run is the suite's `ci` profile against its own embedded mock, started with one fault planted
(IMS_MOCK_FAULTS); runs go in parallel, one more than there are cores. A fault is caught when the
suite fails; the matrix names the first check or test that failed and the seconds the run took to fail (pytest -x,
so the run stops at the first failure: that is the time to detection). It also reads the run's
report card: the rules it contradicted must include the rule the fault breaks (`FAULT_RULES`),
else the blame is wrong. Exit 1 when the clean run fails, a fault survives, or a blame is wrong.

With --baseline, the plain Schemathesis CLI (`st run` with all checks, default settings plus the
base URL and the token) is run against a mock with each fault too, in the same run, and --record
writes both rows to BENCHMARKS.md.

Usage: python -m scripts.mutation [--workers N] [--baseline] [--record] [--only FAULT ...]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from contract_tests.embedded import embedded_mock
from ims_mock.faults import FAULTS, REGISTRY
from scripts.benchlib import machine, record

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SPEC = ROOT / "openapi" / "ims-data-image.yaml"
RUN_TIMEOUT = 300.0

# The rule (or the rules, any of which is right) each fault breaks, as the registry declares it
# (`Fault.breaks`): the report card of a run that catches the fault must contradict one of them.
FAULT_RULES = {name: fault.breaks for name, fault in REGISTRY.items()}


BASELINE_NOTE = """\
- how a fault counts as caught: for this suite, the run fails (its clean run passes); for the plain
  CLI, whose clean run already fails (it expects 405 for undeclared methods, where the contract
  says 404 APIGW.0101, and 2xx for a list query with an unknown marker, where the contract says
  400), the run must report a failure code its clean run did not. With default settings the CLI
  also stops testing an operation at its first failure, so its false failures hide real ones."""


@dataclass(frozen=True)
class Outcome:
    """One run of a suite against the mock with one fault (or none)."""

    fault: str | None
    failed: bool
    seconds: float
    caught_by: list[str]
    output: str
    contradicted: tuple[str, ...] = ()  # the rules the run's report card contradicted
    setup: bool = True  # False: the target could not be set up with this fault (--budget only)
    observed: tuple[str, ...] = ()  # the rules the card's observations name (open on live targets; --budget only)

    @property
    def observed_right(self) -> bool:
        """Whether the card observed (not failed: the rule is open on live services) a rule the fault breaks."""
        return bool(set(self.observed) & set(FAULT_RULES.get(self.fault or "", ())))

    @property
    def blamed_right(self) -> bool:
        """Whether this suite's card contradicted a rule the fault breaks (asked of caught faults only)."""
        return bool(set(self.contradicted) & set(FAULT_RULES.get(self.fault or "", ())))


def _suite_env(fault: str | None) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("IMS_", "HUAWEICLOUD_", "GITHUB_STEP_SUMMARY"))}
    return {**keep, "IMS_PROFILE": "ci", "IMS_MOCK_FAULTS": fault or ""}


def run_suite(fault: str | None) -> Outcome:
    """The contract suite (ci profile) against a mock with `fault`, stopping at the first failure.

    The clean run is `python -m contract_tests`, exactly what `make contract` runs: it must pass whole.
    """
    with tempfile.TemporaryDirectory() as reports:
        started = time.monotonic()
        output, code = _run(_command(fault), {**_suite_env(fault), "IMS_REPORTS_DIR": reports})
        seconds = time.monotonic() - started
        contradicted, _ = _card_rules(Path(reports) / "report-card.json")
    # The suite's summary lists each failure as "- <test id>: <checks>".
    caught = [m.group(1) for m in re.finditer(r"^- contract_tests/.+?: (.+)$", output, re.MULTILINE)]
    return Outcome(fault, code != 0, seconds, caught, output, contradicted)


def _command(fault: str | None) -> list[str]:
    """The clean run is `python -m contract_tests`, as `make contract` runs it; a fault's stops at its first failure."""
    if fault is None:
        return [sys.executable, "-m", "contract_tests"]
    return [sys.executable, "-m", "pytest", "contract_tests", "-x", "-q", "-p", "no:cacheprovider"]


def _run(command: list[str], env: dict[str, str]) -> tuple[str, int]:
    """Run one suite to its end (at most RUN_TIMEOUT): what it printed, and its exit code (-1: timed out)."""
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {RUN_TIMEOUT} s", -1
    return done.stdout + done.stderr, done.returncode


def run_external(fault: str | None, budget: int) -> Outcome:
    """The suite against a staging-like mock with `fault`, as an external target with IMS_MAX_CREATES=`budget`.

    Short jobs (0.5 s) and no rate limit keep the matrix short; the plan, the head start, the
    marking and the cleanup run as on staging. A mock whose fault keeps the staging-like setup from
    holding the images made before the run is reported as a failed setup, not as a catch.
    """
    from tests.staging import AKSK_ENV, TOKEN_ENV, external, staging_like  # the tests' staging-like mock

    with tempfile.TemporaryDirectory() as reports, contextlib.ExitStack() as stack:
        started = time.monotonic()
        try:
            staging = stack.enter_context(staging_like(job_seconds=0.5, faults=frozenset({fault} if fault else ())))
        except Exception as error:  # the mock with this fault cannot hold the images made before the run
            return Outcome(fault, False, time.monotonic() - started, ["setup failed"], repr(error), (), setup=False)
        # A token and AK/SK both, as a staging account has them: the AK/SK checks run too.
        env = {**external(staging.url, job_seconds=0.5, IMS_MAX_CREATES=str(budget)), **TOKEN_ENV, **AKSK_ENV}
        keep = {k: v for k, v in _suite_env(None).items() if k != "IMS_MOCK_FAULTS"}
        output, code = _run(_command(fault), {**keep, **env, "IMS_REPORTS_DIR": reports})
        seconds = time.monotonic() - started
        contradicted, observed = _card_rules(Path(reports) / "report-card.json")
    caught = [m.group(1) for m in re.finditer(r"^- contract_tests/.+?: (.+)$", output, re.MULTILINE)]
    return Outcome(fault, code != 0, seconds, caught, output, contradicted, observed=observed)


def _card_rules(card: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rules a run's report card contradicted, and those its observations name (`rule, rule: what`).

    Both empty when the run wrote no card.
    """
    try:
        written = json.loads(card.read_text(encoding="utf-8"))
        rules, observations = written["rules"], written["observations"]
    except (OSError, ValueError, KeyError):
        return (), ()
    contradicted = tuple(rule["id"] for rule in rules if rule.get("status") == "contradicted")
    named = {rule.strip() for item in observations for rule in str(item.get("what", "")).split(":")[0].split(",")}
    return contradicted, tuple(sorted(named))


def run_baseline(fault: str | None) -> Outcome:
    """`st run` with all checks, default settings plus the base URL and the token."""
    # The CLI writes a .schemathesis/ cache into its working folder: a temporary one, never the tree.
    with embedded_mock(faults=fault or "") as (url, credentials), tempfile.TemporaryDirectory() as scratch:
        started = time.monotonic()
        command = [str(BIN / "st"), "run", str(SPEC), "--url", url, "-H", f"X-Auth-Token: {credentials.token}"]
        try:
            done = subprocess.run(
                [*command, "--checks", "all", "--no-color"],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
                check=False,
                env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
            )
            output, code = done.stdout + done.stderr, done.returncode
        except subprocess.TimeoutExpired:
            output, code = f"timed out after {RUN_TIMEOUT} s", -1
        seconds = time.monotonic() - started
    codes = sorted(set(re.findall(r"❌ (ST\d+ [^:\n]+):", output)))
    return Outcome(fault, code != 0, seconds, codes, output)


def _killed_by_baseline(outcome: Outcome, clean: Outcome) -> bool:
    # The plain CLI fails on the clean mock too (it expects 405 for undeclared methods, and 2xx for
    # a list query with an unknown marker): a fault counts as caught only if it adds a failure.
    return outcome.failed and not set(outcome.caught_by) <= set(clean.caught_by)


def matrix(
    faults: list[str], workers: int, runner: Callable[[str | None], Outcome]
) -> tuple[Outcome, list[Outcome], float]:
    """Run clean and every fault; return the clean outcome, the fault outcomes and the wall time."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(runner, [None, *faults]))
    return outcomes[0], outcomes[1:], time.monotonic() - started


def print_matrix(clean: Outcome, outcomes: list[Outcome], wall: float) -> None:
    """The kill matrix as a table."""
    width = max(len(o.fault or "") for o in outcomes)
    print(f"{'fault':<{width}}  {'result':<8}  {'seconds':>7}  {'blame':<6}  rules contradicted; caught by")
    clean_result = "FAILED" if clean.failed else "passed"
    print(f"{'(clean)':<{width}}  {clean_result:<8}  {clean.seconds:7.1f}  {'-':<6}  {', '.join(clean.caught_by)}")
    for o in outcomes:
        result = "caught" if o.failed else "SURVIVED"
        blame = ("right" if o.blamed_right else "WRONG") if o.failed else "-"
        print(
            f"{o.fault:<{width}}  {result:<8}  {o.seconds:7.1f}  {blame:<6}  "
            f"{', '.join(o.contradicted) or '-'}; {', '.join(o.caught_by) or '-'}"
        )
    killed = [o for o in outcomes if o.failed]
    mean = sum(o.seconds for o in killed) / len(killed) if killed else 0.0
    print(f"\n{len(killed)}/{len(outcomes)} faults caught; mean time to detection {mean:.1f} s; wall time {wall:.0f} s")


def main(argv: list[str]) -> int:
    """Run the matrix (and the baseline); print it; exit 1 on a failed clean run or a survivor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # One run more than there are cores: each run also waits (for jobs, for the mock to start), and
    # on 2 cores 3 runs at once took the matrix from 250 s to 227 s.
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    parser.add_argument("--baseline", action="store_true", help="also run the plain Schemathesis CLI")
    parser.add_argument("--record", action="store_true", help="write the results to BENCHMARKS.md")
    parser.add_argument("--only", nargs="*", default=None, help="only these faults")
    parser.add_argument(
        "--budget",
        type=int,
        default=None,
        help="run against a staging-like mock as an external target with IMS_MAX_CREATES=N (make mutation-budget)",
    )
    args = parser.parse_args(argv)
    if args.budget is not None:
        return budget_matrix(args.only or list(FAULTS), args.workers, args.budget, record_it=args.record)
    faults = args.only or list(FAULTS)
    unknown = sorted(set(faults) - FAULTS.keys())
    if unknown:
        parser.error(f"unknown faults: {', '.join(unknown)}")

    clean, outcomes, wall = matrix(faults, args.workers, run_suite)
    print_matrix(clean, outcomes, wall)
    if clean.failed:
        print("\nthe clean run failed (false failures):\n" + clean.output[-3000:])
    survivors = [o.fault for o in outcomes if not o.failed]
    if survivors:
        print(f"\nsurvivors: {', '.join(str(s) for s in survivors)}")
    misblamed = [o for o in outcomes if o.failed and not o.blamed_right]
    for o in misblamed:
        expected = ", ".join(FAULT_RULES.get(o.fault or "", ())) or "(no rule listed in FAULT_RULES)"
        blamed = ", ".join(o.contradicted) or "nothing"
        print(f"wrong blame: {o.fault}: the card contradicted {blamed}; expected {expected}")

    rows = [_row("this suite (`make contract`, ci profile)", clean, outcomes, wall, lambda o: o.failed)]
    if args.baseline:
        print("\nbaseline: st run --checks all (default settings plus the base URL and the token)")
        base_clean, base_outcomes, base_wall = matrix(faults, args.workers, run_baseline)
        missed = [o.fault for o in base_outcomes if not _killed_by_baseline(o, base_clean)]
        print(f"clean run: {'FAILED' if base_clean.failed else 'passed'} ({', '.join(base_clean.caught_by) or '-'})")
        print(f"caught {len(base_outcomes) - len(missed)}/{len(base_outcomes)}; missed: {', '.join(map(str, missed))}")
        rows.append(
            _row(
                "plain Schemathesis CLI (`st run --checks all`)",
                base_clean,
                base_outcomes,
                base_wall,
                lambda o: _killed_by_baseline(o, base_clean),
            )
        )
    table = "\n".join(
        [
            "| runner | faults caught | kill rate | clean run | matrix wall time | mean time to detection "
            "| survivors |",
            "|---|---:|---:|---|---:|---:|---|",
            *rows,
        ]
    )
    print("\n" + table)
    if args.record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        record(
            "Fault kill matrix (`make mutation-bench`)",
            f"- machine: {machine()}\n- date: {stamp}\n- command: `make mutation-bench` "
            f"(`python -m scripts.mutation --baseline --record --workers {args.workers}`)\n"
            f"- faults: {len(faults)} (`ims-mock --list-faults`); both runners in the same run, same machine\n"
            "- target: every fault caught, no false failure on the clean mock, whole matrix within 10 minutes\n"
            + BASELINE_NOTE
            + "\n\n"
            + table,
        )
    # One plain closing line for CI: faults caught pass, survivors (and a failed clean run) fail.
    failed = len(survivors) + len(misblamed)
    print(f"mutation: {len(outcomes) - failed} passed, {failed + int(clean.failed)} failed")
    return 1 if clean.failed or survivors or misblamed else 0


def budget_matrix(faults: list[str], workers: int, budget: int, *, record_it: bool) -> int:
    """The kill matrix with a create budget: every fault against an external target at IMS_MAX_CREATES=`budget`.

    Exit 1 when the clean run fails, or a fault the embedded matrix catches survives or is blamed
    wrongly here; faults that kept the target from being set up are listed apart.
    """
    clean, outcomes, wall = matrix(faults, workers, lambda fault: run_external(fault, budget))
    print_matrix(clean, outcomes, wall)
    unset = [o.fault for o in outcomes if not o.setup]
    # A fault of a rule the contract leaves open on live services is reported under observations,
    # not failed: seen all the same, where a user reads the card.
    observed = [o.fault for o in outcomes if o.setup and o.observed_right and not (o.failed and o.blamed_right)]
    survivors = [o.fault for o in outcomes if o.setup and not o.failed and not o.observed_right]
    misblamed = [o.fault for o in outcomes if o.setup and o.failed and not o.blamed_right and not o.observed_right]
    if clean.failed:
        print("\nthe clean run failed (false failures):\n" + clean.output[-3000:])
    tried = len(outcomes) - len(unset)
    caught = tried - len(survivors)
    lines = [
        f"- faults run: {tried} of {len(outcomes)} (the staging-like setup could not make its images before the run"
        f" with: {', '.join(map(str, unset)) or 'none'})",
        f"- caught: {caught}/{tried} ({100 * caught / max(tried, 1):.0f}%), of which observed (open on live"
        f" services: on the card, not failed): {', '.join(map(str, observed)) or 'none'};"
        f" blamed wrongly: {', '.join(map(str, misblamed)) or 'none'}",
        f"- survivors: {', '.join(map(str, survivors)) or 'none'}",
        f"- clean run: {'FAILED' if clean.failed else 'passed'}; matrix wall time {wall:.0f} s",
    ]
    print("\n" + "\n".join(lines))
    if record_it:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        record(
            f"Fault kill matrix at IMS_MAX_CREATES={budget} (`make mutation-budget`)",
            f"- machine: {machine()}\n- date: {stamp}\n- command: `python -m scripts.mutation --budget {budget}"
            f" --record --workers {workers}`\n- target: the staging-like mock of tests/staging.py (other projects'"
            " images in it, 0.5 s jobs) as an external target, a token and AK/SK, each fault planted in it\n"
            + "\n".join(lines),
        )
    return 1 if clean.failed or survivors or misblamed else 0


def _row(name: str, clean: Outcome, outcomes: list[Outcome], wall: float, killed: Callable[[Outcome], bool]) -> str:
    caught = [o for o in outcomes if killed(o)]
    missed = [o.fault for o in outcomes if o not in caught]
    mean = sum(o.seconds for o in caught) / len(caught) if caught else 0.0
    clean_text = "failed: " + ", ".join(clean.caught_by) if clean.failed else "passed"
    return (
        f"| {name} | {len(caught)}/{len(outcomes)} | {100 * len(caught) / len(outcomes):.0f}% | {clean_text} | "
        f"{wall:.0f} s | {mean:.1f} s | {', '.join(map(str, missed)) or 'none'} |"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
