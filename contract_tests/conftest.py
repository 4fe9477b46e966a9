"""Contract-suite fixtures and the run's life: start, preflight, deadline, cleanup, summary, exit code.

Environment (see also `settings.py` for the run's bounds and `run.py` for the exit codes):
  IMS_BASE_URL      a server to test instead of the embedded mock (may carry a path prefix)
  IMS_AUTH_TOKEN    a token; or HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK for AK/SK signing
                    (+ HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials from STS)
  HUAWEICLOUD_SDK_PROJECT_ID (or IMS_PROJECT_ID)  the project of those credentials
  IMS_MAX_CREATES   creates that may be accepted by a non-embedded target (default 0)
  IMS_PROFILE       `ci` (default: fixed seed, fast) or `thorough` (many more examples, random seed)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import requests
import schemathesis
from _pytest._code import Traceback  # pytest exports no public name for it

from contract_tests import card as report_card
from contract_tests import cleanup
from contract_tests import plan as create_plan
from contract_tests.api import Api
from contract_tests.embedded import embedded_mock
from contract_tests.head_start import HeadStart, Started
from contract_tests.inert import inert
from contract_tests.profiles import PROFILE, load_profile
from contract_tests.redact import RedactingFile, Redactor
from contract_tests.run import (
    EXIT_INTERRUPTED,
    EXIT_UNAVAILABLE,
    EXIT_VIOLATIONS,
    Run,
    RunError,
    check_env,
    exit_meaning,
    is_external,
    new_run,
    preflight,
)
from contract_tests.session import (
    MAX_FAILED_SIGNATURES,
    AccessKeyLocked,
    AnswerLost,
    ContractSession,
    Exchange,
    Throttled,
)
from contract_tests.settings import RunSettings
from contract_tests.spec import SPEC, load_schema, spec_version
from contract_tests.target import Target, Withheld, base_url_from_env, credentials_from_env, max_creates_from_env

load_profile()

# Failures that say nothing about the contract: the network or the target's availability.
TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout, AnswerLost)
# Outcomes that are the run's own choice, never the target's fault: reported as skipped.
NOT_TESTED = (Throttled, Withheld, AccessKeyLocked)
SUMMARY_FILE = "summary.txt"


@dataclass
class Failure:
    """One failed test, for the summary."""

    nodeid: str
    checks: list[str]
    replay: str
    transport: bool


class _State:
    """What the run's hooks share (pytest hooks are functions; the run is one per process)."""

    settings: RunSettings | None = None
    run: Run | None = None
    redact = Redactor()
    failures: list[Failure] = []  # noqa: RUF012  # one list per process, by design
    seed: Any = None
    deadline_timer: threading.Timer | None = None
    deadline_hit = False
    interrupted_by: str = ""
    cleanup_lines: list[str] = []  # noqa: RUF012
    test_start: dict[str, int] = {}  # noqa: RUF012  # requests sent before a test's not yet counted ones
    test_began: dict[str, int] = {}  # noqa: RUF012  # requests sent before the test began
    previous_sigterm: Any = None
    previous_sigint: Any = None
    previous_unraisablehook: Any = None
    stop_pending = False  # a stop was asked for (signal or deadline) ...
    stop_honoured = False  # ... and reached the session as KeyboardInterrupt
    preflight_failure = ""
    card = report_card.Card(report_card.contract_rules())
    tests_total = 0
    tests_done = 0
    current_test = ""
    progress_at = 0.0
    reporter: Any = None
    started = 0.0  # time.monotonic() when the run began: IMS_DEADLINE and the cleanup count from it
    started_at = ""  # and as UTC, for the card
    deselected = 0
    outcomes: dict[str, int] = {}  # noqa: RUF012  # one per process, by design
    ran: set[str] = set()  # noqa: RUF012  # nodeids of the tests that ran (or were skipped)
    plan: create_plan.Plan | None = None  # what the create budget pays for (contract_tests/plan.py)
    head_start = HeadStart(None)  # the plan's creates, sent together (contract_tests/head_start.py)
    exit_code = 0  # the run's exit code, once pytest_sessionfinish has settled it
    collected_rules: dict[str, tuple[str, ...]] = {}  # noqa: RUF012  # nodeid -> the rules it checks
    cleanup_started = 0.0
    url_userinfo = False  # IMS_BASE_URL carried a user name or password (removed, never sent)


# --- start -------------------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Check every setting, pick the seed, clear stale reports, and arm SIGTERM and the deadline."""
    try:
        run_settings = check_env(os.environ)
    except RunError as error:
        raise pytest.UsageError(str(error)) from None
    _State.settings = run_settings
    _State.started = time.monotonic()
    _State.started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    credentials = credentials_from_env(os.environ) if is_external(os.environ) else None
    if credentials is not None:
        _State.redact.add(credentials.token, credentials.secret_key, credentials.security_token)
        userinfo = base_url_from_env(os.environ)[1]
        _State.redact.add(*userinfo)
        _State.url_userinfo = bool(userinfo)
    if PROFILE == "thorough" and config.getoption("--hypothesis-seed") is None:
        config.option.hypothesis_seed = str(secrets.randbelow(2**32))
    _State.seed = config.getoption("--hypothesis-seed")
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
    if config.option.collectonly or config.option.help:
        return
    if threading.current_thread() is threading.main_thread():
        _State.previous_sigterm = signal.signal(signal.SIGTERM, _on_sigterm)
        # A process started in the background by a shell inherits SIGINT ignored; the deadline
        # and `kill -INT` must still stop the run (and clean up), so SIGINT is always ours.
        _State.previous_sigint = signal.signal(signal.SIGINT, _on_sigint)
    timer = threading.Timer(run_settings.deadline, _on_deadline, args=(threading.main_thread().ident,))
    timer.daemon = True
    timer.start()
    _State.deadline_timer = timer


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Every line the terminal reporter writes goes through the redactor."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        writer = reporter._tw  # pytest exposes no public hook on the output stream
        writer._file = RedactingFile(writer._file, _State.redact)
    _State.reporter = reporter
    # After pytest's own hook is in place (pytest_configure), so everything else still reaches it.
    _State.previous_unraisablehook = sys.unraisablehook
    sys.unraisablehook = _unraisable


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _State.interrupted_by = _State.interrupted_by or "SIGTERM"
    _on_sigint(signum, frame)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    """Stop the run: raise KeyboardInterrupt here, and again at the next checkpoint if it is lost.

    Python runs a signal handler between any two bytecodes, and an exception raised while a gc
    callback or a __del__ runs (Hypothesis keeps a gc callback) is ignored, not propagated: the stop
    would be lost and the run would go on to spend its whole create budget. So the stop is also
    remembered, and every request and every test start checks for it (_stop_if_asked).
    """
    if not _State.stop_honoured:
        _State.stop_pending = True
    raise KeyboardInterrupt


def _stop_if_asked() -> None:
    """Raise the KeyboardInterrupt of a stop that has not reached the session yet."""
    if _State.stop_pending and not _State.stop_honoured:
        raise KeyboardInterrupt


def _unraisable(unraisable: Any) -> None:
    """Keep a stop's KeyboardInterrupt, ignored where it landed, from failing the test it landed in."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _State.stop_pending:
        return  # _stop_if_asked raises it again where it counts
    _State.previous_unraisablehook(unraisable)


def _on_deadline(main_thread: int | None) -> None:
    _State.deadline_hit = True
    _State.interrupted_by = f"IMS_DEADLINE={_State.settings.deadline if _State.settings else 0:g} s"
    if main_thread is not None:
        signal.pthread_kill(main_thread, signal.SIGINT)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The run id comes first: it is what `make cleanup RUN_ID=...` needs if the run dies."""
    run_settings = _State.settings
    if run_settings is None:
        return []
    return [f"ims contract run: {run_settings.run_id} (ledger: {run_settings.run_dir / 'ledger.jsonl'})"]


@pytest.fixture(scope="session")
def run() -> Run:
    """The run: its target (the embedded mock unless IMS_BASE_URL is set), preflight passed."""
    if _State.run is not None:
        return _State.run
    run_settings = _State.settings
    assert run_settings is not None
    if is_external(os.environ):
        credentials = credentials_from_env(os.environ)
        assert credentials is not None  # check_env made sure
        target = Target(base_url_from_env(os.environ)[0], credentials, False, max_creates_from_env())
        current = new_run(target, run_settings)
    else:
        mock = embedded_mock()
        url, credentials = mock.__enter__()
        _State.redact.add(credentials.token, credentials.secret_key)
        current = new_run(Target(url, credentials, embedded=True, max_creates=None), run_settings)
        current.closer.push(mock.__exit__)
    current.closer.callback(current.session.close)
    current.session.ends_at = _State.started + run_settings.deadline  # no request outlasts IMS_DEADLINE
    _State.run = current
    current.session.after_request = _progress
    current.session.before_send = _stop_if_asked
    _State.progress_at = time.monotonic()
    problem = preflight(current.session)
    if problem:
        _State.preflight_failure = problem
        pytest.exit("preflight failed: see the lines above", returncode=EXIT_UNAVAILABLE)
    return current


@pytest.fixture(scope="session")
def target(run: Run) -> Target:
    """The server under test."""
    return run.target


@pytest.fixture(scope="session")
def http(run: Run) -> ContractSession:
    """The one HTTP session all requests of the run go through."""
    return run.session


@pytest.fixture
def api(target: Target, http: ContractSession, card: report_card.Card) -> Iterator[Api]:
    """Helpers over the session for the end-to-end tests; deletes what a failed test left behind."""
    helper = Api(target, http, card)
    yield helper
    for image_id in helper.created_images:
        helper.http.delete(target.url(f"/v2/images/{image_id}"), headers=target.credential_headers(), timeout=30)


@pytest.fixture
def started(request: pytest.FixtureRequest, api: Api) -> list[Started]:
    """The creates of the test (`@pytest.mark.creates(n, part, bodies=)`): sent with the plan's, or now."""
    return _State.head_start.take(request.node, api)


@pytest.fixture(scope="session")
def ims_schema(target: Target) -> schemathesis.BaseSchema:
    """The spec, loaded from the file with the suite's own Schemathesis configuration."""
    return load_schema(target.base_url, target.credentials.project_id, target.credential_headers())


# --- each test ---------------------------------------------------------------------------------------

SCHEMATHESIS_TESTS = ("test_every_operation_conforms", "test_stateful_workflows_conform")


def pytest_collection_finish(session: pytest.Session) -> None:
    """How many tests will run (after -k and the like), for the progress line; which rules each checks."""
    _State.tests_total = len(session.items)
    _State.collected_rules = {item.nodeid: rules_of(item) for item in session.items}
    if _State.plan is not None and _State.plan.budget is not None and _State.reporter is not None:
        _State.reporter.write_line(_State.plan.line())  # before any create: what the budget buys


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Remember which test runs, for the progress line."""
    _State.current_test = nodeid
    _progress()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A stop asked for and lost where it landed stops the run before the next test; count from here."""
    _stop_if_asked()
    # Every test's requests are counted from its own start (before the run exists, there were none).
    began = len(_State.run.session.exchanges) if _State.run is not None else 0
    _State.test_start[item.nodeid] = _State.test_began[item.nodeid] = began


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Tests left out by -k or -m: their rules are not exercised, and the run is not complete."""
    _State.deselected += len(items)
    for item in items:
        _State.card.not_run(rules_of(item), "deselected (-k or -m): its tests did not run")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each test's outcome once, for the card's run facts."""
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if report.nodeid in _State.ran or report.nodeid not in _State.collected_rules:
            return  # a subtest's report, or a test reported twice: counted once
        _State.outcomes[report.outcome] = _State.outcomes.get(report.outcome, 0) + 1
        _State.ran.add(report.nodeid)


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Count finished tests: the progress count only ever goes up."""
    _State.tests_done += 1


def _progress(exchange: Exchange | None = None) -> None:
    """At most every IMS_PROGRESS_SECONDS, one line: tests done, requests sent, what runs now.

    Called after each request and as each test starts, on the main thread, so it never races the
    terminal; the count of finished tests only ever goes up.
    """
    now = time.monotonic()
    every = _State.settings.progress_seconds if _State.settings else 0
    if every <= 0 or now - _State.progress_at < every or _State.run is None:
        return
    _State.progress_at = now
    session = _State.run.session
    doing = f" ({exchange.method} {session.relative_path(exchange.url).split('?')[0]})" if exchange else ""
    if _State.reporter is None:
        return
    line = f"ims: {_State.tests_done}/{_State.tests_total} tests done, {len(session.exchanges)} requests; now "
    capture = _State.reporter.config.pluginmanager.get_plugin("capturemanager")
    # Mid-test, output is captured: step out of the capture for the line, as live logging does.
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        _State.reporter.write_line(line + _State.current_test + doing)


# Quick, targeted tests first and the ones that draw many examples, wait for jobs or fuzz last: a
# broken server fails fast (-x stops at the first failure), and a run cut short has checked the
# most rules. (module, test) pairs; a None test stands for the rest of the module.
ORDER = (
    ("test_protocol", None),
    ("test_properties", "test_every_rule_at_its_edges"),
    ("test_lifecycle", None),
    ("test_properties", None),
    ("test_schemathesis", None),
)


def _rank(item: pytest.Item) -> int:
    stem, name = item.path.stem, item.name.split("[")[0]
    for rank, (module, test) in enumerate(ORDER):
        if stem == module and test in (None, name):
            return rank
    return len(ORDER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests (ORDER, then the create plan); every test names the rules it checks (`@pytest.mark.rules`)."""
    items.sort(key=_rank)  # stable: each module keeps its own order
    # The run starts with its first test; its budget is already known (check_env read it).
    _State.plan = create_plan.make(items, max_creates_from_env() if is_external(os.environ) else None)
    create_plan.apply(_State.plan, items)
    _State.head_start = HeadStart(_State.plan)
    problems = []
    for item in items:
        if item.path.parent.name != "contract_tests" or item.name.split("[")[0] in SCHEMATHESIS_TESTS:
            continue
        marker = item.get_closest_marker("rules")
        if marker is None or not marker.args:
            problems.append(f"{item.nodeid}: no @pytest.mark.rules(...)")
            continue
        problems += [f"{item.nodeid}: unknown rule {r!r}" for r in marker.args if not _State.card.known(r)]
    if problems:
        raise pytest.UsageError("every contract test names rules of docs/contract.md:\n" + "\n".join(problems))


def rules_of(item: pytest.Item) -> tuple[str, ...]:
    """The rules `item` checks: its marker's, or for a Schemathesis test those its checks cover."""
    marker = item.get_closest_marker("rules")
    if marker is not None:
        return tuple(marker.args)
    name = item.name.split("[")[0]
    if name == "test_every_operation_conforms":
        # One item for every operation (Schemathesis runs them as subtests): it speaks for them all.
        operation = report_card.operation_rule(item.name.partition("[")[2].rstrip("]"))
        operations = [operation] if operation else list(report_card.OPERATIONS.values())
        extra = [rule for op in operations for rule in report_card.OPERATION_CHECKS.get(op, ())]
        return tuple(dict.fromkeys([*report_card.SCHEMATHESIS_RULES, *operations, *extra]))
    if name == "test_stateful_workflows_conform":
        return (*report_card.SCHEMATHESIS_RULES, "job.queryable", "delete.gone")
    return ()


def _only_open(item: pytest.Item) -> bool:
    rules = rules_of(item)
    external = _State.run is not None and not _State.run.target.embedded
    return external and bool(rules) and set(rules) <= report_card.LIVE_OPEN


@pytest.fixture(scope="session")
def card() -> report_card.Card:
    """The run's report card, for tests that record observations."""
    return _State.card


def _fill_card(item: pytest.Item, report: pytest.TestReport, error: BaseException | None) -> None:
    rules = rules_of(item)
    if not rules:
        return
    current = _State.run
    # The requests since this test's last report (a test with subtests reports more than once), so
    # that no request is counted twice for a rule.
    now = len(current.session.exchanges) if current else 0
    # A Schemathesis subtest (`test_every_operation_conforms[GET /v2/cloudimages]`) counts from
    # where its test last counted: its own node id was never set up.
    key = item.nodeid if item.nodeid in _State.test_start else item.nodeid.partition("[")[0]
    sent = now - _State.test_start.get(key, now)
    _State.test_start[key] = now
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr or "")
        _State.card.skip(rules, reason.removeprefix("Skipped: "))
    elif report.passed and report.when == "call":
        # Every answer of a passing test came within IMS_MAX_RESPONSE_SECONDS (response.time).
        confirmed = (*rules, "response.time") if sent and "response.time" not in rules else rules
        _State.card.confirm(confirmed, sent, key)
    elif report.failed and error is not None and _all_leaves(error, TRANSPORT_ERRORS):
        _State.card.skip(rules, f"no answer from the target: {_first_leaf(error)[:200]}")
    elif report.failed and error is not None:
        replay = _State.redact(_replay(item.nodeid, error))
        leaves = [leaf for leaf in _leaves(error) if type(leaf).__name__ not in report_card.OBSERVED_FAILURES]
        for leaf in leaves:
            kind = type(leaf).__name__
            failed = rules
            named = _named_rules(leaf)
            if named:  # a check that names the rules it enforces (checks.Violation): those, and no others
                failed = named
            elif kind in report_card.CHECK_RULES and not hasattr(leaf, "operation"):  # the session's own checks
                failed = report_card.CHECK_RULES[kind]
            elif hasattr(leaf, "title") and hasattr(leaf, "operation"):  # a Schemathesis check's failure
                failed = report_card.rules_of_failure(kind, str(leaf.title), leaf.operation) or rules
            _State.card.contradict(failed, item.nodeid, _State.redact(str(leaf)), replay)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Mask secrets in every report; report the run's own choices as skips; remember failures."""
    report: pytest.TestReport = yield
    error = call.excinfo.value if call.excinfo is not None else None
    if _State.run is not None and _State.run.session.locked:
        item.session.shouldstop = "the target locked the AK"  # nothing more is sent with it
    if report.failed and error is not None and _all_leaves(error, (KeyboardInterrupt,)):
        # A stop landed in this test (a Schemathesis subtest reports it as its own failure): it says
        # nothing of the target. The run ends as interrupted, and the card says what did not run.
        _redact_report(report)
        return report
    if report.failed and error is not None and _all_leaves(error, NOT_TESTED):
        report.outcome = "skipped"
        report.longrepr = (str(item.path), (item.location[1] or 0) + 1, f"Skipped: {_first_leaf(error)}")
    elif report.failed and error is not None and call.when == "call" and _only_open(item):
        # What the contract leaves open on live services is reported, not failed.
        _State.card.observe(
            f"{', '.join(rules_of(item))}: {item.nodeid.split('::')[-1]}",
            _State.redact(_first_leaf(error))[:800],
            _State.redact(_replay(item.nodeid, error)),
        )
        _State.card.skip(rules_of(item), "open on live services: what the target did is under observations")
        report.outcome = "passed"
        report.longrepr = None
        _redact_report(report)
        return report
    elif report.failed and error is not None and call.when == "call":
        _State.failures.append(
            Failure(
                item.nodeid,
                _check_names(error) or [item.name.split("[")[0]],
                _replay(item.nodeid, error),
                _all_leaves(error, TRANSPORT_ERRORS),
            )
        )
    if call.when == "call" or report.skipped:
        _fill_card(item, report, error)
    _redact_report(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    """Mask secrets in collection reports too."""
    report: pytest.CollectReport = yield
    _redact_report(report)
    return report


def _redact_report(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Secrets masked, and what the target sent made inert (no terminal control, no invalid XML)."""
    if isinstance(report.longrepr, tuple):
        path, line, reason = report.longrepr
        report.longrepr = (path, line, inert(_State.redact(reason)))
    elif report.longrepr is not None:
        text = str(report.longrepr)
        cleaned = inert(_State.redact(text))
        if cleaned != text:
            report.longrepr = cleaned
    report.sections = [(title, inert(_State.redact(content))) for title, content in report.sections]


def _named_rules(leaf: BaseException) -> tuple[str, ...]:
    """The rules a failure names itself (a checks.Violation, or one a Schemathesis failure wraps)."""
    for cause in (leaf, leaf.__cause__, leaf.__context__):
        rules = getattr(cause, "rules", None)
        if isinstance(rules, tuple) and rules and all(_State.card.known(rule) for rule in rules):
            return rules
    return ()


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def _all_leaves(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    leaves = _leaves(error)
    return bool(leaves) and all(isinstance(leaf, kinds) or isinstance(leaf.__cause__, kinds) for leaf in leaves)


def _first_leaf(error: BaseException) -> str:
    return str(_leaves(error)[0])


def _check_names(error: BaseException) -> list[str]:
    """The names of the checks inside a Schemathesis failure group, else []."""
    inner = getattr(error, "exceptions", None)
    if not inner:
        return []
    return sorted({type(e).__name__ for e in inner})


def _replay(nodeid: str, error: BaseException) -> str:
    """The failing request as a curl command: the one the failure names, else the test's last one."""
    for leaf in _leaves(error):
        for note in getattr(leaf, "__notes__", []):
            if isinstance(note, str) and note.startswith("replay: "):
                return note.removeprefix("replay: ")
    text = str(error)
    for line in text.splitlines():
        if line.strip().startswith("curl -X"):
            return line.strip()
    current = _State.run
    if current is None or len(current.session.exchanges) <= _State.test_began.get(nodeid, 0):
        return ""
    last = current.session.last_exchange()
    return f"{last.as_curl()}  # the test's last request" if last else ""


# --- the end -----------------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the deadline, clean up what the run created, close the target, set the exit code."""
    if _State.deadline_timer is not None:
        _State.deadline_timer.cancel()
    stopped = _State.stop_pending
    _State.stop_honoured = True  # the cleanup's own requests go out; a new Ctrl-C still stops it
    current = _State.run
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _State.preflight_failure and reporter is not None:
        # pytest prints no terminal summary for an exit code of its own choosing: say it here.
        reporter.write_line("")
        reporter.write_sep("=", "IMS contract: preflight failed", red=True)
        for line in [*_State.preflight_failure.splitlines(), "nothing was sent but this one request"]:
            reporter.write_line(line)
    elif current is not None:
        _finish(session, current)
    violations: list[Any] = [failure for failure in _State.failures if not failure.transport]
    if current is not None and current.ledger.foreign_images():
        violations.append("job.success names an image the create did not make")
    if current is not None and current.session.locked and not violations:
        session.exitstatus = EXIT_UNAVAILABLE  # the credentials can no longer be used: say so, exit 69
    elif exitstatus == pytest.ExitCode.INTERRUPTED or _State.deadline_hit or stopped:
        session.exitstatus = EXIT_VIOLATIONS if violations else EXIT_INTERRUPTED
    elif exitstatus == pytest.ExitCode.TESTS_FAILED:
        session.exitstatus = EXIT_VIOLATIONS if violations else EXIT_UNAVAILABLE
    elif exitstatus == pytest.ExitCode.OK and violations:
        session.exitstatus = EXIT_VIOLATIONS  # found by the cleanup: a job named an image not the run's
    _State.exit_code = int(session.exitstatus)


def _finish(session: pytest.Session, current: Run) -> None:
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
    if _State.interrupted_by or _State.stop_pending or session.exitstatus == pytest.ExitCode.INTERRUPTED:
        command = cleanup.cleanup_command(current.settings.run_id)
        say(f"{_State.interrupted_by or 'Ctrl-C'}: cleaning up the run's images (Ctrl-C again to stop; then {command})")
    run_settings = current.settings
    # The cleanup's own budget, never past IMS_DEADLINE + IMS_CLEANUP_SECONDS from the run's start.
    current.session.ends_at = _State.started + run_settings.deadline + run_settings.cleanup_seconds
    _State.cleanup_started = time.monotonic()
    try:
        result = cleanup.clean_up(
            current.session, say=say, budget=min(run_settings.cleanup_seconds, run_settings.job_timeout)
        )
        _State.cleanup_lines = cleanup.report_lines(result, current.settings.run_id)
    except Exception as error:  # a cleanup that breaks must still say what may be left, not end in a traceback
        command = cleanup.cleanup_command(current.settings.run_id)
        _State.cleanup_lines = [f"cleanup failed ({type(error).__name__}: {error}); finish with: {command}"]
    finally:
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C must not skip stopping the mock
            current.closer.close()


@pytest.hookimpl(tryfirst=True)
def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """Drop traceback entries without a line number before pytest draws the interrupt.

    On CPython 3.11 a signal that lands while a generator resumes leaves a frame whose tb_lineno is
    None, and pytest's traceback drawing then fails with a TypeError instead of reporting Ctrl-C.
    """
    _State.stop_honoured = True
    kept = []
    for entry in excinfo.traceback:
        try:
            entry.lineno  # noqa: B018  # the property itself is what fails
        except TypeError:
            continue
        kept.append(entry)
    excinfo.traceback = Traceback(kept)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put SIGTERM and SIGINT back as they were."""
    if _State.previous_sigterm is not None:
        signal.signal(signal.SIGTERM, _State.previous_sigterm)
        _State.previous_sigterm = None
    if _State.previous_sigint is not None:
        signal.signal(signal.SIGINT, _State.previous_sigint)
        _State.previous_sigint = None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the run's summary, and write it to the reports folder (fresh each run)."""
    current = _State.run
    if current is None:
        if _State.interrupted_by:  # stopped before the target was reached: nothing was sent
            terminalreporter.section("IMS contract summary")
            terminalreporter.write_line(f"stopped by {_State.interrupted_by} before any request was sent")
        return
    for nodeid, rules in _State.collected_rules.items():
        if nodeid not in _State.ran and rules:
            _State.card.not_run(rules, f"did not run: the run stopped first ({_stop_reason() or 'stopped'})")
    facts = _run_facts(current)
    card = report_card.masked(
        _State.card.as_dict(current.target.base_url, current.settings.run_id, facts), _State.redact
    )
    written = report_card.write(card, current.settings.reports_dir, os.environ.get("GITHUB_STEP_SUMMARY"))
    tally = report_card.counts(card)
    lines = _summary(current)
    lines.append(
        f"report card: {tally['contradicted']} rules contradicted, {tally['confirmed']} confirmed, "
        f"{tally['not-exercised']} not exercised, {len(card['observations'])} observations ({written[-1]})"
    )
    lines = [inert(line) for line in lines]
    terminalreporter.section("IMS contract summary")
    for line in lines:
        terminalreporter.write_line(line)
    current.settings.reports_dir.mkdir(parents=True, exist_ok=True)
    text = _State.redact("\n".join(lines) + "\n")
    (current.settings.reports_dir / SUMMARY_FILE).write_text(text, encoding="utf-8")


def _stop_reason() -> str:
    if _State.deadline_hit:
        return f"IMS_DEADLINE={_State.settings.deadline if _State.settings else 0:g} s"
    if _State.run is not None and _State.run.session.locked:
        return "the target locked the AK"
    return _State.interrupted_by or ("Ctrl-C" if _State.stop_pending else "")


def _run_facts(current: Run) -> dict[str, Any]:
    """What the card says about the run itself: verdict, exit code, completeness, what ran."""
    outcomes, collected = _State.outcomes, _State.tests_total
    ran = len(_State.ran)
    incomplete = []
    if stopped := _stop_reason():
        incomplete.append(f"stopped: {stopped}, {collected - ran} of {collected} test(s) not run")
    if _State.deselected:
        incomplete.append(f"{_State.deselected} test(s) deselected")
    if outcomes.get("skipped"):
        incomplete.append(f"{outcomes['skipped']} test(s) skipped")
    target = current.target
    budget = (
        "unlimited (the embedded mock)"
        if target.max_creates is None
        else f"IMS_MAX_CREATES={target.max_creates}: {target.creates_sent} sent, {target.creates_refused} withheld"
    )
    seed = _State.seed if _State.seed is not None else "fixed (derandomized)"
    return {
        "verdict": report_card.VERDICTS.get(_State.exit_code, exit_meaning(_State.exit_code)),
        "exit_code": _State.exit_code,
        "complete": not incomplete,
        "incomplete_because": incomplete,
        "tests": {
            "collected": collected + _State.deselected,
            "run": ran,
            "passed": outcomes.get("passed", 0),
            "failed": outcomes.get("failed", 0),
            "skipped": outcomes.get("skipped", 0),
            "deselected": _State.deselected,
        },
        "requests": len(current.session.exchanges),
        "profile": PROFILE,
        "seed": str(seed),
        "spec": f"{SPEC.name} {spec_version()}",
        "started": _State.started_at,
        "seconds": round(time.monotonic() - _State.started, 1),
        "create_budget": budget,
        "create_plan": _State.plan.line() if _State.plan else "",
    }


def _summary(current: Run) -> list[str]:
    target, session, run_settings = current.target, current.session, current.settings
    kind = "embedded mock" if target.embedded else "external server"
    lines = [
        f"run: {run_settings.run_id}",
        f"target: {target.base_url} ({kind}), auth: {target.credentials.scheme}",
    ]
    if _State.url_userinfo:
        lines.append(
            "IMS_BASE_URL carried a user name or password: removed, never sent or shown"
            " (the suite authenticates with IMS_AUTH_TOKEN or AK/SK only)"
        )
    if _State.seed is not None:
        replay = f"IMS_PROFILE={PROFILE} PYTEST_ADDOPTS=--hypothesis-seed={_State.seed} make contract"
        lines.append(f"profile: {PROFILE}, seed: {_State.seed} (replay: {replay})")
    else:
        lines.append(f"profile: {PROFILE}, seed: fixed (derandomized; the same command replays the run)")
    operations = sorted({(e.method, session.relative_path(e.url)) for e in session.exchanges})
    lines.append(f"requests sent: {len(session.exchanges)} over {len(operations)} method/path pairs")
    rate = run_settings.rate
    lines.append(
        f"rate limit: {rate or 'none'}; waited {session.limiter.waited:.1f} s on it and on 429s "
        f"({session.throttled} throttled answers)"
    )
    if _State.plan is not None and target.max_creates is not None:
        lines.append(_State.plan.line())
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
            f"images of this run: {counts['creates']} creates sent; the embedded mock was stopped with all it held"
            f" ({session.ids_replaced} foreign ids replaced)"
        )
    else:
        lines.append(
            f"images of this run: {counts['images']} created, {counts['deleted']} deleted, {counts['left']} left"
            f" ({counts['answers_lost']} create answers lost; {session.ids_replaced} foreign ids replaced)"
        )
        unproven = current.ledger.never_shown_marked()
        if unproven:
            shown = ", ".join(unproven[:10]) + (f" and {len(unproven) - 10} more" if len(unproven) > 10 else "")
            lines.append(
                f"images a job of this run named that the target never showed with the run's mark: {len(unproven)},"
                f" never touched (check them yourself): {shown}"
            )
    if not target.embedded:
        took = f"; the cleanup took {time.monotonic() - _State.cleanup_started:.0f} s" if _State.cleanup_started else ""
        lines.append(
            f"time: IMS_DEADLINE={run_settings.deadline:g} s for the tests, then at most"
            f" IMS_CLEANUP_SECONDS={run_settings.cleanup_seconds:g} s for the cleanup{took}"
        )
    lines += _State.cleanup_lines
    if session.signatures_refused:
        lines.append(
            f"signatures of your AK refused: {session.signatures_refused}, never more than"
            f" {MAX_FAILED_SIGNATURES} in a row (each followed by a valid one: the target's lockout is never reached)"
        )
    if session.locked:
        lines.append(f"stopped: {session.locked}")
    if _State.deadline_hit:
        lines.append(f"stopped at IMS_DEADLINE={run_settings.deadline:g} s")
    elif _State.interrupted_by:
        lines.append(f"stopped by {_State.interrupted_by}")
    if not _State.failures:
        lines.append("failures: none")
        return lines
    by_check: dict[str, int] = {}
    for failure in _State.failures:
        for check in failure.checks:
            by_check[check] = by_check.get(check, 0) + 1
    lines.append("failures by check: " + ", ".join(f"{name} x{count}" for name, count in sorted(by_check.items())))
    for failure in _State.failures:
        transport = (
            " (transport: the network or the target's availability, not the contract)" if failure.transport else ""
        )
        lines.append(f"- {failure.nodeid}: {', '.join(failure.checks)}{transport}")
        if failure.replay:
            lines.append(f"    replay: {failure.replay}")
    return lines
