"""The example CI pipelines (docs/ci/) run the suite from secrets, keep the report card, and fail only on violations."""

from __future__ import annotations

import subprocess
from typing import Any

import yaml

from tests.spec_helpers import ROOT

CI = ROOT / "docs" / "ci"


def _load(name: str) -> Any:
    return yaml.safe_load((CI / name).read_text(encoding="utf-8"))


def _run_script(code: int) -> subprocess.CompletedProcess[str]:
    """The GitHub example's run step, with `make contract` replaced by a command exiting with `code`."""
    workflow = _load("github-actions.yml")
    (step,) = [s for s in workflow["jobs"]["contract"]["steps"] if s.get("name") == "Run the contract suite"]
    script = step["run"].replace("make setup", "true").replace(".venv/bin/python -m contract_tests", f"(exit {code})")
    assert script != step["run"]
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, check=False)


def test_the_github_example_fails_only_on_violations() -> None:
    assert _run_script(0).returncode == 0
    assert _run_script(1).returncode == 1
    for code in (2, 4, 69):
        done = _run_script(code)
        assert done.returncode == 0
        assert "::warning::" in done.stdout


def test_the_github_example_takes_credentials_from_secrets_and_uploads_the_card() -> None:
    workflow = _load("github-actions.yml")
    steps = workflow["jobs"]["contract"]["steps"]
    env = next(s for s in steps if s.get("name") == "Run the contract suite")["env"]
    for name in ("IMS_BASE_URL", "IMS_AUTH_TOKEN", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):
        assert env[name] == f"${{{{ secrets.{name} }}}}"
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert "reports/report-card.*" in upload["with"]["path"]
    assert "reports/junit.xml" in upload["with"]["path"]
    assert workflow["permissions"] == {"contents": "read"}


def test_the_gitlab_example_fails_only_on_violations_and_keeps_the_card() -> None:
    job = _load("gitlab-ci.yml")["ims-contract"]
    assert job["script"] == ["make setup", ".venv/bin/python -m contract_tests"]  # make would turn 1 into 2
    assert sorted(job["allow_failure"]["exit_codes"]) == [2, 4, 69]
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    assert "reports/report-card.*" in job["artifacts"]["paths"]
