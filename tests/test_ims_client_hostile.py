"""`ims` against a hostile or broken server, and set up wrongly: every failure a typed `ims.ImsError`, bounded.

Each server here is a raw socket on loopback that answers one way: a gzip bomb, an endless body, a
trickle, JSON of the wrong shape, ids that would steer a path.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import socketserver
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

import ims

Answer = Callable[[socket.socket], None]
TOKEN = ims.TokenAuth("a-token", "0123456789abcdef0123456789abcdef")
FAST = ims.Retry(attempts=2, backoff=0.01, max_wait=0.05)


def _http(status: int, body: bytes, *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "X-Request-Id: r-1", *headers, "", ""]
    return "\r\n".join(head).encode() + body


@contextmanager
def serving(answer: Answer) -> Iterator[str]:
    """A loopback server that reads one request head per connection and lets `answer` reply."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            with contextlib.suppress(OSError):  # the client gave up first: that is the point of several tests
                answer(self.connection)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _job_answer(body: bytes, *headers: str) -> Answer:
    return lambda sock: sock.sendall(_http(200, body, "Content-Type: application/json", *headers))


BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MiB of zeros in about 64 KiB


def test_a_gzip_bomb_is_refused_uninflated_by_both_clients() -> None:
    """Not a byte of it is inflated: the 64 MiB it holds never exist in memory (Python's allocations, traced)."""
    with serving(_job_answer(BOMB, "Content-Encoding: gzip")) as url:
        tracemalloc.start()
        try:
            with (
                ims.Client(url, auth=TOKEN, retry=FAST) as client,
                pytest.raises(ims.MalformedAnswer, match="compressed"),
            ):
                client.get_job("job-1")
            sync_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()

            async def main() -> None:
                async with ims.AsyncClient(url, auth=TOKEN, retry=FAST) as client:
                    with pytest.raises(ims.MalformedAnswer, match="compressed"):
                        await client.get_job("job-1")

            asyncio.run(main())
            async_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert sync_peak < 8 * 1024 * 1024, sync_peak  # inflated, it would be over 64 MiB
    assert async_peak < 8 * 1024 * 1024, async_peak


def test_an_answer_over_the_cap_is_refused_after_the_cap_by_both_clients() -> None:
    big = b'{"job_id": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    with serving(_job_answer(big)) as url:
        client = ims.Client(url, auth=TOKEN, retry=FAST, max_answer_bytes=1024 * 1024)
        with client, pytest.raises(ims.MalformedAnswer, match="over 1048576 bytes"):
            client.get_job("job-1")

        async def main() -> None:
            async with ims.AsyncClient(url, auth=TOKEN, retry=FAST, max_answer_bytes=1024 * 1024) as client:
                with pytest.raises(ims.MalformedAnswer, match="over 1048576 bytes"):
                    await client.get_job("job-1")

        asyncio.run(main())


def _trickle(sock: socket.socket) -> None:
    for byte in _http(200, b'{"job_id": "j", "job_type": "t", "status": "RUNNING"}'):
        sock.sendall(bytes([byte]))
        time.sleep(0.05)


def test_a_trickling_answer_ends_at_the_request_deadline_and_wait_for_job_at_its_timeout() -> None:
    with serving(_trickle) as url:
        with ims.Client(url, auth=TOKEN, retry=FAST, timeout=0.5) as client:
            started = time.monotonic()
            with pytest.raises(ims.RequestTimedOut):
                client.get_job("job-1")
            assert time.monotonic() - started < 0.5 * FAST.attempts + 1.0
        with ims.Client(url, auth=TOKEN, timeout=5) as client:
            started = time.monotonic()
            with pytest.raises(ims.JobTimeout):
                client.wait_for_job("job-1", timeout=1.5)
            assert time.monotonic() - started < 1.5 + 1.0  # the wait's bound, not 5 s per attempt

        async def main() -> None:
            async with ims.AsyncClient(url, auth=TOKEN, timeout=5) as client:
                with pytest.raises(ims.JobTimeout):
                    await client.wait_for_job("job-1", timeout=1.5)

        started = time.monotonic()
        asyncio.run(main())
        assert time.monotonic() - started < 1.5 + 1.0


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", b'{"job_id": 5, "job_type": 7, "status": null}', b"[]", b'{"job_id": "j", "status": 5}'],
)
def test_a_job_answer_of_the_wrong_shape_is_a_malformed_answer_with_its_bytes(body: bytes) -> None:
    with (
        serving(_job_answer(body)) as url,
        ims.Client(url, auth=TOKEN, retry=FAST) as client,
        pytest.raises(ims.MalformedAnswer) as raised,
    ):
        client.get_job("job-1")
    assert raised.value.raw == body


@pytest.mark.parametrize("job_id", [5, "..", "a/../b", "%2e%2e", "x" * 65, ""])
def test_a_job_id_from_the_server_that_would_steer_a_path_is_never_used(job_id: object) -> None:
    with serving(_job_answer(json.dumps({"job_id": job_id}).encode())) as url:
        with ims.Client(url, auth=TOKEN, retry=FAST) as client, pytest.raises(ims.MalformedAnswer, match="job id"):
            client.create_data_image(name="x", image_url="bucket:x.qcow2", min_disk=40)
        with ims.Client(url, auth=TOKEN, retry=FAST) as client, pytest.raises(ims.RequestInvalid, match="job id"):
            client.get_job(job_id)  # type: ignore[arg-type]  # what a careless caller passes on


def test_an_image_id_that_is_no_uuid_is_refused_before_sending() -> None:
    with ims.Client("http://127.0.0.1:9", auth=TOKEN) as client, pytest.raises(ims.RequestInvalid, match="UUID"):
        client.delete_image("not-a-uuid")


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (404, b'{"error": {"code": "IMG.0144", "message": "The image does not exist."}}', ims.NotFound),
        (404, b'{"error_code": "APIGW.0101", "error_msg": "no such API", "request_id": "r"}', ims.NotFound),
        (
            401,
            b'{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}',
            ims.AuthenticationFailed,
        ),
        (500, b'{"error": {"code": "IMG.0500", "message": "Internal service error."}}', ims.ServiceError),
        (502, b"<html>bad gateway</html>", ims.ServiceError),
        (418, b"<html>teapot</html>", ims.MalformedAnswer),
    ],
)
def test_each_kind_of_error_answer_has_its_own_class(status: int, body: bytes, kind: type[ims.ImsError]) -> None:
    with (
        serving(lambda sock: sock.sendall(_http(status, body))) as url,
        ims.Client(url, auth=TOKEN, retry=FAST) as client,
        pytest.raises(kind) as raised,
    ):
        client.delete_image("00000000-0000-4000-8000-000000000000")
    assert raised.value.status == status
    assert raised.value.request_id


@pytest.mark.parametrize(
    "base_url", ["not-a-url", "ftp://ims.example.com", "http://", "https://user:pw@ims.example.com"]
)
def test_a_base_url_without_a_usable_host_is_refused_at_construction(base_url: str) -> None:
    with pytest.raises(ims.ConfigurationError, match="base_url") as raised:
        ims.Client(base_url, auth=TOKEN)
    assert "pw" not in str(raised.value)


def test_credentials_and_auth_are_checked_at_construction_and_no_secret_is_shown() -> None:
    with pytest.raises(ims.ConfigurationError, match="token must be a non-empty string"):
        ims.TokenAuth(None, None)  # type: ignore[arg-type]
    with pytest.raises(ims.ConfigurationError, match="whitespace") as raised:
        ims.TokenAuth("secret-token\n", "0123456789abcdef0123456789abcdef")
    assert "secret-token" not in str(raised.value)
    with pytest.raises(ims.ConfigurationError, match="secret_key") as raised:
        ims.AkSkAuth("AK", " sk-with-space", "p")
    assert "sk-with-space" not in str(raised.value)
    with pytest.raises(ims.ConfigurationError, match="auth must be"):
        ims.Client("https://ims.example.com", auth="token")  # type: ignore[arg-type]


def test_the_package_has_a_version() -> None:
    assert ims.__version__[:1].isdigit()
