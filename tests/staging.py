"""A mock set up like a staging account, shared by the contract suite's safety tests.

AK/SK and token credentials, images made before the run (which the run must never touch), and
optionally throttling, slow jobs, lost answers, faults or a hostile proxy in front.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ims_mock.faults import build_app
from ims_mock.rules import check_create
from ims_mock.settings import default_credentials
from scripts.hostile import lossy
from tests.servers import config, serve_app

PROJECT = "5afe5afe5afe5afe5afe5afe5afe5afe"
TOKEN = "safety-token-that-must-stay-secret"
AK = "SAFETYACCESSKEY00000"
SK = "safety-sk-that-must-stay-secret"
SECRETS = (TOKEN, SK)
MOCK_ENV = {"IMS_MOCK_PROJECT_ID": PROJECT, "IMS_MOCK_TOKEN": TOKEN, "IMS_MOCK_AK": AK, "IMS_MOCK_SK": SK}
TOKEN_ENV = {"IMS_AUTH_TOKEN": TOKEN, "IMS_PROJECT_ID": PROJECT}
AKSK_ENV = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT}
# Names and descriptions a careless cleanup might take for its own: another run's mark, the suite's
# own name prefix.
FOREIGN: list[dict[str, Any]] = [
    {"name": "ct-0123456789ab", "description": "made by a person"},
    {"name": "production-data", "description": "[ims-ct-run 20200101-000000-deadbeef]"},
    {"name": "tagged", "tags": ["ims-ct-run.20200101-000000-deadbeef"]},
]


@dataclass
class StagingLike:
    """A mock served in this process, with images made before the run."""

    url: str
    app: Any
    foreign: set[str]
    delete_attempts: list[str] = field(default_factory=list)  # the image id of every deleteImage the mock saw

    def images(self) -> set[str]:
        """Every image of the project now."""
        self.app.store.settle(time.time())
        return {image.image_id for image in self.app.store.project_images(PROJECT, time.time())}

    def assert_clean(self) -> None:
        """The images that were there before are all there, and no other image is.

        The region's public images (`list.public`) were listed all along, and never sent a delete.
        """
        public = {image["id"] for image in self.app.public_images}
        assert public, "the staging-like mock lists public images of another owner"
        touched = public.intersection(self.delete_attempts)
        assert not touched, f"the run sent a delete for public images of another owner: {touched}"
        left = self.images()
        assert self.foreign <= left, f"the run touched images it did not create: {self.foreign - left}"
        assert left == self.foreign, f"the run left {len(left - self.foreign)} image(s) behind: {left - self.foreign}"


@contextmanager
def staging_like(
    *,
    job_seconds: float = 1.0,
    rate_limit: tuple[int, float] | None = None,
    lose_every: int = 0,
    faults: frozenset[str] = frozenset(),
    wrap: Callable[[Any], Any] | None = None,
    **overrides: Any,
) -> Iterator[StagingLike]:
    """A mock like staging: the project holds images the run did not create.

    `wrap` puts a hostile proxy (an ASGI wrapper of `scripts.hostile`) in front of the mock;
    `overrides` are more `MockConfig` fields (an auth policy, say).
    """
    mock_config = config(
        credentials=default_credentials(MOCK_ENV), job_seconds=job_seconds, rate_limit=rate_limit, **overrides
    )
    app, core = build_app(mock_config, faults)
    app = lossy(app, lose_every) if lose_every else app
    with serve_app(wrap(app) if wrap else app) as url:
        foreign = make_foreign_images(core)
        staging = StagingLike(url, core, foreign)

        async def recorded(call: Any, call_next: Any) -> Any:  # every delete the mock receives, whatever the faults
            staging.delete_attempts.append(call.params["image_id"].lower())
            return await call_next(call)

        core.wrap(["deleteImage"], recorded)
        yield staging


def make_foreign_images(app: Any) -> set[str]:
    """The images of other people, made before the run: straight into the store, at once.

    Around the mock's faults and its limits, as images that were there before the server went
    wrong: whatever fault is planted, the account holds them when the run starts.
    """
    now = time.time()
    for fields in FOREIGN:
        body = {"image_url": "image-test:data.qcow2", "min_disk": 40, **fields}
        job = app.store.create_job(PROJECT, check_create(body), now)
        job.ends = now  # already made
    app.store.settle(now)
    return {image.image_id for image in app.store.project_images(PROJECT, now)}


def external(url: str, *, job_seconds: float = 1.5, **extra: str) -> dict[str, str]:
    """The settings of a run against `url`, a staging-like mock whose jobs take `job_seconds`.

    The default rate limit for a real target (20 requests per 5 s) would make each run here take
    minutes; only the throttling test keeps to a real limit. The job window (IMS_JOB_TIMEOUT) is a
    few times the mock's jobs: it is also how long a cleanup keeps looking for the image of a create
    whose answer was lost, so a larger one only makes the runs slower.
    """
    job_timeout = str(max(15.0, 4 * job_seconds))
    return {"IMS_BASE_URL": url, "IMS_JOB_TIMEOUT": job_timeout, "IMS_RATE_LIMIT": "1000", **extra}
