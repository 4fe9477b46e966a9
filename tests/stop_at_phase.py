"""A pytest plugin for the suite's own tests: a stop (SIGINT or SIGTERM) in the middle of one phase.

`STOP_AT_MODULE` names the suite's test module whose first test is stopped (`test_schemathesis`);
`STOP_SIGNAL` the signal, sent to the run's own process a moment after that test starts, so it lands
while the phase is at work.
"""

from __future__ import annotations

import os
import signal
import threading

import pytest

_sent = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """Arm the stop once, when the first test of the named module runs."""
    global _sent  # once per run, by design
    if _sent or item.path.stem != os.environ.get("STOP_AT_MODULE"):
        return
    _sent = True
    sig = getattr(signal, os.environ.get("STOP_SIGNAL", "SIGINT"))
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), sig))
    timer.daemon = True
    timer.start()
