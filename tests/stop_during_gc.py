"""A pytest plugin for one test: the run's stop signal lands while a gc callback runs.

Loaded into the contract suite with `-p tests.stop_during_gc`. During the first test's call, it
sends the run's own process SIGTERM (or the signal named by STOP_DURING_GC_SIGNAL) from inside a
gc callback, where Python ignores an exception a signal handler raises: the stop must not be lost.
"""

from __future__ import annotations

import gc
import os
import signal
from typing import Any

import pytest

_armed = True


def _callback(phase: str, info: dict[str, Any]) -> None:
    global _armed  # the plugin fires once per process
    if not _armed or phase != "start":
        return
    _armed = False
    os.kill(os.getpid(), signal.Signals[os.environ.get("STOP_DURING_GC_SIGNAL", "SIGTERM")])
    for _ in range(1000):  # a backward jump: the handler runs here, inside the callback
        pass


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    if _armed:
        gc.callbacks.append(_callback)
        try:
            gc.collect()
        finally:
            gc.callbacks.remove(_callback)
