"""The progress line, and the counts of what ran: tests done, requests sent, each test's outcome."""

from __future__ import annotations

import contextlib
import time

import pytest

from contract_tests.plugin.state import RunState
from contract_tests.session import Exchange


class Progress:
    """Counts tests and requests, and at most every IMS_PROGRESS_SECONDS says where the run is."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def pytest_runtest_logstart(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        """Remember which test runs, for the progress line."""
        self.state.current_test = nodeid
        self.progress()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Every test's requests are counted from its own start (before the run exists, there were none)."""
        state = self.state
        began = len(state.run.session.exchanges) if state.run is not None else 0
        state.test_start[item.nodeid] = state.test_began[item.nodeid] = began

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count each test's outcome once, for the card's run facts."""
        state = self.state
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.nodeid in state.ran or report.nodeid not in state.collected_rules:
                return  # a subtest's report, or a test reported twice: counted once
            state.outcomes[report.outcome] = state.outcomes.get(report.outcome, 0) + 1
            state.ran.add(report.nodeid)

    def pytest_runtest_logfinish(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        """Count finished tests: the progress count only ever goes up."""
        self.state.tests_done += 1

    def progress(self, exchange: Exchange | None = None) -> None:
        """At most every IMS_PROGRESS_SECONDS, one line: tests done, requests sent, what runs now.

        Called after each request and as each test starts, on the main thread, so it never races
        the terminal; the count of finished tests only ever goes up.
        """
        state, now = self.state, time.monotonic()
        every = state.settings.progress_seconds
        if every <= 0 or now - state.progress_at < every or state.run is None or state.reporter is None:
            return
        state.progress_at = now
        session = state.run.session
        doing = f" ({exchange.method} {session.relative_path(exchange.url).split('?')[0]})" if exchange else ""
        line = f"ims: {state.tests_done}/{state.tests_total} tests done, {len(session.exchanges)} requests; now "
        capture = state.reporter.config.pluginmanager.get_plugin("capturemanager")
        # Mid-test, output is captured: step out of the capture for the line, as live logging does.
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            state.reporter.write_line(line + state.current_test + doing)
