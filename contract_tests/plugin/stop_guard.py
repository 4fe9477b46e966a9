"""The stop guard: SIGTERM, SIGINT and IMS_DEADLINE stop the run, and a stop is never lost.

Python runs a signal handler between any two bytecodes, and an exception raised while a gc
callback or a __del__ runs (Hypothesis keeps a gc callback) is ignored, not propagated: the stop
would be lost and the run would go on to spend its whole create budget. So the stop is also
remembered, and every request and every test start checks for it (`stop_if_asked`).
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

import pytest
from _pytest._code import Traceback  # pytest exports no public name for it

from contract_tests.plugin.state import RunState


class StopGuard:
    """Arms the signals and the deadline at the start; puts them back at the end."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        self.timer: threading.Timer | None = None
        self.previous_sigterm: Any = None
        self.previous_sigint: Any = None
        self.previous_unraisablehook: Any = None

    def arm(self) -> None:
        """Take SIGTERM and SIGINT, and start the deadline's timer."""
        if threading.current_thread() is threading.main_thread():
            self.previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)
            # A process started in the background by a shell inherits SIGINT ignored; the deadline
            # and `kill -INT` must still stop the run (and clean up), so SIGINT is always ours.
            self.previous_sigint = signal.signal(signal.SIGINT, self._on_sigint)
        timer = threading.Timer(self.state.settings.deadline, self._on_deadline, args=(threading.main_thread().ident,))
        timer.daemon = True
        timer.start()
        self.timer = timer

    def disarm(self) -> None:
        """Stop the deadline's timer: the tests are over."""
        if self.timer is not None:
            self.timer.cancel()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """After pytest's own hook is in place (pytest_configure), so everything else still reaches it."""
        self.previous_unraisablehook = sys.unraisablehook
        sys.unraisablehook = self._unraisable

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        self.state.interrupted_by = self.state.interrupted_by or "SIGTERM"
        self._on_sigint(signum, frame)

    def _on_sigint(self, signum: int, frame: FrameType | None) -> None:
        """Stop the run: raise KeyboardInterrupt here, and again at the next checkpoint if it is lost."""
        if not self.state.stop_honoured:
            self.state.stop_pending = True
        raise KeyboardInterrupt

    def stop_if_asked(self) -> None:
        """Raise the KeyboardInterrupt of a stop that has not reached the session yet."""
        if self.state.stop_pending and not self.state.stop_honoured:
            raise KeyboardInterrupt

    def _unraisable(self, unraisable: Any) -> None:
        """Keep a stop's KeyboardInterrupt, ignored where it landed, from failing the test it landed in."""
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and self.state.stop_pending:
            return  # stop_if_asked raises it again where it counts
        self.previous_unraisablehook(unraisable)

    def _on_deadline(self, main_thread: int | None) -> None:
        self.state.deadline_hit = True
        self.state.interrupted_by = f"IMS_DEADLINE={self.state.settings.deadline:g} s"
        if main_thread is not None:
            signal.pthread_kill(main_thread, signal.SIGINT)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """A stop asked for and lost where it landed stops the run before the next test."""
        self.stop_if_asked()

    @pytest.hookimpl(tryfirst=True)
    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """Drop traceback entries without a line number before pytest draws the interrupt.

        On CPython 3.11 a signal that lands while a generator resumes leaves a frame whose tb_lineno
        is None, and pytest's traceback drawing then fails with a TypeError instead of reporting Ctrl-C.
        """
        self.state.stop_honoured = True
        kept = []
        for entry in excinfo.traceback:
            try:
                entry.lineno  # noqa: B018  # the property itself is what fails
            except TypeError:
                continue
            kept.append(entry)
        excinfo.traceback = Traceback(kept)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """Put SIGTERM and SIGINT back as they were."""
        if self.previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self.previous_sigterm)
            self.previous_sigterm = None
        if self.previous_sigint is not None:
            signal.signal(signal.SIGINT, self.previous_sigint)
            self.previous_sigint = None
