"""What the suite's plugins share for one run: one `RunState` per pytest session, in `config.stash`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from contract_tests import card as report_card
from contract_tests import plan as create_plan
from contract_tests.head_start import HeadStart
from contract_tests.redact import Redactor
from contract_tests.run import Run, RunConfig
from contract_tests.settings import RunSettings


@dataclass
class Failure:
    """One failed test, for the summary."""

    nodeid: str
    checks: list[str]
    replay: str
    transport: bool


@dataclass
class RunState:
    """The run as the plugins see it: settings, the run, the card, the counts, how it stopped."""

    config: RunConfig  # read once, at configure: nothing of the run reads the environment again
    started: float  # time.monotonic() when the run began: IMS_DEADLINE and the cleanup count from it
    started_at: str  # and as UTC, for the card
    redact: Redactor = field(default_factory=Redactor)
    card: report_card.Card = field(default_factory=lambda: report_card.Card(report_card.contract_rules()))
    run: Run | None = None
    seed: Any = None
    reporter: Any = None  # pytest's terminal reporter, once the session has started
    # How the run stops.
    interrupted_by: str = ""
    deadline_hit: bool = False
    stop_pending: bool = False  # a stop was asked for (signal or deadline) ...
    stop_honoured: bool = False  # ... and reached the session as KeyboardInterrupt
    preflight_failure: str = ""
    exit_code: int = 0  # the run's exit code, once pytest_sessionfinish has settled it
    # What ran.
    plan: create_plan.Plan | None = None  # what the create budget pays for (contract_tests/plan.py)
    head_start: HeadStart = field(default_factory=lambda: HeadStart(None))
    collected_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # nodeid -> the rules it checks
    tests_total: int = 0
    tests_done: int = 0
    deselected: int = 0
    current_test: str = ""
    progress_at: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    ran: set[str] = field(default_factory=set)  # nodeids of the tests that ran (or were skipped)
    test_start: dict[str, int] = field(default_factory=dict)  # requests sent before a test's uncounted ones
    test_began: dict[str, int] = field(default_factory=dict)  # requests sent before the test began
    failures: list[Failure] = field(default_factory=list)
    # The end.
    cleanup_started: float = 0.0
    cleanup_lines: list[str] = field(default_factory=list)

    @property
    def settings(self) -> RunSettings:
        """The run's IMS_* settings (`config.settings`)."""
        return self.config.settings

    def stop_reason(self) -> str:
        """Why the run stopped before its end ("" when it did not)."""
        if self.deadline_hit:
            return f"IMS_DEADLINE={self.settings.deadline:g} s"
        if self.run is not None and self.run.session.keys.locked:
            return "the target locked the AK"
        return self.interrupted_by or ("Ctrl-C" if self.stop_pending else "")


STATE = pytest.StashKey[RunState]()
