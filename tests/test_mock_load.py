"""Under concurrency nothing is lost: 1,000 simultaneous creates give 1,000 queryable jobs."""

from __future__ import annotations

import asyncio
import json
import resource
from urllib.parse import urlsplit

from tests.servers import TOKEN_HEADERS, serve_process

CREATES = 1000
TIMEOUT = 120.0


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")
    )
    return int(head.split()[1]), await reader.readexactly(length)


def _request(method: str, path: str, host: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"X-Auth-Token: {TOKEN_HEADERS['X-Auth-Token']}"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _one_client(host: str, port: int, index: int, start: asyncio.Barrier) -> tuple[int, str, int]:
    """Open a connection, wait until all 1,000 are open, then create a job and query it."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        await start.wait()
        body = json.dumps({"name": f"load-{index}", "image_url": "bucket:disk.qcow2", "min_disk": 40}).encode()
        status, answer = await _exchange(
            reader, writer, _request("POST", "/v1/cloudimages/dataimages/action", f"{host}:{port}", body)
        )
        job_id = json.loads(answer)["job_id"] if status == 200 else ""
        queried, _ = await _exchange(reader, writer, _request("GET", f"/v1/cloudimages/job/{job_id}", f"{host}:{port}"))
        return status, job_id, queried
    finally:
        writer.close()


async def _all_at_once(url: str) -> list[tuple[int, str, int]]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    start = asyncio.Barrier(CREATES)
    clients = (_one_client(parts.hostname, parts.port, i, start) for i in range(CREATES))
    return await asyncio.wait_for(asyncio.gather(*clients), TIMEOUT)


def _allow_open_files(count: int) -> None:
    # 1,000 client sockets need more than the common soft limit of 1,024 descriptors.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def test_a_thousand_simultaneous_creates_give_a_thousand_distinct_queryable_jobs() -> None:
    # The server runs in its own process; each client holds its own connection, and all 1,000
    # creates are released together once every connection is open.
    _allow_open_files(4096)
    with serve_process() as (url, _lines):
        results = asyncio.run(_all_at_once(url))
    assert [status for status, _, _ in results] == [200] * CREATES
    assert len({job_id for _, job_id, _ in results}) == CREATES
    assert [queried for _, _, queried in results] == [200] * CREATES
