"""What the run made: the mark on its creates, their record in the ledger, and what answers teach it.

Every create a conforming server could accept is marked with the run's mark (against any target
but the embedded mock, which the run discards), recorded in the ledger before it is sent, and kept
to the create budget. A create whose answer is lost is never repeated: the ledger notes it, and the
cleanup finds the image by its mark. The answers the run sees (job ids, image ids, marked
listings) tell the ledger what is the run's own.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import requests

from contract_tests.ledger import Ledger
from contract_tests.mark import carries_mark, marked_bodies
from contract_tests.sending.guards import Origin, json_of
from contract_tests.sending.pacing import Throttled
from contract_tests.target import Target, Withheld, body_bytes, is_create_path, text_headers


class AnswerLost(requests.ConnectionError):
    """A create was sent and its answer never came; it is not repeated (the cleanup looks for it)."""


def _dump(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _field(response: requests.Response, name: str) -> str | None:
    body = json_of(response)
    return _str(body.get(name)) if isinstance(body, dict) else None


def _set_body(request: requests.PreparedRequest, body: bytes) -> None:
    request.body = body
    request.headers["Content-Length"] = str(len(body))


def _is_job_path(segments: list[str], project_id: str) -> bool:
    # /v1/cloudimages/job/{id} or /v1/{project}/jobs/{id}
    return (
        len(segments) == 5 and segments[1] == "v1" and (segments[2:4] in (["cloudimages", "job"], [project_id, "jobs"]))
    )


class Marking:
    """Marks creates, records them and their outcomes, and learns what the answers say is the run's."""

    def __init__(self, target: Target, ledger: Ledger, origin: Origin) -> None:
        self.target = target
        self.ledger = ledger
        self.origin = origin
        # Against the embedded mock, which the run discards with everything in it, creates go out
        # exactly as written: the mark exists to tell the run's images from others on a shared
        # target, and it necessarily changes the body.
        self.marks_creates = not target.embedded
        self._marked = 0
        self._lock = threading.Lock()

    def _is_create(self, method: str, url: str) -> bool:
        return method == "POST" and is_create_path(self.origin.relative_path(url))

    def prepare(self, request: requests.PreparedRequest, method: str) -> str | None:
        """Mark and record a create that could be accepted (its ledger key); None for any other request.

        The body is parsed once; the marked options are judged as parsed values. Raises Withheld
        when the budget is spent or the body has no room for the mark (then it could not be
        attributed to the run, so it is not sent).
        """
        target = self.target
        if not self._is_create(method, request.url or ""):
            return None
        authenticated = target.sends_own_credentials_as_json(text_headers(request))
        parsed = target.parse_body(body_bytes(request))
        if not (authenticated and parsed is not None and target.could_accept(parsed)):
            if self.marks_creates and isinstance(parsed, dict):
                self._mark_must_reject(request, parsed, authenticated)
            return None
        if not self.marks_creates:
            target.spend_create_budget()
            return self.ledger.create_sent(str(parsed.get("name", "")))
        with self._lock:
            self._marked += 1
            tag_first = self._marked % 2 == 0
        options = marked_bodies(parsed, self.ledger.run_id, tag_first=tag_first)
        marked = next((option for option in options if target.could_accept(option)), None)
        if marked is None:
            with target.lock:
                target.creates_refused += 1
            raise Withheld("no room for the run's mark in this create (tags and description full); not sent")
        if marked is not parsed:
            _set_body(request, _dump(marked))
        target.spend_create_budget()
        return self.ledger.create_sent(str(marked.get("name", "")))

    def _mark_must_reject(self, request: requests.PreparedRequest, parsed: dict[str, Any], authenticated: bool) -> None:
        """Mark a create the contract says must be rejected, where the mark changes no reason why.

        A server that wrongly accepts it still makes an image, which the run must find to delete it.
        The mark goes in only when the marked body breaks exactly the same rules as the original,
        so the request tests what it was made to test, and only while the request as a whole must
        still be refused (a valid body sent without the run's credentials is marked too). A
        malformed body, or one that repeats a key, is left exactly as it is.
        """
        faults = self.target.body_faults(parsed)
        for option in marked_bodies(parsed, self.ledger.run_id):
            if option is parsed:
                return
            refused = not (authenticated and self.target.could_accept(option))
            if self.target.body_faults(option) == faults and refused:
                _set_body(request, _dump(option))
                return

    @contextlib.contextmanager
    def outcome(self, request: requests.PreparedRequest, method: str, create: str | None) -> Iterator[None]:
        """Record in the ledger what became of a create when no answer to it came back."""
        try:
            yield
        except Throttled:
            if create is not None:
                self.ledger.create_answered(create, None)  # still 429: refused, nothing made
            raise
        except BaseException as error:
            # Anything else, a Ctrl-C or SIGTERM landing mid-request included, loses the answer of a
            # create that went out: the server may have acted, so the run must look for what it made.
            if create is not None and not self.ledger.was_dispatched(create):
                self.ledger.create_withdrawn(create, type(error).__name__)  # stopped before it went out
            elif create is not None:
                self.ledger.create_lost(create, type(error).__name__)
                if isinstance(error, requests.RequestException):
                    raise AnswerLost(
                        f"the answer to a create was lost ({type(error).__name__}); not repeated"
                    ) from None
            elif self._is_create(method, request.url or ""):
                # A create that must be rejected; a broken server may have accepted it anyway.
                self.ledger.reject_lost(type(error).__name__)
            raise

    def learn(self, method: str, url: str, response: requests.Response, create: str | None) -> None:
        """What an answer says is the run's: a create's job, a job's image, a marked listing, a deletion."""
        path = self.origin.relative_path(url)
        status = response.status_code
        if create is not None:
            self.ledger.create_answered(create, _field(response, "job_id") if status == 200 else None)
            return
        if status == 200 and self._is_create(method, url) and (job_id := _field(response, "job_id")):
            # A create the contract says must be rejected was accepted: the server made a job all the
            # same, and its image is the run's to delete.
            self.ledger.job_accepted_unexpectedly(job_id)
            return
        segments = path.split("/")
        if method == "GET" and status == 200 and _is_job_path(segments, self.target.credentials.project_id):
            body = json_of(response)
            if isinstance(body, dict):
                entities = body.get("entities")
                image_id = (
                    entities.get("image_id") if isinstance(entities, dict) and body.get("status") == "SUCCESS" else None
                )
                self.ledger.job_seen(str(body.get("job_id", "")), str(body.get("status", "")), _str(image_id))
        elif method == "GET" and status == 200 and path.rstrip("/") == "/v2/cloudimages":
            self._learn_listing(json_of(response))
        elif method == "DELETE" and status in (204, 404) and len(segments) == 4 and segments[2] == "images":
            self.ledger.image_gone(unquote(segments[3]), f"DELETE answered {status}")

    def _learn_listing(self, body: Any) -> None:
        images = body.get("images") if isinstance(body, dict) else None
        for image in images if isinstance(images, list) else []:
            if not isinstance(image, dict) or not isinstance(image.get("id"), str):
                continue
            if carries_mark(image, self.ledger.run_id):
                self.ledger.image_found(image["id"], "listed with the run's mark")
            elif self.marks_creates and self.ledger.knows_image(image["id"]):
                # A job of the run named this image, and the image does not carry the run's mark.
                self.ledger.image_foreign(image["id"])
