"""The example CI pipelines (docs/ci/): the GitHub one through the Action, the GitLab one with no Node.

What the Action itself does with each exit code is tested by running its steps (tests/test_action.py).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.spec_helpers import ROOT

CI = ROOT / "docs" / "ci"


def _load(name: str) -> Any:
    return yaml.safe_load((CI / name).read_text(encoding="utf-8"))


def test_the_github_example_is_one_step_through_the_action_pinned_to_a_commit_that_has_it() -> None:
    workflow = _load("github-actions.yml")
    (step,) = workflow["jobs"]["contract"]["steps"]
    action, _, ref = step["uses"].partition("@")
    assert action == "ims-toolkit/ims-toolkit"
    assert len(ref) == 40
    assert int(ref, 16) >= 0
    import subprocess

    shown = subprocess.run(["git", "cat-file", "-e", f"{ref}:action.yml"], cwd=ROOT, capture_output=True, check=False)
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    if shown.returncode != 0 and shallow.stdout.strip() == "true":
        pytest.skip(f"a shallow clone: {ref} may be older than its history")
    assert shown.returncode == 0, f"the example pins {ref}, a commit without action.yml"
    inputs = step["with"]
    assert inputs["base-url"] == "${{ secrets.IMS_BASE_URL }}"
    assert inputs["secret-key"] == "${{ secrets.HUAWEICLOUD_SDK_SK }}"
    assert set(inputs) <= set(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"])
    assert workflow["permissions"] == {"contents": "read"}
    assert len((CI / "github-actions.yml").read_text(encoding="utf-8").split("\njobs:")[1].splitlines()) <= 15


def test_the_gitlab_example_needs_no_node_fails_on_violations_and_settings_and_cleans_up() -> None:
    job = _load("gitlab-ci.yml")["ims-contract"]
    assert job["script"] == ["make setup-python", ".venv/bin/ims-contract"]  # make would turn 1 into 2
    assert sorted(job["allow_failure"]["exit_codes"]) == [2, 69]  # 1 and 4 fail the job
    assert "contract_tests.cleanup" in " ".join(job["after_script"])
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    assert {"reports/report-card.*", "reports/runs/"} <= set(job["artifacts"]["paths"])
    assert "npm" not in (CI / "gitlab-ci.yml").read_text(encoding="utf-8")
