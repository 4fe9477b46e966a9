"""The one HTTP session every request of a run goes through, and the guards that make it safe.

Whatever a test or Schemathesis asks for, this session:

* sends only to the target's own scheme, host and port, and follows no redirect (a 3xx is what the
  server answered), so credentials never reach another host;
* never sends a mutating request for an image the run has not proven its own: the image must carry
  the run's mark as the target lists it (`listImages?id=`, read right before the request; a job
  naming the image is a claim, not a proof). Any other id is replaced by a fresh random UUID, which
  no image can have;
* marks every create that a conforming server could accept with the run's mark (against any
  target but the embedded mock, which the run discards), records it in the ledger before sending
  it, and keeps to the create budget;
* keeps to the rate limit, waits out 429 (Retry-After, else backoff), retries idempotent requests
  (GET, DELETE) on dropped connections and 502/503/504, and never repeats a create whose answer was
  lost: the ledger notes it, and the cleanup finds the image by its mark;
* bounds every request: a whole-request deadline (connect, send, headers and body: `wire.py`),
  never past the end of the run's time (`ends_at`), waits for Retry-After and retries that never
  outlast it, and a cap on the body after decompression, so a hostile or broken server cannot
  stall or exhaust the run;
* learns what is the run's own from the answers it sees (job ids, image ids, marked listings).
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import http.client
import json
import random
import shlex
import threading
import time
import uuid
import weakref
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

import requests
import tenacity
import urllib3

from contract_tests.ledger import Ledger, carries_mark, marked_bodies
from contract_tests.settings import Rate, RunSettings
from contract_tests.target import (
    MASK,
    SECRET_HEADERS,
    SIGN_PLACEHOLDER,
    CreateBudgetExhausted,
    Target,
    Withheld,
    body_bytes,
    is_create_path,
    no_repeated_keys,
    text_headers,
)
from contract_tests.wire import BoundedAdapter, timed_out, watched
from ims import is_loopback_host

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENT_METHODS = SAFE_METHODS | {"DELETE"}
RETRY_STATUSES = frozenset({502, 503, 504})
CONNECTION_TRIES = 4
THROTTLE_TRIES = 10
LONGEST_THROTTLE_WAIT = 120.0


class Throttled(Exception):
    """The target still answered 429 after the run waited and retried: not a defect, not tested."""


class TooSlow(AssertionError):
    """An answer took longer than IMS_MAX_RESPONSE_SECONDS to arrive whole (`response.time`)."""


class AnswerLost(requests.ConnectionError):
    """A create was sent and its answer never came; it is not repeated (the cleanup looks for it)."""


class ResponseTooLarge(Exception):
    """The target sent a body larger than IMS_MAX_RESPONSE_BYTES (after decompression)."""


class ForeignHost(Exception):
    """A request was about to leave the target's scheme, host and port: it is never sent."""


# What a request may meet on a broken or hostile target instead of a usable answer: the requests the
# run sends for its own bookkeeping (ownership checks, the cleanup) skip it and go on.
UNANSWERED = (requests.RequestException, Throttled, ResponseTooLarge, TooSlow, ForeignHost)


class OutOfTime(requests.Timeout):
    """The run's time (IMS_DEADLINE, or the cleanup's budget) is up: the request is not sent."""


class AccessKeyLocked(Exception):
    """The target says the caller's AK is locked (too many failed signatures): the run stops (exit 69)."""


# Huawei locks an AK for five minutes after more than five consecutive failed signatures. A run never
# gets near that: each refused signature with the caller's AK is followed at once by a valid one
# (which starts the target's count again), and after this many refusals in a row no further
# signature of the caller's AK is sent but the suite's own valid ones.
MAX_FAILED_SIGNATURES = 3
LOCKED_HINT = "reach the limit"  # "AK access failed to reach the limit,forbidden": the gateway's lockout


@dataclass(frozen=True)
class Exchange:
    """One request the run sent (secrets masked when shown), and the status it got."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    status: int
    cases: Path | None = None  # where replay cases are written (reports/replays), when the run keeps them

    @property
    def signed(self) -> bool:
        """Whether the request was signed with AK/SK (a curl cannot sign it again)."""
        return any(name.lower() == "authorization" for name in self.headers)

    def as_curl(self) -> str:
        """A command that sends this request again with the current credentials, never showing a secret.

        A token request is a curl that reads the token from `$IMS_AUTH_TOKEN`; a body over
        INLINE_BODY bytes is read from a file beside the case. A signed request cannot be re-sent by
        curl (the signature covers the time): it is `python -m contract_tests.replay CASE`, which
        signs it afresh.
        """
        # A case file only where the command reads one: a signed request, or a body too long to inline.
        case = self.save() if self.signed or len(self.body) > INLINE_BODY else None
        if self.signed and case is not None:
            return shlex.join([*REPLAY_COMMAND, str(case)])
        parts = [shlex.join(["curl", "-X", self.method, self.url])]
        for name, value in self.headers.items():
            lowered = name.lower()
            if lowered in ("content-length", "connection", "accept-encoding", "accept", "user-agent"):
                continue
            if lowered == "x-auth-token":
                parts.append('-H "X-Auth-Token: $IMS_AUTH_TOKEN"')
            else:
                parts.append(shlex.join(["-H", f"{name}: {MASK if lowered in SECRET_HEADERS else value}"]))
        if self.body and len(self.body) > INLINE_BODY and case is not None:
            parts.append(shlex.join(["--data-binary", f"@{case.with_suffix('.body')}"]))
        elif self.body:
            parts.append(shlex.join(["--data-binary", self.body.decode("utf-8", errors="backslashreplace")]))
        return " ".join(parts)

    def save(self) -> Path | None:
        """Write this request as a replay case (no secret in it) and its body; the case's path."""
        if self.cases is None:
            return None
        key = hashlib.sha256(
            b"\0".join([self.method.encode(), self.url.encode(), self.body, str(sorted(self.headers.items())).encode()])
        ).hexdigest()[:16]
        case = self.cases / f"{key}.json"
        if not case.exists():
            self.cases.mkdir(parents=True, exist_ok=True)
            kept = {name: value for name, value in self.headers.items() if name.lower() not in UNREPLAYED_HEADERS}
            case.with_suffix(".body").write_bytes(self.body)
            record = {"method": self.method, "url": self.url, "headers": kept, "status": self.status}
            case.write_text(json.dumps({**record, "signed": self.signed}, indent=1), encoding="utf-8")
        return case


# Not kept in a replay case: secrets, and what the transport or the signer sets afresh.
UNREPLAYED_HEADERS = frozenset(
    {*SECRET_HEADERS, "x-sdk-date", "host", "content-length", "connection", "accept-encoding", "user-agent"}
)
INLINE_BODY = 4096  # bytes of a body written into a curl command; longer ones go to a file
REPLAY_COMMAND = ("python", "-m", "contract_tests.replay")


class RateLimiter:
    """At most `rate.requests` requests in any `rate.seconds` seconds, across threads."""

    def __init__(self, rate: Rate | None) -> None:
        self.rate = rate
        self.waited = 0.0
        self._sent: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Wait until one more request fits in the window, then count it."""
        if self.rate is None:
            return
        with self._lock:
            now = time.monotonic()
            while self._sent and now - self._sent[0] >= self.rate.seconds:
                self._sent.popleft()
            if len(self._sent) >= self.rate.requests:
                pause = self.rate.seconds - (now - self._sent[0])
                self.waited += pause
                time.sleep(pause)
                self._sent.popleft()
            self._sent.append(time.monotonic())


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form), capped; None when absent or unusable."""
    text = response.headers.get("Retry-After", "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return min(float(text), LONGEST_THROTTLE_WAIT)
    return None


class ContractSession(requests.Session):
    """A requests session that authenticates, guards, marks, retries, bounds and records."""

    def __init__(self, target: Target, settings: RunSettings, ledger: Ledger) -> None:
        super().__init__()
        self.target = target
        self.settings = settings
        self.ledger = ledger
        self.limiter = RateLimiter(settings.rate)
        self.exchanges: list[Exchange] = []
        self.after_request: Callable[[Exchange], None] | None = None  # e.g. the run's progress line
        self.before_send: Callable[[], None] | None = None  # e.g. honouring a stop the run was asked for
        self.ids_replaced = 0
        self._unknown_ids: set[str] = set()
        # Against the embedded mock, which the run discards with everything in it, creates go out
        # exactly as written: the mark exists to tell the run's images from others on a shared
        # target, and it necessarily changes the body.
        self.marks_creates = not target.embedded
        self._marked = 0
        self._exchange_of: weakref.WeakKeyDictionary[requests.Response, Exchange] = weakref.WeakKeyDictionary()
        self.throttled = 0
        # time.monotonic() by which every request must have ended; None: only the per-request bound.
        self.ends_at: float | None = None
        self.looked: dict[str, str] = {}  # image id -> what the last ownership check found (proves_own)
        self.failed_signatures = 0  # refused signatures with the caller's AK in a row
        self.signatures_refused = 0  # in all, for the summary
        self.locked = ""  # the target's lockout message, once it locked the caller's AK
        self._lock = threading.Lock()
        origin = urlsplit(target.base_url)
        self._origin = (origin.scheme.lower(), origin.netloc.lower())
        self._base_path = origin.path.rstrip("/")
        # Only encodings this session decodes itself, under the body cap.
        self.headers["Accept-Encoding"] = "gzip, deflate"
        # A proxy or .netrc from the caller's environment never applies to a loopback target.
        self.trust_env = not is_loopback_host(origin.hostname)
        for prefix in ("http://", "https://"):
            self.mount(prefix, BoundedAdapter())

    def remaining(self) -> float:
        """Seconds left before `ends_at` (infinite when the run sets no end)."""
        return float("inf") if self.ends_at is None else self.ends_at - time.monotonic()

    def request_budget(self) -> float:
        """How long the next request may take as a whole: 2 x IMS_REQUEST_TIMEOUT, never past `ends_at`."""
        return min(2 * self.settings.request_timeout, self.remaining())

    # --- sending ------------------------------------------------------------------------------------

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        """Encode the query as the official SDK does: a space is %20, never `+`.

        requests writes a space as `+`, which Huawei's signing (and the mock's) reads as a plus: an
        AK/SK signature over a query value with a space (`created_at=gt:2026-12-02 10:00:00`, a name
        with a space) would not verify.
        """
        if isinstance(request.params, Mapping | list):
            items = request.params.items() if isinstance(request.params, Mapping) else request.params
            pairs = [(key, value) for key, value in items if value is not None]
            request.params = urlencode(pairs, doseq=True, quote_via=quote)
        return super().prepare_request(request)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Guard, mark and sign `request`, send it within the run's bounds, learn from the answer."""
        if self.before_send is not None:
            self.before_send()
        method = (request.method or "GET").upper()
        self._check_origin(request.url or "")
        self._guard_access_key(request)
        if method not in SAFE_METHODS:
            self._replace_foreign_image_id(request)
        create = self._prepare_create(request, method)
        request.ims_create = create  # type: ignore[attr-defined]  # for _send_once, across retries
        kwargs["allow_redirects"] = False
        kwargs["stream"] = True
        kwargs.pop("timeout", None)  # each attempt gets its own, from what remains (_send_once)
        try:
            response = self._send_with_retries(request, method, kwargs)
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
            elif method == "POST" and is_create_path(self.relative_path(request.url or "")):
                # A create that must be rejected; a broken server may have accepted it anyway.
                self.ledger.reject_lost(type(error).__name__)
            raise
        exchange = Exchange(
            method,
            request.url or "",
            text_headers(request),
            body_bytes(request),
            response.status_code,
            self.settings.reports_dir / "replays",
        )
        with self._lock:
            self.exchanges.append(exchange)
            self._exchange_of[response] = exchange
        self._learn(method, request.url or "", response, create)
        self._count_signature(request, response)
        if self.after_request is not None:
            self.after_request(exchange)
        took = getattr(response, "ims_seconds", 0.0)
        if took > self.settings.max_response_seconds:
            slow = TooSlow(
                f"{method} {self.relative_path(exchange.url)} took {took:.1f} s to answer, over "
                f"IMS_MAX_RESPONSE_SECONDS={self.settings.max_response_seconds:g} (response.time)"
            )
            slow.add_note(f"replay: {exchange.as_curl()}")
            raise slow
        return response

    def _send_with_retries(
        self, request: requests.PreparedRequest, method: str, kwargs: dict[str, Any]
    ) -> requests.Response:
        idempotent = method in IDEMPOTENT_METHODS

        def should_retry(state: tenacity.RetryCallState) -> bool:
            outcome = state.outcome
            assert outcome is not None
            if outcome.failed:
                error = outcome.exception()
                # A dropped keep-alive connection or a refused connect; a slow answer is not retried.
                return (
                    idempotent
                    and isinstance(error, requests.ConnectionError)
                    and not isinstance(error, requests.Timeout)
                    and state.attempt_number < CONNECTION_TRIES
                )
            response: requests.Response = outcome.result()
            if response.status_code == 429:
                return state.attempt_number < THROTTLE_TRIES
            return idempotent and response.status_code in RETRY_STATUSES and state.attempt_number < CONNECTION_TRIES

        def wait(state: tenacity.RetryCallState) -> float:
            outcome = state.outcome
            assert outcome is not None
            jitter = 1 + random.random() / 4  # noqa: S311  # spreads retries; not for security
            backoff = min(0.25 * 2.0 ** (state.attempt_number - 1), 30.0) * jitter
            answer: requests.Response | None = None if outcome.failed else outcome.result()
            if answer is not None and answer.status_code == 429:
                self.throttled += 1
                pause = retry_after(answer)
                pause = pause if pause is not None else min(2.0**state.attempt_number, LONGEST_THROTTLE_WAIT)
                self.limiter.waited += pause
                return pause
            return backoff

        def stop(state: tenacity.RetryCallState) -> bool:
            # No wait (a Retry-After included) may outlast the run's time: then the last answer stands.
            return state.attempt_number >= THROTTLE_TRIES or state.upcoming_sleep >= self.remaining()

        retrying = tenacity.Retrying(
            retry=should_retry,
            wait=wait,
            stop=stop,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        response: requests.Response = retrying(self._send_once, request, kwargs)
        if response.status_code == 429:
            raise Throttled(
                f"{method} still throttled (429) after {THROTTLE_TRIES} tries, or when the next wait would"
                " outlast the run's time; not a contract failure"
            )
        return response

    def _send_once(self, request: requests.PreparedRequest, kwargs: dict[str, Any]) -> requests.Response:
        self.limiter.acquire()
        budget = self.request_budget()
        if budget <= 0.05:
            raise OutOfTime("the run's time is up (IMS_DEADLINE, or the cleanup's budget): not sent")
        attempt = request.copy()
        if attempt.headers.get("Authorization") == SIGN_PLACEHOLDER:
            self.target.sign(attempt, body_bytes(attempt))
        create: str | None = getattr(request, "ims_create", None)
        if create is not None:
            self.ledger.create_dispatched(create)
        started = time.monotonic()
        timeout = min(self.settings.request_timeout, budget)
        with watched(budget) as watch:
            try:
                response = super().send(attempt, **{**kwargs, "timeout": (min(10.0, timeout), timeout)})
                self._read_capped(response)
            except (requests.RequestException, ResponseTooLarge):
                if watch.fired:
                    raise timed_out(budget) from None
                raise
        response.ims_seconds = time.monotonic() - started  # type: ignore[attr-defined]  # what the ceiling judges
        # What was sent (signature included) is what the exchange shows, masked.
        request.headers = attempt.headers
        return response

    def _read_capped(self, response: requests.Response) -> None:
        """Read the body within the size cap (decompressed; the request's Watch bounds its time); close on excess."""
        cap = self.settings.max_response_bytes
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        decoder = None
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        chunks: list[bytes] = []
        total = raw_total = 0
        try:
            for chunk in response.raw.stream(65536, decode_content=False):
                raw_total += len(chunk)
                data = decoder.decompress(chunk, cap + 1 - total) if decoder else chunk
                total += len(data)
                chunks.append(data)
                if total > cap or raw_total > cap + 65536:
                    response.raw.close()
                    raise ResponseTooLarge(
                        f"the response body exceeds IMS_MAX_RESPONSE_BYTES={cap}"
                        f" (Content-Encoding: {encoding or 'none'})"
                    )
        except zlib.error as error:
            response.raw.close()
            raise requests.ConnectionError(f"the response body is not valid {encoding}: {error}") from None
        except urllib3.exceptions.ReadTimeoutError as error:
            response.raw.close()
            raise requests.ReadTimeout(f"the response body stalled: {error}") from None
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as error:
            # A connection dropped mid-body: the answer is lost, as if the connection had failed.
            response.raw.close()
            raise requests.ConnectionError(f"the response was cut short: {type(error).__name__}") from None
        response._content = b"".join(chunks)  # requests keeps the read body here
        response._content_consumed = True
        response.raw.release_conn()

    # --- guards -------------------------------------------------------------------------------------

    def _own_signature(self, request: requests.PreparedRequest) -> str:
        """`placeholder` (the suite's own signature), `crafted` (made by a test) or "" (not the caller's AK)."""
        headers = {name.lower(): value for name, value in text_headers(request).items()}
        authorization, access_key = headers.get("authorization", ""), self.target.credentials.access_key
        if "x-auth-token" in headers or not access_key:
            return ""  # a token decides (auth.both), or there is no AK to protect
        if authorization == SIGN_PLACEHOLDER:
            return "placeholder"
        return "crafted" if f"Access={access_key}," in authorization else ""

    def _guard_access_key(self, request: requests.PreparedRequest) -> None:
        """Never send a signature of the caller's AK that could take it towards the target's lockout."""
        kind = self._own_signature(request)
        if not kind:
            return
        if self.locked:
            raise AccessKeyLocked(self.locked)
        if self.failed_signatures >= MAX_FAILED_SIGNATURES:
            raise Withheld(
                f"{self.failed_signatures} signatures of your AK were refused in a row: no more are sent than the"
                " suite's own, so that the target does not lock the key (5 minutes after more than 5 failures)"
            )

    def _count_signature(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        """Count refused signatures of the caller's AK; follow each with a valid one; stop at a lockout."""
        kind = self._own_signature(request)
        if not kind:
            return
        if response.status_code != 401:
            self.failed_signatures = 0
            return
        self.failed_signatures += 1
        self.signatures_refused += 1
        body = _json(response)
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
                self.get(
                    self.target.url("/v2/cloudimages"), params={"limit": 1}, headers={"Authorization": SIGN_PLACEHOLDER}
                )

    def _check_origin(self, url: str) -> None:
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            raise ForeignHost(f"refused to send a request to {parts.scheme}://{parts.netloc}: not the target")

    def relative_path(self, url: str) -> str:
        """The API path of `url`, without the target's path prefix."""
        path = urlsplit(url).path
        return path[len(self._base_path) :] if path.startswith(self._base_path) else path

    def unknown_image_id(self) -> str:
        """A fresh random UUID, which no image has: the only foreign id a mutating request may carry."""
        image_id = str(uuid.uuid4())
        with self._lock:
            self._unknown_ids.add(image_id)
        return image_id

    def _replace_foreign_image_id(self, request: requests.PreparedRequest) -> None:
        """In a mutating request, an image id the run has not proven its own becomes a fresh random UUID."""
        parts = urlsplit(request.url or "")
        segments = self.relative_path(request.url or "").split("/")
        # /v2/images/{id}... or /v2/cloudimages/{id}...: the image id is the fourth segment.
        if len(segments) < 4 or segments[1] != "v2" or segments[2] not in ("images", "cloudimages"):
            return
        image_id = unquote(segments[3])
        with self._lock:
            if image_id in self._unknown_ids:
                return
        if self.ledger.knows_image(image_id) and self.proves_own(image_id):
            return
        segments[3] = quote(self.unknown_image_id())
        request.url = urlunsplit(parts._replace(path=self._base_path + "/".join(segments)))
        with self._lock:
            self.ids_replaced += 1

    def proves_own(self, image_id: str) -> bool:
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
            response = self.get(
                self.target.url("/v2/cloudimages"), params={"id": image_id}, headers=self.target.credential_headers()
            )
        except UNANSWERED:
            response = None
        body = _json(response) if response is not None and response.status_code == 200 else None
        images = body.get("images") if isinstance(body, dict) else None
        if isinstance(images, list):
            verdict = "absent"
            for image in images:
                if isinstance(image, dict) and image.get("id") == image_id:
                    verdict = "marked" if carries_mark(image, self.ledger.run_id) else "unmarked"
        with self._lock:
            self.looked[image_id] = verdict
        return verdict == "marked"

    def _prepare_create(self, request: requests.PreparedRequest, method: str) -> str | None:
        """Mark and record a create that could be accepted; None for any other request.

        Raises Withheld when the budget is spent or the body has no room for the mark (then it
        could not be attributed to the run, so it is not sent).
        """
        target = self.target
        headers, body = text_headers(request), body_bytes(request)
        if not target.could_create(method, request.url or "", headers, body):
            if self.marks_creates:
                self._mark_must_reject(request, method, headers, body)
            return None
        parsed = json.loads(body)
        if not self.marks_creates:
            target.spend_create_budget()
            return self.ledger.create_sent(str(parsed.get("name", "")))
        with self._lock:
            self._marked += 1
            tag_first = self._marked % 2 == 0
        marked = next(
            (
                option
                for option in marked_bodies(parsed, self.ledger.run_id, tag_first=tag_first)
                if target.could_create(method, request.url or "", headers, _dump(option))
            ),
            None,
        )
        if marked is None:
            with target.lock:
                target.creates_refused += 1
            raise Withheld("no room for the run's mark in this create (tags and description full); not sent")
        if marked is not parsed:
            new_body = _dump(marked)
            request.body = new_body
            request.headers["Content-Length"] = str(len(new_body))
        target.spend_create_budget()
        return self.ledger.create_sent(str(marked.get("name", "")))

    def _mark_must_reject(
        self, request: requests.PreparedRequest, method: str, headers: dict[str, str], body: bytes
    ) -> None:
        """Mark a create the contract says must be rejected, where the mark changes no reason why.

        A server that wrongly accepts it still makes an image, which the run must find to delete it.
        The mark goes in only when the marked body breaks exactly the same rules as the original,
        so the request tests what it was made to test.
        """
        url = request.url or ""
        if method != "POST" or not is_create_path(self.relative_path(url)):
            return
        try:
            parsed = json.loads(body, object_pairs_hook=no_repeated_keys)
        except (ValueError, RecursionError):
            return  # a malformed body, or one that repeats a key, is left exactly as it is
        if not isinstance(parsed, dict):
            return
        faults = self.target.body_faults(parsed)
        for option in marked_bodies(parsed, self.ledger.run_id):
            if option is parsed:
                return
            new_body = _dump(option)
            if self.target.body_faults(option) == faults and not self.target.could_create(
                method, url, headers, new_body
            ):
                request.body = new_body
                request.headers["Content-Length"] = str(len(new_body))
                return

    # --- learning what is the run's own ---------------------------------------------------------------

    def _learn(self, method: str, url: str, response: requests.Response, create: str | None) -> None:
        path = self.relative_path(url)
        status = response.status_code
        if create is not None:
            self.ledger.create_answered(create, _field(response, "job_id") if status == 200 else None)
            return
        if method == "POST" and status == 200 and is_create_path(path) and (job_id := _field(response, "job_id")):
            # A create the contract says must be rejected was accepted: the server made a job all the
            # same, and its image is the run's to delete.
            self.ledger.job_accepted_unexpectedly(job_id)
            return
        segments = path.split("/")
        if method == "GET" and status == 200 and _is_job_path(segments, self.target.credentials.project_id):
            body = _json(response)
            if isinstance(body, dict):
                entities = body.get("entities")
                image_id = (
                    entities.get("image_id") if isinstance(entities, dict) and body.get("status") == "SUCCESS" else None
                )
                self.ledger.job_seen(str(body.get("job_id", "")), str(body.get("status", "")), _str(image_id))
        elif method == "GET" and status == 200 and path.rstrip("/") == "/v2/cloudimages":
            self._learn_listing(_json(response))
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

    @contextlib.contextmanager
    def explain(self, response: requests.Response) -> Iterator[None]:
        """An assertion failing inside names the request that got `response`, as a curl command."""
        try:
            yield
        except AssertionError as error:
            with self._lock:
                exchange = self._exchange_of.get(response)
            if exchange is not None:
                error.add_note(f"replay: {exchange.as_curl()}")
            raise

    def last_exchange(self) -> Exchange | None:
        """The most recent exchange, if any."""
        with self._lock:
            return self.exchanges[-1] if self.exchanges else None


def _dump(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _json(response: requests.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def _field(response: requests.Response, name: str) -> str | None:
    body = _json(response)
    return _str(body.get(name)) if isinstance(body, dict) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_job_path(segments: list[str], project_id: str) -> bool:
    # /v1/cloudimages/job/{id} or /v1/{project}/jobs/{id}
    return (
        len(segments) == 5 and segments[1] == "v1" and (segments[2:4] in (["cloudimages", "job"], [project_id, "jobs"]))
    )


__all__ = [
    "AccessKeyLocked",
    "AnswerLost",
    "ContractSession",
    "CreateBudgetExhausted",
    "Exchange",
    "ForeignHost",
    "OutOfTime",
    "ResponseTooLarge",
    "Throttled",
    "Withheld",
]
