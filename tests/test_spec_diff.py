"""`make spec-diff`: each kind of spec change is rated as a caller of the API would rate it.

The fixture changes are applied to a fixture spec (`tests/fixtures/spec-diff-base.yaml`, a copy of
the spec as it was), never to the working spec, and the whole-report tests run in a scratch git
repository: a user's own spec change cannot collide with them. Redocly (`diff-recommended`),
griffe, mypy and the mock's agreement tests do the rating; this project only pins what it must be.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scripts.spec_diff import Change, Report, bump_level, major_bumped, spec_changes, verdict
from tests.scratch import Spec, base_spec, clone_with, run_spec_diff, write_spec
from tests.spec_helpers import ROOT

pytestmark = pytest.mark.slow


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


def add_optional_request_property_the_mock_refuses(spec: Spec) -> None:
    _schema(spec, "CreateDataImageRequest")["properties"]["boot_mode"] = {"type": "string", "enum": ["bios", "uefi"]}


def remove_progress_fail_reason(spec: Spec) -> None:
    del _schema(spec, "JobProgress")["properties"]["fail_reason"]


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


def _changed(tmp_path: Path, *changes: Callable[[Spec], None]) -> tuple[Path, Path]:
    base = base_spec()
    revision = copy.deepcopy(base)
    for change in changes:
        change(revision)
    return write_spec(tmp_path / "base.yaml", base), write_spec(tmp_path / "revision.yaml", revision)


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
    done = run_spec_diff(clone_with(tmp_path, rename_operation, remove_response_field, add_optional_request_property))
    assert "BREAKING      ims_client.api.jobs.show_job_progress: Public object was removed" in done.stdout
    assert "BREAKING      ims_client.models.job.Job.fail_reason: Public object was removed" in done.stdout
    assert "ims_client.models.create_data_image_request.CreateDataImageRequest.architecture" not in done.stdout


@pytest.mark.parametrize(
    ("old", "new", "bumped"), [("1.0.0", "2.0.0", True), ("1.0.0", "1.9.0", False), ("1", "x", False)]
)
def test_major_bumps(old: str, new: str, bumped: bool) -> None:
    assert major_bumped(old, new) is bumped


@pytest.mark.parametrize(
    ("old", "new", "level"),
    [("2.0.0", "3.0.0", "major"), ("2.0.0", "2.1.0", "minor"), ("2.0.0", "2.0.1", "patch"), ("2.1.0", "2.1.0", "none")],
)
def test_bump_levels(old: str, new: str, level: str) -> None:
    assert bump_level(old, new) == level


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [("0.1.0", "0.2.0", True), ("0.1.0", "0.1.1", False), ("1.4.0", "1.5.0", False), ("1.4.0", "2.0.0", True)],
)
def test_a_break_of_ims_itself_needs_a_package_bump_semver_lets_break(old: str, new: str, allowed: bool) -> None:
    """`ims`'s own API is versioned by ims-toolkit, not by the spec: the spec's version need not move."""
    removed = Change(True, "griffe", "Parameter was removed (optional)", "ims._client.Client.create_data_image")
    report = Report("base", "2.1.0", "2.1.0", [], [], [removed], [], [], old_package=old, new_package=new)
    code, line = verdict(report)
    assert code == (0 if allowed else 1), line
    assert f"ims-toolkit {old} -> {new}" in line
    spec_alone = Report("base", "2.1.0", "2.1.0", [], [], [], [], [], old_package=old, new_package=new)
    assert verdict(spec_alone)[0] == 0


def test_breaking_changes_without_a_major_bump_fail_with_the_report(tmp_path: Path) -> None:
    clone = clone_with(tmp_path, rename_operation, lower_min_disk_maximum, add_optional_request_property)
    module = clone / "src" / "ims" / "_client.py"
    module.write_text(module.read_text(encoding="utf-8").replace("def get_job(", "def fetch_job("), encoding="utf-8")
    done = run_spec_diff(clone)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "operation-id-changed" in done.stdout
    assert "schema-constraint-changed" in done.stdout
    assert "non-breaking  added" in done.stdout
    assert "ims_client.api.jobs.show_job_progress" in done.stdout
    assert "Client.get_job" in done.stdout  # the hand-written client's method, renamed
    assert "without a major version bump" in done.stdout


def test_a_major_bump_lets_breaking_changes_pass_and_says_so(tmp_path: Path) -> None:
    major = int(str(base_spec()["info"]["version"]).split(".")[0])
    done = run_spec_diff(clone_with(tmp_path, remove_response_field, version=f"{major + 1}.0.0"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "property-removed" in done.stdout
    assert "allowed by the major version bump" in done.stdout


def test_a_removed_field_that_ims_reads_is_reported_as_breaking_ims(tmp_path: Path) -> None:
    done = run_spec_diff(clone_with(tmp_path, remove_progress_fail_reason))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ims against the client generated now (mypy --strict): 0 breaking" not in done.stdout
    assert "src/ims/_results.py" in done.stdout  # where ims reads it
    assert "fail_reason" in done.stdout.split("(mypy --strict)")[1]
    assert "without a major version bump" in done.stdout


def test_an_added_property_the_mock_refuses_fails_naming_it_and_writes_markdown(tmp_path: Path) -> None:
    clone = clone_with(tmp_path, add_optional_request_property_the_mock_refuses)
    done = run_spec_diff(clone, "--markdown", str(tmp_path / "comment.md"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DISAGREES     boot_mode: the spec allows boot_mode=" in done.stdout
    assert "the mock disagrees with the spec on" in done.stdout
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### spec-diff: ")
    assert "`boot_mode`: the spec allows boot_mode=" in comment


def test_an_additive_change_passes_and_asks_for_a_minor_bump(tmp_path: Path) -> None:
    done = run_spec_diff(clone_with(tmp_path, add_optional_response_field))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verdict: minor: nothing breaks callers; info.version wants a minor bump" in done.stdout


@pytest.mark.parametrize("base", ["nonexistent-ref", "HEAD~5"])
def test_a_base_that_is_no_commit_exits_2_saying_so(tmp_path: Path, base: str) -> None:
    done = run_spec_diff(clone_with(tmp_path), base=base)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"BASE {base!r} is not a commit of this repository" in done.stderr


def test_the_generated_client_s_version_is_the_spec_s() -> None:
    import ims_client

    working = yaml.safe_load((ROOT / "openapi" / "ims-data-image.yaml").read_text(encoding="utf-8"))
    assert ims_client.__version__ == working["info"]["version"]


def test_with_the_suite_the_report_compares_the_card_at_base_and_now(tmp_path: Path) -> None:
    clone = clone_with(tmp_path, add_optional_response_field)
    done = run_spec_diff(clone, "--suite")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The contract suite on the mock, at BASE and now: 0 rule(s) changed status" in done.stdout
    assert not (clone / ".git" / "worktrees").exists() or not list((clone / ".git" / "worktrees").iterdir())
