"""Jobs and images in memory: the asynchronous job lifecycle (`job.*`).

A job's state is a function of the clock: INIT for the first tenth of `job_seconds`, RUNNING until
`job_seconds` have passed, then SUCCESS or FAIL (decided at creation by the simulated OBS). So it
can only move forward, and every query sees a consistent answer without background tasks. Jobs
that have ended are settled (their image created) lazily, in creation order, on the next request.

Memory is bounded, per project and in all: at most `max_jobs_per_project` jobs and
`max_images_per_project` images of one project, and `max_jobs` and `max_images` of all projects
together, are kept. `max_images_per_project` is the project's private-image quota, as Huawei
documents it: a create that would take the project's images (and the jobs that will make one)
past it is refused with `400 IMG.0015`, and so is one the store as a whole has no room for; no
image is ever evicted. At the job cap a new job evicts the project's own oldest job if that one
has ended, else the create is refused with `400 IMG.0060` (the job flow-control code), with
Retry-After when the project's own oldest job will end: another project's jobs and images are
never evicted. A job with its image takes at most about 6 KB
(6.1 KB measured with tracemalloc at the longest name, description, image_url and cmk_id and ten
distinct longest tags; an image's listImages view is built when it is listed, never kept), so the
default caps of 100,000 bound the store below about 600 MB.
"""

from __future__ import annotations

import math
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ims_mock import errors
from ims_mock.images import file_extension, image_view
from ims_mock.rules import CreateRequest

JOB_TYPE = "imsImportDataImageJob"
INIT_SHARE = 0.1

# The simulated OBS: an object "exists" unless its key starts with `missing`, and it is a usable
# image file when its extension is one of the documented formats (case-insensitive; `job.fail`).
SUPPORTED_FORMATS = frozenset({"vhd", "vmdk", "qcow2", "raw", "vhdx", "qcow", "vdi", "qed", "zvhd", "zvhd2"})


def image_file_usable(
    image_url: str, formats: frozenset[str] | None = SUPPORTED_FORMATS, *, any_case: bool = True
) -> bool:
    """Whether the simulated OBS holds an image file of one of `formats` (None: any) at `bucket:key`.

    The extension is compared in any case (`disk.QCOW2` is a qcow2 file) unless `any_case` is False.
    """
    key = image_url.partition(":")[2]
    extension = file_extension(image_url).lower() if any_case else file_extension(image_url)
    return not key.startswith("missing") and (formats is None or extension in formats)


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


@dataclass
class Image:
    """One data disk image created by a successful job: `created` when its job began, `active` when it ended."""

    image_id: str
    project_id: str
    request: CreateRequest
    created: float
    active: float

    def view(self) -> dict[str, Any]:
        """The image as listImages shows it (built on each call: kept, it would double the store's memory)."""
        return image_view(self.request, self.image_id, self.project_id, self.created, self.active)


@dataclass(frozen=True)
class JobView:
    """A job as one query sees it."""

    status: str
    percent: float
    ended: bool


@dataclass(kw_only=True)
class Store:
    """All jobs and images of all projects; its limits are the server's (`MockConfig`, the one place they are set)."""

    job_seconds: float
    max_jobs: int
    max_images: int
    max_jobs_per_project: int
    max_images_per_project: int
    formats: frozenset[str] | None
    formats_any_case: bool
    new_id: Callable[[], uuid.UUID]
    jobs: OrderedDict[str, Job] = field(default_factory=OrderedDict)
    images: OrderedDict[str, Image] = field(default_factory=OrderedDict)
    _by_project: dict[str, OrderedDict[str, Image]] = field(default_factory=dict)
    _jobs_of: dict[str, OrderedDict[str, Job]] = field(default_factory=dict)
    _pending: deque[Job] = field(default_factory=deque)
    _pending_images: dict[str, int] = field(default_factory=dict)  # project -> pending jobs that make an image

    def create_job(self, project_id: str, request: CreateRequest, now: float) -> Job:
        """Start a job; 400 IMG.0060 at the job cap, 400 IMG.0015 at the image quota."""
        self.settle(now)
        own_jobs = self._jobs_of.setdefault(project_id, OrderedDict())
        if len(own_jobs) >= self.max_jobs_per_project or len(self.jobs) >= self.max_jobs:
            oldest = next(iter(own_jobs.values()), None)
            if oldest is None:
                raise errors.TOO_MANY_JOBS  # the store is full of other projects' jobs: no time mends that
            if not self.view(oldest, now).ended:  # room once the project's own oldest job ends
                raise replace(errors.TOO_MANY_JOBS, retry_after=max(1, math.ceil(oldest.ends - now)))
            del own_jobs[oldest.job_id], self.jobs[oldest.job_id]
        # The private-image quota: the project's images and those its running jobs will make.
        if self.images_used(project_id) >= self.max_images_per_project or (
            len(self.images) + len(self._pending) >= self.max_images
        ):
            raise errors.QUOTA_REACHED
        job_id = self.new_id().hex
        succeeds = image_file_usable(request.image_url, self.formats, any_case=self.formats_any_case)
        job = Job(job_id, project_id, request, now, now + self.job_seconds, succeeds, str(self.new_id()))
        self.jobs[job_id] = job
        own_jobs[job_id] = job
        self._pending.append(job)
        if succeeds:
            self._pending_images[project_id] = self._pending_images.get(project_id, 0) + 1
        return job

    def images_used(self, project_id: str) -> int:
        """How much of its private-image quota the project uses: its images and those on their way."""
        return len(self._by_project.get(project_id, ())) + self._pending_images.get(project_id, 0)

    def view(self, job: Job, now: float) -> JobView:
        """The job's status and progress at `now`."""
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
        if job is None or job.project_id != project_id:
            raise errors.JOB_NOT_FOUND
        return job

    def job_owner(self, job_id: str) -> str | None:
        """The project a job belongs to, if the job is kept."""
        job = self.jobs.get(job_id)
        return job.project_id if job else None

    def settle(self, now: float) -> None:
        """Create the images of the jobs that have succeeded by `now`."""
        while self._pending and self._pending[0].ends <= now:
            job = self._pending.popleft()
            if job.succeeds:
                self._pending_images[job.project_id] -= 1
                self._add_image(Image(job.image_id, job.project_id, job.request, job.started, job.ends))

    def _add_image(self, image: Image) -> None:
        # Room was reserved when its job was accepted (the quota counts jobs on their way).
        owned = self._by_project.setdefault(image.project_id, OrderedDict())
        self.images[image.image_id] = image
        owned[image.image_id] = image

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
            raise errors.IMAGE_NOT_FOUND
        del self._by_project[project_id][image_id]
        del self.images[image_id]

    def job_json(self, job: Job, now: float, *, progress: bool) -> dict[str, Any]:
        """The job as showJob (progress=False) or showJobProgress (progress=True) returns it."""
        view = self.view(job, now)
        failed = view.status == "FAIL"
        entities: dict[str, Any] = {"image_name": job.request.name, "process_percent": view.percent}
        if view.status == "SUCCESS":
            entities["image_id"] = job.image_id
            if not progress:  # showJob's JobEntities lists what the job made
                entities["results"] = [{"image_id": job.image_id, "project_id": job.project_id, "status": "SUCCESS"}]
        if failed:  # the error information, as JobEntities carries it
            entities["error_code"] = errors.IMAGE_FILE_UNUSABLE_CODE
            entities["error"] = errors.IMAGE_FILE_UNUSABLE_REASON
        return {
            "job_id": job.job_id,
            "job_type": JOB_TYPE,
            "begin_time": iso(job.started),
            "end_time": iso(job.ends) if view.ended else "",
            "status": view.status,
            "error_code": errors.IMAGE_FILE_UNUSABLE_CODE if failed else None,
            "fail_reason": errors.IMAGE_FILE_UNUSABLE_REASON if failed else None,
            "entities": entities,
        }

    def image_json(self, image: Image) -> dict[str, Any]:
        """The image as listImages shows it."""
        return image.view()

    def project_image(self, project_id: str, image_id: str, now: float) -> Image | None:
        """One of the project's images by id, if it has it."""
        self.settle(now)
        owned = self._by_project.get(project_id)
        return owned.get(image_id) if owned is not None else None
