"""The helpers the end-to-end tests share: `Api` over the run's session, and the create budget's gate.

Each helper checks the envelope and `X-Request-Id` of every answer it reads; `Api.create` sends
to either create path (`op.create`, `op.create-v2.1`). Against a non-embedded target a test that
needs creates runs only within IMS_MAX_CREATES (`need_creates`).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest

from contract_tests.card import Card
from contract_tests.checks import (
    RULE_OF_CODE,
    Violation,
    assert_create_answer,
    assert_error_envelope,
    assert_job,
    assert_request_id,
    refused_code,
    require,
)
from contract_tests.session import ContractSession
from contract_tests.target import Target

CREATE = "/v1/cloudimages/dataimages/action"
V2_1 = "/v2.1/cloudimages/dataimages/action"  # the documented "(New)" path of the same call
ORDER = {"INIT": 0, "RUNNING": 1, "SUCCESS": 2, "FAIL": 2}


class Api:
    """Small helpers over the session, each checking the envelope and X-Request-Id of its answer."""

    def __init__(self, target: Target, http: ContractSession, card: Card) -> None:
        self.target = target
        self.http = http
        self.card = card
        self.created_images: list[str] = []
        self.job_timeout = http.settings.job_timeout
        self.image_file = http.settings.test_image_file  # the object of the jobs that must succeed
        self.bucket = http.settings.test_bucket

    def open_choice(self, rule: str, holds: bool, what: str) -> None:
        """A point the sources leave open: the mock's choice, enforced on it; elsewhere what was seen is observed."""
        if holds:
            return
        if self.target.embedded:
            raise Violation(f"{what} (the mock's choice on an open point: {rule})", rule)
        last = self.http.last_exchange()
        self.card.observe(
            f"{rule}: {what}", "open in the sources: reported, not failed", last.as_curl() if last else ""
        )

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> tuple[int, Any]:
        """Send one request with the run's credentials; its status and JSON body (None when empty)."""
        headers = dict(self.target.credential_headers())
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        response = self.http.request(
            method, self.target.url(path), data=data, headers=headers, params=params, timeout=30
        )
        with self.http.explain(response):
            assert_request_id(dict(response.headers))
            assert_error_envelope(response.status_code, response.text)
        return response.status_code, (response.json() if response.content else None)

    def create(self, path: str = CREATE, **fields: Any) -> str:
        """Send a create (to `path`: v1 by default, or V2_1) with a fresh name; its job ID, or a Violation."""
        body = {"name": f"ct-{uuid.uuid4().hex[:12]}", "image_url": self.image_file, "min_disk": 40, **fields}
        status, answer = self.call("POST", path, body)
        if 200 <= status < 300:  # accepted: whether the answer is right is `response.create`'s
            return assert_create_answer(status, json.dumps(answer))
        named = RULE_OF_CODE.get(refused_code(json.dumps(answer)) or "", ())
        raise Violation(f"sent {body}: expected 200, got {status} {answer}", *named)

    def job(self, job_id: str, *, progress: bool) -> dict[str, Any]:
        """The job by showJobProgress (`progress`) or showJob, checked against `job.fields`."""
        path = (
            f"/v1/cloudimages/job/{job_id}" if progress else f"/v1/{self.target.credentials.project_id}/jobs/{job_id}"
        )
        status, body = self.call("GET", path)
        require(status == 200, f"GET {path}: expected 200 for a job of this run, got {status} {body}", "job.queryable")
        return assert_job(body)

    def wait(self, job_id: str, *, since: float | None = None) -> dict[str, Any]:
        """Poll both job queries until the job ends, checking that its status never moves back.

        The job has IMS_JOB_TIMEOUT from `since` (the monotonic time its create went out; default:
        now) to end; a job sent early by the plan has already spent part of it.
        """
        deadline = (time.monotonic() if since is None else since) + self.job_timeout
        seen: list[str] = []
        percents: list[float] = []
        delay = 0.05
        while True:
            for progress in (True, False):
                job = self.job(job_id, progress=progress)
                status = job["status"]
                percent = (job.get("entities") or {}).get("process_percent")
                if progress and isinstance(percent, int | float):
                    require(
                        not percents or percent >= percents[-1],
                        f"process_percent went down: {' -> '.join(map(str, [*percents, percent]))}",
                        "job.progress",
                    )
                    percents.append(percent)
                if seen:
                    history = " -> ".join([*seen, status])
                    require(ORDER[status] >= ORDER[seen[-1]], f"job status moved backwards: {history}", "job.status")
                    if ORDER[seen[-1]] == 2:
                        require(status == seen[-1], f"an ended job changed its outcome: {history}", "job.status")
                seen.append(status)
            if ORDER[seen[-1]] == 2 and len(seen) >= 4:
                self._check_own_image(job_id, job)
                ended = (self.job(job_id, progress=True).get("entities") or {}).get("process_percent")
                self.open_choice(
                    "job.progress.scale",
                    ended == 100 and max(percents, default=0) <= 100,
                    f"process_percent counts from 0 to 100 and reads 100 once the job has ended, got {percents[-3:]}"
                    f" and {ended!r} at the end",
                )
                return job
            if time.monotonic() >= deadline:
                self.target.stop_creates(f"job {job_id} did not end within IMS_JOB_TIMEOUT={self.job_timeout:g} s")
                raise Violation(f"job {job_id} did not end within {self.job_timeout:g} s: {seen}", "job.status")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _check_own_image(self, job_id: str, job: dict[str, Any]) -> None:
        """A SUCCESS job names the image its create made: one that carries the run's mark (`job.success`).

        Read from the image itself; against the embedded mock, which gets unmarked creates, there is
        nothing to read. An image the job names without the mark is never touched.
        """
        entities = job.get("entities")
        image_id = entities.get("image_id") if isinstance(entities, dict) else None
        if job["status"] != "SUCCESS" or not isinstance(image_id, str) or self.target.embedded:
            return
        if self.http.proves_own(image_id):
            return
        found = self.http.ownership.looked.get(image_id)
        shown = "without this run's mark" if found == "unmarked" else "nowhere"
        require(
            found == "unknown",
            f"job {job_id} ended in SUCCESS naming image {image_id}, which listImages?id= shows {shown}: the"
            " create did not make it (job.success names an image the create did not make); that image is never touched",
            "job.success",
        )

    def images(self, **params: Any) -> list[dict[str, Any]]:
        """One page of listImages for `params` (a 200 expected)."""
        status, body = self.call("GET", "/v2/cloudimages", **params)
        assert status == 200, f"GET /v2/cloudimages {params}: expected 200, got {status} {body}"
        images: list[dict[str, Any]] = body["images"]
        return images

    def delete(self, image_id: str) -> int:
        """Delete an image (with the optional body); the status."""
        status, _ = self.call("DELETE", f"/v2/images/{image_id}", {"delete_backup": False})
        return status

    def wait_gone(self, **params: Any) -> None:
        """Poll listImages until nothing matches `params`, as Terraform's provider waits for a delete.

        Removal may lag (the provider notes delete "always returns 204" and polls); it must end
        within the job window (`delete.gone`).
        """
        bound = min(self.job_timeout, 120.0)
        deadline = time.monotonic() + bound
        delay = 0.1
        while self.images(**params):
            require(
                time.monotonic() < deadline,
                f"the deleted image is still listed ({params}) {bound:g} s after its 204",
                "delete.gone",
            )
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def need_creates(target: Target, count: int) -> None:
    """Skip the test unless the create budget allows `count` more accepted creates."""
    if target.creates_stopped:
        pytest.skip(f"needs {count} create(s), and no more are sent: {target.creates_stopped}")
    if not target.creates_allowed(count):
        pytest.skip(f"needs {count} create(s) and IMS_MAX_CREATES={target.max_creates} allows no more")
