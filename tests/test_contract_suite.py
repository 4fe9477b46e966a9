"""The contract suite itself, run as a user runs it.

It passes on a conforming server wherever it is, fails on a broken one naming the rule, keeps to
the create budget, and never prints a secret.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from contract_tests.spec import CONFIG, load_schema
from ims_mock.faults import VARIANTS, build_app
from ims_mock.settings import default_credentials
from scripts.suite_runs import run_suite
from tests.servers import config, serve_app

PROJECT = "7d3c0ffee7d3c0ffee7d3c0ffee7d3c0"
TOKEN = "suite-token-that-must-stay-secret"
AK = "SUITEACCESSKEY000000"
SK = "suite-sk-that-must-stay-secret"
CREDENTIALS = {"IMS_MOCK_PROJECT_ID": PROJECT, "IMS_MOCK_TOKEN": TOKEN, "IMS_MOCK_AK": AK, "IMS_MOCK_SK": SK}
TARGET_ENV = {
    "IMS_AUTH_TOKEN": TOKEN,
    "HUAWEICLOUD_SDK_AK": AK,
    "HUAWEICLOUD_SDK_SK": SK,
    "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
}


def _mounted(app: Any, prefix: str) -> Any:
    """`app` mounted under `prefix`, as ASGI mounts do it: the prefix moves into root_path."""

    async def mounted(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(prefix + "/"):
            scope = {**scope, "root_path": scope.get("root_path", "") + prefix}
        await app(scope, receive, send)

    return mounted


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "selection", "named"),
    [
        ("accept-min-disk-39", "create.min_disk", "test_every_rule_at_its_edges[create.min_disk: below lowest]"),
        (
            "delete-keeps-image",
            "test_a_successful_image_is_listed",
            "test_a_successful_image_is_listed_as_asked_deletable_and_gone_after_delete",
        ),
        ("accept-bad-signature", "test_a_bad_signature_is_refused", "test_a_bad_signature_is_refused"),
    ],
)
def test_the_suite_fails_naming_the_broken_rule(tmp_path: Path, fault: str, selection: str, named: str) -> None:
    # Only the tests that must catch it run here: the kill matrix runs the whole suite per fault.
    env = {"IMS_RATE_LIMIT": "1000", "IMS_MOCK_FAULTS": fault}
    run = run_suite(tmp_path, env, "-k", selection, secrets=(TOKEN, SK))
    code, output = run.code, run.output
    assert code != 0, f"the suite passed against a mock with the fault {fault}"
    assert "failures by check:" in output
    assert named in output
    # A token request replays as a curl; a signed one as the replay command, which signs it afresh.
    assert "replay: curl" in output or "replay: python -m contract_tests.replay" in output


@pytest.mark.slow
def test_the_replay_command_is_the_failing_request_not_the_last_one_sent(tmp_path: Path) -> None:
    # The property test sends many bodies, and Hypothesis sends more as it shrinks the failure; only
    # fractional values are wrongly accepted, and the request to replay is the failing one it ends on.
    selection = "test_values_a_rule_forbids_are_refused and create.min_disk"
    run = run_suite(tmp_path, {"IMS_MOCK_FAULTS": "accept-fractional-min-disk"}, "-k", selection)
    lines = run.output.splitlines()
    (index,) = [i for i, line in enumerate(lines) if line.startswith("- ") and "forbids_are_refused" in line]
    replay = lines[index + 1]
    assert replay.strip().startswith("replay: curl -X POST"), replay
    sent = re.search(r'"min_disk": (-?[0-9.e+]+)', replay)
    assert sent is not None, replay
    assert not float(sent.group(1)).is_integer(), replay
    assert "# the test's last request" not in replay


def test_a_schemathesis_toml_in_the_working_folder_is_never_picked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemathesis.toml").write_text('base-url = "http://decoy.invalid"\n[checks]\nenabled = false\n')
    monkeypatch.chdir(tmp_path)
    schema = load_schema("http://127.0.0.1:1", PROJECT, {})
    assert schema.config.base_url == "http://127.0.0.1:1"
    assert schema.config._get_parent().config_path == str(CONFIG)
    assert not schema.config.checks_config_for(operation=None).unsupported_method.enabled


@pytest.mark.slow
def test_the_suite_passes_against_a_different_but_conforming_server_and_reports_what_it_saw(tmp_path: Path) -> None:
    """The mock with its open choices made otherwise, as a live service may make them: all conforming.

    Every variant of `ims-mock --variant` at once (Huawei's open points answered the other way:
    IMG.0122 for an OS type, `APIG.` gateway codes, 204 for a second delete, a delete that lags,
    fractions for process_percent, 400 for an unknown job, Chinese names, Windows refused, spaces in
    object keys, the regional tag characters, X-Project-Id required; other IMG codes where any
    conforms, unknown list enums answered [], another failure code, no KMS key or enterprise project
    but "0"), with unknown properties ignored and 11 tags and both tag fields accepted; and it is reached through a path
    prefix, as a deployment may put it (the prefix is signed and routed like the rest).
    """
    mock_config = config(credentials=default_credentials(CREDENTIALS), job_seconds=0.2)
    # Faults against this project's decisions, but what a live service may do where the contract is open:
    live_open = ["accept-unknown-property", "accept-11-tags", "accept-both-tag-fields"]
    app, core = build_app(mock_config, [*VARIANTS, *live_open])
    with serve_app(_mounted(app, "/some/prefix"), mock_config) as url:
        target = f"{url}/some/prefix"
        run = run_suite(
            tmp_path,
            {**TARGET_ENV, "IMS_BASE_URL": target, "IMS_MAX_CREATES": "500", "IMS_RATE_LIMIT": "1000"},
            secrets=(TOKEN, SK),
        )
    assert run.code == 0, run.output[-4000:]
    assert "failures: none" in run.output
    assert f"target: {target} (external server)" in run.output
    assert core.store.jobs, "expected the suite's creates to reach the mock behind the prefix"
    card = json.loads((tmp_path / "reports" / "report-card.json").read_text(encoding="utf-8"))
    statuses = {rule["id"]: rule["status"] for rule in card["rules"]}
    assert "contradicted" not in statuses.values()
    assert statuses["create.os_type"] == "confirmed"
    assert statuses["list.query"] == "confirmed"
    assert statuses["create.tags"] == "confirmed"  # the characters no edition allows are still refused
    observed = " ".join(entry["what"] for entry in card["observations"])
    assert "GET /v2/cloudimages" in observed, card["observations"]
    assert "create.body.unknown" in observed, card["observations"]
    assert "create.tags.limits" in observed, card["observations"]
    assert "job.fail: the code of a failed job" in observed, card["observations"]
    assert "create.enterprise_project_id: a lowercase UUID refused" in observed, card["observations"]
    assert "create.cmk_id: 255 characters refused" in observed, card["observations"]
    # Huawei's open points, each answered the other way by a variant: observed, never failed.
    for seen in (
        "create.name.charset: CJK (the Chinese edition's) accepted",
        "create.os_type: Windows refused",
        "create.image_url: object key with a space accepted",
        "create.tags.limits: test_every_rule_at_its_edges[create.tags.limits: a colon in the value]",
        "job.progress.scale:",
        "job.unknown.status:",
        "delete.again:",
        "auth.aksk.project-optional: a signature without X-Project-Id refused",
    ):
        assert seen in observed, (seen, card["observations"])


@pytest.mark.slow
def test_a_broken_rule_is_contradicted_with_evidence_and_the_rest_keep_their_status(tmp_path: Path) -> None:
    step_summary = tmp_path / "step-summary.md"
    env = {
        "IMS_MOCK_FAULTS": "accept-min-disk-39",
        "IMS_PROGRESS_SECONDS": "1",
        "GITHUB_STEP_SUMMARY": str(step_summary),
    }
    run = run_suite(tmp_path, env, secrets=(TOKEN, SK))
    assert run.code == 1, run.output[-3000:]
    # Progress lines while it ran: what it was doing, and counts that never go backwards.
    done = [
        int(m.group(1))
        for m in re.finditer(r"^ims: (\d+)/\d+ tests done, \d+ requests; now contract_tests/", run.output, re.M)
    ]
    assert done, run.output[-2000:]
    assert done == sorted(done)
    card = json.loads((tmp_path / "reports" / "report-card.json").read_text(encoding="utf-8"))
    by_id = {rule["id"]: rule for rule in card["rules"]}
    assert [rule_id for rule_id, rule in by_id.items() if rule["status"] == "contradicted"] == ["create.min_disk"]
    (failure, *_) = by_id["create.min_disk"]["evidence"]["failures"]
    assert failure["replay"].startswith("curl -X POST")
    assert "39" in failure["message"] + failure["replay"]
    assert by_id["create.name.length"]["status"] == "confirmed"
    assert "| `create.min_disk` | **CONTRADICTED** |" in step_summary.read_text(encoding="utf-8")
    page = (tmp_path / "reports" / "report-card.html").read_text(encoding="utf-8")
    assert "create.min_disk" in page
    assert "<script" not in page
    assert "<link" not in page  # self-contained: no stylesheet, script or image fetched from anywhere
    assert "src=" not in page
