"""`ims-mock`: serve the mock IMS API with uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import replace

import uvicorn

from ims_mock import faults
from ims_mock.auth import CONTRACT as CONTRACT_AUTH
from ims_mock.config import MIB, MockConfig, default
from ims_mock.server import uvicorn_config
from ims_mock.settings import default_credentials

# h11, not httptools: httptools refuses methods it does not know (BREW, ...) with a bare 400
# before the app sees them, where the contract wants 404 APIGW.0101 with X-Request-Id. The mock
# is served with server.py's gateway protocol, built on uvicorn's h11 one.
HTTP_IMPLEMENTATION = "h11"


def _rate(text: str) -> tuple[int, float]:
    requests, _, seconds = text.partition("/")
    try:
        rate = int(requests), float(seconds or "1")
    except ValueError:
        raise argparse.ArgumentTypeError("use REQUESTS/SECONDS, e.g. 20/5") from None
    if rate[0] < 1 or rate[1] <= 0:
        raise argparse.ArgumentTypeError("REQUESTS must be at least 1 and SECONDS more than 0")
    return rate


def build_parser() -> argparse.ArgumentParser:
    """The command line of ims-mock."""
    parser = argparse.ArgumentParser(
        prog="ims-mock",
        description="A mock of Huawei Cloud IMS data-image creation (see README.md). "
        "Credentials default to IMS_MOCK_PROJECT_ID, IMS_MOCK_TOKEN, IMS_MOCK_AK and IMS_MOCK_SK.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind; 0 picks a free one (default 8000)")
    parser.add_argument(
        "--job-seconds", type=float, default=default("job_seconds"), help="how long a job runs (default %(default)s)"
    )
    parser.add_argument("--fault", action="append", default=[], metavar="NAME", help="plant a fault (repeatable)")
    parser.add_argument("--list-faults", action="store_true", help="list the faults with their descriptions")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME",
        help=f"make an open choice differently, still conforming (repeatable): {', '.join(faults.VARIANTS)}",
    )
    parser.add_argument("--rate-limit", type=_rate, metavar="N/S", help="allow N creates per S seconds per project")
    parser.add_argument("--project-id", help="the default project's ID (IMS_MOCK_PROJECT_ID)")
    parser.add_argument("--token", help="the default project's token (IMS_MOCK_TOKEN)")
    parser.add_argument("--ak", help="the default project's access key (IMS_MOCK_AK)")
    parser.add_argument("--sk", help="the default project's secret key (IMS_MOCK_SK)")
    parser.add_argument(
        "--project", action="append", default=[], metavar="ID:TOKEN:AK:SK", help="another project (repeatable)"
    )
    for flag, what in (
        ("--max-jobs", "jobs kept at most, in all"),
        ("--max-images", "images kept at most, in all"),
        ("--max-jobs-per-project", "jobs kept at most per project"),
        ("--max-images-per-project", "images kept at most per project"),
    ):
        field = flag[2:].replace("-", "_")
        parser.add_argument(flag, type=int, default=default(field), help=f"{what} (default %(default)s)")
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=default("header_seconds"),
        metavar="SECONDS",
        help="the headers, and then the body, must each arrive within this (default %(default)s)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=default("max_connections"),
        help="open connections at most; beyond, 503 (default %(default)s)",
    )
    parser.add_argument(
        "--in-flight-mib",
        type=int,
        default=default("in_flight_bytes") // MIB,
        help="request bodies being read or handled, in MiB, all connections; beyond, 503 (default %(default)s)",
    )
    parser.add_argument(
        "--ak-lockout-seconds",
        type=float,
        default=CONTRACT_AUTH.lockout_seconds,
        metavar="SECONDS",
        help="how long an AK is locked after more than five consecutive failed signatures, as Huawei's gateway"
        " does (default %(default)s; 0: never locked)",
    )
    parser.add_argument(
        "--temporary-key",
        action="append",
        default=[],
        metavar="ID:AK:SK:SECURITY_TOKEN",
        help="temporary (STS) credentials of a configured project, valid with their X-Security-Token (repeatable)",
    )
    parser.add_argument(
        "--no-public-images",
        action="store_true",
        help="list only each project's own images (by default every list also shows a few public images of another"
        " owner, as a region does)",
    )
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser


def config_from_args(args: argparse.Namespace, environ: dict[str, str]) -> tuple[MockConfig, frozenset[str]]:
    """The server configuration and the faults to plant, from parsed flags and the environment (flags win)."""
    env = dict(environ)
    for flag, variable in (("project_id", "IMS_MOCK_PROJECT_ID"), ("token", "IMS_MOCK_TOKEN"), ("ak", "IMS_MOCK_AK")):
        if getattr(args, flag):
            env[variable] = getattr(args, flag)
    if args.sk:
        env["IMS_MOCK_SK"] = args.sk
    chosen = faults.parse_faults([*args.fault, *env.get("IMS_MOCK_FAULTS", "").split(",")])
    unknown = sorted(set(args.variant) - faults.VARIANTS.keys())
    if unknown or chosen - faults.REGISTRY.keys():
        raise ValueError(
            f"unknown variant(s) or fault(s): {', '.join(unknown or sorted(chosen - faults.REGISTRY.keys()))}"
        )
    chosen |= frozenset(args.variant)
    # The limits themselves are checked by MockConfig; this flag's own rule: room for one largest body.
    if args.in_flight_mib * MIB <= default("max_body_bytes"):
        raise ValueError(f"--in-flight-mib must be more than {default('max_body_bytes') // MIB} (the largest body)")
    if not 0 <= args.ak_lockout_seconds <= 86_400:
        raise ValueError("--ak-lockout-seconds must be from 0 to 86400")
    lockout = {"lockout_seconds": args.ak_lockout_seconds} if args.ak_lockout_seconds else {"lockout_failures": None}
    config = MockConfig(
        credentials=default_credentials(env, args.project, args.temporary_key),
        auth=replace(CONTRACT_AUTH, **lockout),
        job_seconds=args.job_seconds,
        rate_limit=args.rate_limit,
        max_jobs=args.max_jobs,
        max_images=args.max_images,
        max_jobs_per_project=args.max_jobs_per_project,
        max_images_per_project=args.max_images_per_project,
        header_seconds=args.request_timeout,
        body_seconds=args.request_timeout,
        max_connections=args.max_connections,
        in_flight_bytes=args.in_flight_mib * 1024 * 1024,
        public_images=not args.no_public_images,
    )
    return config, chosen


async def _serve(config: MockConfig, planted: frozenset[str], host: str, port: int, log_level: str) -> None:
    app, _core = faults.build_app(config, planted)
    server = uvicorn.Server(uvicorn_config(app, config, host, port, log_level))
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        bound = server.servers[0].sockets[0].getsockname()
        names = ", ".join(sorted(planted)) or "none"
        print(f"ims-mock ready on http://{bound[0]}:{bound[1]} (faults: {names})", flush=True)
    await task


def main(argv: list[str] | None = None) -> int:
    """Run ims-mock; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.list_faults:
        print(faults.describe())
        return 0
    try:
        config, planted = config_from_args(args, dict(os.environ))
    except ValueError as error:
        print(f"ims-mock: {error}", file=sys.stderr)
        return 2
    asyncio.run(_serve(config, planted, args.host, args.port, args.log_level))
    return 0


if __name__ == "__main__":
    sys.exit(main())
