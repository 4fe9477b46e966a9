"""`make spec-diff`: each kind of spec change is rated as a caller of the API would rate it.

The fixture changes are applied to the real spec; Redocly (`diff-recommended`) and griffe do the
rating, this project only pins what the ratings must be.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.spec_diff import Change, client_changes, major_bumped, spec_changes
from tests.spec_helpers import ROOT, SPEC_PATH

Spec = dict[str, Any]
pytestmark = pytest.mark.slow


def _base() -> Spec:
    loaded: Spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _schema(spec: Spec, name: str) -> Spec:
    schema: Spec = spec["components"]["schemas"][name]
    return schema


def rename_operation(spec: Spec) -> None:
    spec["paths"]["/v1/cloudimages/job/{job_id}"]["get"]["operationId"] = "getJobProgress"


def remove_response_field(spec: Spec) -> None:
    del _schema(spec, "Job")["properties"]["fail_reason"]


def lower_min_disk_maximum(spec: Spec) -> None:
    _schema(spec, "CreateDataImageRequest")["properties"]["min_disk"]["maximum"] = 1024


def add_optional_request_property(spec: Spec) -> None:
    _schema(spec, "CreateDataImageRequest")["properties"]["architecture"] = {"type": "string"}


def remove_enum_value(spec: Spec) -> None:
    os_type = _schema(spec, "CreateDataImageRequest")["properties"]["os_type"]
    os_type["enum"] = [value for value in os_type["enum"] if value != "Windows"]


def add_required_request_property(spec: Spec) -> None:
    request = _schema(spec, "CreateDataImageRequest")
    request["properties"]["owner"] = {"type": "string"}
    request["required"] = [*request["required"], "owner"]


def change_response_status(spec: Spec) -> None:
    responses = spec["paths"]["/v1/cloudimages/dataimages/action"]["post"]["responses"]
    responses["201"] = responses.pop("200")


def add_optional_response_field(spec: Spec) -> None:
    _schema(spec, "Job")["properties"]["queue_position"] = {"type": "integer"}


# Each change, whether it breaks callers, and the rule (breaking) or words (additive) that name it.
CHANGES: dict[Callable[[Spec], None], tuple[bool, str]] = {
    rename_operation: (True, "operation-id-changed"),
    remove_response_field: (True, "property-removed"),
    lower_min_disk_maximum: (True, "schema-constraint-changed"),
    remove_enum_value: (True, "enum-values-removed"),
    add_required_request_property: (True, "required-properties-added"),
    change_response_status: (True, "response-removed"),
    add_optional_request_property: (False, "architecture"),
    add_optional_response_field: (False, "queue_position"),
}


def _write(path: Path, spec: Spec) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _changed(tmp_path: Path, *changes: Callable[[Spec], None]) -> tuple[Path, Path]:
    base = _base()
    revision = copy.deepcopy(base)
    for change in changes:
        change(revision)
    return _write(tmp_path / "base.yaml", base), _write(tmp_path / "revision.yaml", revision)


@pytest.fixture(scope="module")
def all_changes_rated(tmp_path_factory: pytest.TempPathFactory) -> list[Change]:
    """Every fixture change at once (they touch different parts): one Redocly run rates them all."""
    return spec_changes(*_changed(tmp_path_factory.mktemp("all"), *CHANGES))


@pytest.mark.parametrize("change", list(CHANGES), ids=lambda change: change.__name__)
def test_each_spec_change_is_rated_as_callers_would(
    all_changes_rated: list[Change], change: Callable[[Spec], None]
) -> None:
    breaking, name = CHANGES[change]
    if breaking:
        named = [c for c in all_changes_rated if c.breaking and name in c.rule]
        assert named, f"{change.__name__}: expected a breaking {name}, got {all_changes_rated}"
        assert all(c.where.startswith("openapi/ims-data-image.yaml:") for c in named)
    else:
        reported = [c for c in all_changes_rated if name in c.where or name in c.message]
        assert reported, f"{change.__name__} was not reported at all"
        assert not [c for c in reported if c.breaking], f"{change.__name__} is additive, but: {reported}"


def test_each_breaking_change_alone_is_still_breaking(tmp_path: Path) -> None:
    rated = spec_changes(*_changed(tmp_path, remove_enum_value))
    assert [c.rule for c in rated if c.breaking] == ["enum-values-removed"]


def test_an_unchanged_spec_has_no_change(tmp_path: Path) -> None:
    assert spec_changes(*_changed(tmp_path)) == []


def test_the_client_level_report_names_what_python_callers_lose(tmp_path: Path) -> None:
    _base_path, revision = _changed(tmp_path, rename_operation, remove_response_field, add_optional_request_property)
    broken = {change.where: change.message for change in client_changes("HEAD", revision)}
    assert broken.get("ims_client.api.jobs.show_job_progress") == "Public object was removed"
    assert broken.get("ims_client.models.job.Job.fail_reason") == "Public object was removed"
    assert not [where for where in broken if "architecture" in where]


@pytest.mark.parametrize(
    ("old", "new", "bumped"), [("1.0.0", "2.0.0", True), ("1.0.0", "1.9.0", False), ("1", "x", False)]
)
def test_major_bumps(old: str, new: str, bumped: bool) -> None:
    assert major_bumped(old, new) is bumped


def _clone_with(tmp_path: Path, *changes: Callable[[Spec], None], version: str | None = None) -> Path:
    """A git repository holding this working tree's spec, client and scripts, then the changes on top."""
    clone = tmp_path / "clone"
    for part in ("openapi", "scripts", "generated", "src"):
        shutil.copytree(ROOT / part, clone / part, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    git = ["git", "-c", "user.name=spec-diff test", "-c", "user.email=test@localhost"]
    subprocess.run([*git, "init", "-q"], cwd=clone, check=True)
    subprocess.run([*git, "add", "openapi", "scripts", "generated", "src"], cwd=clone, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=clone, check=True)
    spec = _base()
    for change in changes:
        change(spec)
    if version:
        spec["info"]["version"] = version
    _write(clone / "openapi" / "ims-data-image.yaml", spec)
    return clone


def _run(clone: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "scripts.spec_diff", "--base", "HEAD"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )


def test_breaking_changes_without_a_major_bump_fail_with_the_report(tmp_path: Path) -> None:
    clone = _clone_with(tmp_path, rename_operation, lower_min_disk_maximum, add_optional_request_property)
    module = clone / "src" / "ims" / "_client.py"
    module.write_text(module.read_text(encoding="utf-8").replace("def get_job(", "def fetch_job("), encoding="utf-8")
    done = _run(clone)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "operation-id-changed" in done.stdout
    assert "schema-constraint-changed" in done.stdout
    assert "non-breaking  added" in done.stdout
    assert "ims_client.api.jobs.show_job_progress" in done.stdout
    assert "Client.get_job" in done.stdout  # the hand-written client's method, renamed
    assert "without a major version bump" in done.stdout


def test_a_major_bump_lets_breaking_changes_pass_and_says_so(tmp_path: Path) -> None:
    major = int(str(_base()["info"]["version"]).split(".")[0])
    done = _run(_clone_with(tmp_path, remove_response_field, version=f"{major + 1}.0.0"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "property-removed" in done.stdout
    assert "allowed by the major version bump" in done.stdout


def test_the_generated_client_s_version_is_the_spec_s() -> None:
    import ims_client

    assert ims_client.__version__ == _base()["info"]["version"]
