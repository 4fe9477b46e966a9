"""The create plan (issue 23): a small IMS_MAX_CREATES buys the whole lifecycle first, and finds create-side bugs.

Each run here is the whole suite against a staging-like mock (other projects' images in it,
short jobs) as an external target with a budget, as a user runs it on staging.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.mutation import FAULT_RULES
from scripts.rehearse_budget import HIDDEN, HIDES_THE_MARK
from scripts.suite_runs import run_suite
from tests.staging import SECRETS, TOKEN_ENV, external, staging_like

PACKED = "test_one_create_goes_through_the_whole_lifecycle_carrying_every_edge_it_can"


def _card(reports: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((reports / "report-card.json").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.slow
def test_budget_1_spends_its_create_on_the_whole_lifecycle_and_says_what_it_withheld(tmp_path: Path) -> None:
    with staging_like(job_seconds=0.5) as staging:
        env = {**external(staging.url, job_seconds=0.5, IMS_MAX_CREATES="1"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, secrets=SECRETS)
        staging.assert_clean()
    assert run.code == 0, run.output[-4000:]
    plan_line = next(line for line in run.output.splitlines() if line.startswith("create plan: budget 1:"))
    assert "lifecycle x1; left for accept-side checks: 0; withheld:" in plan_line
    assert "creates that could be accepted: 1 sent" in run.output
    card = _card(run.reports)
    assert card["run"]["create_plan"] == plan_line  # type: ignore[index]
    by_id = {rule["id"]: rule["status"] for rule in card["rules"]}  # type: ignore[attr-defined]
    # One create confirmed the life of an image, end to end, and the edges it carried.
    for rule in ("job.success", "job.status", "image.fields", "image.origin", "create.length.unit", "delete.gone"):
        assert by_id[rule] == "confirmed", (rule, by_id[rule])
    assert "withheld by the create plan" in (run.reports / "junit.xml").read_text(encoding="utf-8")


# The six servers that hide a create-side fault (scripts/rehearse_budget.py), blamed as the kill
# matrix blames them.
@pytest.mark.slow
@pytest.mark.parametrize("fault", HIDDEN)
def test_budget_5_catches_each_hidden_create_side_fault(tmp_path: Path, fault: str) -> None:
    with staging_like(job_seconds=0.5, faults=frozenset({fault})) as staging:
        env = {**external(staging.url, job_seconds=0.5, IMS_MAX_CREATES="5"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, "-k", "test_images or test_lifecycle", secrets=SECRETS, timeout=300)
        if fault in HIDES_THE_MARK:
            # The run cannot prove these images its own, so it never deletes them, and says so.
            left = staging.images() - staging.foreign
            assert staging.foreign <= staging.images()
            assert left, "the faulty server made images"
            assert f"never showed with the run's mark: {len(left)}, never touched" in run.output, run.output[-3000:]
            assert all(image_id in run.output for image_id in left)
        else:
            staging.assert_clean()
    assert run.code == 1, run.output[-4000:]
    assert PACKED in run.output
    contradicted = [r["id"] for r in _card(run.reports)["rules"] if r["status"] == "contradicted"]  # type: ignore[attr-defined]
    assert set(FAULT_RULES[fault]) & set(contradicted), contradicted


def _ledger_events(reports: Path) -> list[dict[str, object]]:
    (ledger,) = reports.glob("runs/*/ledger.jsonl")
    return [json.loads(line) for line in ledger.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_the_plans_creates_go_out_together_before_any_of_their_jobs_ends(tmp_path: Path) -> None:
    # Jobs of 3 s: were the creates sent one test after another, each would wait for the last one's job.
    with staging_like(job_seconds=3.0) as staging:
        env = {**external(staging.url, job_seconds=3.0, IMS_MAX_CREATES="5"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, "-k", "test_images or test_lifecycle", secrets=SECRETS, timeout=300)
        staging.assert_clean()
    assert run.code == 0, run.output[-4000:]
    events = _ledger_events(run.reports)
    answered = [n for n, event in enumerate(events) if event["event"] == "create-answered"]
    ended = [n for n, event in enumerate(events) if event["event"] == "job" and event["status"] in ("SUCCESS", "FAIL")]
    assert len(answered) == 5, answered
    assert max(answered) < min(ended), "a create of the plan went out after a job of the plan had ended"


@pytest.mark.slow
def test_a_job_that_never_ends_stops_the_creates_and_holds_neither_the_run_nor_the_cleanup(tmp_path: Path) -> None:
    with staging_like(job_seconds=0.5, faults=frozenset({"job-never-ends"})) as staging:
        # A budget beyond the plan's: what is left would go to the accept-side checks.
        env = {**external(staging.url, job_seconds=0.5, IMS_MAX_CREATES="12"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, secrets=SECRETS, timeout=400)
    assert run.code == 1, run.output[-4000:]
    assert "no more creates were sent after job " in run.output, run.output[-3000:]
    assert "did not end within IMS_JOB_TIMEOUT=15 s" in run.output
    # The cleanup does not wait for jobs whose window has closed: it says so, and names the command.
    # The plan's creates went out together, before the first wait; nothing was sent after it.
    planned = sum(1 for event in _ledger_events(run.reports) if event["event"] == "create-answered")
    assert planned >= 5, planned
    assert f"cleanup: not waiting for {planned} job(s) open past IMS_JOB_TIMEOUT=15 s" in run.output, run.output[-3000:]
    assert "cleanup: waiting for" not in run.output
    contradicted = [r["id"] for r in _card(run.reports)["rules"] if r["status"] == "contradicted"]  # type: ignore[attr-defined]
    assert "job.status" in contradicted
    # Every test after the first wait that needed a create was skipped saying why, not run for 15 s each.
    junit = (run.reports / "junit.xml").read_text(encoding="utf-8")
    assert "no more are sent: job " in junit
