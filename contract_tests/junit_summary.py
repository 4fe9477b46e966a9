"""The JUnit report as a short Markdown table for GitHub's job summary page (action/run.sh).

Only counts and the names of this suite's own tests: nothing a target sent (failure messages carry
its answers) reaches the page, so nothing it sends can become markup there.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

SAFE = re.compile(r"[^A-Za-z0-9_.:\[\] -]")


def summary(path: Path) -> str:
    """The Markdown for `path` (a JUnit file the suite wrote), or a line saying there is none."""
    if not path.is_file():
        return "No JUnit report was written.\n"
    root = ElementTree.parse(path).getroot()  # noqa: S314 (written by this run's own pytest, not by a target)
    cases = list(root.iter("testcase"))
    failed = [case for case in cases if case.find("failure") is not None or case.find("error") is not None]
    skipped = [case for case in cases if case.find("skipped") is not None]
    lines = [
        "### JUnit",
        "",
        "| tests | passed | failed | skipped |",
        "|---:|---:|---:|---:|",
        f"| {len(cases)} | {len(cases) - len(failed) - len(skipped)} | {len(failed)} | {len(skipped)} |",
    ]
    if failed:
        lines += ["", "Failed (details in the report card):", ""]
        lines += [
            f"- `{SAFE.sub('?', case.get('classname', ''))}::{SAFE.sub('?', case.get('name', ''))[:200]}`"
            for case in failed[:50]
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(summary(Path(sys.argv[1] if len(sys.argv) > 1 else "reports/junit.xml")))
