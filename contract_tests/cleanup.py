"""Delete what a run created, and only that: at the end of every run, and for a run that died.

The run's jobs are waited for (all of them together), each image that carries the run's mark is
deleted (the mark is read from the image itself right before its delete: a job naming an image is
only a claim), and while anything of the run may still appear (a create whose answer was lost, a
job that named an image that is not the run's) every page of `listImages` is read again, until a
listing made after that create's job window (IMS_JOB_TIMEOUT) shows nothing more. An image still
being made cannot be deleted yet, so deletes are retried within the same bound.

The cleanup has a bound of its own: after a run, IMS_CLEANUP_SECONDS (and never past the run's
IMS_DEADLINE + IMS_CLEANUP_SECONDS); by hand, IMS_JOB_TIMEOUT. What it cannot finish within it, it
says, with the command to finish it.

Usage (a run killed outright, e.g. with kill -9):

    make cleanup RUN_ID=<run id>          # = python -m contract_tests.cleanup --run-id <run id>

It needs the same IMS_BASE_URL and credentials as the run; it reads the run's ledger under
IMS_REPORTS_DIR, and prints each image it deletes. Exit codes as the suite's: 0 nothing of the run
is left and nothing more can appear, 1 something is left or may still appear (or the run's ledger
is not there to tell), 4 usage error, 69 target unreachable or credentials refused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import requests

# UNANSWERED: what a request of the cleanup may meet on a broken or hostile target; it skips that
# request and goes on (the summary then says what is left), it never ends the run in a traceback.
from contract_tests.session import UNANSWERED, ContractSession

LIST_PAGE = 1000
LIST_TRIES = 3  # a list that cannot be read whole is tried again this often, then reported
MAX_PAGES = 10_000
EXIT_LEFT = 1


@dataclass
class CleanupResult:
    """What a cleanup did, and what it could not prove."""

    deleted: list[str]
    left: list[str]
    open_jobs: list[str]
    listed: bool
    interrupted: bool = False
    unlisted: str | None = None  # why the image list could not be read whole, when it could not
    may_appear_until: float | None = None  # wall-clock time until which an image of the run may appear
    foreign: list[str] = field(default_factory=list)  # images the run's jobs named, without the mark
    no_ledger: str = ""  # where the run's ledger was looked for, when it was not there

    @property
    def clean(self) -> bool:
        """Nothing of the run is left, and nothing more of it can appear."""
        return not (
            self.left or self.open_jobs or self.interrupted or self.unlisted or self.may_appear_until or self.no_ledger
        )


def cleanup_command(run_id: str) -> str:
    """The command that finishes the cleanup of `run_id` by hand."""
    return f"make cleanup RUN_ID={run_id}"


def clean_up(
    session: ContractSession,
    *,
    list_all: bool = False,
    say: Callable[[str], None] = print,
    each: bool = False,
    budget: float | None = None,
) -> CleanupResult:
    """Wait for the run's jobs, then delete each of its images, within `budget` (IMS_JOB_TIMEOUT).

    Never past the session's `ends_at` either, when it has one. `say` hears what the cleanup waits
    for and, with `each`, every image it deletes.
    """
    ledger, settings = session.ledger, session.settings
    deadline = time.monotonic() + (settings.job_timeout if budget is None else budget)
    if session.clock.ends_at is not None:
        deadline = min(deadline, session.clock.ends_at)
    session.clock.ends_at = deadline  # every request of the cleanup ends by then, whatever the target does
    deleted: list[str] = []
    listed = False
    unlisted: str | None = None
    list_failures = 0
    last_listing: float | None = None  # wall-clock start of the last listing read whole
    pending: list[float] = []
    interrupted = False
    try:
        _wait_for_jobs(session, deadline, say)
        delay = 0.2
        announced = False
        while True:
            must_list = list_all or bool(ledger.unaccounted(settings.job_timeout)) or bool(ledger.unproven_claims())
            if must_list:
                started = time.time()
                unlisted = _list_marked(session)
                listed = listed or unlisted is None
                if unlisted is None:
                    last_listing = started
                list_failures += unlisted is not None
            for image_id in ledger.unproven_claims():
                session.proves_own(image_id)  # the image decides: marked (the run's) or not (foreign)
            for image_id in ledger.images_left():
                if _delete(session, image_id):
                    deleted.append(image_id)
                    if each:
                        say(f"deleted image {image_id}")
            pending = [
                until
                for until in ledger.unaccounted(settings.job_timeout)
                if last_listing is None or last_listing <= until
            ]
            if pending and not announced:
                say(
                    "an image of the run may still appear (a create's answer was lost, or a job named an image"
                    f" that is not the run's): listing again until {_utc(max(pending))}"
                )
                announced = True
            retry_list = must_list and not listed and list_failures < LIST_TRIES
            may_end = [until for until in ledger.open_job_windows(settings.job_timeout).values() if until > time.time()]
            if not ledger.images_left() and not may_end and not pending and not retry_list:
                break
            remaining = deadline - time.monotonic()
            if list_failures >= LIST_TRIES or remaining <= 0.05:
                break  # out of time, or the list cannot be read: what is unproven is reported
            # Back off, but wake for the end of the next job window and never sleep past the deadline.
            due = [until - time.time() for until in pending if until > time.time()]
            time.sleep(max(0.05, min(delay, remaining, *(wait + 0.1 for wait in due))))
            delay = min(delay * 2, 10.0)
    except KeyboardInterrupt:
        interrupted = True
    return CleanupResult(
        deleted,
        ledger.images_left(),
        ledger.open_jobs(),
        listed,
        interrupted,
        unlisted,
        max(pending) if pending else None,
        ledger.foreign_images(),
    )


def _utc(when: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


def _wait_for_jobs(session: ContractSession, deadline: float, say: Callable[[str], None]) -> None:
    """Poll the run's open jobs until they end, each at most until its IMS_JOB_TIMEOUT window closes.

    A job still open past its window (one that never ends, or whose status keeps moving back) is
    not waited for: it is reported as open, with the command to run once it has ended.
    """
    ledger, job_timeout = session.ledger, session.settings.job_timeout
    unknown: set[str] = set()

    def ask(job_id: str) -> None:  # the session records what the job says (its status, its image)
        try:
            response = _get(session, f"/v1/cloudimages/job/{job_id}")
        except UNANSWERED:
            return
        if response.status_code == 404:
            unknown.add(job_id)

    # Every open job is asked once, in its window or not: one that ended unseen names its image.
    for job_id in ledger.open_job_windows(job_timeout):
        if time.monotonic() < deadline:
            ask(job_id)
    delay = 0.1
    announced = False
    while time.monotonic() < deadline:
        windows = ledger.open_job_windows(job_timeout)
        jobs = [job for job, until in windows.items() if job not in unknown and until > time.time()]
        if not jobs:
            past = [job for job, until in windows.items() if job not in unknown and until <= time.time()]
            if past:
                say(f"not waiting for {len(past)} job(s) open past IMS_JOB_TIMEOUT={job_timeout:g} s")
            return
        if not announced:
            say(f"waiting for {len(jobs)} job(s) of the run to end (at most {job_timeout:g} s)")
            announced = True
        else:
            for job_id in jobs:
                ask(job_id)
        if time.monotonic() + delay > deadline:
            return
        time.sleep(max(0.05, min(delay, max(windows[job] for job in jobs) - time.time())))
        delay = min(delay * 2, 10.0)


def _get(session: ContractSession, path: str, **params: Any) -> requests.Response:
    target = session.target
    return session.get(target.url(path), headers=target.credential_headers(), params=params or None)


def _list_marked(session: ContractSession) -> str | None:
    """Read every page of listImages; the session takes each image with the run's mark as its own.

    None once every page was read; else why the list could not be read whole.
    """
    marker = None
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"limit": LIST_PAGE, **({"marker": marker} if marker else {})}
        try:
            response = _get(session, "/v2/cloudimages", **params)
        except UNANSWERED as error:
            return f"{type(error).__name__}: {error}"
        if response.status_code != 200:
            return f"listImages answered {response.status_code}"
        try:
            body = response.json()
        except ValueError:
            return "listImages answered something that is not JSON"
        images = body.get("images") if isinstance(body, dict) else None
        if not isinstance(images, list):
            return "listImages answered no list of images"
        if len(images) < LIST_PAGE:
            return None
        last = images[-1].get("id") if isinstance(images[-1], dict) else None
        if not isinstance(last, str) or last == marker:
            return "listImages pages do not advance"
        marker = last
    return f"more than {MAX_PAGES} pages"


def _delete(session: ContractSession, image_id: str) -> bool:
    """Delete one of the run's images; True once it is gone (204, or 404: already gone).

    The session reads the image's mark right before the delete: an image that no longer shows it
    is not deleted (the request goes to a random id instead), and one no longer listed is gone.
    """
    target = session.target
    try:
        response = session.delete(
            target.url(f"/v2/images/{image_id}"),
            json={"delete_backup": False},
            headers=target.credential_headers(),
        )
    except UNANSWERED:
        return False
    if image_id not in unquote(response.request.url or ""):  # not proven the run's right now
        if session.ownership.looked.get(image_id) == "absent":
            session.ledger.image_gone(image_id, "no longer listed")
        return False
    return response.status_code in (204, 404)


def report_lines(result: CleanupResult, run_id: str) -> list[str]:
    """What the cleanup leaves for the summary: counts, and the command when anything may be left."""
    lines = []
    command = cleanup_command(run_id)
    if result.interrupted:
        lines.append("cleanup interrupted")
    if result.no_ledger:
        lines.append(
            f"no ledger of this run at {result.no_ledger}: a create still in flight when the run died cannot be"
            " known; set IMS_REPORTS_DIR to the run's reports folder to be sure"
        )
    if result.foreign:
        lines.append(
            f"contract violation (job.success names an image the create did not make): the run's jobs named"
            f" {len(result.foreign)} image(s) without the run's mark, never touched: {', '.join(result.foreign[:5])}"
        )
    if result.unlisted:
        lines.append(
            f"could not read the list of images ({result.unlisted}): images whose create answers were lost may be left"
        )
    if result.may_appear_until:
        lines.append(
            f"an image of the run may still appear until {_utc(result.may_appear_until)}"
            f" (IMS_JOB_TIMEOUT after its create); run again after then: {command}"
        )
    if not result.clean:
        lines.append(
            f"left: {len(result.left)} image(s), {len(result.open_jobs)} job(s) still running; finish with: {command}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m contract_tests.cleanup --run-id ID`: delete what run ID left on IMS_BASE_URL."""
    from contract_tests.run import EXIT_UNAVAILABLE, EXIT_USAGE, RunError, open_external_run

    parser = argparse.ArgumentParser(prog="make cleanup RUN_ID=...", description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-id", required=True, help="the id the run printed first")
    args = parser.parse_args(argv)
    env = {**os.environ, "IMS_RUN_ID": args.run_id}
    try:
        run = open_external_run(env)
    except RunError as error:
        print(f"cleanup: {error}", file=sys.stderr)
        return EXIT_USAGE if error.usage else EXIT_UNAVAILABLE
    ledger_file = run.settings.run_dir / "ledger.jsonl"
    had_ledger = ledger_file.exists() and ledger_file.stat().st_size > 0
    with run.session:
        print(f"cleanup of run {args.run_id} on {run.target.base_url}")
        result = clean_up(run.session, list_all=True, each=True)
    if not had_ledger:
        result.no_ledger = str(ledger_file)
    counts = run.ledger.counts()
    print(f"images of the run: {counts['images']} found, {len(result.deleted)} deleted now, {len(result.left)} left")
    for line in report_lines(result, args.run_id):
        print(line)
    return 0 if result.clean else EXIT_LEFT


if __name__ == "__main__":
    sys.exit(main())
