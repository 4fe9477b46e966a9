"""Benchmark: `ims.Client` / `ims.AsyncClient` vs the official SDK (`huaweicloudsdkims`), both signing AK/SK.

One mock (`ims-mock`, a separate process on a free 127.0.0.1 port) serves both clients in the
same run. Two measurements:

1. **One call**: a create plus one job query, repeated. `ims.Client` and the SDK's `ImsClient`
   take turns in short blocks (so a noisy neighbour hits both alike); the table gives the median
   over blocks of the wall time and of this process's CPU time per create + query.
2. **100 concurrent waits**: 100 creates, then each job polled until it ends (the mock's jobs
   take `--job-seconds`), with the same poll schedule for both (first query after `--poll`
   seconds, then x1.5 each time). `ims.AsyncClient` runs 100 asyncio tasks of `create_data_image`
   + `wait_for_job` (whose waiter also polls sooner when a job's progress says it ends sooner);
   the SDK's `ImsAsyncClient`, which has no waiter, is driven the way its future-returning API is
   used: every create sent at once, then rounds of job queries for the jobs still running. A third
   row runs `ims.AsyncClient` on that same plain backoff, so the client and the waiter are
   measured apart. Wall time until all 100 have ended, and CPU time.

Prints a table; with `--record`, writes it to BENCHMARKS.md with the machine, date and command.
Bounded: a fixed number of calls, and a deadline on the concurrent waits.

Usage: python -m scripts.bench_client [--blocks 10] [--calls 50] [--jobs 100] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkims.v2 import (
    CreateDataImageRequest,
    CreateDataImageRequestBody,
    ImsAsyncClient,
    ImsClient,
    ShowJobProgressRequest,
)

import ims
from contract_tests.embedded import ims_mock
from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK
from scripts.benchlib import machine, record

IMS, SDK = "`ims`", "`huaweicloudsdkims` 3.1.219"
IMS_PLAIN = "`ims`, polled as the SDK loop polls"
NAME, IMAGE_URL, MIN_DISK = "bench-client", "image-test:fedora_data1.qcow2", 40
ENDED = ("SUCCESS", "FAIL")
DEADLINE = 120.0  # the concurrent waits give up after this long (bounded even against a stuck mock)


@dataclass(frozen=True)
class Cost:
    """Wall and CPU seconds of one measured stretch."""

    wall: float
    cpu: float


def _measure(work: Callable[[], object]) -> Cost:
    gc.collect()  # what earlier blocks left is not charged to this one
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Cost(time.perf_counter() - wall, time.process_time() - cpu)


def _http_config() -> HttpConfig:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    config.timeout = (10, 30)
    return config


def _sdk(url: str, kind: type[ImsClient] | type[ImsAsyncClient]) -> ImsClient:
    credentials = BasicCredentials(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
    builder = kind.new_builder().with_http_config(_http_config()).with_credentials(credentials)
    client: ImsClient = builder.with_endpoints([url]).build()
    return client


def _sdk_body() -> CreateDataImageRequest:
    return CreateDataImageRequest(body=CreateDataImageRequestBody(name=NAME, image_url=IMAGE_URL, min_disk=MIN_DISK))


def one_call(url: str, blocks: int, calls: int) -> dict[str, list[Cost]]:
    """Per-block costs of `calls` create + job query pairs, for each client."""
    auth = ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
    with ims.Client(url, auth=auth) as client:
        sdk = _sdk(url, ImsClient)

        def with_ims() -> None:
            for _ in range(calls):
                client.get_job(client.create_data_image(name=NAME, image_url=IMAGE_URL, min_disk=MIN_DISK))

        def with_sdk() -> None:
            for _ in range(calls):
                job_id = sdk.create_data_image(_sdk_body()).job_id
                sdk.show_job_progress(ShowJobProgressRequest(job_id=job_id))

        runners = {IMS: with_ims, SDK: with_sdk}
        for runner in runners.values():  # warm up: imports, connections, caches
            runner()
        costs: dict[str, list[Cost]] = {name: [] for name in runners}
        for block in range(blocks):
            order = list(runners) if block % 2 == 0 else list(reversed(runners))
            for name in order:
                costs[name].append(_measure(runners[name]))
    return costs


async def _ims_waits(url: str, jobs: int, poll: float) -> list[str]:
    auth = ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
    async with ims.AsyncClient(url, auth=auth) as client:

        async def create_and_wait() -> str:
            job_id = await client.create_data_image(name=NAME, image_url=IMAGE_URL, min_disk=MIN_DISK)
            return str((await client.wait_for_job(job_id, timeout=DEADLINE, poll=poll)).status)

        return list(await asyncio.gather(*(create_and_wait() for _ in range(jobs))))


async def _ims_plain_waits(url: str, jobs: int, poll: float) -> list[str]:
    """`ims.AsyncClient` with `get_job` on the SDK loop's plain backoff: the client alone, without its waiter."""
    auth = ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
    async with ims.AsyncClient(url, auth=auth) as client:

        async def create_and_poll() -> str:
            job_id = await client.create_data_image(name=NAME, image_url=IMAGE_URL, min_disk=MIN_DISK)
            started, pause = time.monotonic(), poll
            while time.monotonic() - started < DEADLINE:
                await asyncio.sleep(pause)
                pause = min(pause * 1.5, 15.0)
                if (status := str((await client.get_job(job_id)).status)) in ENDED:
                    return status
            raise TimeoutError(f"job {job_id} had not ended after {DEADLINE} s")

        return list(await asyncio.gather(*(create_and_poll() for _ in range(jobs))))


def _sdk_waits(url: str, jobs: int, poll: float) -> list[str]:
    sdk = _sdk(url, ImsAsyncClient)
    pending = [sdk.create_data_image_async(_sdk_body()) for _ in range(jobs)]
    running = [response.result().job_id for response in pending]
    statuses: dict[str, str] = {}
    started, pause = time.monotonic(), poll
    while running:
        if time.monotonic() - started > DEADLINE:
            raise TimeoutError(f"{len(running)} SDK jobs had not ended after {DEADLINE} s")
        time.sleep(pause)
        pause = min(pause * 1.5, 15.0)
        queries = [(job_id, sdk.show_job_progress_async(ShowJobProgressRequest(job_id=job_id))) for job_id in running]
        for job_id, response in queries:
            status = response.result().status
            if status in ENDED:
                statuses[job_id] = status
        running = [job_id for job_id in running if job_id not in statuses]
    return list(statuses.values())


def concurrent_waits(url: str, jobs: int, poll: float, rounds: int) -> dict[str, list[Cost]]:
    """Costs of `jobs` concurrent create + wait, for each client, `rounds` times in turn."""
    runners: dict[str, Callable[[], list[str]]] = {
        IMS: lambda: asyncio.run(_ims_waits(url, jobs, poll)),
        SDK: lambda: _sdk_waits(url, jobs, poll),
        IMS_PLAIN: lambda: asyncio.run(_ims_plain_waits(url, jobs, poll)),
    }
    costs: dict[str, list[Cost]] = {name: [] for name in runners}
    for turn in range(rounds):
        order = list(runners) if turn % 2 == 0 else list(reversed(runners))
        for name in order:
            outcome: list[str] = []
            costs[name].append(_measure(lambda: outcome.extend(runners[name]())))  # noqa: B023 -- called at once
            if outcome != ["SUCCESS"] * jobs:
                raise SystemExit(f"{name}: expected {jobs} successful jobs, got {outcome}")
    return costs


def _median(costs: list[Cost], attribute: str, scale: float) -> float:
    return float(statistics.median(getattr(cost, attribute) for cost in costs)) * scale


def table(calls: dict[str, list[Cost]], per_block: int, waits: dict[str, list[Cost]], jobs: int) -> str:
    """The Markdown tables of both measurements, with the ratios the targets are stated in."""
    per_call = 1000 / per_block
    how = {
        IMS: "`AsyncClient`: `create_data_image` + `wait_for_job` per task",
        SDK: "`ImsAsyncClient`: every create at once, then rounds of job queries on the backoff",
        IMS_PLAIN: "`AsyncClient`: `create_data_image`, then `get_job` on the same backoff per task",
    }
    lines = [
        "| client (sync) | wall ms per create + job query | CPU ms per create + job query |",
        "|---|---:|---:|",
        *(
            f"| {name} (`{'Client' if name == IMS else 'ImsClient'}`) | {_median(costs, 'wall', per_call):.2f}"
            f" | {_median(costs, 'cpu', per_call):.2f} |"
            for name, costs in calls.items()
        ),
        "",
        f"| client (async) | how the {jobs} jobs are awaited | wall s until all ended | CPU s |",
        "|---|---|---:|---:|",
        *(
            f"| {name} | {how[name]} | {_median(costs, 'wall', 1):.2f} | {_median(costs, 'cpu', 1):.2f} |"
            for name, costs in waits.items()
        ),
    ]
    ours, theirs = calls[IMS], calls[SDK]
    lines += [
        "",
        f"- CPU per call, ims / SDK: {_median(ours, 'cpu', 1) / _median(theirs, 'cpu', 1):.2f} (target: at most 0.5)",
        f"- wall per call, ims / SDK: {_median(ours, 'wall', 1) / _median(theirs, 'wall', 1):.2f} (target: below 1)",
        f"- {jobs} concurrent waits, wall, ims / SDK: "
        f"{_median(waits[IMS], 'wall', 1) / _median(waits[SDK], 'wall', 1):.2f} (target: below 1); "
        f"on the SDK loop's schedule: {_median(waits[IMS_PLAIN], 'wall', 1) / _median(waits[SDK], 'wall', 1):.2f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run both measurements against one mock and print (and with --record, record) the table."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_client", description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=10, help="blocks of calls per client, taken in turn")
    parser.add_argument("--calls", type=int, default=50, help="create + job query pairs per block")
    parser.add_argument("--jobs", type=int, default=100, help="concurrent create + wait")
    parser.add_argument("--rounds", type=int, default=3, help="concurrent runs per client, taken in turn")
    parser.add_argument("--job-seconds", type=float, default=2.0, help="how long the mock's jobs run")
    parser.add_argument("--poll", type=float, default=0.2, help="first poll interval of the waits")
    parser.add_argument("--record", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args(argv)
    for name in ("blocks", "calls", "jobs", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if not 0 < args.job_seconds <= 60 or not 0 < args.poll <= 10:
        parser.error("--job-seconds must be in (0, 60] and --poll in (0, 10]")
    with ims_mock("--job-seconds", str(args.job_seconds)) as mock:
        calls = one_call(mock.url, args.blocks, args.calls)
        waits = concurrent_waits(mock.url, args.jobs, args.poll, args.rounds)
    result = table(calls, args.calls, waits, args.jobs)
    print(result)
    if args.record:
        command = "python -m scripts.bench_client " + " ".join(argv if argv is not None else sys.argv[1:])
        record(
            "Client: `ims` vs the official SDK (`make bench-client`)",
            "\n".join(
                [
                    f"- machine: {machine()}",
                    f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                    f"- command: `make bench-client` (`{command.strip()}`)",
                    "- both clients sign with AK/SK, against the same `ims-mock` in a separate process, in one run;"
                    f" one call = a create plus one job query, median of {args.blocks} blocks of {args.calls}"
                    f" taken in turn; concurrent waits: the mock's jobs take {args.job_seconds} s, first poll after"
                    f" {args.poll} s then x1.5, median of {args.rounds} runs each",
                    "- targets: client CPU per call at most half the SDK's; wall time per call below the SDK's;"
                    " the 100 concurrent waits faster than the SDK's",
                    "",
                    result,
                ]
            ),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
