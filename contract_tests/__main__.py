"""`python -m contract_tests [pytest options]`: run the contract suite; exit with its documented code.

This is what `make contract` runs. `make` itself turns every failing exit code into 2, so CI that
wants to tell a violation from an unreachable target calls this command directly (codes in run.py
and the README). Reports go to IMS_REPORTS_DIR (default `reports`): junit.xml and summary.txt,
written fresh by each run, and the ledger of each run under runs/<run id>/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from contract_tests.run import exit_meaning
from contract_tests.settings import new_run_id

SUITE = Path(__file__).resolve().parent
# The pytest plugins the suite needs, loaded by name: no other installed plugin can change a run's
# verdict, and the start is 2 to 3 s faster (pytest rewrites the asserts of every module of a
# distribution whose plugin it autoloads: all of Hypothesis and Schemathesis). Add others with -p.
PLUGINS = ("pytest_timeout", "_hypothesis_pytestplugin", "schemathesis.pytest.plugin")


def main(argv: list[str]) -> int:
    """Run the suite with `argv` as extra pytest options; print and return the exit code."""
    reports = Path(os.environ.get("IMS_REPORTS_DIR", "").strip() or "reports")
    reports.mkdir(parents=True, exist_ok=True)
    # The run id comes first: it is what `make cleanup RUN_ID=...` needs if the run is killed.
    run_id = os.environ.setdefault("IMS_RUN_ID", new_run_id())
    print(f"ims contract run: {run_id}", flush=True)
    code = int(
        pytest.main(
            [
                str(SUITE),
                "--disable-plugin-autoload",
                *(option for plugin in PLUGINS for option in ("-p", plugin)),
                "-p",
                "no:cacheprovider",
                f"--junitxml={reports / 'junit.xml'}",
                "-o",
                "junit_suite_name=ims-contract",
                "-q",
                *argv,
            ]
        )
    )
    print(f"ims contract: exit {code} ({exit_meaning(code)})", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
