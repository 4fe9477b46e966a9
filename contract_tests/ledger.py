"""What the run created, so that it can delete exactly that and nothing else.

Ownership rests on two facts:

* **The mark** (`mark.py`). Every create that a conforming server could accept carries the run's
  mark: a tag or a text in its description naming the run id, which is random, so no image made by
  anyone else carries it.
* **The ledger.** `reports/runs/<run id>/ledger.jsonl` records each such create *before* it is sent,
  then its answer (the job id) or that the answer was lost, the image its job named, and each
  delete. It holds no secret: names, ids, statuses and times only.

An image is the run's own only when the image itself, as the target lists it, carries the run's
mark: a job naming an image is a claim, checked against the image before anything is done to it
(a server whose job names someone else's image must not get that image deleted). Nothing else is
ever deleted, whatever its name.

The file survives a writer killed at any point: each event is one line written by one `write`
call, every event names what it is about by id (never by its position in the file), the state is
the same whatever order the lines come in, and a torn last line is closed off before anything new
is written, so that it costs that one event and no other.
"""

from __future__ import annotations

import calendar
import itertools
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JOB_RANK = {"": 0, "INIT": 1, "RUNNING": 2, "SUCCESS": 3, "FAIL": 3}
ENDED = ("SUCCESS", "FAIL")


@dataclass
class _Create:
    name: str = ""
    job_id: str | None = None
    # Once on its way to the server and until its answer is recorded, a create counts as lost: a run
    # stopped between the two (Ctrl-C, SIGTERM, kill -9) may have made an image it must still find.
    dispatched: bool = False
    dispatched_at: float = 0.0  # wall-clock time it went out: its image may appear until + job window
    answered: bool = False


@dataclass
class Ledger:
    """The run's record of its creates, jobs and images, kept in memory and appended to a file."""

    run_id: str
    path: Path | None
    creates: dict[str, _Create] = field(default_factory=dict)  # create id -> what became of it
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> furthest status seen
    job_sent_at: dict[str, float] = field(default_factory=dict)  # unexpected job id -> when it was seen
    proven: set[str] = field(default_factory=set)  # images listed with the run's mark: the run's own
    claimed: dict[str, str] = field(default_factory=dict)  # image id -> the job that named it
    foreign: dict[str, str] = field(default_factory=dict)  # image id named by a job, listed without the mark
    gone: set[str] = field(default_factory=set)  # the run's images deleted (204) or found gone (404)
    rejects_lost: list[float] = field(default_factory=list)  # when creates that must be rejected lost their answer
    _ids: Any = field(default_factory=itertools.count, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def open(cls, run_id: str, run_dir: Path) -> Ledger:
        """A ledger for a new run, or the continuation of the file of a run with the same id."""
        run_dir.mkdir(parents=True, exist_ok=True)
        path = run_dir / "ledger.jsonl"
        ledger = cls.load(run_id, path)
        _close_torn_line(path)
        ledger.path = path
        return ledger

    @classmethod
    def load(cls, run_id: str, path: Path) -> Ledger:
        """The state a ledger file records (empty when there is no file); writes nothing."""
        ledger = cls(run_id, None)
        if path.exists():
            for line in path.read_bytes().splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # a line torn by a killed writer: that one event is lost, no other
                if isinstance(event, dict):
                    ledger._apply(event)
        return ledger

    def _create(self, event: dict[str, Any]) -> _Create:
        # Old ledgers named a create by its position; those ids still work as text.
        key = str(event.get("create", len(self.creates)))
        return self.creates.setdefault(key, _Create())

    def _apply(self, event: dict[str, Any]) -> None:  # one branch per event kind
        kind = event.get("event")
        if kind == "create-sent":
            self._create(event).name = str(event.get("name", ""))
        elif kind in ("create-dispatched", "create-lost"):
            entry = self._create(event)
            entry.dispatched = True
            entry.dispatched_at = max(entry.dispatched_at, _when(event))
        elif kind == "create-answered":
            entry = self._create(event)
            entry.answered = True
            entry.job_id = str(event.get("job_id") or "") or entry.job_id
            if entry.job_id:
                self._job(entry.job_id, 0.0)
        elif kind in ("create-refused", "create-withdrawn"):
            self._create(event).answered = True
        elif kind == "job-accepted-unexpectedly":
            self._job(str(event.get("job_id", "")), _when(event))
        elif kind == "reject-lost":
            self.rejects_lost.append(_when(event))
        elif kind == "job":
            job_id, status = str(event.get("job_id", "")), str(event.get("status", ""))
            self._job(job_id, 0.0)
            if JOB_RANK.get(status, 0) >= JOB_RANK.get(self.jobs[job_id], 0):
                self.jobs[job_id] = status  # statuses only move forward, whatever order the lines are in
        elif kind == "image":
            self.proven.add(str(event.get("image_id", "")))
        elif kind == "image-claimed":
            self.claimed[str(event.get("image_id", ""))] = str(event.get("job_id", ""))
        elif kind == "image-foreign":
            self.foreign[str(event.get("image_id", ""))] = str(event.get("job_id", ""))
        elif kind == "image-gone":
            self.gone.add(str(event.get("image_id", "")))

    def _job(self, job_id: str, sent_at: float) -> None:
        if job_id:
            self.jobs.setdefault(job_id, "")
            self.job_sent_at[job_id] = max(self.job_sent_at.get(job_id, 0.0), sent_at)

    def _write(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._apply(event)
            if self.path is None:
                return
            line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **event}) + "\n"
            _append_line(self.path, line.encode("utf-8"))

    # --- what the session reports ---------------------------------------------------------------

    def create_sent(self, name: str) -> str:
        """Record a create about to be sent; returns its id, for the events that follow."""
        with self._lock:
            create_id = f"{next(self._ids)}-{secrets.token_hex(3)}"
            self._write({"event": "create-sent", "create": create_id, "name": name})
            return create_id

    def create_dispatched(self, create_id: str) -> None:
        """The create is about to go on the wire: from now on, a stop may leave an image behind."""
        with self._lock:
            if not self.creates[create_id].dispatched:
                self._write({"event": "create-dispatched", "create": create_id, "at": round(time.time(), 3)})

    def was_dispatched(self, create_id: str) -> bool:
        """Whether the create went on its way to the server."""
        with self._lock:
            return self.creates[create_id].dispatched

    def create_withdrawn(self, create_id: str, reason: str) -> None:
        """The run stopped before the create went out: nothing was sent, nothing can have been made."""
        self._write({"event": "create-withdrawn", "create": create_id, "reason": reason[:200]})

    def create_answered(self, create_id: str, job_id: str | None) -> None:
        """The create was answered: with a job (accepted) or without one (refused, nothing made)."""
        if job_id:
            self._write({"event": "create-answered", "create": create_id, "job_id": job_id})
        else:
            self._write({"event": "create-refused", "create": create_id})

    def create_lost(self, create_id: str, reason: str) -> None:
        """The create was sent and its answer never came: the server may have acted."""
        self._write({"event": "create-lost", "create": create_id, "reason": reason[:200]})

    def job_accepted_unexpectedly(self, job_id: str) -> None:
        """A create the contract says must be rejected got a job: it is the run's all the same."""
        with self._lock:
            if job_id not in self.jobs:
                self._write({"event": "job-accepted-unexpectedly", "job_id": job_id, "at": round(time.time(), 3)})

    def reject_lost(self, reason: str) -> None:
        """A create that must be rejected lost its answer: a broken server may have made an image."""
        self._write({"event": "reject-lost", "reason": reason[:200], "at": round(time.time(), 3)})

    def job_seen(self, job_id: str, status: str, image_id: str | None) -> None:
        """A query of one of the run's jobs answered `status` (and, on SUCCESS, the image it names)."""
        with self._lock:
            if job_id not in self.jobs:
                return
            if JOB_RANK.get(status, 0) > JOB_RANK.get(self.jobs[job_id], 0):
                self._write({"event": "job", "job_id": job_id, "status": status})
            if image_id and image_id not in self.claimed:
                self._write({"event": "image-claimed", "image_id": image_id, "job_id": job_id})

    def image_found(self, image_id: str, how: str) -> None:
        """The image, as the target lists it, carries the run's mark: it is the run's own."""
        with self._lock:
            if image_id not in self.proven:
                self._write({"event": "image", "image_id": image_id, "how": how})

    def image_foreign(self, image_id: str) -> None:
        """A job named this image, and the target lists it without the run's mark: never touched."""
        with self._lock:
            if image_id not in self.foreign and image_id not in self.proven:
                job_id = self.claimed.get(image_id, "")
                self._write({"event": "image-foreign", "image_id": image_id, "job_id": job_id})

    def image_gone(self, image_id: str, how: str) -> None:
        """One of the run's images was deleted (204) or found gone (404)."""
        with self._lock:
            if image_id in self.proven and image_id not in self.gone:
                self._write({"event": "image-gone", "image_id": image_id, "how": how})

    # --- what the run asks ----------------------------------------------------------------------

    def owns_image(self, image_id: str) -> bool:
        """Whether the image was seen carrying the run's mark (the session checks it again before a delete)."""
        with self._lock:
            return image_id in self.proven

    def knows_image(self, image_id: str) -> bool:
        """Whether the image is the run's own or was named by one of the run's jobs (a claim to check)."""
        with self._lock:
            return image_id in self.proven or image_id in self.claimed

    def owns_job(self, job_id: str) -> bool:
        """Whether the job is one of the run's own."""
        with self._lock:
            return job_id in self.jobs

    def open_jobs(self) -> list[str]:
        """The run's jobs not yet seen to end."""
        with self._lock:
            return [job for job, status in self.jobs.items() if status not in ENDED]

    def images_left(self) -> list[str]:
        """The run's images not yet deleted."""
        with self._lock:
            return sorted(self.proven - self.gone)

    def unproven_claims(self) -> list[str]:
        """Images the run's jobs named that were neither shown with the mark nor shown without it."""
        with self._lock:
            return sorted(set(self.claimed) - self.proven - set(self.foreign))

    def never_shown_marked(self) -> list[str]:
        """Images the run's jobs named that the target never showed with the run's mark.

        Not shown at all, or shown without the mark: they may be the run's, and are never touched.
        """
        with self._lock:
            return sorted(set(self.claimed) - self.proven)

    def foreign_images(self) -> list[str]:
        """Images the run's jobs named that the target shows without the run's mark (`job.success`)."""
        with self._lock:
            return sorted(self.foreign)

    def _jobs_sent_at(self) -> dict[str, float]:
        # When each job's create went out (wall clock; 0.0 when the ledger does not say).
        sent_at = dict(self.job_sent_at)
        for create in self.creates.values():
            if create.job_id:
                sent_at[create.job_id] = max(sent_at.get(create.job_id, 0.0), create.dispatched_at)
        return sent_at

    def open_job_windows(self, job_window: float) -> dict[str, float]:
        """Each open job of the run, and until when it may still end: its create + `job_window`.

        Wall-clock times; infinite when the ledger does not say when the create went out. A job
        past its window did not end when the contract bounds it (`job.status`): nobody waits for it.
        """
        with self._lock:
            sent_at = self._jobs_sent_at()
            return {
                job: sent_at[job] + job_window if sent_at.get(job) else float("inf")
                for job, status in self.jobs.items()
                if status not in ENDED
            }

    def lost_creates(self) -> int:
        """Creates sent whose answer never came (lost, or not yet recorded when the run stopped)."""
        with self._lock:
            return sum(1 for create in self.creates.values() if create.dispatched and not create.answered)

    def unaccounted(self, job_window: float) -> list[float]:
        """For each create whose image may exist but is not known, until when it may still appear.

        Those are creates whose answer was lost (and creates that must be rejected whose answer was
        lost), and creates whose job ended in SUCCESS naming an image that is not the run's. Images
        listed with the run's mark that no job named account for that many of them; the rest may
        appear until their create went out + `job_window` (wall-clock times, latest last).
        """
        with self._lock:
            proven_by_job = {image for image, job in self.claimed.items() if image in self.proven}
            jobs_with_image = {self.claimed[image] for image in proven_by_job}
            until = [c.dispatched_at + job_window for c in self.creates.values() if c.dispatched and not c.answered]
            until += [at + job_window for at in self.rejects_lost]
            sent_at = self._jobs_sent_at()
            until += [
                sent_at.get(job, 0.0) + job_window
                for job, status in self.jobs.items()
                if status == "SUCCESS" and job not in jobs_with_image
            ]
            found = len(self.proven - proven_by_job)
            return sorted(until)[found:] if found < len(until) else []

    def counts(self) -> dict[str, int]:
        """Creates sent, images found, deleted and left, for the summary."""
        with self._lock:
            deleted = len(self.proven & self.gone)
            return {
                "creates": len(self.creates),
                "answers_lost": self.lost_creates(),
                "images": len(self.proven),
                "deleted": deleted,
                "left": len(self.proven) - deleted,
                "open_jobs": len(self.open_jobs()),
                "foreign": len(self.foreign),
            }


def _when(event: dict[str, Any]) -> float:
    """When an event happened: its `at` (epoch seconds), else its `time` stamp, else 0 (unknown)."""
    at = event.get("at")
    if isinstance(at, int | float) and not isinstance(at, bool):
        return float(at)
    try:
        return float(calendar.timegm(time.strptime(str(event.get("time", "")), "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return 0.0


def _append_line(path: Path, data: bytes) -> None:
    """Append one whole line with one write call (O_APPEND), flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _close_torn_line(path: Path) -> None:
    """End a last line that a killed writer left without its newline, so the next event stands alone."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return
            handle.seek(-1, os.SEEK_END)
            torn = handle.read(1) != b"\n"
    except FileNotFoundError:
        return
    if torn:
        _append_line(path, b"\n")
