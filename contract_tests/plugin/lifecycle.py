"""The run's life: its settings and target at the start, the preflight, the cleanup and the exit code at the end."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

import pytest

from contract_tests import cleanup
from contract_tests.embedded import embedded_mock
from contract_tests.plugin.progress import Progress
from contract_tests.plugin.state import RunState
from contract_tests.plugin.stop_guard import StopGuard
from contract_tests.profiles import PROFILE
from contract_tests.redact import RedactingFile
from contract_tests.run import (
    EXIT_INTERRUPTED,
    EXIT_UNAVAILABLE,
    EXIT_VIOLATIONS,
    Run,
    RunError,
    new_run,
    preflight,
    read_config,
)
from contract_tests.target import Target

SUMMARY_FILE = "summary.txt"


def start(config: pytest.Config) -> RunState:
    """Check every setting (a usage error names the bad one), pick the seed, clear stale reports."""
    try:
        run_config = read_config(os.environ)
    except RunError as error:
        raise pytest.UsageError(str(error)) from None
    run_settings = run_config.settings
    state = RunState(run_config, time.monotonic(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    credentials = run_config.credentials
    if credentials is not None:
        state.redact.add(credentials.token, credentials.secret_key, credentials.security_token)
        state.redact.add(*run_config.url_userinfo)
    if PROFILE == "thorough" and config.getoption("--hypothesis-seed") is None:
        config.option.hypothesis_seed = str(secrets.randbelow(2**32))
    state.seed = config.getoption("--hypothesis-seed")
    # A job wait is bounded by IMS_JOB_TIMEOUT; no per-test timeout may cut it shorter (a test waits
    # for at most three jobs one after the other).
    floor = 3 * run_settings.job_timeout + 120
    if float(config.getoption("timeout", None) or config.getini("timeout") or 0) < floor:
        config.option.timeout = floor
    # A run that dies must leave no verdict of an earlier run behind.
    stale_files = [getattr(config.option, "xmlpath", None), run_settings.reports_dir / SUMMARY_FILE]
    stale_files += [run_settings.reports_dir / f"report-card.{kind}" for kind in ("json", "md", "html")]
    for stale in stale_files:
        if stale:
            Path(stale).unlink(missing_ok=True)
    return state


class Lifecycle:
    """Opens the run (target, preflight) when a test first needs it; cleans up and settles the exit code."""

    def __init__(self, state: RunState, guard: StopGuard, progress: Progress) -> None:
        self.state = state
        self.guard = guard
        self.progress = progress

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Every line the terminal reporter writes goes through the redactor."""
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            writer = reporter._tw  # pytest exposes no public hook on the output stream
            writer._file = RedactingFile(writer._file, self.state.redact)
        self.state.reporter = reporter

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        """The run id comes first: it is what `make cleanup RUN_ID=...` needs if the run dies."""
        run_settings = self.state.settings
        return [f"ims contract run: {run_settings.run_id} (ledger: {run_settings.run_dir / 'ledger.jsonl'})"]

    def run(self) -> Run:
        """The run: its target (the embedded mock unless IMS_BASE_URL is set), preflight passed."""
        state = self.state
        if state.run is not None:
            return state.run
        run_settings = state.settings
        if state.config.base_url is not None:
            current = new_run(state.config.target(), run_settings)
        else:
            mock = embedded_mock()
            url, credentials = mock.__enter__()
            state.redact.add(credentials.token, credentials.secret_key)
            current = new_run(Target(url, credentials, embedded=True, max_creates=None), run_settings)
            current.closer.push(mock.__exit__)
        current.closer.callback(current.session.close)
        current.session.clock.ends_at = state.started + run_settings.deadline  # no request outlasts IMS_DEADLINE
        state.run = current
        current.session.after_request = self.progress.progress
        current.session.before_send = self.guard.stop_if_asked
        state.progress_at = time.monotonic()
        problem = preflight(current.session)
        if problem:
            state.preflight_failure = problem
            pytest.exit("preflight failed: see the lines above", returncode=EXIT_UNAVAILABLE)
        return current

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Stop the deadline, clean up what the run created, close the target, set the exit code."""
        state = self.state
        self.guard.disarm()
        stopped = state.stop_pending
        state.stop_honoured = True  # the cleanup's own requests go out; a new Ctrl-C still stops it
        current = state.run
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if state.preflight_failure and reporter is not None:
            # pytest prints no terminal summary for an exit code of its own choosing: say it here.
            reporter.write_line("")
            reporter.write_sep("=", "IMS contract: preflight failed", red=True)
            for line in [*state.preflight_failure.splitlines(), "nothing was sent but this one request"]:
                reporter.write_line(line)
        elif current is not None:
            self._finish(session, current)
        violations: list[object] = [failure for failure in state.failures if not failure.transport]
        if current is not None and current.ledger.foreign_images():
            violations.append("job.success names an image the create did not make")
        if current is not None and current.session.keys.locked and not violations:
            session.exitstatus = EXIT_UNAVAILABLE  # the credentials can no longer be used: say so, exit 69
        elif exitstatus == pytest.ExitCode.INTERRUPTED or state.deadline_hit or stopped:
            session.exitstatus = EXIT_VIOLATIONS if violations else EXIT_INTERRUPTED
        elif exitstatus == pytest.ExitCode.TESTS_FAILED:
            session.exitstatus = EXIT_VIOLATIONS if violations else EXIT_UNAVAILABLE
        elif exitstatus == pytest.ExitCode.OK and violations:
            session.exitstatus = EXIT_VIOLATIONS  # found by the cleanup: a job named an image not the run's
        state.exit_code = int(session.exitstatus)

    def _finish(self, session: pytest.Session, current: Run) -> None:
        state = self.state
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        said: list[str] = []

        def say(line: str) -> None:
            if reporter is not None:
                if not said:
                    reporter.write("\n")  # the progress line ("[100%]") is not always ended yet
                said.append(line)
                reporter.write_line(f"cleanup: {line}")

        if current.target.embedded:
            # The embedded mock stops with the run, and every image in it with it: nothing to delete.
            with contextlib.suppress(KeyboardInterrupt):
                current.closer.close()
            return
        command = cleanup.cleanup_command(current.settings.run_id)
        if state.interrupted_by or state.stop_pending or session.exitstatus == pytest.ExitCode.INTERRUPTED:
            stop = state.interrupted_by or "Ctrl-C"
            say(f"{stop}: cleaning up the run's images (Ctrl-C again to stop; then {command})")
        run_settings = current.settings
        # The cleanup's own budget, never past IMS_DEADLINE + IMS_CLEANUP_SECONDS from the run's start.
        current.session.clock.ends_at = state.started + run_settings.deadline + run_settings.cleanup_seconds
        state.cleanup_started = time.monotonic()
        try:
            result = cleanup.clean_up(
                current.session, say=say, budget=min(run_settings.cleanup_seconds, run_settings.job_timeout)
            )
            state.cleanup_lines = cleanup.report_lines(result, current.settings.run_id)
        except Exception as error:  # a cleanup that breaks must still say what may be left, not end in a traceback
            state.cleanup_lines = [f"cleanup failed ({type(error).__name__}: {error}); finish with: {command}"]
        finally:
            with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C must not skip stopping the mock
                current.closer.close()
