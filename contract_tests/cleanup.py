"""Delete what a run created, and only that: at the end of every run, and for a run that died.

The run's jobs are waited for (all of them together within IMS_JOB_TIMEOUT), each image a job made
is deleted, and where an answer was lost (or for `make cleanup`, always) every page of
`listImages` is read and each image carrying the run's mark is deleted too. An image still being
made cannot be deleted yet, so deletes are retried within the same bound.

Usage (a run killed outright, e.g. with kill -9):

    make cleanup RUN_ID=<run id>          # = python -m contract_tests.cleanup --run-id <run id>

It needs the same IMS_BASE_URL and credentials as the run; it reads the run's ledger under
IMS_REPORTS_DIR when there is one, and prints each image it deletes. Exit codes as the suite's:
0 nothing of the run is left, 1 something is left, 4 usage error, 69 target unreachable or
credentials refused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from contract_tests.ledger import Ledger
from contract_tests.session import ContractSession, ForeignHost, ResponseTooLarge, Throttled, TooSlow

# What a request of the cleanup may meet on a broken or hostile target: it skips that request and
# goes on (the summary then says what is left), it never ends the run in a traceback.
UNANSWERED = (requests.RequestException, Throttled, ResponseTooLarge, TooSlow, ForeignHost)
LIST_PAGE = 1000
LIST_TRIES = 3  # a list that cannot be read whole is tried again this often, then reported
MAX_PAGES = 10_000
EXIT_LEFT = 1


@dataclass
class CleanupResult:
    """What a cleanup did."""

    deleted: list[str]
    left: list[str]
    open_jobs: list[str]
    listed: bool
    interrupted: bool = False
    unlisted: str | None = None  # why the image list could not be read whole, when it could not


def cleanup_command(run_id: str) -> str:
    """The command that finishes the cleanup of `run_id` by hand."""
    return f"make cleanup RUN_ID={run_id}"


def clean_up(
    session: ContractSession, *, list_all: bool = False, say: Callable[[str], None] = print, each: bool = False
) -> CleanupResult:
    """Wait for the run's jobs, then delete each of its images; bounded by IMS_JOB_TIMEOUT.

    `say` hears what the cleanup waits for and, with `each`, every image it deletes.
    """
    ledger, settings = session.ledger, session.settings
    deadline = time.monotonic() + settings.job_timeout
    deleted: list[str] = []
    listed = False
    unlisted: str | None = None
    list_failures = 0
    try:
        _wait_for_jobs(session, deadline, say)
        must_list = list_all or ledger.lost_creates() > 0 or ledger.rejects_lost > 0 or bool(ledger.open_jobs())
        delay = 0.2
        while True:
            if must_list:
                unlisted = _list_marked(session)
                listed = unlisted is None
                list_failures += unlisted is not None
            for image_id in ledger.images_left():
                if _delete(session, image_id):
                    deleted.append(image_id)
                    if each:
                        say(f"deleted image {image_id}")
            retry_list = must_list and not listed and list_failures < LIST_TRIES
            if not ledger.images_left() and not _expect_more(ledger, list_all, listed) and not retry_list:
                break
            if time.monotonic() + delay > deadline:
                break
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
    except KeyboardInterrupt:
        return CleanupResult(deleted, ledger.images_left(), ledger.open_jobs(), listed, True, unlisted)
    return CleanupResult(deleted, ledger.images_left(), ledger.open_jobs(), listed, False, unlisted)


def _expect_more(ledger: Ledger, list_all: bool, listed: bool) -> bool:
    """Whether an image may still appear: a job still open, or lost answers not yet all found."""
    if ledger.open_jobs():
        return True
    return listed and not list_all and ledger.lost_creates() > len(ledger.by_mark)


def _wait_for_jobs(session: ContractSession, deadline: float, say: Callable[[str], None]) -> None:
    ledger = session.ledger
    unknown: set[str] = set()
    delay = 0.1
    announced = False
    while (jobs := [job for job in ledger.open_jobs() if job not in unknown]) and time.monotonic() < deadline:
        if not announced:
            say(f"waiting for {len(jobs)} job(s) of the run to end (at most {session.settings.job_timeout:g} s)")
            announced = True
        for job_id in jobs:
            try:
                response = _get(session, f"/v1/cloudimages/job/{job_id}")
            except UNANSWERED:
                continue
            if response.status_code == 404:
                unknown.add(job_id)
        if time.monotonic() + delay > deadline:
            return
        time.sleep(delay)
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
    """Delete one of the run's images; True once it is gone (204, or 404: already gone)."""
    target = session.target
    try:
        response = session.delete(
            target.url(f"/v2/images/{image_id}"),
            json={"delete_backup": False},
            headers=target.credential_headers(),
        )
    except UNANSWERED:
        return False
    return response.status_code in (204, 404)


def report_lines(result: CleanupResult, run_id: str) -> list[str]:
    """What the cleanup leaves for the summary: counts, and the command when anything may be left."""
    lines = []
    if result.interrupted:
        lines.append("cleanup interrupted")
    if result.unlisted:
        lines.append(
            f"could not read the list of images ({result.unlisted}): images whose create answers were lost may be left"
        )
    if result.left or result.open_jobs or result.interrupted or result.unlisted:
        lines.append(
            f"left: {len(result.left)} image(s), {len(result.open_jobs)} job(s) still running; "
            f"finish with: {cleanup_command(run_id)}"
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
    with run.session:
        print(f"cleanup of run {args.run_id} on {run.target.base_url}")
        result = clean_up(run.session, list_all=True, each=True)
    counts = run.ledger.counts()
    print(f"images of the run: {counts['images']} found, {len(result.deleted)} deleted now, {len(result.left)} left")
    for line in report_lines(result, args.run_id):
        print(line)
    return EXIT_LEFT if result.left or result.open_jobs or result.interrupted or result.unlisted else 0


if __name__ == "__main__":
    sys.exit(main())
