"""Contract-suite fixtures: the target, the HTTP session, the Schemathesis schema, and the summary.

Environment:
  IMS_BASE_URL      a server to test instead of the embedded mock (may carry a path prefix)
  IMS_AUTH_TOKEN    a token; or HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK for AK/SK signing
  HUAWEICLOUD_SDK_PROJECT_ID (or IMS_PROJECT_ID)  the project of those credentials
  IMS_MAX_CREATES   creates that may be accepted by a non-embedded target (default 0)
  IMS_PROFILE       `ci` (default: fixed seed, fast) or `thorough` (many more examples, random seed)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Generator, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from contract_tests.embedded import embedded_mock
from contract_tests.spec import load_schema
from contract_tests.target import ContractSession, Target, credentials_from_env, max_creates_from_env

PROFILES: dict[str, dict[str, Any]] = {
    # Fixed seed (derandomize) so that a CI failure replays exactly with the same command; no
    # shrinking, so that a broken server fails fast (the failing example is reported as found).
    "ci": {"max_examples": 25, "derandomize": True, "phases": [Phase.explicit, Phase.reuse, Phase.generate]},
    "thorough": {"max_examples": 400, "derandomize": False},
}
PROFILE = os.environ.get("IMS_PROFILE", "ci")
if PROFILE not in PROFILES:
    raise pytest.UsageError(f"IMS_PROFILE must be one of {sorted(PROFILES)}, not {PROFILE!r}")
for _name, _values in PROFILES.items():
    settings.register_profile(
        f"ims-{_name}",
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        **_values,
    )
settings.load_profile(f"ims-{PROFILE}")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """In the thorough profile, pick the run's Hypothesis seed now, so the summary can print it."""
    if PROFILE == "thorough" and config.getoption("--hypothesis-seed") is None:
        config.option.hypothesis_seed = str(secrets.randbelow(2**32))
    _STATE["seed"] = config.getoption("--hypothesis-seed")


def examples(count: int) -> int:
    """`count` examples in the ci profile, ten times as many when thorough."""
    return count if PROFILE == "ci" else count * 10


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    """The server under test: IMS_BASE_URL with its credentials, or the embedded mock."""
    base_url = os.environ.get("IMS_BASE_URL", "").strip()
    if base_url:
        credentials = credentials_from_env(os.environ)
        if credentials is None:
            raise pytest.UsageError("IMS_BASE_URL needs IMS_AUTH_TOKEN or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
        yield Target(base_url.rstrip("/"), credentials, embedded=False, max_creates=max_creates_from_env())
        return
    with embedded_mock() as (url, credentials):
        yield Target(url, credentials, embedded=True, max_creates=None)


@pytest.fixture(scope="session")
def http(target: Target) -> Iterator[ContractSession]:
    """The one HTTP session all requests of the run go through."""
    with ContractSession(target) as session:
        yield session


@pytest.fixture(scope="session")
def ims_schema(target: Target) -> schemathesis.BaseSchema:
    """The spec, loaded from the file with the suite's own Schemathesis configuration."""
    return load_schema(target.base_url, target.credentials.project_id, target.credential_headers())


# --- the run's summary ---------------------------------------------------------------------------

_FAILURES: list[tuple[str, list[str], str]] = []
_STATE: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _remember_exchanges(request: pytest.FixtureRequest) -> Iterator[None]:
    # Only tests that use the session are tracked, so the fixture never starts the target itself.
    if "http" not in request.fixturenames:
        yield
        return
    session: ContractSession = request.getfixturevalue("http")
    _STATE["session"] = session
    _STATE["target"] = request.getfixturevalue("target")
    _STATE[request.node.nodeid] = len(session.exchanges)
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Remember each failed test's checks and its last request, for the summary."""
    report = yield
    if report.when == "call" and report.failed and call.excinfo is not None:
        checks = _check_names(call.excinfo.value) or [item.name.split("[")[0]]
        session: ContractSession | None = _STATE.get("session")
        curl = ""
        if session is not None and len(session.exchanges) > _STATE.get(item.nodeid, 0):
            last = session.last_exchange()
            curl = last.as_curl() if last else ""
        _FAILURES.append((item.nodeid, checks, curl))
    return report


def _check_names(error: BaseException) -> list[str]:
    """The names of the checks inside a Schemathesis failure group, else []."""
    inner = getattr(error, "exceptions", None)
    if not inner:
        return []
    return sorted({type(e).__name__ for e in inner})


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what was tested, against what, and each failure with a curl command to replay it."""
    target: Target | None = _STATE.get("target")
    session: ContractSession | None = _STATE.get("session")
    if target is None or session is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("IMS contract summary")
    kind = "embedded mock" if target.embedded else "external server"
    write(f"target: {target.base_url} ({kind}), auth: {target.credentials.scheme}")
    seed = _STATE.get("seed")
    if seed is not None:
        replay = f"IMS_PROFILE={PROFILE} PYTEST_ADDOPTS=--hypothesis-seed={seed} make contract"
        write(f"profile: {PROFILE}, seed: {seed} (replay: {replay})")
    else:
        write(f"profile: {PROFILE}, seed: fixed (derandomized; the same command replays the run)")
    operations = sorted({(e.method, e.url.split("?")[0].replace(target.base_url, "")) for e in session.exchanges})
    write(f"requests sent: {len(session.exchanges)} over {len(operations)} method/path pairs")
    if target.max_creates is not None:
        write(
            f"creates that could be accepted: {target.creates_sent} sent, {target.creates_refused} withheld "
            f"(IMS_MAX_CREATES={target.max_creates}"
            + ("; only requests that must be rejected were sent)" if target.max_creates == 0 else ")")
        )
    if not _FAILURES:
        write("failures: none")
        return
    by_check: dict[str, int] = {}
    for _, checks, _ in _FAILURES:
        for check in checks:
            by_check[check] = by_check.get(check, 0) + 1
    write("failures by check: " + ", ".join(f"{name} x{count}" for name, count in sorted(by_check.items())))
    for nodeid, checks, curl in _FAILURES:
        write(f"- {nodeid}: {', '.join(checks)}")
        if curl:
            write(f"    replay: {curl}")
