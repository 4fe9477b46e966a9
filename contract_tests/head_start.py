"""The plan's head start: the creates it pays for go out together, before its first test runs.

A test that names the bodies of its creates (`@pytest.mark.creates(n, part, bodies=function)`,
`function(api)` returning one dict of `Api.create` arguments per create) gets them through the
`started` fixture. Against a target with a budget the plan sends every chosen test's creates at
its first test, so the jobs run side by side: with 60 s jobs a budget of 5 costs one job's time,
not five. Each test then waits for its own job, within IMS_JOB_TIMEOUT of when its create went
out, and what its create answered (a job, or a violation) is raised in that test, blamed there.
Against the embedded mock (no budget) each test sends its creates when it runs, as before.

The creates are the session's like any other: marked with the run's mark, ledgered, and cleaned
up by the cleanup if their test never runs (a stop, the deadline).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from contract_tests.api import Api, need_creates
from contract_tests.plan import Plan

Bodies = Callable[[Api], list[dict[str, Any]]]


@dataclass(frozen=True)
class Started:
    """One create of a test: its body, and its job or why there is none."""

    body: dict[str, Any]
    at: float  # when it went out (time.monotonic): the start of its job's window
    job_id: str | None = None
    error: Exception | None = None

    def job(self) -> str:
        """The job id; what the create answered instead, raised here, in the test that owns it."""
        if self.error is not None:
            raise self.error
        assert self.job_id is not None
        return self.job_id


def bodies_of(item: pytest.Item) -> Bodies | None:
    """The body function of a test's `creates` marker, if it names one."""
    marker = item.get_closest_marker("creates")
    bodies = marker.kwargs.get("bodies") if marker is not None else None
    if bodies is not None and not callable(bodies):
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.creates(bodies=) takes a function of the Api")
    return bodies


def send(api: Api, body: dict[str, Any]) -> Started:
    """Send one create now; its job, or the exception its answer raised (kept for its test)."""
    at = time.monotonic()
    try:
        return Started(body, at, job_id=api.create(**body))
    except Exception as error:  # re-raised in the test that owns the create
        return Started(body, at, error=error)


class HeadStart:
    """Sends the plan's creates together once, and hands each test its own."""

    def __init__(self, plan: Plan | None) -> None:
        self.plan = plan
        self._lock = threading.Lock()
        self._sent = False
        self._started: dict[str, list[Started]] = {}

    def start(self, api: Api) -> None:
        """Send every chosen test's creates (once), in plan order, when a budget applies."""
        with self._lock:
            if self._sent or self.plan is None or self.plan.budget is None:
                return
            self._sent = True
            for need in self.plan.chosen:
                bodies = bodies_of(need.item)
                if bodies is not None:
                    self._started[need.item.nodeid] = [send(api, body) for body in bodies(api)]

    def take(self, item: pytest.Item, api: Api) -> list[Started]:
        """The test's creates: sent by the head start, or sent now (budget permitting)."""
        self.start(api)
        with self._lock:
            started = self._started.pop(item.nodeid, None)
        if started is not None:
            return started
        bodies = bodies_of(item)
        marker = item.get_closest_marker("creates")
        if bodies is None or marker is None:
            raise pytest.UsageError(f"{item.nodeid}: the `started` fixture needs @pytest.mark.creates(..., bodies=)")
        need_creates(api.target, int(marker.args[0]))
        return [send(api, body) for body in bodies(api)]
