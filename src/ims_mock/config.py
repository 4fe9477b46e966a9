"""Everything the mock is started with, in one frozen value checked once, whoever builds it.

`MockConfig` is built by the CLI (`cli.py`, whose flags take their defaults from it), by the fault
layer (`faults/`, which plants a fault by replacing a field) and by tests; each way ends in
`__post_init__`, so a value no server could run with (a negative job time, a cap of 0) is refused
with the field and its flag named, before anything is served.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ims_mock.auth import CONTRACT as CONTRACT_AUTH
from ims_mock.auth import AuthPolicy, Credentials
from ims_mock.rules import CONTRACT as CONTRACT_CREATE
from ims_mock.rules import CreatePolicy
from ims_mock.store import SUPPORTED_FORMATS

MIB = 1024 * 1024
MAX_BODY_BYTES = 12 * MIB

# The flag of ims-mock that sets each checked field, for the message when it is refused.
FLAGS = {
    "job_seconds": "--job-seconds",
    "max_jobs": "--max-jobs",
    "max_images": "--max-images",
    "max_jobs_per_project": "--max-jobs-per-project",
    "max_images_per_project": "--max-images-per-project",
    "header_seconds": "--request-timeout",
    "body_seconds": "--request-timeout",
    "max_connections": "--max-connections",
    "in_flight_bytes": "--in-flight-mib",
}


@dataclass(frozen=True)
class MockConfig:
    """Everything the server is started with: credentials, timings, limits and the rules' policies.

    The defaults are the contract's. The fault layer (`faults/`) plants a fault by changing a
    policy here or by wrapping the app; the core never names a fault.
    """

    credentials: Credentials
    job_seconds: float = 0.5
    rate_limit: tuple[int, float] | None = None  # (requests, per seconds), per project, for creates
    max_jobs: int = 100_000  # in all, for all projects
    max_images: int = 100_000
    max_jobs_per_project: int = 10_000
    max_images_per_project: int = 10_000
    max_body_bytes: int = MAX_BODY_BYTES
    # The gateway's protections (`gateway.*`): see server.py for the connection-level ones.
    header_seconds: float = 30.0  # the request line and headers must arrive within this
    body_seconds: float = 30.0  # the body must arrive within this, once the headers have
    max_head_bytes: int = 16 * 1024  # request line and headers
    max_connections: int = 4096
    in_flight_bytes: int = 256 * MIB  # request bodies being read or handled, all connections
    create_rules: CreatePolicy = CONTRACT_CREATE
    auth: AuthPolicy = CONTRACT_AUTH
    image_formats: frozenset[str] | None = SUPPORTED_FORMATS  # None: every extension is usable
    image_formats_any_case: bool = True
    public_images: bool = True  # a few public images of another owner in every list (`list.public`)
    new_id: Callable[[], uuid.UUID] = uuid.uuid4

    def __post_init__(self) -> None:
        """Refuse what no server could run with, naming the field (and the flag that sets it)."""
        at_least = {"job_seconds": 0.0, "max_head_bytes": 1, "max_body_bytes": 0, "in_flight_bytes": 1}
        for name in ("max_jobs", "max_images", "max_jobs_per_project", "max_images_per_project", "max_connections"):
            at_least[name] = 1
        for name, lowest in at_least.items():
            _check(name, getattr(self, name) >= lowest, f"at least {lowest}", getattr(self, name))
        for name in ("header_seconds", "body_seconds"):
            _check(name, getattr(self, name) > 0, "more than 0", getattr(self, name))
        if self.rate_limit is not None:
            requests, seconds = self.rate_limit
            _check("rate_limit", requests >= 1 and seconds > 0, "REQUESTS >= 1 per SECONDS > 0", self.rate_limit)


def _check(name: str, holds: bool, rule: str, value: Any) -> None:
    if not holds:
        flag = f" ({FLAGS[name]})" if name in FLAGS else ""
        raise ValueError(f"{name}{flag} must be {rule}, not {value!r}")


def default(name: str) -> Any:
    """The default of a MockConfig field: what ims-mock runs with when its flag is not given."""
    return MockConfig.__dataclass_fields__[name].default
