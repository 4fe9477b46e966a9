"""The card recorder: each test's report becomes the card's verdict on its rules, secrets masked.

A failure that names its rules (`checks.Violation`) contradicts those; the session's own checks and
Schemathesis's contradict the rules the card maps them to; the run's own choices (throttled,
withheld, a locked AK) are skips; what the contract leaves open on live services is observed.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
import requests

from contract_tests import card as report_card
from contract_tests.inert import inert
from contract_tests.plugin.collection import rules_of
from contract_tests.plugin.state import Failure, RunState
from contract_tests.session import AccessKeyLocked, AnswerLost, Throttled
from contract_tests.target import Withheld

# Failures that say nothing about the contract: the network or the target's availability.
TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout, AnswerLost)
# Outcomes that are the run's own choice, never the target's fault: reported as skipped.
NOT_TESTED = (Throttled, Withheld, AccessKeyLocked)


def leaves(error: BaseException) -> list[BaseException]:
    """The exceptions inside `error`, groups opened."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def all_leaves(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether every exception inside `error` is (or was caused by) one of `kinds`."""
    found = leaves(error)
    return bool(found) and all(isinstance(leaf, kinds) or isinstance(leaf.__cause__, kinds) for leaf in found)


def first_leaf(error: BaseException) -> str:
    """The first exception inside `error`, as text."""
    return str(leaves(error)[0])


def check_names(error: BaseException) -> list[str]:
    """The names of the checks inside a Schemathesis failure group, else []."""
    inner = getattr(error, "exceptions", None)
    if not inner:
        return []
    return sorted({type(e).__name__ for e in inner})


class CardRecorder:
    """Fills the card from every report, keeps the failures for the summary, masks every report."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
        """Mask secrets in every report; report the run's own choices as skips; remember failures."""
        report: pytest.TestReport = yield
        state = self.state
        error = call.excinfo.value if call.excinfo is not None else None
        if state.run is not None and state.run.session.keys.locked:
            item.session.shouldstop = "the target locked the AK"  # nothing more is sent with it
        if report.failed and error is not None and all_leaves(error, (KeyboardInterrupt,)):
            # A stop landed in this test (a Schemathesis subtest reports it as its own failure): it
            # says nothing of the target. The run ends as interrupted; the card says what did not run.
            self.redact_report(report)
            return report
        if report.failed and error is not None and all_leaves(error, NOT_TESTED):
            report.outcome = "skipped"
            report.longrepr = (str(item.path), (item.location[1] or 0) + 1, f"Skipped: {first_leaf(error)}")
        elif report.failed and error is not None and call.when == "call" and self._only_open(item):
            # What the contract leaves open on live services is reported, not failed.
            state.card.observe(
                f"{', '.join(rules_of(item))}: {item.nodeid.split('::')[-1]}",
                state.redact(first_leaf(error))[:800],
                state.redact(self._replay(item.nodeid, error)),
            )
            state.card.skip(rules_of(item), "open on live services: what the target did is under observations")
            report.outcome = "passed"
            report.longrepr = None
            self.redact_report(report)
            return report
        elif report.failed and error is not None and call.when == "call":
            state.failures.append(
                Failure(
                    item.nodeid,
                    check_names(error) or [item.name.split("[")[0]],
                    self._replay(item.nodeid, error),
                    all_leaves(error, TRANSPORT_ERRORS),
                )
            )
        if call.when == "call" or report.skipped:
            self._fill_card(item, report, error)
        self.redact_report(report)
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Generator[None, Any, Any]:
        """Mask secrets in collection reports too."""
        report: pytest.CollectReport = yield
        self.redact_report(report)
        return report

    def redact_report(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        """Secrets masked, and what the target sent made inert (no terminal control, no invalid XML)."""
        redact = self.state.redact
        if isinstance(report.longrepr, tuple):
            path, line, reason = report.longrepr
            report.longrepr = (path, line, inert(redact(reason)))
        elif report.longrepr is not None:
            text = str(report.longrepr)
            cleaned = inert(redact(text))
            if cleaned != text:
                report.longrepr = cleaned
        report.sections = [(title, inert(redact(content))) for title, content in report.sections]

    def _only_open(self, item: pytest.Item) -> bool:
        rules = rules_of(item)
        external = self.state.run is not None and not self.state.run.target.embedded
        return external and bool(rules) and set(rules) <= report_card.LIVE_OPEN

    def _fill_card(self, item: pytest.Item, report: pytest.TestReport, error: BaseException | None) -> None:
        rules = rules_of(item)
        if not rules:
            return
        state, card = self.state, self.state.card
        # The requests since this test's last report (a test with subtests reports more than once),
        # so that no request is counted twice for a rule.
        now = len(state.run.session.exchanges) if state.run else 0
        # A Schemathesis subtest (`test_every_operation_conforms[GET /v2/cloudimages]`) counts from
        # where its test last counted: its own node id was never set up.
        key = item.nodeid if item.nodeid in state.test_start else item.nodeid.partition("[")[0]
        sent = now - state.test_start.get(key, now)
        state.test_start[key] = now
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr or "")
            card.skip(rules, reason.removeprefix("Skipped: "))
        elif report.passed and report.when == "call":
            # Every answer of a passing test came within IMS_MAX_RESPONSE_SECONDS (response.time).
            confirmed = (*rules, "response.time") if sent and "response.time" not in rules else rules
            card.confirm(confirmed, sent, key)
        elif report.failed and error is not None and all_leaves(error, TRANSPORT_ERRORS):
            card.skip(rules, f"no answer from the target: {first_leaf(error)[:200]}")
        elif report.failed and error is not None:
            replay = state.redact(self._replay(item.nodeid, error))
            found = [leaf for leaf in leaves(error) if type(leaf).__name__ not in report_card.OBSERVED_FAILURES]
            for leaf in found:
                card.contradict(self._failed_rules(leaf, rules), item.nodeid, state.redact(str(leaf)), replay)

    def _failed_rules(self, leaf: BaseException, rules: tuple[str, ...]) -> tuple[str, ...]:
        kind = type(leaf).__name__
        named = self._named_rules(leaf)
        if named:  # a check that names the rules it enforces (checks.Violation): those, and no others
            return named
        if kind in report_card.CHECK_RULES and not hasattr(leaf, "operation"):  # the session's own checks
            return report_card.CHECK_RULES[kind]
        if hasattr(leaf, "title") and hasattr(leaf, "operation"):  # a Schemathesis check's failure
            return report_card.rules_of_failure(kind, str(leaf.title), leaf.operation) or rules
        return rules

    def _named_rules(self, leaf: BaseException) -> tuple[str, ...]:
        """The rules a failure names itself (a checks.Violation, or one a Schemathesis failure wraps)."""
        for cause in (leaf, leaf.__cause__, leaf.__context__):
            rules = getattr(cause, "rules", None)
            if isinstance(rules, tuple) and rules and all(self.state.card.known(rule) for rule in rules):
                return rules
        return ()

    def _replay(self, nodeid: str, error: BaseException) -> str:
        """The failing request as a curl command: the one the failure names, else the test's last one."""
        for leaf in leaves(error):
            for note in getattr(leaf, "__notes__", []):
                if isinstance(note, str) and note.startswith("replay: "):
                    return note.removeprefix("replay: ")
        for line in str(error).splitlines():
            if line.strip().startswith("curl -X"):
                return line.strip()
        current = self.state.run
        if current is None or len(current.session.exchanges) <= self.state.test_began.get(nodeid, 0):
            return ""
        last = current.session.last_exchange()
        return f"{last.as_curl()}  # the test's last request" if last else ""
