"""Jobs and images in memory: the asynchronous job lifecycle (`job.*`).

A job's state is a function of the clock: INIT for the first tenth of `job_seconds`, RUNNING until
`job_seconds` have passed, then SUCCESS or FAIL (decided at creation by the simulated OBS). So it
can only move forward, and every query sees a consistent answer without background tasks. Jobs
that have ended are settled (their image created) lazily, in creation order, on the next request.

Memory is bounded: at most `max_jobs` jobs and `max_images` images are kept. A new job evicts the
oldest job if that one has ended; when the oldest is still running, the create is refused with 503
rather than losing a job in flight. A new image evicts the oldest image.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ims_mock import errors
from ims_mock.rules import CreateRequest

JOB_TYPE = "imsImportDataImageJob"
INIT_SHARE = 0.1

# The simulated OBS: an object "exists" unless its key starts with `missing`, and it is a usable
# image file when its extension is one of the documented formats (case-insensitive).
SUPPORTED_FORMATS = frozenset({"vhd", "vmdk", "qcow2", "raw", "vhdx", "qcow", "vdi", "qed", "zvhd", "zvhd2"})


def image_file_usable(image_url: str) -> bool:
    """Whether the simulated OBS holds a supported image file at `bucket:key`."""
    key = image_url.partition(":")[2]
    basename = key.rsplit("/", 1)[-1]
    extension = basename.rsplit(".", 1)[-1].lower() if "." in basename else ""
    return not key.startswith("missing") and extension in SUPPORTED_FORMATS


def iso(timestamp: float, *, millis: bool = True) -> str:
    """A UTC timestamp as ISO 8601 with a Z, e.g. 2024-11-06T06:27:03.742Z."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond // 1000:03d}Z" if millis else f"{text}Z"


@dataclass
class Job:
    """One createDataImage job."""

    job_id: str
    project_id: str
    request: CreateRequest
    started: float
    ends: float
    succeeds: bool
    image_id: str
    queries: int = 0


@dataclass
class Image:
    """One data disk image created by a successful job."""

    image_id: str
    project_id: str
    request: CreateRequest
    created: float


@dataclass(frozen=True)
class JobView:
    """A job as one query sees it."""

    status: str
    percent: float
    ended: bool


@dataclass
class Store:
    """All jobs and images of all projects."""

    job_seconds: float = 0.5
    max_jobs: int = 100_000
    max_images: int = 100_000
    faults: frozenset[str] = frozenset()
    jobs: OrderedDict[str, Job] = field(default_factory=OrderedDict)
    images: OrderedDict[str, Image] = field(default_factory=OrderedDict)
    _by_project: dict[str, OrderedDict[str, Image]] = field(default_factory=dict)
    _pending: deque[Job] = field(default_factory=deque)

    def create_job(self, project_id: str, request: CreateRequest, now: float) -> Job:
        """Start a job; 503 when the store is full of jobs still running."""
        self.settle(now)
        if len(self.jobs) >= self.max_jobs:
            oldest = next(iter(self.jobs.values()))
            if not self.view(oldest, now).ended:
                raise errors.TOO_MANY_JOBS
            self.jobs.popitem(last=False)
        # Planted bug: dashed-job-id
        job_id = str(uuid.uuid4()) if "dashed-job-id" in self.faults else uuid.uuid4().hex
        succeeds = image_file_usable(request.image_url) or "unsupported-format-succeeds" in self.faults
        job = Job(job_id, project_id, request, now, now + self.job_seconds, succeeds, str(uuid.uuid4()))
        self.jobs[job_id] = job
        self._pending.append(job)
        return job

    def view(self, job: Job, now: float) -> JobView:
        """The job's status and progress at `now`."""
        if "job-never-ends" in self.faults:  # Planted bug: job-never-ends
            return JobView("RUNNING", 50, ended=False)
        elapsed = now - job.started
        if elapsed >= self.job_seconds:
            return JobView("SUCCESS" if job.succeeds else "FAIL", 100, ended=True)
        if elapsed >= self.job_seconds * INIT_SHARE:
            return JobView("RUNNING", min(99.0, round(100 * elapsed / self.job_seconds, 1)), ended=False)
        return JobView("INIT", 0, ended=False)

    def find_job(self, project_id: str, job_id: str, now: float) -> Job:
        """The caller's job; 404 for an unknown job and for another project's job alike."""
        self.settle(now)
        job = self.jobs.get(job_id)
        if job is None or (job.project_id != project_id and "cross-project-jobs" not in self.faults):
            raise errors.JOB_NOT_FOUND  # (Planted bug on the line above: cross-project-jobs)
        job.queries += 1
        if job.queries == 1 and "job-not-found-at-first" in self.faults:  # Planted bug: job-not-found-at-first
            raise errors.JOB_NOT_FOUND
        return job

    def settle(self, now: float) -> None:
        """Create the images of the jobs that have succeeded by `now`."""
        if "job-never-ends" in self.faults:
            return
        while self._pending and self._pending[0].ends <= now:
            job = self._pending.popleft()
            if job.succeeds and "image-not-listed" not in self.faults:  # Planted bug: image-not-listed
                self._add_image(Image(job.image_id, job.project_id, job.request, job.ends))

    def _add_image(self, image: Image) -> None:
        if len(self.images) >= self.max_images:
            _, oldest = self.images.popitem(last=False)
            self._by_project[oldest.project_id].pop(oldest.image_id, None)
        self.images[image.image_id] = image
        self._by_project.setdefault(image.project_id, OrderedDict())[image.image_id] = image

    def project_images(self, project_id: str, now: float) -> list[Image]:
        """The project's images, newest first."""
        self.settle(now)
        owned = self._by_project.get(project_id)
        return list(reversed(owned.values())) if owned else []

    def delete_image(self, project_id: str, image_id: str, now: float) -> None:
        """Delete the caller's image; 404 when it is not there."""
        self.settle(now)
        owned = self._by_project.get(project_id)
        if owned is None or image_id not in owned:
            if "delete-gone-image-204" in self.faults:  # Planted bug: delete-gone-image-204
                return
            raise errors.IMAGE_NOT_FOUND
        if "delete-keeps-image" in self.faults:  # Planted bug: delete-keeps-image
            return
        del self._by_project[project_id][image_id]
        del self.images[image_id]

    def job_json(self, job: Job, now: float, *, progress: bool) -> dict[str, Any]:
        """The job as showJob (progress=False) or showJobProgress (progress=True) returns it."""
        view = self.view(job, now)
        status = view.status
        if "job-status-backwards" in self.faults and view.ended and job.queries % 2 == 0:
            status = "RUNNING"  # Planted bug: job-status-backwards
        failed = view.ended and status == "FAIL"
        entities: dict[str, Any] = {"image_name": job.request.name}
        if view.ended and status == "SUCCESS" and "success-without-image-id" not in self.faults:
            entities["image_id"] = job.image_id  # (Planted bug on the line above: success-without-image-id)
        if progress:
            ended_percent = 99 if "progress-not-100-at-end" in self.faults else 100  # Planted bug
            entities["process_percent"] = ended_percent if view.ended else view.percent
        end_time: str | None = iso(job.ends) if view.ended else ""
        if not view.ended and "end-time-null-while-running" in self.faults:
            end_time = None  # Planted bug: end-time-null-while-running
        fail_with_reason = failed and "fail-without-error-code" not in self.faults  # Planted bug
        return {
            "job_id": job.job_id,
            "job_type": "imsCreateImageJob" if "wrong-job-type" in self.faults else JOB_TYPE,  # Planted bug
            "begin_time": iso(job.started),
            "end_time": end_time,
            "status": status,
            "error_code": errors.IMAGE_FILE_UNUSABLE_CODE if fail_with_reason else None,
            "fail_reason": errors.IMAGE_FILE_UNUSABLE_REASON if fail_with_reason else None,
            "entities": entities,
        }

    def image_json(self, image: Image) -> dict[str, Any]:
        """The image as listImages shows it."""
        request = image.request
        tags = [f"{key}.{value}" if value else key for key, value in request.tags]
        return {
            "id": image.image_id,
            "name": request.name,
            "status": "queued" if "image-not-active" in self.faults else "active",  # Planted bug
            "visibility": "private",
            "virtual_env_type": "DataImage",
            "__imagetype": "private",
            "__os_type": request.os_type,
            "__description": request.description,
            "min_disk": 40 if "image-wrong-min-disk" in self.faults else request.min_disk,  # Planted bug
            "tags": [] if "image-tags-dropped" in self.faults else tags,  # Planted bug
            "created_at": iso(image.created, millis=False),
            "updated_at": iso(image.created, millis=False),
        }
