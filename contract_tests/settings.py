"""How a contract run behaves toward its target: every knob read from the environment in one place.

Each variable is checked when the run starts; a bad value is a usage error (exit code 4) that names
the variable and what it accepts, before any request is sent.

  IMS_BASE_URL             the server to test (default: none, the embedded mock is started); may
                           carry a path prefix; user info in it is removed, never sent
  IMS_MAX_CREATES          creates that may be accepted by a server other than the embedded mock
                           (default 0: only requests the contract says must be refused)
  IMS_PROFILE              `ci` (default: fixed seed, fast) or `thorough` (10x the examples)
  IMS_TEST_IMAGE_FILE      the OBS object of the jobs that must succeed (default
                           image-test:fedora_data1.qcow2); IMS_TEST_BUCKET its bucket (image-test)
  IMS_TEST_CMK_ID          a KMS key of the account, sent as `cmk_id` by the read-back test (default:
                           none against a real target, `ct-test-key` against the embedded mock)
  IMS_TEST_ENTERPRISE_PROJECT_ID  an enterprise project of the account (a lowercase UUID), sent by
                           the read-back test (default: none against a real target, the default
                           project `0`; a fixed UUID against the embedded mock)
  IMS_RUN_ID               the run's id, marked on every image it creates (default: generated)
  IMS_RATE_LIMIT           requests per second (`4`) or per period (`20/5`) for every request sent;
                           default 20/5 against an external server (the documented create limit),
                           none against the embedded mock
  IMS_JOB_TIMEOUT          seconds one job may take to end, from its create (default 1800; 10 for
                           the mock); the first job past it stops the run's creates
  IMS_REQUEST_TIMEOUT      seconds one request may wait to connect or for a byte (default 30); a
                           request as a whole (connect, send, headers, body) ends within twice that
  IMS_DEADLINE             seconds the tests may take before the run stops, cleans up and reports
                           (default 7200; 900 for the mock); no request outlasts it
  IMS_CLEANUP_SECONDS      the cleanup's own budget after the tests (default 600; 60 for the mock):
                           the whole run ends within IMS_DEADLINE + IMS_CLEANUP_SECONDS, whatever
                           the target does
  IMS_MAX_RESPONSE_BYTES   the largest response body read, after decompression (default 8 MiB)
  IMS_MAX_RESPONSE_SECONDS the longest an answer may take to arrive whole, or it is a violation
                           (`response.time`; default 10; 5 for the mock)
  IMS_REPORTS_DIR          where junit.xml, the summary, the report card and the ledgers go
                           (default `reports`)
  IMS_PROGRESS_SECONDS     at most how often a progress line is printed (default 15; 0: never)
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

RUN_ID = re.compile(r"[A-Za-z0-9-]{8,40}")
BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
ENTERPRISE_PROJECT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The embedded mock has no KMS and no enterprise projects: any well-formed key or project is accepted.
EMBEDDED_CMK_ID = "ct-test-key"
EMBEDDED_ENTERPRISE_PROJECT = "5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b"


class SettingsError(ValueError):
    """An environment variable has a value the suite cannot use."""


@dataclass(frozen=True)
class Rate:
    """At most `requests` requests in any `seconds` seconds."""

    requests: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.requests}/{self.seconds:g}"


@dataclass(frozen=True)
class RunSettings:
    """The run's identity, politeness and bounds."""

    run_id: str
    rate: Rate | None
    job_timeout: float
    request_timeout: float
    deadline: float
    max_response_bytes: int
    reports_dir: Path
    progress_seconds: float = 15.0
    max_response_seconds: float = 10.0
    cleanup_seconds: float = 600.0
    test_cmk_id: str | None = None  # a KMS key the read-back test may name (`image.origin`)
    test_enterprise_project_id: str | None = None
    test_bucket: str = "image-test"  # the OBS bucket of the jobs that must fail (`job.fail`)
    test_image_file: str = "image-test:fedora_data1.qcow2"  # the OBS object of the jobs that must succeed

    @property
    def run_dir(self) -> Path:
        """Where this run's ledger lives: kept after the run, for `make cleanup RUN_ID=...`."""
        return self.reports_dir / "runs" / self.run_id


def new_run_id() -> str:
    """A run id that sorts by time and cannot collide: `20261127-142233-3f9a1c2b`."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)


def check_run_id(text: str) -> str:
    """`text` if it is a usable run id (8 to 40 letters, digits and dashes), else SettingsError."""
    if not RUN_ID.fullmatch(text):
        raise SettingsError(f"IMS_RUN_ID must be 8 to 40 ASCII letters, digits or dashes, not {text!r}")
    return text


def parse_rate(text: str) -> Rate:
    """`4` (per second) or `20/5` (20 per 5 seconds)."""
    count, _, period = text.partition("/")
    try:
        rate = Rate(int(count), float(period or "1"))
    except ValueError:
        raise SettingsError(f"IMS_RATE_LIMIT must be N or N/SECONDS (e.g. 4 or 20/5), not {text!r}") from None
    if rate.requests < 1 or not 0 < rate.seconds < 86_400:
        raise SettingsError(f"IMS_RATE_LIMIT needs N >= 1 and 0 < SECONDS < 86400, not {text!r}")
    return rate


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {text!r}") from None
    if not 0 < value <= 7 * 86_400:
        raise SettingsError(f"{name} must be more than 0 and at most a week, not {text!r}")
    return value


def settings_from_env(env: Mapping[str, str], *, embedded: bool) -> RunSettings:
    """The run's settings; defaults depend on whether the target is the embedded mock."""
    run_id = check_run_id(env["IMS_RUN_ID"].strip()) if env.get("IMS_RUN_ID", "").strip() else new_run_id()
    rate_text = env.get("IMS_RATE_LIMIT", "").strip()
    rate = parse_rate(rate_text) if rate_text else (None if embedded else Rate(20, 5.0))
    body_text = env.get("IMS_MAX_RESPONSE_BYTES", "").strip() or str(8 * 1024 * 1024)
    if not body_text.isascii() or not body_text.isdigit() or not 1024 <= int(body_text) <= 1024**3:
        raise SettingsError(f"IMS_MAX_RESPONSE_BYTES must be a whole number from 1024 to 1 GiB, not {body_text!r}")
    cmk_id = env.get("IMS_TEST_CMK_ID", "").strip() or (EMBEDDED_CMK_ID if embedded else None)
    if cmk_id is not None and len(cmk_id) > 255:
        raise SettingsError("IMS_TEST_CMK_ID must be a KMS key ID of at most 255 characters")
    eps = env.get("IMS_TEST_ENTERPRISE_PROJECT_ID", "").strip() or (EMBEDDED_ENTERPRISE_PROJECT if embedded else None)
    if eps is not None and not ENTERPRISE_PROJECT.fullmatch(eps):
        raise SettingsError(f"IMS_TEST_ENTERPRISE_PROJECT_ID must be a lowercase UUID, not {eps[:60]!r}")
    bucket = env.get("IMS_TEST_BUCKET", "").strip() or "image-test"
    if not BUCKET.fullmatch(bucket):
        raise SettingsError(f"IMS_TEST_BUCKET must be an OBS bucket name (3 to 63 of a-z 0-9 . -), not {bucket[:70]!r}")
    image_file = env.get("IMS_TEST_IMAGE_FILE", "").strip() or f"{bucket}:fedora_data1.qcow2"
    file_bucket, colon, key = image_file.partition(":")
    if not (colon and BUCKET.fullmatch(file_bucket) and key and len(image_file) <= 1024):
        raise SettingsError(f"IMS_TEST_IMAGE_FILE must be BUCKET:OBJECT (an OBS object), not {image_file[:70]!r}")
    return RunSettings(
        run_id=run_id,
        test_bucket=bucket,
        test_image_file=image_file,
        test_cmk_id=cmk_id,
        test_enterprise_project_id=eps,
        rate=rate,
        job_timeout=_seconds(env, "IMS_JOB_TIMEOUT", 10.0 if embedded else 1800.0),
        request_timeout=_seconds(env, "IMS_REQUEST_TIMEOUT", 30.0),
        deadline=_seconds(env, "IMS_DEADLINE", 900.0 if embedded else 7200.0),
        cleanup_seconds=_seconds(env, "IMS_CLEANUP_SECONDS", 60.0 if embedded else 600.0),
        max_response_bytes=int(body_text),
        reports_dir=Path(env.get("IMS_REPORTS_DIR", "").strip() or "reports"),
        max_response_seconds=_seconds(env, "IMS_MAX_RESPONSE_SECONDS", 5.0 if embedded else 10.0),
        progress_seconds=0.0
        if env.get("IMS_PROGRESS_SECONDS", "").strip() == "0"
        else _seconds(env, "IMS_PROGRESS_SECONDS", 15.0),
    )
