"""The job lifecycle, listImages and deleteImage, driven by a clock the test controls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.servers import PROJECT_ID, TOKEN_HEADERS, config, serve

CREATE = "/v1/cloudimages/dataimages/action"
T0 = 1_730_874_423.742  # 2024-11-06T06:27:03.742Z


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@contextmanager
def _client(clock: Clock, **overrides: Any) -> Iterator[httpx.Client]:
    with (
        # The project's own images only: the public images every list also shows are tested in test_mock_images.py.
        serve(config(**{"job_seconds": 10, "public_images": False, **overrides}), clock=clock) as url,
        httpx.Client(base_url=url, headers=TOKEN_HEADERS, timeout=10) as client,
    ):
        yield client


@pytest.fixture
def ims(clock: Clock) -> Iterator[httpx.Client]:
    with _client(clock) as client:
        yield client


def _create(ims: httpx.Client, **fields: Any) -> str:
    body = {"name": "disk-1", "image_url": "bucket:images/disk.qcow2", "min_disk": 80, **fields}
    response = ims.post(CREATE, json=body)
    assert response.status_code == 200, response.text
    job_id: str = response.json()["job_id"]
    return job_id


def test_a_job_goes_init_running_success_and_never_back(ims: httpx.Client, clock: Clock) -> None:
    job_id = _create(ims)
    assert re.fullmatch(r"[0-9a-f]{32}", job_id)
    seen = []
    for step in range(0, 130, 5):
        clock.now = T0 + step / 10
        seen.append(ims.get(f"/v1/cloudimages/job/{job_id}").json()["status"])
    order = ["INIT", "RUNNING", "SUCCESS"]
    assert seen[0] == "INIT"
    assert seen[-1] == "SUCCESS"
    assert [order.index(s) for s in seen] == sorted(order.index(s) for s in seen)


def test_a_new_job_is_queryable_at_once_by_both_queries(ims: httpx.Client) -> None:
    job_id = _create(ims)
    old = ims.get(f"/v1/{PROJECT_ID}/jobs/{job_id}")
    new = ims.get(f"/v1/cloudimages/job/{job_id}")
    assert old.status_code == new.status_code == 200
    assert old.json()["end_time"] == ""
    assert new.json()["entities"]["process_percent"] == 0
    for body in (old.json(), new.json()):
        assert body["job_type"] == "imsImportDataImageJob"
        assert body["begin_time"] == "2024-11-06T06:27:03.742Z"
        assert body["error_code"] is None
        assert body["fail_reason"] is None
        assert body["entities"]["image_name"] == "disk-1"
        assert "image_id" not in body["entities"]


def test_a_successful_job_names_an_active_listed_image_with_what_was_asked(ims: httpx.Client, clock: Clock) -> None:
    job_id = _create(ims, description="a disk", os_type="Windows", tags=["env.ci", "solo"])
    clock.now = T0 + 10
    job = ims.get(f"/v1/cloudimages/job/{job_id}").json()
    assert job["status"] == "SUCCESS"
    assert job["end_time"] == "2024-11-06T06:27:13.742Z"
    assert job["entities"]["process_percent"] == 100
    image_id = job["entities"]["image_id"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", image_id)
    images = ims.get("/v2/cloudimages", params={"name": "disk-1"}).json()["images"]
    assert len(images) == 1
    image = images[0]
    assert image["id"] == image_id
    assert (image["status"], image["virtual_env_type"], image["min_disk"]) == ("active", "DataImage", 80)
    assert (image["__os_type"], image["__description"], image["tags"]) == ("Windows", "a disk", ["env.ci", "solo"])


def test_image_tags_are_listed_as_key_value_strings(ims: httpx.Client, clock: Clock) -> None:
    job_id = _create(ims, image_tags=[{"key": "a", "value": "1.2"}, {"key": "b"}])
    clock.now = T0 + 10
    image_id = ims.get(f"/v1/cloudimages/job/{job_id}").json()["entities"]["image_id"]
    assert ims.get("/v2/cloudimages", params={"id": image_id}).json()["images"][0]["tags"] == ["a.1.2", "b"]


@pytest.mark.parametrize("image_url", ["bucket:disk.iso", "bucket:disk", "bucket:missing/disk.qcow2"])
def test_an_unusable_image_file_makes_the_job_fail_with_img_0057(
    ims: httpx.Client, clock: Clock, image_url: str
) -> None:
    job_id = _create(ims, image_url=image_url)
    clock.now = T0 + 10
    job = ims.get(f"/v1/{PROJECT_ID}/jobs/{job_id}").json()
    assert (job["status"], job["error_code"]) == ("FAIL", "IMG.0057")
    assert job["fail_reason"]
    assert "image_id" not in job["entities"]
    assert ims.get("/v2/cloudimages", params={"name": "disk-1"}).json() == {"images": []}


@pytest.mark.parametrize(
    "extension", sorted(["vhd", "vmdk", "qcow2", "raw", "vhdx", "qcow", "vdi", "qed", "zvhd", "zvhd2", "QCOW2"])
)
def test_every_documented_format_succeeds(ims: httpx.Client, clock: Clock, extension: str) -> None:
    job_id = _create(ims, image_url=f"bucket:disk.{extension}")
    clock.now = T0 + 10
    assert ims.get(f"/v1/cloudimages/job/{job_id}").json()["status"] == "SUCCESS"


@pytest.mark.parametrize("path", ["/v1/cloudimages/job/{}", f"/v1/{PROJECT_ID}/jobs/{{}}"])
def test_an_unknown_job_is_404_in_the_ims_shape(ims: httpx.Client, path: str) -> None:
    response = ims.get(path.format("0" * 32))
    assert response.status_code == 404
    assert re.fullmatch(r"IMG\.\d{4}", response.json()["error"]["code"])


def test_delete_removes_the_image_and_a_second_delete_is_404(ims: httpx.Client, clock: Clock) -> None:
    job_id = _create(ims)
    clock.now = T0 + 10
    image_id = ims.get(f"/v1/cloudimages/job/{job_id}").json()["entities"]["image_id"]
    assert ims.request("DELETE", f"/v2/images/{image_id}", json={"delete_backup": False}).status_code == 204
    assert ims.get("/v2/cloudimages", params={"id": image_id}).json() == {"images": []}
    second = ims.delete(f"/v2/images/{image_id}")
    assert second.status_code == 404
    assert second.json()["error"]["code"].startswith("IMG.")


@pytest.mark.parametrize("body", [b"[]", b'{"delete_backup": "yes"}', b'{"other": true}', b"{"])
def test_a_bad_delete_body_is_400(ims: httpx.Client, body: bytes) -> None:
    response = ims.request("DELETE", "/v2/images/0f1e2d3c-4b5a-4697-8877-665544332211", content=body)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "IMG.0001")


def test_list_is_newest_first_and_pages_with_marker(ims: httpx.Client, clock: Clock) -> None:
    for index in range(5):
        clock.now = T0 + index
        _create(ims, name=f"img-{index}")
    clock.now = T0 + 20
    page1 = ims.get("/v2/cloudimages", params={"limit": 2}).json()["images"]
    assert [i["name"] for i in page1] == ["img-4", "img-3"]
    page2 = ims.get("/v2/cloudimages", params={"limit": 2, "marker": page1[-1]["id"]}).json()["images"]
    assert [i["name"] for i in page2] == ["img-2", "img-1"]
    page3 = ims.get("/v2/cloudimages", params={"limit": 2, "marker": page2[-1]["id"]}).json()["images"]
    assert [i["name"] for i in page3] == ["img-0"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": "x"},
        {"marker": "0f1e2d3c-4b5a-4697-8877-665544332211"},
        {"marker": "not-a-uuid"},
        {"id": "nope"},
        {"__imagetype": "public"},
        {"virtual_env_type": "Docker"},
        {"name": "n" * 256},
    ],
)
def test_a_bad_list_query_is_400(ims: httpx.Client, params: dict[str, Any]) -> None:
    response = ims.get("/v2/cloudimages", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["code"].startswith("IMG.")


@pytest.mark.parametrize("limit", [1, 1000])
def test_list_limit_bounds_are_accepted(ims: httpx.Client, limit: int) -> None:
    assert ims.get("/v2/cloudimages", params={"limit": limit}).status_code == 200


def test_stored_jobs_are_capped_by_evicting_the_oldest_finished(clock: Clock) -> None:
    with _client(clock, max_jobs=3) as ims:
        first = _create(ims)
        clock.now = T0 + 10
        others = [_create(ims) for _ in range(3)]
        assert ims.get(f"/v1/cloudimages/job/{first}").status_code == 404
        assert all(ims.get(f"/v1/cloudimages/job/{j}").status_code == 200 for j in others)


def test_a_store_full_of_running_jobs_refuses_with_job_flow_control_and_loses_nothing(clock: Clock) -> None:
    with _client(clock, max_jobs=2) as ims:
        jobs = [_create(ims), _create(ims)]
        refused = ims.post(CREATE, json={"name": "x", "image_url": "bucket:x.raw", "min_disk": 40})
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "IMG.0060"  # "the number of tasks exceeds the flow control limit"
        assert all(ims.get(f"/v1/cloudimages/job/{j}").status_code == 200 for j in jobs)


def test_the_private_image_quota_refuses_with_img_0015_and_never_evicts(clock: Clock) -> None:
    with _client(clock, max_images_per_project=2) as ims:
        _create(ims, name="img-0")
        _create(ims, name="img-1")
        assert ims.get("/v1/cloudimages/quota").json() == {
            "quotas": {"resources": [{"type": "image", "used": 2, "quota": 2, "min": 1, "max": 2}]}
        }
        # Two images, or jobs that will make one, fill the quota: a third create is refused ...
        refused = ims.post(CREATE, json={"name": "x", "image_url": "bucket:x.raw", "min_disk": 40})
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "IMG.0015")
        clock.now = T0 + 10
        refused = ims.post(CREATE, json={"name": "x", "image_url": "bucket:x.raw", "min_disk": 40})
        assert refused.status_code == 400, "a full quota is not made room for by evicting an image"
        images = ims.get("/v2/cloudimages").json()["images"]
        assert [i["name"] for i in images] == ["img-1", "img-0"]
        assert ims.delete(f"/v2/images/{images[0]['id']}").status_code == 204  # ... until one is deleted
        _create(ims, name="img-2")
        assert ims.get("/v1/cloudimages/quota").json()["quotas"]["resources"][0]["used"] == 2


def test_a_job_that_will_fail_takes_no_quota(clock: Clock) -> None:
    with _client(clock, max_images_per_project=1) as ims:
        _create(ims, name="doomed", image_url="bucket:missing.qcow2")
        _create(ims, name="kept")
        clock.now = T0 + 10
        assert [i["name"] for i in ims.get("/v2/cloudimages").json()["images"]] == ["kept"]


def test_throttling_answers_429_with_retry_after_per_project(clock: Clock) -> None:
    with _client(clock, rate_limit=(2, 5.0)) as ims:
        _create(ims)
        _create(ims)
        throttled = ims.post(CREATE, json={"name": "x", "image_url": "bucket:x.raw", "min_disk": 40})
        assert throttled.status_code == 429
        assert throttled.json()["error_code"] == "APIGW.0308"
        assert int(throttled.headers["retry-after"]) >= 1
        assert ims.get("/v2/cloudimages").status_code == 200  # only creates are limited
        clock.now = T0 + 2.5
        _create(ims)


def test_throttling_is_off_unless_configured(ims: httpx.Client) -> None:
    for _ in range(50):
        _create(ims)
