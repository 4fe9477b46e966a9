"""Safe on a paid account, round two: the staging guarantees attacked from outside, on loopback.

Each scenario puts a small hostile proxy (a lying job, a held answer) in front of a staging-like
mock, or runs the suite against a hostile server (trickling, throttling), and checks what is left in
the mock's store, how long the run took, and every byte the run printed or wrote.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from contract_tests.ledger import Ledger
from contract_tests.run import EXIT_UNAVAILABLE
from ims_mock.auth import CONTRACT as CONTRACT_AUTH
from scripts.hostile import held_creates, hostile_server, lying_jobs
from scripts.suite_runs import clean_env, run_suite, wait_for_ledger
from tests.spec_helpers import ROOT
from tests.staging import AKSK_ENV, FOREIGN, PROJECT, SECRETS, TOKEN, TOKEN_ENV, external, staging_like

FOREIGN_NAMES = {fields["name"] for fields in FOREIGN}
RUN_ID = "20261201-000000-5afe0002"


def _cleanup(url: str, reports: Path, run_id: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contract_tests.cleanup", "--run-id", run_id],
        cwd=ROOT,
        env=clean_env({**external(url), **env, **TOKEN_ENV}, reports),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- ownership is proven from the image, never believed from the job -------------------------------------


@pytest.mark.slow
def test_a_job_that_names_someone_elses_image_gets_it_reported_and_never_touched(tmp_path: Path) -> None:
    victim: dict[str, str] = {}
    with staging_like(job_seconds=0.5, wrap=lambda app: lying_jobs(app, lambda: victim["id"])) as staging:
        # The production image with another run's mark in its description: the likeliest to be taken.
        victim["id"] = next(
            image.image_id
            for image in staging.app.store.project_images(PROJECT, time.time())
            if image.request.name == "production-data"
        )
        env = {**external(staging.url, IMS_MAX_CREATES="5", IMS_JOB_TIMEOUT="20"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, secrets=SECRETS)
        staging.assert_clean()  # the victim and the other foreign images stand; the run's own are gone
        made = [j for j in staging.app.store.jobs.values() if j.request.name not in FOREIGN_NAMES and j.succeeds]
    assert run.code == 1, run.output[-3000:]
    assert "job.success names an image the create did not make" in run.output
    assert victim["id"] in run.output
    # The summary counts the images the run made, not the ids the server named.
    assert f"images of this run: {len(made)} created, {len(made)} deleted, 0 left" in run.output, run.output[-3000:]
    assert len(made) >= 1


# --- the cleanup's exit code tells the truth ---------------------------------------------------------------


@pytest.mark.slow
def test_a_cleanup_after_kill_9_waits_for_the_image_a_create_in_flight_is_still_making(tmp_path: Path) -> None:
    # The mock acts at once and its job takes 4 s; the answer is held back 3 s. Killed while it is
    # held, the run has no job id; the image appears only after the cleanup has started.
    with staging_like(job_seconds=4.0, wrap=lambda app: held_creates(app, 3.0)) as staging:

        def kill_while_held(process: subprocess.Popen[bytes], reports: Path) -> None:
            wait_for_ledger(reports, "create-dispatched")
            time.sleep(1.0)
            process.kill()

        env = {**external(staging.url, IMS_MAX_CREATES="5"), **TOKEN_ENV}
        run = run_suite(tmp_path, env, secrets=SECRETS, while_running=kill_while_held)
        assert run.code == -signal.SIGKILL
        assert staging.images() == staging.foreign, "expected the image to be still on its way"
        done = _cleanup(staging.url, run.reports, run.run_id(), IMS_JOB_TIMEOUT="30")
        output = done.stdout + done.stderr
        staging.assert_clean()
    assert done.returncode == 0, output
    assert "may still appear" in output, output
    assert "deleted image" in output, output
    assert TOKEN not in output


def test_a_cleanup_without_the_runs_ledger_cannot_say_nothing_is_left(tmp_path: Path) -> None:
    with staging_like(job_seconds=0.2) as staging:
        done = _cleanup(staging.url, tmp_path / "reports", RUN_ID)
        staging.assert_clean()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no ledger of this run" in done.stdout


# --- a ledger survives writers killed at any point -----------------------------------------------------------


def _writer_events(ledger: Ledger, count: int) -> None:
    for index in range(count):
        create = ledger.create_sent(f"image-{index}")
        ledger.create_dispatched(create)
        ledger.create_answered(create, f"{index:032x}")
        ledger.job_seen(f"{index:032x}", "SUCCESS", f"image-id-{index}")


def test_a_ledger_torn_at_any_byte_loses_only_the_torn_event(tmp_path: Path) -> None:
    source = tmp_path / "whole" / "ledger.jsonl"
    _writer_events(Ledger.open(RUN_ID, source.parent), 6)
    whole = source.read_bytes()
    for cut in random.Random(7).sample(range(1, len(whole)), 60):  # noqa: S311  # reproducible cut points, not secrets
        folder = tmp_path / f"cut-{cut}"
        folder.mkdir()
        (folder / "ledger.jsonl").write_bytes(whole[:cut])
        kept = whole[:cut].split(b"\n")[:-1]  # the lines the tear left whole
        later = Ledger.open(RUN_ID, folder)  # the next writer: a cleanup, or the same run id again
        create = later.create_sent("after the tear")
        later.create_dispatched(create)
        later.create_answered(create, "f" * 32)
        again = Ledger.load(RUN_ID, folder / "ledger.jsonl")
        assert len(again.creates) >= sum(b'"create-sent"' in line for line in kept) + 1, cut
        assert "f" * 32 in again.jobs, f"the event written after a tear at byte {cut} was lost"
        assert again.creates[create].answered
        lines = [line for line in (folder / "ledger.jsonl").read_bytes().split(b"\n") if line]
        whole_lines = [line for line in lines if _parses(line)]
        tail = whole[:cut].split(b"\n")[-1]  # a cut just before a newline leaves a whole event
        survived = len(kept) + 3 + (1 if tail and _parses(tail) else 0)
        assert len(whole_lines) == survived, f"a tear at byte {cut} cost more than the torn event"
        assert len(lines) - len(whole_lines) <= 1


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


WRITER = """
import sys, time
from pathlib import Path
from contract_tests.ledger import Ledger
from contract_tests.run import EXIT_UNAVAILABLE
from ims_mock.auth import CONTRACT as CONTRACT_AUTH
ledger = Ledger.open(sys.argv[1], Path(sys.argv[2]))
print("ready", flush=True)
index = 0
while True:
    create = ledger.create_sent(f"w{sys.argv[3]}-{index}")
    ledger.create_dispatched(create)
    ledger.create_answered(create, f"{int(sys.argv[3]):08x}{index:024x}")
    index += 1
"""


def test_a_ledger_whose_writers_are_killed_at_random_points_keeps_every_whole_event(tmp_path: Path) -> None:
    rng = random.Random(11)  # noqa: S311  # reproducible kill times, not secrets
    for writer in range(6):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, RUN_ID, str(tmp_path), str(writer)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.4))
        process.kill()
        process.wait(timeout=30)
        process.stdout.close()
    lines = (tmp_path / "ledger.jsonl").read_bytes().split(b"\n")
    events: list[dict[str, Any]] = []
    torn = 0
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            torn += bool(line)
    assert torn <= 6, "more lines were lost than writers were killed"
    state = Ledger.load(RUN_ID, tmp_path / "ledger.jsonl")
    answered = {e["job_id"] for e in events if e["event"] == "create-answered"}
    assert answered <= set(state.jobs), "a whole create-answered event was lost on reload"
    assert len(answered) > 6, "the writers wrote too little to test anything"


# --- IMS_DEADLINE is a hard bound, cleanup included -----------------------------------------------------------

STARTUP_SLACK = 25.0  # Python, pytest and Schemathesis starting, and the reports written, on a loaded machine


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", ["trickle-headers", "trickle-body", "throttle", "stall-after-preflight"])
def test_a_run_ends_within_its_deadline_and_cleanup_budget_whatever_the_target_does(
    tmp_path: Path, behaviour: str
) -> None:
    env = {"IMS_REQUEST_TIMEOUT": "2", "IMS_DEADLINE": "10", "IMS_CLEANUP_SECONDS": "8", "IMS_MAX_CREATES": "3"}
    with hostile_server(behaviour) as (url, _):
        started = time.monotonic()
        run = run_suite(tmp_path, {**external(url), **env, **TOKEN_ENV}, secrets=SECRETS, timeout=300)
        took = time.monotonic() - started
    assert "IMS_DEADLINE=10 s for the tests, then at most IMS_CLEANUP_SECONDS=8 s for the cleanup" in run.output, (
        run.output[-3000:]
    )
    assert took < 10 + 8 + STARTUP_SLACK, f"the run took {took:.0f} s against {behaviour}: {run.output[-2000:]}"
    assert run.code in (0, 1, 2), run.output[-3000:]
    assert "Traceback" not in run.output


# --- secrets in every form, and credentials in URLs -----------------------------------------------------------


@pytest.mark.parametrize("variable", ["IMS_AUTH_TOKEN", "HUAWEICLOUD_SDK_SK"])
@pytest.mark.parametrize("pasted", ["\n", " ", "\r\n", "\t"])
def test_a_secret_with_surrounding_whitespace_is_refused_at_start_by_name_not_value(
    tmp_path: Path, variable: str, pasted: str
) -> None:
    env = {**TOKEN_ENV, "HUAWEICLOUD_SDK_AK": "SAFETYACCESSKEY00000", "HUAWEICLOUD_SDK_SK": "sk-secret-value"}
    env[variable] = env.get(variable, TOKEN) + pasted
    run = run_suite(tmp_path, {"IMS_BASE_URL": "http://127.0.0.1:9", **env}, secrets=(TOKEN, "sk-secret-value"))
    assert run.code == 4, run.output
    assert f"{variable} has surrounding whitespace" in run.output
    assert len(run.output.splitlines()) <= 20


@pytest.mark.slow
def test_a_password_in_the_base_url_is_never_printed_written_or_sent(tmp_path: Path) -> None:
    password = "Pa55w0rd-in-the-url"
    summary = tmp_path / "reports" / "step-summary.md"
    with staging_like(job_seconds=0.2) as staging:
        url = staging.url.replace("http://", f"http://ci-user:{password}@")
        env = {**external(url), **TOKEN_ENV, "GITHUB_STEP_SUMMARY": str(summary)}
        run = run_suite(tmp_path, env, "-k", "protocol", secrets=(*SECRETS, password, "ci-user"))
        staging.assert_clean()
    assert run.code == 0, run.output[-3000:]
    assert "IMS_BASE_URL carried a user name or password: removed" in run.output
    assert summary.exists()


# --- the caller's AK is never locked -----------------------------------------------------------------------


@pytest.mark.slow
def test_an_aksk_run_never_locks_the_key_on_a_gateway_that_locks(tmp_path: Path) -> None:
    # Huawei's rule, as the mock applies it by default: more than 5 failures in a row lock the AK.
    with staging_like(job_seconds=0.2) as staging:
        run = run_suite(tmp_path, {**external(staging.url), **AKSK_ENV}, secrets=SECRETS)
        assert not staging.app.lockout.locked_until, "the run locked the caller's AK"
    assert run.code == 0, run.output[-3000:]
    assert "never more than 3 in a row" in run.output


@pytest.mark.slow
def test_a_lockout_met_stops_the_run_with_exit_69_and_says_why(tmp_path: Path) -> None:
    # A gateway stricter than Huawei's: the first refused signature locks the key.
    strict = dataclasses.replace(CONTRACT_AUTH, lockout_failures=0)
    with staging_like(job_seconds=0.2, auth=strict) as staging:
        run = run_suite(tmp_path, {**external(staging.url), **AKSK_ENV}, "-k", "protocol", secrets=SECRETS)
    assert run.code == EXIT_UNAVAILABLE, run.output[-3000:]
    assert "the target locked your AK" in run.output
    assert "stopped: the target locked your AK" in run.output


# --- make cleanup takes RUN_ID as data ---------------------------------------------------------------------


def test_make_cleanup_never_runs_what_run_id_holds(tmp_path: Path) -> None:
    shell, make = tmp_path / "by-the-shell", tmp_path / "by-make"
    run_id = f"abc`touch {shell}`de$(shell touch {make})fgh"
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "cleanup", f"RUN_ID={run_id}"],
        env=clean_env({"IMS_BASE_URL": "http://127.0.0.1:9", **TOKEN_ENV}, tmp_path / "reports"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert not shell.exists(), "the shell ran a command from RUN_ID"
    assert not make.exists(), "make ran a function from RUN_ID"
    assert done.returncode != 0
    assert "IMS_RUN_ID must be 8 to 40 ASCII letters" in done.stderr, done.stdout + done.stderr
