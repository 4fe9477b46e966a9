"""When a request goes out, and how often: the rate limit, 429s, retries and the run's clock."""

from __future__ import annotations

import collections
import random
import threading
import time
from collections.abc import Callable

import requests
import tenacity

from contract_tests.sending.reading import Answer
from contract_tests.settings import Rate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENT_METHODS = SAFE_METHODS | {"DELETE"}
RETRY_STATUSES = frozenset({502, 503, 504})
CONNECTION_TRIES = 4
THROTTLE_TRIES = 10
LONGEST_THROTTLE_WAIT = 120.0


class Throttled(Exception):
    """The target still answered 429 after the run waited and retried: not a defect, not tested."""


class OutOfTime(requests.Timeout):
    """The run's time (IMS_DEADLINE, or the cleanup's budget) is up: the request is not sent."""


class Clock:
    """The run's end: every request, its waits and its retries included, is over by `ends_at`."""

    def __init__(self, request_timeout: float) -> None:
        self.request_timeout = request_timeout
        # time.monotonic() by which every request must have ended; None: only the per-request bound.
        self.ends_at: float | None = None

    def remaining(self) -> float:
        """Seconds left before `ends_at` (infinite when the run sets no end)."""
        return float("inf") if self.ends_at is None else self.ends_at - time.monotonic()

    def request_budget(self) -> float:
        """How long the next request may take as a whole: 2 x IMS_REQUEST_TIMEOUT, never past `ends_at`."""
        return min(2 * self.request_timeout, self.remaining())


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


class Pacing:
    """Each attempt waits its turn under the rate limit; 429s are waited out and some failures retried.

    A 429 is retried for any method (the target did not act), after Retry-After or a backoff. Only
    idempotent requests (GET, DELETE) are retried after a dropped connection or a 502/503/504: a
    create is never repeated. No wait may outlast the run's time: then the last answer stands.
    """

    def __init__(self, rate: Rate | None, clock: Clock) -> None:
        self.limiter = RateLimiter(rate)
        self.clock = clock
        self.throttled = 0  # 429 answers waited out, for the summary

    def send(self, method: str, attempt: Callable[[], Answer]) -> Answer:
        """`attempt()` until it gives an answer that stands; Throttled if that answer is still 429."""
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
            status = outcome.result().response.status_code
            if status == 429:
                return state.attempt_number < THROTTLE_TRIES
            return idempotent and status in RETRY_STATUSES and state.attempt_number < CONNECTION_TRIES

        def wait(state: tenacity.RetryCallState) -> float:
            outcome = state.outcome
            assert outcome is not None
            jitter = 1 + random.random() / 4  # noqa: S311  # spreads retries; not for security
            backoff = min(0.25 * 2.0 ** (state.attempt_number - 1), 30.0) * jitter
            answer: requests.Response | None = None if outcome.failed else outcome.result().response
            if answer is not None and answer.status_code == 429:
                self.throttled += 1
                pause = retry_after(answer)
                pause = pause if pause is not None else min(2.0**state.attempt_number, LONGEST_THROTTLE_WAIT)
                self.limiter.waited += pause
                return pause
            return backoff

        def stop(state: tenacity.RetryCallState) -> bool:
            return state.attempt_number >= THROTTLE_TRIES or state.upcoming_sleep >= self.clock.remaining()

        def paced() -> Answer:
            self.limiter.acquire()
            return attempt()

        retrying = tenacity.Retrying(
            retry=should_retry,
            wait=wait,
            stop=stop,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        answer: Answer = retrying(paced)
        if answer.response.status_code == 429:
            raise Throttled(
                f"{method} still throttled (429) after {THROTTLE_TRIES} tries, or when the next wait would"
                " outlast the run's time; not a contract failure"
            )
        return answer
