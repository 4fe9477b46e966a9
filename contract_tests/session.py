"""The one HTTP session every request of a run goes through, its layers composed in one path.

`ContractSession.send` reads from the outside in, each layer one job (`contract_tests.sending`):

1. guards: only to the target's own origin, no redirect followed; no signature of the caller's AK
   that could take it towards the target's lockout; no mutating request naming an image the run has
   not proven its own (`sending/guards.py`);
2. marking: a create that could be accepted carries the run's mark, is recorded in the ledger
   before it goes out and keeps to the create budget; a create whose answer is lost is never
   repeated (`sending/marking.py`);
3. pacing: the rate limit, 429s waited out (Retry-After, else backoff), idempotent requests
   retried on dropped connections and 502/503/504, no wait past the run's time (`sending/pacing.py`);
4. one attempt: signed afresh, bounded as a whole (connect, send, headers and body: `sending/wire.py`)
   and never past the run's end, its body read within the size cap (`sending/reading.py`).

On the way back the answer is recorded as an `Exchange` (a replay a user can run), teaches the
ledger what is the run's own, and is judged against IMS_MAX_RESPONSE_SECONDS.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode

import requests

from contract_tests.ledger import Ledger
from contract_tests.sending import reading
from contract_tests.sending.exchange import Exchange
from contract_tests.sending.guards import (
    MAX_FAILED_SIGNATURES,
    UNANSWERED,
    AccessKeyLocked,
    ForeignHost,
    KeyGuard,
    Origin,
    Ownership,
)
from contract_tests.sending.marking import AnswerLost, Marking
from contract_tests.sending.pacing import SAFE_METHODS, Clock, OutOfTime, Pacing, Throttled
from contract_tests.sending.reading import Answer, ResponseTooLarge, TooSlow
from contract_tests.sending.wire import BoundedAdapter, timed_out, watched
from contract_tests.settings import RunSettings
from contract_tests.target import SIGN_PLACEHOLDER, CreateBudgetExhausted, Target, Withheld, body_bytes, text_headers
from ims import is_loopback_host


class ContractSession(requests.Session):
    """A requests session that authenticates, guards, marks, retries, bounds and records."""

    def __init__(self, target: Target, settings: RunSettings, ledger: Ledger) -> None:
        super().__init__()
        self.target = target
        self.settings = settings
        self.ledger = ledger
        self.origin = Origin(target.base_url)
        self.keys = KeyGuard(target)
        self.ownership = Ownership(target, ledger, self.origin)
        self.marking = Marking(target, ledger, self.origin)
        self.clock = Clock(settings.request_timeout)
        self.pacing = Pacing(settings.rate, self.clock)
        self.exchanges: list[Exchange] = []
        self.after_request: Callable[[Exchange], None] | None = None  # e.g. the run's progress line
        self.before_send: Callable[[], None] | None = None  # e.g. honouring a stop the run was asked for
        self._exchange_of: weakref.WeakKeyDictionary[requests.Response, Exchange] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        # Only encodings this session decodes itself, under the body cap.
        self.headers["Accept-Encoding"] = "gzip, deflate"
        # A proxy or .netrc from the caller's environment never applies to a loopback target.
        self.trust_env = not is_loopback_host(self.origin.hostname)
        for prefix in ("http://", "https://"):
            self.mount(prefix, BoundedAdapter())

    # --- what the layers know, asked of the session --------------------------------------------------

    def relative_path(self, url: str) -> str:
        """The API path of `url`, without the target's path prefix."""
        return self.origin.relative_path(url)

    def unknown_image_id(self) -> str:
        """A fresh random UUID, which no image has: the only foreign id a mutating request may carry."""
        return self.ownership.unknown_image_id()

    def proves_own(self, image_id: str) -> bool:
        """Whether the image carries the run's mark as the target lists it now (`Ownership.proves_own`)."""
        return self.ownership.proves_own(image_id, self.get)

    # --- sending -------------------------------------------------------------------------------------

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
        self.origin.check(request.url or "")
        self.keys.check(request)
        if method not in SAFE_METHODS:
            self.ownership.replace_foreign_image_id(request, self.get)
        create = self.marking.prepare(request, method)
        options = {**kwargs, "allow_redirects": False, "stream": True}
        options.pop("timeout", None)  # each attempt gets its own, from what remains (_send_single)
        with self.marking.outcome(request, method, create):
            answer = self.pacing.send(method, lambda: self._send_single(request, options, create))
        return self._answered(request, method, answer, create)

    def _send_single(self, request: requests.PreparedRequest, options: dict[str, Any], create: str | None) -> Answer:
        """One attempt: signed afresh, bounded as a whole and never past the run's end, read within its cap."""
        budget = self.clock.request_budget()
        if budget <= 0.05:
            raise OutOfTime("the run's time is up (IMS_DEADLINE, or the cleanup's budget): not sent")
        attempt = request.copy()
        if attempt.headers.get("Authorization") == SIGN_PLACEHOLDER:
            self.target.sign(attempt, body_bytes(attempt))
        if create is not None:
            self.ledger.create_dispatched(create)
        started = time.monotonic()
        timeout = min(self.settings.request_timeout, budget)
        with watched(budget) as watch:
            try:
                response = super().send(attempt, **{**options, "timeout": (min(10.0, timeout), timeout)})
                reading.read_capped(response, self.settings.max_response_bytes)
            except (requests.RequestException, ResponseTooLarge):
                if watch.fired:
                    raise timed_out(budget) from None
                raise
        # What was sent (signature included) is what the exchange shows, masked.
        request.headers = attempt.headers
        return Answer(response, time.monotonic() - started)

    def _answered(
        self, request: requests.PreparedRequest, method: str, answer: Answer, create: str | None
    ) -> requests.Response:
        """Record the exchange, learn from the answer, count the AK's refusals, judge the time it took."""
        response = answer.response
        exchange = Exchange(
            method,
            request.url or "",
            text_headers(request),
            body_bytes(request),
            response.status_code,
            self.settings.reports_dir / "replays",
            answer.seconds,
        )
        with self._lock:
            self.exchanges.append(exchange)
            self._exchange_of[response] = exchange
        self.marking.learn(method, exchange.url, response, create)
        self.keys.count(request, response, self.get)
        if self.after_request is not None:
            self.after_request(exchange)
        if answer.seconds > self.settings.max_response_seconds:
            slow = TooSlow(
                f"{method} {self.relative_path(exchange.url)} took {answer.seconds:.1f} s to answer, over "
                f"IMS_MAX_RESPONSE_SECONDS={self.settings.max_response_seconds:g} (response.time)"
            )
            slow.add_note(f"replay: {exchange.as_curl()}")
            raise slow
        return response

    # --- explaining ----------------------------------------------------------------------------------

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


__all__ = [
    "MAX_FAILED_SIGNATURES",
    "UNANSWERED",
    "AccessKeyLocked",
    "AnswerLost",
    "ContractSession",
    "CreateBudgetExhausted",
    "Exchange",
    "ForeignHost",
    "OutOfTime",
    "ResponseTooLarge",
    "Throttled",
    "TooSlow",
    "Withheld",
]
