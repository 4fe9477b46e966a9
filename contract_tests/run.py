"""One contract run: its target, settings, ledger and session; the preflight; the exit codes.

Exit codes of the suite (`python -m contract_tests`) and of the cleanup:

  0   the target conforms: every test that ran passed
  1   contract violations found (or, for the cleanup, images of the run are left)
  2   interrupted (Ctrl-C, SIGTERM) or out of time (IMS_DEADLINE) before a violation was found
  4   usage or configuration error (a bad IMS_* value, missing credentials)
  69  target unreachable, or credentials refused (the preflight, or every answer lost mid-run)
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field

import requests

from contract_tests.ledger import Ledger
from contract_tests.session import ContractSession, ForeignHost, ResponseTooLarge, Throttled
from contract_tests.settings import RunSettings, SettingsError, settings_from_env
from contract_tests.target import Credentials, Target, base_url_from_env, credentials_from_env, max_creates_from_env

EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_INTERRUPTED = 2
EXIT_USAGE = 4
EXIT_UNAVAILABLE = 69  # EX_UNAVAILABLE of sysexits.h
EXIT_MEANINGS = {
    EXIT_CONFORMS: "the target conforms",
    EXIT_VIOLATIONS: "contract violations found",
    EXIT_INTERRUPTED: "interrupted or out of time",
    3: "internal error of the suite",
    EXIT_USAGE: "usage or configuration error",
    5: "no test ran",
    EXIT_UNAVAILABLE: "target unreachable or credentials refused",
}


class RunError(Exception):
    """The run cannot start: a usage error (`usage`), or a target that cannot be used."""

    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass
class Run:
    """Everything one run holds."""

    target: Target
    settings: RunSettings
    ledger: Ledger
    session: ContractSession
    closer: ExitStack = field(default_factory=ExitStack)


def is_external(env: Mapping[str, str]) -> bool:
    """Whether IMS_BASE_URL names a server to test (else the embedded mock is started)."""
    return bool(env.get("IMS_BASE_URL", "").strip())


@dataclass(frozen=True)
class RunConfig:
    """The run's whole configuration, read once from the environment (and the flags that set it).

    `base_url` is None for the embedded mock; then there are no credentials and no create budget
    (the mock hands out its own credentials when it starts).
    """

    settings: RunSettings
    base_url: str | None = None
    credentials: Credentials | None = None  # its repr hides every secret
    url_userinfo: tuple[str, ...] = field(default=(), repr=False)  # user info IMS_BASE_URL carried: never sent
    max_creates: int | None = None  # IMS_MAX_CREATES against a live target; None: no budget (the embedded mock)
    step_summary: str | None = None  # GITHUB_STEP_SUMMARY: where GitHub Actions shows the card, when it runs us

    def target(self) -> Target:
        """The live target this configuration names (only when `base_url` is set)."""
        assert self.base_url is not None and self.credentials is not None
        return Target(self.base_url, self.credentials, False, self.max_creates)


def read_config(env: Mapping[str, str]) -> RunConfig:
    """Every setting of a run, read and checked once; RunError(usage=True) naming the first bad one."""
    try:
        settings = settings_from_env(env, embedded=not is_external(env))
        max_creates = max_creates_from_env(env)
        step_summary = env.get("GITHUB_STEP_SUMMARY") or None
        if not is_external(env):
            return RunConfig(settings, step_summary=step_summary)
        base_url, userinfo = base_url_from_env(env)
        credentials = credentials_from_env(env)
        if credentials is None:
            raise SettingsError(
                "IMS_BASE_URL needs credentials: IMS_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"
            )
    except ValueError as error:
        raise RunError(str(error), usage=True) from None
    return RunConfig(settings, base_url, credentials, tuple(userinfo), max_creates, step_summary)


def check_env(env: Mapping[str, str]) -> RunSettings:
    """Every IMS_* setting of a run, checked before anything starts; RunError(usage=True) if bad."""
    return read_config(env).settings


def new_run(target: Target, settings: RunSettings) -> Run:
    """A run on `target`: its ledger opened under the reports folder, its session ready."""
    ledger = Ledger.open(settings.run_id, settings.run_dir)
    return Run(target, settings, ledger, ContractSession(target, settings, ledger))


def open_external_run(env: Mapping[str, str]) -> Run:
    """The run on IMS_BASE_URL, preflight passed; RunError otherwise."""
    config = read_config(env)
    if config.base_url is None:
        raise RunError("IMS_BASE_URL is not set: the cleanup works on the server the run tested", usage=True)
    run = new_run(config.target(), config.settings)
    problem = preflight(run.session)
    if problem:
        run.session.close()
        raise RunError(problem, usage=False)
    return run


def preflight(session: ContractSession) -> str | None:
    """One authenticated listImages?limit=1: None when the target answers 200, else what to tell."""
    target = session.target
    url = target.url("/v2/cloudimages?limit=1")
    where = f"  url: {url}\n  auth: {target.credentials.scheme}, project {target.credentials.project_id}"
    try:
        response = session.get(url, headers=target.credential_headers())
    except requests.Timeout:
        return (
            f"the target did not answer within {session.settings.request_timeout:g} s\n{where}\n"
            "  fix: check IMS_BASE_URL and that the server is up; IMS_REQUEST_TIMEOUT sets the wait"
        )
    except (requests.ConnectionError, ForeignHost) as error:
        return (
            f"the target is unreachable ({_reason(error)})\n{where}\n"
            "  fix: check IMS_BASE_URL (scheme, host, port, path prefix) and your network"
        )
    except (ResponseTooLarge, Throttled) as error:
        return f"the target's first answer is unusable: {error}\n{where}"
    status = response.status_code
    if status == 200:
        return None
    if status in (401, 403):
        return (
            f"the target refused the credentials ({status} {_code(response)})\n{where}\n"
            "  fix: check IMS_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK/SK, and that the project id is the token's"
        )
    if 300 <= status < 400:
        return (
            f"the target answered {status}, a redirect to {response.headers.get('Location', '?')!r}\n{where}\n"
            "  fix: set IMS_BASE_URL to the final URL (redirects are never followed: credentials stay put)"
        )
    if status == 404:
        return f"no IMS API at this URL (404 {_code(response)})\n{where}\n  fix: check the path prefix of IMS_BASE_URL"
    return f"the target answered {status} {_code(response)} to listImages?limit=1\n{where}"


def _reason(error: BaseException) -> str:
    text = str(error)
    for hint in ("Connection refused", "Name or service not known", "timed out", "Connection reset", "No route"):
        if hint.lower() in text.lower():
            return hint.lower()
    return type(error).__name__


def _code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        error = body.get("error")
        code = body.get("error_code") or (error.get("code") if isinstance(error, dict) else None)
        return str(code)[:40] if code else ""
    return ""


def exit_meaning(code: int) -> str:
    """What an exit code of the suite means."""
    return EXIT_MEANINGS.get(code, "unknown")
