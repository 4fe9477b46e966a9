"""`python -m contract_tests [pytest options]`: run the contract suite; exit with its documented code.

This is what `make contract` runs. `make` itself turns every failing exit code into 2, so CI that
wants to tell a violation from an unreachable target calls this command directly (codes in run.py
and the README). Reports go to IMS_REPORTS_DIR (default `reports`): junit.xml and summary.txt,
written fresh by each run, and the ledger of each run under runs/<run id>/.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from contract_tests.run import exit_meaning
from contract_tests.settings import new_run_id
from contract_tests.spec import PYTEST_CONFIG

SUITE = Path(__file__).resolve().parent
# The pytest plugins the suite needs, loaded by name: no other installed plugin can change a run's
# verdict, and the start is 2 to 3 s faster (pytest rewrites the asserts of every module of a
# distribution whose plugin it autoloads: all of Hypothesis and Schemathesis). Add others with -p.
PLUGINS = ("pytest_timeout", "_hypothesis_pytestplugin", "schemathesis.pytest.plugin")


# Flags for the common settings: each sets its IMS_* variable for this run (a flag wins).
FLAGS = (
    ("--base-url", "IMS_BASE_URL", "URL", "the server to test (default: the embedded mock); may carry a path prefix"),
    ("--max-creates", "IMS_MAX_CREATES", "N", "creates that may be accepted by a server that is not the mock"),
    ("--profile", "IMS_PROFILE", "ci|thorough", "ci: fixed seed, fast (default); thorough: 10x the examples"),
    ("--deadline", "IMS_DEADLINE", "SECONDS", "the tests' time; then the cleanup has --cleanup-seconds"),
    ("--cleanup-seconds", "IMS_CLEANUP_SECONDS", "SECONDS", "the cleanup's own budget after the tests"),
    ("--rate-limit", "IMS_RATE_LIMIT", "N[/S]", "requests per second, or per S seconds"),
    ("--job-timeout", "IMS_JOB_TIMEOUT", "SECONDS", "how long one job may take"),
    ("--reports-dir", "IMS_REPORTS_DIR", "DIR", "where the reports and the ledgers go (default reports)"),
    ("--run-id", "IMS_RUN_ID", "ID", "the run's id, marked on every image it creates"),
)
CREDENTIALS = """credentials (environment only, never flags: they would show in process lists):
  IMS_AUTH_TOKEN                 an IAM token of the project
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   an AK/SK pair, signed as the official SDK signs
  HUAWEICLOUD_SDK_SECURITY_TOKEN with temporary credentials from STS
  HUAWEICLOUD_SDK_PROJECT_ID     (or IMS_PROJECT_ID) the project of those credentials"""
EXAMPLES = """examples:
  python -m contract_tests                                  # against the embedded mock, about 20 s
  python -m contract_tests --base-url https://ims.ap-southeast-1.myhuaweicloud.com --max-creates 5
  python -m contract_tests -k protocol                      # any other option goes to pytest
  python -m contract_tests --pytest-help                    # pytest's own options"""


def parser() -> argparse.ArgumentParser:
    """The suite's command line: the common settings as flags; every other option goes to pytest."""
    from contract_tests import settings
    from contract_tests.run import EXIT_MEANINGS

    knobs = settings.__doc__.split("\n\n", 2)[2] if settings.__doc__ else ""
    codes = "\n".join(f"  {code:<3} {meaning}" for code, meaning in sorted(EXIT_MEANINGS.items()))
    epilog = f"settings (environment; the flags above set the same):\n{knobs}\n{CREDENTIALS}\n\n"
    epilog += f"exit codes:\n{codes}\n\n{EXAMPLES}"
    command = argparse.ArgumentParser(
        prog="python -m contract_tests",
        description="The IMS contract suite: checks a server (or the embedded mock) against docs/contract.md "
        "and writes junit.xml, summary.txt and the report card to the reports folder.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    for flag, variable, metavar, text in FLAGS:
        command.add_argument(flag, metavar=metavar, dest=variable, help=f"{text} ({variable})")
    command.add_argument("--pytest-help", action="store_true", help="show pytest's own options, and run nothing")
    return command


def main(argv: list[str]) -> int:
    """Run the suite with `argv`: the suite's flags, then pytest options; print and return the exit code."""
    from contract_tests.run import EXIT_USAGE, RunError, check_env

    args, rest = parser().parse_known_args(argv)
    if args.pytest_help:
        return int(pytest.main(["--help", "-p", "no:cacheprovider"]))
    for _flag, variable, _metavar, _text in FLAGS:
        if getattr(args, variable) is not None:
            os.environ[variable] = getattr(args, variable)
    try:
        check_env(os.environ)  # every setting, before anything is touched
    except RunError as error:
        print(f"python -m contract_tests: {error} (see --help)", file=sys.stderr)
        return EXIT_USAGE
    reports = Path(os.environ.get("IMS_REPORTS_DIR", "").strip() or "reports")
    reports.mkdir(parents=True, exist_ok=True)
    # The run id comes first: it is what `make cleanup RUN_ID=...` needs if the run is killed.
    run_id = os.environ.setdefault("IMS_RUN_ID", new_run_id())
    print(f"ims contract run: {run_id}", flush=True)
    code = int(
        pytest.main(
            [
                str(SUITE),
                "-c",
                str(PYTEST_CONFIG),
                f"--rootdir={SUITE.parent}",
                "--disable-plugin-autoload",
                *(option for plugin in PLUGINS for option in ("-p", plugin)),
                "-p",
                "no:cacheprovider",
                f"--junitxml={reports / 'junit.xml'}",
                "-o",
                "junit_suite_name=ims-contract",
                "-q",
                *rest,
            ]
        )
    )
    print(f"ims contract: exit {code} ({exit_meaning(code)})", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
