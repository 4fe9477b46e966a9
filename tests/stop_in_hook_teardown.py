"""A pytest plugin for one test: the run's stop signal lands in a hook wrapper's teardown.

Loaded into the contract suite with `-p tests.stop_in_hook_teardown`. After the first test's call
is reported, it sends the run's own process SIGINT (or the signal named by STOP_IN_TEARDOWN_SIGNAL)
from the teardown of an old-style hook wrapper of `pytest_report_teststatus`, as Schemathesis' own
wrapper is: pluggy then warns (PluggyTeardownRaisedWarning) before it re-raises the interrupt, and
under `filterwarnings = error` that warning once replaced the interrupt with an INTERNALERROR.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Generator
from typing import Any

import pytest

_armed = True


@pytest.hookimpl(hookwrapper=True)
def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Generator[None, Any, None]:
    global _armed  # the plugin fires once per process
    yield
    if _armed and report.when == "call":
        _armed = False
        os.kill(os.getpid(), signal.Signals[os.environ.get("STOP_IN_TEARDOWN_SIGNAL", "SIGINT")])
        for _ in range(1000):  # a backward jump: the handler runs here, inside the teardown
            pass
