"""The reusable GitHub Action (`action.yml`): its shape, and its steps run locally under bash.

The steps' shell commands (`action/run.sh`, `action/cleanup.sh`) are what the Action runs; here
they run against the mock on loopback with the inputs set as the Action sets them, so the outcome
each exit code gives the job is tested, not just written down.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ims_mock.settings import DEFAULT_PROJECT_ID, DEFAULT_TOKEN
from tests.servers import serve
from tests.spec_helpers import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.slow


def _step(name: str) -> dict[str, Any]:
    (step,) = [step for step in ACTION["runs"]["steps"] if step["name"].startswith(name)]
    return dict(step)


def test_the_action_takes_the_target_credentials_budget_and_profile_as_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"base-url", "auth-token", "project-id", "access-key", "secret-key", "max-creates", "profile"} <= set(
        ACTION["inputs"]
    )
    assert ACTION["inputs"]["base-url"]["required"] is True
    assert ACTION["inputs"]["max-creates"]["default"] == "0"  # nothing accepted is sent unless asked


def test_the_action_installs_only_the_python_side_pinned_and_cached() -> None:
    setup = _step("Set up uv")
    assert setup["uses"].startswith("astral-sh/setup-uv@")
    assert len(setup["uses"].split("@")[1]) == 40
    assert setup["with"]["enable-cache"] is True
    install = _step("Install the suite")["run"]
    assert "uv sync" in install
    assert "--frozen" in install
    assert "--no-dev" in install
    assert "--extra contract" in install
    assert "npm" not in (ROOT / "action.yml").read_text(encoding="utf-8")


def test_the_action_always_uploads_the_card_and_ledger_and_cleans_up_on_failure_or_cancel() -> None:
    upload = _step("Upload")
    assert upload["if"] == "${{ always() }}"
    assert "reports/runs/" in upload["with"]["path"]
    assert "reports/junit.xml" in upload["with"]["path"]
    cleanup = _step("Clean up")
    assert cleanup["if"] == "${{ failure() || cancelled() }}"
    assert cleanup["env"]["IMS_CLEANUP_RUN_ID"] == _step("Run the contract suite")["env"]["IMS_RUN_ID"]


def _inputs(base_url: str, tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The run step's environment as the Action sets it (empty inputs included), on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMS_", "HUAWEICLOUD_", "GITHUB_"))}
    inputs = {
        "ACTION_PATH": str(ROOT),
        "IMS_BASE_URL": base_url,
        "IMS_PROJECT_ID": DEFAULT_PROJECT_ID,
        "IMS_AUTH_TOKEN": DEFAULT_TOKEN,
        "HUAWEICLOUD_SDK_AK": "",
        "HUAWEICLOUD_SDK_SK": "",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": "",
        "HUAWEICLOUD_SDK_PROJECT_ID": DEFAULT_PROJECT_ID,
        "IMS_MAX_CREATES": "0",
        "IMS_PROFILE": "ci",
        "IMS_TEST_IMAGE_FILE": "",
        "IMS_RUN_ID": "gha-4242-1",
        "IMS_RATE_LIMIT": "1000",  # not an input: the default 20/5 for a real target would only slow this down
        "IMS_PROGRESS_SECONDS": "0",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return {**env, **inputs, **overrides}


def _bash(script: str, env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "action" / script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_steps_run_locally_give_a_verdict_outputs_a_summary_and_a_cleanup(tmp_path: Path) -> None:
    with serve() as url:
        env = _inputs(url, tmp_path, IMS_MAX_CREATES="2")  # two images made, and deleted, through the ledger
        run = _bash("run.sh", env, tmp_path, "-k", "test_protocol or test_images")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert "The target conforms." in run.stdout
        outputs = (tmp_path / "output").read_text(encoding="utf-8").splitlines()
        assert outputs == ["exit-code=0", "run-id=gha-4242-1"]
        summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
        assert "### JUnit" in summary
        assert "report card" in summary.lower()
        assert DEFAULT_TOKEN not in summary
        assert (tmp_path / "reports" / "runs" / "gha-4242-1" / "ledger.jsonl").is_file()  # the upload keeps it
        cleanup = _bash("cleanup.sh", {**env, "IMS_CLEANUP_RUN_ID": "gha-4242-1"}, tmp_path)
        assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
        assert "cleanup of run gha-4242-1" in cleanup.stdout  # the suite's own cleanup ran, from the ledger


def test_missing_settings_fail_the_job_and_an_unreachable_target_warns(tmp_path: Path) -> None:
    with serve() as url:
        missing = _bash("run.sh", _inputs(url, tmp_path, IMS_AUTH_TOKEN="", IMS_PROJECT_ID=""), tmp_path)
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "::error::The suite's settings are missing or wrong (exit 4)" in missing.stdout
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = _bash("run.sh", _inputs(f"http://127.0.0.1:{port}", tmp_path), tmp_path)
    assert unreachable.returncode == 0, unreachable.stdout + unreachable.stderr
    assert "::warning::The contract run gave no verdict (exit 69)" in unreachable.stdout
