"""What may be sent at all: only to the target, never towards an AK lockout, never at a foreign image.

* `Origin`: a request goes only to the target's own scheme, host and port (no redirect is
  followed: a 3xx is what the server answered), so credentials never reach another host.
* `KeyGuard`: Huawei locks an AK for five minutes after more than five consecutive failed
  signatures. A run never gets near that: each refused signature with the caller's AK is followed
  at once by a valid one (which starts the target's count again), and after MAX_FAILED_SIGNATURES
  refusals in a row no further signature of the caller's AK is sent but the suite's own valid ones.
* `Ownership`: a mutating request never names an image the run has not proven its own (the image
  carries the run's mark as the target lists it, read right before; a job naming an image is a
  claim, not a proof). Any other id is replaced by a fresh random UUID, which no image can have.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests

from contract_tests.ledger import Ledger
from contract_tests.mark import carries_mark
from contract_tests.sending.pacing import Throttled
from contract_tests.sending.reading import ResponseTooLarge, TooSlow
from contract_tests.target import SIGN_PLACEHOLDER, Target, Withheld, text_headers

MAX_FAILED_SIGNATURES = 3
LOCKED_HINT = "reach the limit"  # "AK access failed to reach the limit,forbidden": the gateway's lockout

Get = Callable[..., requests.Response]  # the session's own `get`: a guard's lookups go through every layer


class ForeignHost(Exception):
    """A request was about to leave the target's scheme, host and port: it is never sent."""


class AccessKeyLocked(Exception):
    """The target says the caller's AK is locked (too many failed signatures): the run stops (exit 69)."""


# What a request may meet on a broken or hostile target instead of a usable answer: the requests the
# run sends for its own bookkeeping (ownership checks, the cleanup) skip it and go on.
UNANSWERED = (requests.RequestException, Throttled, ResponseTooLarge, TooSlow, ForeignHost)


def json_of(response: requests.Response) -> Any:
    """The body as JSON; None when it is not JSON (or nests too deep to read)."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


class Origin:
    """The target's scheme, host and port, and its path prefix."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.hostname = parts.hostname
        self._origin = (parts.scheme.lower(), parts.netloc.lower())
        self.base_path = parts.path.rstrip("/")

    def check(self, url: str) -> None:
        """ForeignHost unless `url` is on the target's own origin."""
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            raise ForeignHost(f"refused to send a request to {parts.scheme}://{parts.netloc}: not the target")

    def relative_path(self, url: str) -> str:
        """The API path of `url`, without the target's path prefix."""
        path = urlsplit(url).path
        return path[len(self.base_path) :] if path.startswith(self.base_path) else path


class KeyGuard:
    """Counts refused signatures of the caller's AK, and stops before the target would lock it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.failed_signatures = 0  # refused signatures with the caller's AK in a row
        self.signatures_refused = 0  # in all, for the summary
        self.locked = ""  # the target's lockout message, once it locked the caller's AK

    def _kind(self, request: requests.PreparedRequest) -> str:
        """`placeholder` (the suite's own signature), `crafted` (made by a test) or "" (not the caller's AK)."""
        headers = {name.lower(): value for name, value in text_headers(request).items()}
        authorization, access_key = headers.get("authorization", ""), self.target.credentials.access_key
        if "x-auth-token" in headers or not access_key:
            return ""  # a token decides (auth.both), or there is no AK to protect
        if authorization == SIGN_PLACEHOLDER:
            return "placeholder"
        return "crafted" if f"Access={access_key}," in authorization else ""

    def check(self, request: requests.PreparedRequest) -> None:
        """Never send a signature of the caller's AK that could take it towards the target's lockout."""
        if not self._kind(request):
            return
        if self.locked:
            raise AccessKeyLocked(self.locked)
        if self.failed_signatures >= MAX_FAILED_SIGNATURES:
            raise Withheld(
                f"{self.failed_signatures} signatures of your AK were refused in a row: no more are sent than the"
                " suite's own, so that the target does not lock the key (5 minutes after more than 5 failures)"
            )

    def count(self, request: requests.PreparedRequest, response: requests.Response, get: Get) -> None:
        """Count a refusal of the caller's AK; follow a refused crafted one with a valid one; stop at a lockout."""
        kind = self._kind(request)
        if not kind:
            return
        if response.status_code != 401:
            self.failed_signatures = 0
            return
        self.failed_signatures += 1
        self.signatures_refused += 1
        body = json_of(response)
        message = str(body.get("error_msg", "")) if isinstance(body, dict) else ""
        if LOCKED_HINT in message.lower():
            self.locked = (
                f"the target locked your AK ({message[:200]}): it refuses every request signed with it for"
                " 5 minutes. The run stops here; wait, then run again"
            )
            raise AccessKeyLocked(self.locked)
        if kind == "crafted" and self.failed_signatures < MAX_FAILED_SIGNATURES:
            # A valid signature right after the refused one starts the target's count of failures again.
            with contextlib.suppress(*UNANSWERED, Withheld):
                get(
                    self.target.url("/v2/cloudimages"), params={"limit": 1}, headers={"Authorization": SIGN_PLACEHOLDER}
                )


class Ownership:
    """Which images a mutating request may name: those the target lists with the run's mark."""

    def __init__(self, target: Target, ledger: Ledger, origin: Origin) -> None:
        self.target = target
        self.ledger = ledger
        self.origin = origin
        self.ids_replaced = 0
        self.looked: dict[str, str] = {}  # image id -> what the last ownership check found (proves_own)
        self._unknown_ids: set[str] = set()
        self._lock = threading.Lock()

    def unknown_image_id(self) -> str:
        """A fresh random UUID, which no image has: the only foreign id a mutating request may carry."""
        image_id = str(uuid.uuid4())
        with self._lock:
            self._unknown_ids.add(image_id)
        return image_id

    def replace_foreign_image_id(self, request: requests.PreparedRequest, get: Get) -> None:
        """In a mutating request, an image id the run has not proven its own becomes a fresh random UUID."""
        parts = urlsplit(request.url or "")
        segments = self.origin.relative_path(request.url or "").split("/")
        # /v2/images/{id}... or /v2/cloudimages/{id}...: the image id is the fourth segment.
        if len(segments) < 4 or segments[1] != "v2" or segments[2] not in ("images", "cloudimages"):
            return
        image_id = unquote(segments[3])
        with self._lock:
            if image_id in self._unknown_ids:
                return
        if self.ledger.knows_image(image_id) and self.proves_own(image_id, get):
            return
        segments[3] = quote(self.unknown_image_id())
        request.url = urlunsplit(parts._replace(path=self.origin.base_path + "/".join(segments)))
        with self._lock:
            self.ids_replaced += 1

    def proves_own(self, image_id: str, get: Get) -> bool:
        """Whether the image carries the run's mark as the target lists it now (`listImages?id=`).

        Against the embedded mock, whose creates go out unmarked and which the run discards with all
        it holds, an image one of the run's jobs named is the run's. Anywhere else the image itself
        decides, read fresh each time: a job naming an image proves nothing (a server may name a
        stale or foreign id), and an image listed without the mark is recorded as foreign, never
        touched. What the last look found is in `looked[image_id]`: `marked`, `unmarked`, `absent`
        (the list answered without it) or `unknown` (no usable answer).
        """
        if self.target.embedded:
            return self.ledger.knows_image(image_id)
        verdict = "unknown"
        try:
            response: requests.Response | None = get(
                self.target.url("/v2/cloudimages"), params={"id": image_id}, headers=self.target.credential_headers()
            )
        except UNANSWERED:
            response = None
        body = json_of(response) if response is not None and response.status_code == 200 else None
        images = body.get("images") if isinstance(body, dict) else None
        if isinstance(images, list):
            verdict = "absent"
            for image in images:
                if isinstance(image, dict) and image.get("id") == image_id:
                    verdict = "marked" if carries_mark(image, self.ledger.run_id) else "unmarked"
        with self._lock:
            self.looked[image_id] = verdict
        return verdict == "marked"
