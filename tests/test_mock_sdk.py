"""The official Huawei Cloud SDK (huaweicloudsdkims) works against the mock, unchanged."""

from __future__ import annotations

import time

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkims.v2 import (
    CreateDataImageRequest,
    CreateDataImageRequestBody,
    GlanceDeleteImageRequest,
    GlanceDeleteImageRequestBody,
    ImsClient,
    ListImagesRequest,
    ShowImageQuotaRequest,
    ShowJobProgressRequest,
    ShowJobRequest,
)

from tests.sdk_client import sdk_client

POLL_LIMIT_SECONDS = 10.0

# Huawei deprecated show_job in favour of show_job_progress, but the SDK still offers it and the
# contract covers it (`op.job`), so its DeprecationWarning is expected here.
pytestmark = pytest.mark.filterwarnings("ignore:Method 'show_job' of ImsClient is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def sdk(mock_url: str) -> ImsClient:
    return sdk_client(mock_url)


def _create(sdk: ImsClient, name: str, image_url: str = "image-test:fedora_data1.qcow2") -> str:
    body = CreateDataImageRequestBody(
        name=name, image_url=image_url, min_disk=40, description="Data disk", os_type="Linux", tags=["aaa.111"]
    )
    job_id: str = sdk.create_data_image(CreateDataImageRequest(body=body)).job_id
    return job_id


def _wait(sdk: ImsClient, job_id: str) -> str:
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while time.monotonic() < deadline:
        status: str = sdk.show_job(ShowJobRequest(job_id=job_id)).status
        if status in ("SUCCESS", "FAIL"):
            return status
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not end within {POLL_LIMIT_SECONDS} s")


def test_the_sdk_creates_follows_lists_and_deletes_an_image(sdk: ImsClient) -> None:
    job_id = _create(sdk, "sdk-image")
    assert len(job_id) == 32
    assert _wait(sdk, job_id) == "SUCCESS"
    job = sdk.show_job(ShowJobRequest(job_id=job_id))
    image_id = job.entities.image_id
    progress = sdk.show_job_progress(ShowJobProgressRequest(job_id=job_id))
    assert progress.status == "SUCCESS"
    assert progress.entities.process_percent == 100
    listed = sdk.list_images(ListImagesRequest(name="sdk-image")).images
    assert [image.id for image in listed] == [image_id]
    assert listed[0].min_disk == 40
    sdk.glance_delete_image(
        GlanceDeleteImageRequest(image_id=image_id, body=GlanceDeleteImageRequestBody(delete_backup=False))
    )
    assert sdk.list_images(ListImagesRequest(name="sdk-image")).images == []


def test_a_failed_job_reports_img_0057_to_the_sdk(sdk: ImsClient) -> None:
    job_id = _create(sdk, "sdk-bad-file", image_url="image-test:notes.txt")
    assert _wait(sdk, job_id) == "FAIL"
    assert sdk.show_job(ShowJobRequest(job_id=job_id)).error_code == "IMG.0057"


def test_a_wrong_sk_makes_the_sdk_raise_401(mock_url: str) -> None:
    with pytest.raises(ClientRequestException) as raised:
        sdk_client(mock_url, sk="not-the-secret").list_images(ListImagesRequest())
    assert raised.value.status_code == 401
    assert raised.value.error_code == "APIGW.0301"
    assert raised.value.request_id


def test_an_invalid_body_gives_the_sdk_a_400_with_the_img_code(sdk: ImsClient) -> None:
    body = CreateDataImageRequestBody(name="sdk-image", image_url="image-test:x.qcow2", min_disk=39)
    with pytest.raises(ClientRequestException) as raised:
        sdk.create_data_image(CreateDataImageRequest(body=body))
    assert raised.value.status_code == 400
    assert raised.value.error_code == "IMG.0055"
    assert raised.value.request_id


def test_the_sdk_reads_the_image_quota_and_the_job_entities(sdk: ImsClient) -> None:
    before = sdk.show_image_quota(ShowImageQuotaRequest()).quotas.resources
    (image,) = [entry for entry in before if entry.type == "image"]
    assert image.quota >= 1
    assert isinstance(image.used, int)
    job_id = _create(sdk, "sdk-quota")
    assert _wait(sdk, job_id) == "SUCCESS"
    entities = sdk.show_job(ShowJobRequest(job_id=job_id)).entities
    assert entities.image_id
    assert entities.results[0].image_id == entities.image_id
    after = sdk.show_image_quota(ShowImageQuotaRequest()).quotas.resources
    assert next(entry.used for entry in after if entry.type == "image") == image.used + 1


def test_a_failed_job_carries_its_error_in_the_entities_too(sdk: ImsClient) -> None:
    job_id = _create(sdk, "sdk-bad-entities", image_url="image-test:notes.txt")
    assert _wait(sdk, job_id) == "FAIL"
    entities = sdk.show_job(ShowJobRequest(job_id=job_id)).entities
    assert entities.error_code == "IMG.0057"
    assert entities.error
