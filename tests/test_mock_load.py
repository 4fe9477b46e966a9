"""Under concurrency nothing is lost: 1,000 simultaneous creates give 1,000 queryable jobs."""

from __future__ import annotations

import asyncio

import httpx

from tests.servers import TOKEN_HEADERS, serve_process

CREATE = "/v1/cloudimages/dataimages/action"
CREATES = 1000


async def _create_all(url: str) -> tuple[list[int], list[str], list[int]]:
    # All 1,000 requests are in flight at once; a semaphore in front of the connection pool keeps
    # httpx's pool from slowing down under a thousand waiters.
    gate = asyncio.Semaphore(64)
    async with httpx.AsyncClient(base_url=url, headers=TOKEN_HEADERS, timeout=60) as client:

        async def call(method: str, path: str, body: object = None) -> httpx.Response:
            async with gate:
                return await client.request(method, path, json=body)

        created = await asyncio.gather(
            *(
                call("POST", CREATE, {"name": f"load-{i}", "image_url": "bucket:disk.qcow2", "min_disk": 40})
                for i in range(CREATES)
            )
        )
        job_ids = [response.json()["job_id"] for response in created]
        queried = await asyncio.gather(*(call("GET", f"/v1/cloudimages/job/{job_id}") for job_id in job_ids))
    return [r.status_code for r in created], job_ids, [r.status_code for r in queried]


def test_a_thousand_concurrent_creates_give_a_thousand_distinct_queryable_jobs() -> None:
    # The server runs in its own process, so the clients do not share its interpreter lock.
    with serve_process() as (url, _lines):
        statuses, job_ids, queried = asyncio.run(_create_all(url))
    assert statuses == [200] * CREATES
    assert len(set(job_ids)) == CREATES
    assert queried == [200] * CREATES
