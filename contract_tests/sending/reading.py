"""How much of an answer is read: the body within IMS_MAX_RESPONSE_BYTES after decompression.

The request's `wire.Watch` bounds how long the reading may take; this bounds how much. A body that
breaks either is closed at once, and whatever the connection does mid-body is a lost answer.
"""

from __future__ import annotations

import http.client
import zlib
from dataclasses import dataclass

import requests
import urllib3


class ResponseTooLarge(Exception):
    """The target sent a body larger than IMS_MAX_RESPONSE_BYTES (after decompression)."""


class TooSlow(AssertionError):
    """An answer took longer than IMS_MAX_RESPONSE_SECONDS to arrive whole (`response.time`)."""


@dataclass(frozen=True)
class Answer:
    """A response read whole, and how long it took from sending to its last byte."""

    response: requests.Response
    seconds: float


def read_capped(response: requests.Response, cap: int) -> None:
    """Read the body of a streamed `response` into it, at most `cap` bytes decompressed; close on excess."""
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
                    f"the response body exceeds IMS_MAX_RESPONSE_BYTES={cap} (Content-Encoding: {encoding or 'none'})"
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
    # requests has no public way to hand a Response a body read elsewhere: `_content` is where its
    # own `content` property keeps what it read, and `_content_consumed` says the stream is spent.
    # Reading through `content` itself would decompress without a cap.
    response._content = b"".join(chunks)
    response._content_consumed = True
    response.raw.release_conn()
