"""`ims-contract`: the contract suite's console script, exactly `python -m contract_tests`.

Installed without the `contract` extra, it says what to install (exit 4, the suite's usage code)
instead of failing on the first missing import.
"""

from __future__ import annotations

import sys

EXIT_USAGE = 4  # as contract_tests.run.EXIT_USAGE, which cannot be imported before the check below


def main() -> None:
    """Run the suite with the command line's arguments and exit with its code."""
    try:
        import hypothesis  # noqa: F401 (only whether the extra is installed)
        import pytest  # noqa: F401
        import schemathesis  # noqa: F401
        import uvicorn  # noqa: F401

        from contract_tests.__main__ import main as run
    except ImportError as missing:
        print(
            f"ims-contract: {missing.name or 'a dependency'} is not installed; the contract suite needs the"
            " `contract` extra: pip install 'ims-toolkit[contract]'",
            file=sys.stderr,
        )
        sys.exit(EXIT_USAGE)
    sys.exit(run(sys.argv[1:]))
