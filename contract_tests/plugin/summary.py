"""The run's summary: printed, written to the reports folder, and the report card beside it."""

from __future__ import annotations

import time
from typing import Any

from contract_tests import card as report_card
from contract_tests import card_pages
from contract_tests.inert import inert
from contract_tests.plugin.lifecycle import SUMMARY_FILE
from contract_tests.plugin.state import RunState
from contract_tests.profiles import PROFILE
from contract_tests.run import Run, exit_meaning
from contract_tests.session import MAX_FAILED_SIGNATURES
from contract_tests.spec import SPEC, spec_version


class Summary:
    """Writes the card and the summary once the run has ended (cleanup included)."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the run's summary, and write it to the reports folder (fresh each run)."""
        state, current = self.state, self.state.run
        if current is None:
            if state.interrupted_by:  # stopped before the target was reached: nothing was sent
                terminalreporter.section("IMS contract summary")
                terminalreporter.write_line(f"stopped by {state.interrupted_by} before any request was sent")
            return
        for nodeid, rules in state.collected_rules.items():
            if nodeid not in state.ran and rules:
                state.card.not_run(rules, f"did not run: the run stopped first ({state.stop_reason() or 'stopped'})")
        facts = self.run_facts(current)
        card = report_card.masked(
            state.card.as_dict(current.target.base_url, current.settings.run_id, facts), state.redact
        )
        written = card_pages.write(card, current.settings.reports_dir, self.state.config.step_summary)
        tally = card_pages.counts(card)
        lines = self.lines(current)
        lines.append(
            f"report card: {tally['contradicted']} rules contradicted, {tally['confirmed']} confirmed, "
            f"{tally['not-exercised']} not exercised, {len(card['observations'])} observations ({written[-1]})"
        )
        lines = [inert(line) for line in lines]
        terminalreporter.section("IMS contract summary")
        for line in lines:
            terminalreporter.write_line(line)
        current.settings.reports_dir.mkdir(parents=True, exist_ok=True)
        text = state.redact("\n".join(lines) + "\n")
        (current.settings.reports_dir / SUMMARY_FILE).write_text(text, encoding="utf-8")

    def run_facts(self, current: Run) -> dict[str, Any]:
        """What the card says about the run itself: verdict, exit code, completeness, what ran."""
        state = self.state
        outcomes, collected = state.outcomes, state.tests_total
        ran = len(state.ran)
        incomplete = []
        if stopped := state.stop_reason():
            incomplete.append(f"stopped: {stopped}, {collected - ran} of {collected} test(s) not run")
        if state.deselected:
            incomplete.append(f"{state.deselected} test(s) deselected")
        if outcomes.get("skipped"):
            incomplete.append(f"{outcomes['skipped']} test(s) skipped")
        target = current.target
        budget = (
            "unlimited (the embedded mock)"
            if target.max_creates is None
            else f"IMS_MAX_CREATES={target.max_creates}: {target.creates_sent} sent, {target.creates_refused} withheld"
        )
        seed = state.seed if state.seed is not None else "fixed (derandomized)"
        return {
            "verdict": card_pages.VERDICTS.get(state.exit_code, exit_meaning(state.exit_code)),
            "exit_code": state.exit_code,
            "complete": not incomplete,
            "incomplete_because": incomplete,
            "tests": {
                "collected": collected + state.deselected,
                "run": ran,
                "passed": outcomes.get("passed", 0),
                "failed": outcomes.get("failed", 0),
                "skipped": outcomes.get("skipped", 0),
                "deselected": state.deselected,
            },
            "requests": len(current.session.exchanges),
            "profile": PROFILE,
            "seed": str(seed),
            "spec": f"{SPEC.name} {spec_version()}",
            "started": state.started_at,
            "seconds": round(time.monotonic() - state.started, 1),
            "create_budget": budget,
            "create_plan": state.plan.line() if state.plan else "",
        }

    def lines(self, current: Run) -> list[str]:
        """The summary's lines: the run, the target, what was sent and made, how it ended, the failures."""
        state = self.state
        target, session, run_settings = current.target, current.session, current.settings
        kind = "embedded mock" if target.embedded else "external server"
        lines = [
            f"run: {run_settings.run_id}",
            f"target: {target.base_url} ({kind}), auth: {target.credentials.scheme}",
        ]
        if state.config.url_userinfo:  # IMS_BASE_URL carried a user name or password (removed, never sent)
            lines.append(
                "IMS_BASE_URL carried a user name or password: removed, never sent or shown"
                " (the suite authenticates with IMS_AUTH_TOKEN or AK/SK only)"
            )
        if state.seed is not None:
            replay = f"IMS_PROFILE={PROFILE} PYTEST_ADDOPTS=--hypothesis-seed={state.seed} make contract"
            lines.append(f"profile: {PROFILE}, seed: {state.seed} (replay: {replay})")
        else:
            lines.append(f"profile: {PROFILE}, seed: fixed (derandomized; the same command replays the run)")
        operations = sorted({(e.method, session.relative_path(e.url)) for e in session.exchanges})
        lines.append(f"requests sent: {len(session.exchanges)} over {len(operations)} method/path pairs")
        lines.append(
            f"rate limit: {run_settings.rate or 'none'}; waited {session.pacing.limiter.waited:.1f} s on it and on"
            f" 429s ({session.pacing.throttled} throttled answers)"
        )
        lines += self._creates(current)
        if not target.embedded:
            took = (
                f"; the cleanup took {time.monotonic() - state.cleanup_started:.0f} s" if state.cleanup_started else ""
            )
            lines.append(
                f"time: IMS_DEADLINE={run_settings.deadline:g} s for the tests, then at most"
                f" IMS_CLEANUP_SECONDS={run_settings.cleanup_seconds:g} s for the cleanup{took}"
            )
        lines += state.cleanup_lines
        if session.keys.signatures_refused:
            lines.append(
                f"signatures of your AK refused: {session.keys.signatures_refused}, never more than"
                f" {MAX_FAILED_SIGNATURES} in a row (each followed by a valid one: the target's lockout is never"
                " reached)"
            )
        if session.keys.locked:
            lines.append(f"stopped: {session.keys.locked}")
        if state.deadline_hit:
            lines.append(f"stopped at IMS_DEADLINE={run_settings.deadline:g} s")
        elif state.interrupted_by:
            lines.append(f"stopped by {state.interrupted_by}")
        return lines + self._failures()

    def _creates(self, current: Run) -> list[str]:
        state, target, session = self.state, current.target, current.session
        lines = []
        if state.plan is not None and target.max_creates is not None:
            lines.append(state.plan.line())
        if target.max_creates is not None:
            lines.append(
                f"creates that could be accepted: {target.creates_sent} sent, {target.creates_refused} withheld "
                f"(IMS_MAX_CREATES={target.max_creates}"
                + ("; only requests that must be rejected were sent)" if target.max_creates == 0 else ")")
            )
        if target.creates_stopped:
            lines.append(f"no more creates were sent after {target.creates_stopped}: each would have waited as long")
        counts = current.ledger.counts()
        if target.embedded:
            lines.append(
                f"images of this run: {counts['creates']} creates sent; the embedded mock was stopped with all it"
                f" held ({session.ownership.ids_replaced} foreign ids replaced)"
            )
            return lines
        lines.append(
            f"images of this run: {counts['images']} created, {counts['deleted']} deleted, {counts['left']} left"
            f" ({counts['answers_lost']} create answers lost; {session.ownership.ids_replaced} foreign ids replaced)"
        )
        unproven = current.ledger.never_shown_marked()
        if unproven:
            shown = ", ".join(unproven[:10]) + (f" and {len(unproven) - 10} more" if len(unproven) > 10 else "")
            lines.append(
                f"images a job of this run named that the target never showed with the run's mark: {len(unproven)},"
                f" never touched (check them yourself): {shown}"
            )
        return lines

    def _failures(self) -> list[str]:
        failures = self.state.failures
        if not failures:
            return ["failures: none"]
        by_check: dict[str, int] = {}
        for failure in failures:
            for check in failure.checks:
                by_check[check] = by_check.get(check, 0) + 1
        lines = ["failures by check: " + ", ".join(f"{name} x{count}" for name, count in sorted(by_check.items()))]
        for failure in failures:
            transport = (
                " (transport: the network or the target's availability, not the contract)" if failure.transport else ""
            )
            lines.append(f"- {failure.nodeid}: {', '.join(failure.checks)}{transport}")
            if failure.replay:
                lines.append(f"    replay: {failure.replay}")
        return lines
