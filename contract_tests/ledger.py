"""What the run created, so that it can delete exactly that and nothing else.

Ownership rests on two facts:

* **The mark.** Every create that a conforming server could accept carries the run's mark: a tag
  `ims-ct-run.<run id>`, or the text `[ims-ct-run <run id>]` in its description, whichever fits the
  body without breaking a rule. A run id is random, so no image made by anyone else carries it.
* **The ledger.** `reports/runs/<run id>/ledger.jsonl` records each such create *before* it is sent,
  then its answer (the job id) or that the answer was lost, the job's image, and each delete. It
  holds no secret: names, ids and statuses only.

An image is the run's own when a job the run created named it, or when a listing shows it with the
run's mark. Nothing else is ever deleted, whatever its name.
"""

from __future__ import annotations

import copy
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARK_TAG_KEY = "ims-ct-run"
MAX_TAGS = 10
MAX_DESCRIPTION = 1024


def mark_tag(run_id: str) -> str:
    """The run's mark as a `key.value` tag."""
    return f"{MARK_TAG_KEY}.{run_id}"


def mark_text(run_id: str) -> str:
    """The run's mark as description text."""
    return f"[{MARK_TAG_KEY} {run_id}]"


def _items(value: Any) -> list[Any]:
    """`value` if it is a list, else no items (the body may break any rule)."""
    return value if isinstance(value, list) else []


def tag_keys(body: dict[str, Any]) -> list[str]:
    """The tag keys of a create body, from `tags` and `image_tags`, repeats kept (any body shape)."""
    keys = [str(tag).split(".", 1)[0] for tag in _items(body.get("tags"))]
    return keys + [str(tag.get("key")) for tag in _items(body.get("image_tags")) if isinstance(tag, dict)]


def is_marked(body: dict[str, Any], run_id: str) -> bool:
    """Whether a create body already carries the run's mark."""
    description = body.get("description")
    return (
        mark_tag(run_id) in _items(body.get("tags"))
        or {"key": MARK_TAG_KEY, "value": run_id} in _items(body.get("image_tags"))
        or (isinstance(description, str) and mark_text(run_id) in description)
    )


def marked_bodies(body: dict[str, Any], run_id: str, *, tag_first: bool = False) -> list[dict[str, Any]]:
    """The ways to mark `body`, in order of preference (the caller keeps the first that fits).

    A description is added where there is none, or a tag joins the tag field in use (`tags` when
    neither is); `tag_first` says which of the two comes first. Last, the mark is appended to the
    description. A caller alternates `tag_first` between creates, so that both a body without a
    description and a body without tags still reach the server: a server that wrongly requires one
    of them is caught on every other create.
    """
    if is_marked(body, run_id):
        return [body]
    by_description: list[dict[str, Any]] = []
    by_tag: list[dict[str, Any]] = []
    if "description" not in body:
        by_description.append({**body, "description": mark_text(run_id)})
    if MARK_TAG_KEY not in tag_keys(body):
        if "image_tags" in body:
            tags = body["image_tags"]
            if isinstance(tags, list) and len(tags) < MAX_TAGS:
                by_tag.append({**body, "image_tags": [*copy.deepcopy(tags), {"key": MARK_TAG_KEY, "value": run_id}]})
        else:
            tags = body.get("tags", [])
            if isinstance(tags, list) and len(tags) < MAX_TAGS:
                by_tag.append({**body, "tags": [*tags, mark_tag(run_id)]})
    options = by_tag + by_description if tag_first else by_description + by_tag
    description = body.get("description")
    if isinstance(description, str) and len(description) + 1 + len(mark_text(run_id)) <= MAX_DESCRIPTION:
        options.append({**body, "description": f"{description} {mark_text(run_id)}".lstrip()})
    return options


def carries_mark(image: dict[str, Any], run_id: str) -> bool:
    """Whether a listed image carries the run's mark (as a tag or in its description)."""
    tags = _items(image.get("tags"))
    if mark_tag(run_id) in tags or {"key": MARK_TAG_KEY, "value": run_id} in tags:
        return True
    description = image.get("__description")
    return isinstance(description, str) and mark_text(run_id) in description


CREATE_OUTCOMES = ("create-dispatched", "create-answered", "create-lost", "create-refused", "create-withdrawn")


@dataclass
class _Create:
    name: str
    job_id: str | None = None
    # Once on its way to the server and until its answer is recorded, a create counts as lost: a run
    # stopped between the two (Ctrl-C, SIGTERM, kill -9) may have made an image it must still find.
    dispatched: bool = False
    answered: bool = False


@dataclass
class Ledger:
    """The run's record of its creates, jobs and images, kept in memory and appended to a file."""

    run_id: str
    path: Path | None
    creates: list[_Create] = field(default_factory=list)
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> last status seen
    images: dict[str, bool] = field(default_factory=dict)  # image id -> deleted (or found gone)
    by_mark: set[str] = field(default_factory=set)  # images known only from a listing, not from a job
    rejects_lost: int = 0  # creates that must be rejected whose answer was lost
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def open(cls, run_id: str, run_dir: Path) -> Ledger:
        """A ledger for a new run, or the continuation of the file of a run with the same id."""
        run_dir.mkdir(parents=True, exist_ok=True)
        ledger = cls.load(run_id, run_dir / "ledger.jsonl")
        ledger.path = run_dir / "ledger.jsonl"
        return ledger

    @classmethod
    def load(cls, run_id: str, path: Path) -> Ledger:
        """The state a ledger file records (empty when there is no file); writes nothing."""
        ledger = cls(run_id, None)
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a killed run
                if isinstance(event, dict):
                    ledger._apply(event)
        return ledger

    def _apply(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "create-sent":
            self.creates.append(_Create(str(event.get("name", ""))))
        elif kind in CREATE_OUTCOMES and self.creates:
            index = int(event.get("create", len(self.creates) - 1))
            if 0 <= index < len(self.creates):
                entry = self.creates[index]
                entry.job_id = event.get("job_id") or entry.job_id
                entry.dispatched = entry.dispatched or kind in ("create-dispatched", "create-lost")
                entry.answered = kind in ("create-answered", "create-refused", "create-withdrawn")
                if kind in ("create-refused", "create-withdrawn"):
                    entry.job_id = None
                if entry.job_id:
                    self.jobs.setdefault(entry.job_id, "")
        elif kind == "job-accepted-unexpectedly":
            self.jobs.setdefault(str(event["job_id"]), "")
        elif kind == "reject-lost":
            self.rejects_lost += 1
        elif kind == "job":
            self.jobs[str(event["job_id"])] = str(event.get("status", ""))
        elif kind == "image":
            image_id = str(event["image_id"])
            if str(event.get("how", "")).startswith("job"):
                self.by_mark.discard(image_id)
            elif image_id not in self.images:
                self.by_mark.add(image_id)
            self.images.setdefault(image_id, False)
        elif kind == "image-gone":
            self.images[str(event["image_id"])] = True

    def _write(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._apply(event)
            if self.path is None:
                return
            line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **event})
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    # --- what the session reports ---------------------------------------------------------------

    def create_sent(self, name: str) -> int:
        """Record a create about to be sent; returns its index for the answer."""
        with self._lock:
            self._write({"event": "create-sent", "name": name})
            return len(self.creates) - 1

    def create_dispatched(self, index: int) -> None:
        """The create is about to go on the wire: from now on, a stop may leave an image behind."""
        with self._lock:
            if not self.creates[index].dispatched:
                self._write({"event": "create-dispatched", "create": index})

    def was_dispatched(self, index: int) -> bool:
        """Whether the create went on its way to the server."""
        with self._lock:
            return self.creates[index].dispatched

    def create_withdrawn(self, index: int, reason: str) -> None:
        """The run stopped before the create went out: nothing was sent, nothing can have been made."""
        self._write({"event": "create-withdrawn", "create": index, "reason": reason[:200]})

    def create_answered(self, index: int, job_id: str | None) -> None:
        """The create was answered: with a job (accepted) or without one (refused, nothing made)."""
        if job_id:
            self._write({"event": "create-answered", "create": index, "job_id": job_id})
        else:
            self._write({"event": "create-refused", "create": index})

    def create_lost(self, index: int, reason: str) -> None:
        """The create was sent and its answer never came: the server may have acted."""
        self._write({"event": "create-lost", "create": index, "reason": reason[:200]})

    def job_accepted_unexpectedly(self, job_id: str) -> None:
        """A create the contract says must be rejected got a job: it is the run's all the same."""
        with self._lock:
            if job_id not in self.jobs:
                self._write({"event": "job-accepted-unexpectedly", "job_id": job_id})

    def reject_lost(self, reason: str) -> None:
        """A create that must be rejected lost its answer: a broken server may have made an image."""
        self._write({"event": "reject-lost", "reason": reason[:200]})

    def job_seen(self, job_id: str, status: str, image_id: str | None) -> None:
        """A query of one of the run's jobs answered `status` (and, on SUCCESS, its image)."""
        with self._lock:
            if job_id not in self.jobs:
                return
            if self.jobs[job_id] != status:
                self._write({"event": "job", "job_id": job_id, "status": status})
            if image_id:
                self.image_found(image_id, f"job {job_id}")

    def image_found(self, image_id: str, how: str) -> None:
        """An image is the run's own (named by its job, or listed with its mark)."""
        with self._lock:
            if image_id not in self.images or (image_id in self.by_mark and how.startswith("job")):
                self._write({"event": "image", "image_id": image_id, "how": how})

    def image_gone(self, image_id: str, how: str) -> None:
        """One of the run's images was deleted (204) or found gone (404)."""
        with self._lock:
            if self.images.get(image_id) is False:
                self._write({"event": "image-gone", "image_id": image_id, "how": how})

    # --- what the run asks ----------------------------------------------------------------------

    def owns_image(self, image_id: str) -> bool:
        """Whether the image is one of the run's own."""
        with self._lock:
            return image_id in self.images

    def owns_job(self, job_id: str) -> bool:
        """Whether the job is one of the run's own."""
        with self._lock:
            return job_id in self.jobs

    def open_jobs(self) -> list[str]:
        """The run's jobs not yet seen to end."""
        with self._lock:
            return [job for job, status in self.jobs.items() if status not in ("SUCCESS", "FAIL")]

    def images_left(self) -> list[str]:
        """The run's images not yet deleted."""
        with self._lock:
            return [image for image, gone in self.images.items() if not gone]

    def lost_creates(self) -> int:
        """Creates sent whose answer never came (lost, or not yet recorded when the run stopped)."""
        with self._lock:
            return sum(1 for create in self.creates if create.dispatched and not create.answered)

    def counts(self) -> dict[str, int]:
        """Creates sent, images found, deleted and left, for the summary."""
        with self._lock:
            deleted = sum(1 for gone in self.images.values() if gone)
            return {
                "creates": len(self.creates),
                "answers_lost": self.lost_creates(),
                "images": len(self.images),
                "deleted": deleted,
                "left": len(self.images) - deleted,
                "open_jobs": len(self.open_jobs()),
            }
