"""The asynchronous job and the image it makes (the `job.*`, `list.*` and `delete.*` rules), end to end.

A new job is queryable at once by both job queries, its status only moves forward, it ends in
SUCCESS or FAIL with the fields the contract gives each, and a SUCCESS image is listable with what
was asked, deletable, and gone after delete. Each test needs creates: against a non-embedded
target they run only within IMS_MAX_CREATES, and they delete every image they made.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest

from contract_tests.api import V2_1, Api, need_creates
from contract_tests.card import Card
from contract_tests.checks import assert_ims_error, require
from contract_tests.head_start import Started
from contract_tests.mark import mark_tag
from contract_tests.target import Target


@pytest.mark.rules("job.queryable", "op.create", "op.job", "op.job-progress", "job.progress.scale", "job.entities")
@pytest.mark.creates(1, "jobs")
def test_a_new_job_is_queryable_at_once_by_both_queries(target: Target, api: Api) -> None:
    need_creates(target, 1)
    job_id = api.create()
    for progress in (True, False):
        job = api.job(job_id, progress=progress)
        assert job["job_id"] == job_id, f"expected the job {job_id}, got {job['job_id']}"
    api.wait(job_id)


def _listed_as_asked(api: Api) -> list[dict[str, Any]]:
    # The run's mark is one of the tags asked for, so the session adds nothing to this body.
    # An inner space in the name and dots in a tag's value: both allowed.
    tags = ["env.ct", "solo", "ver.1.2", mark_tag(api.http.ledger.run_id)]
    name = f"ct {uuid.uuid4().hex[:12]}"
    # By the documented "(New)" v2.1 path: the same call, so the same create confirms both.
    body = {"name": name, "min_disk": 80, "os_type": "Linux", "description": "contract test", "tags": tags}
    return [{"path": V2_1, **body}]


@pytest.mark.rules(
    "job.success",
    "job.status",
    "op.list",
    "op.delete",
    "op.quota",
    "create.tags",
    "create.os_type",
    "delete.gone",
    "list.query",
    "op.create-v2.1",
)
@pytest.mark.creates(1, "lifecycle", bodies=_listed_as_asked)
def test_a_successful_image_is_listed_as_asked_deletable_and_gone_after_delete(
    target: Target, api: Api, started: list[Started]
) -> None:
    (create,) = started
    name, tags = create.body["name"], create.body["tags"]
    job = api.wait(create.job(), since=create.at)
    assert job["status"] == "SUCCESS", f"expected SUCCESS for {api.image_file}, got {job}"
    assert job["entities"].get("image_name") in (None, name), f"expected entities.image_name {name!r}, got {job}"
    image_id = job["entities"]["image_id"]
    api.created_images.append(image_id)

    listed = api.images(name=name)
    found = [image.get("id") for image in listed]
    require(found == [image_id], f"expected exactly the image {image_id}, got {listed}", "job.success")
    image = listed[0]
    # Each field as its own rule says it shows; a wrong one blames that rule alone.
    expected = {
        "name": (name, "job.success"),
        "status": ("active", "job.success"),
        "virtual_env_type": ("DataImage", "job.success"),
        "min_disk": (80, "job.success"),
        "__os_type": ("Linux", "create.os_type"),
        "__description": ("contract test", "job.success"),
    }
    for key, (value, rule) in expected.items():
        require(image.get(key) == value, f"expected the listed image's {key} {value!r}, got {image.get(key)!r}", rule)
    shown = sorted(image.get("tags", []))
    require(shown == sorted(tags), f"expected tags {tags}, got {image.get('tags')}", "create.tags")
    by_id = [i.get("id") for i in api.images(id=image_id)]
    require(by_id == [image_id], "expected listImages?id= to find the image", "list.query")
    status, quota = api.call("GET", "/v1/cloudimages/quota")
    used = [r.get("used") for r in (quota or {}).get("quotas", {}).get("resources", []) if r.get("type") == "image"]
    require(status == 200, f"expected 200 from showImageQuota, got {status} {quota}", "op.quota")
    require(
        used and isinstance(used[0], int) and used[0] >= 1,
        f"expected the quota to count this image, got {quota}",
        "op.quota",
    )

    require(api.delete(image_id) == 204, "expected 204 from deleteImage", "op.delete")
    api.created_images.remove(image_id)
    api.wait_gone(id=image_id)
    api.wait_gone(name=name)
    status, body = api.call("DELETE", f"/v2/images/{image_id}")
    assert status in (204, 400, 404), (
        f"expected 204, 400 or 404 when deleting an image that is gone, got {status} {body}"
    )
    api.open_choice("delete.again", status == 404, f"deleting an image that is gone answers 404, got {status}")


@pytest.mark.rules("create.image_tags", "job.success")
@pytest.mark.creates(
    1, "image fields", bodies=lambda api: [{"image_tags": [{"key": "a", "value": "1.2"}, {"key": "b"}]}]
)
def test_image_tags_objects_are_listed_as_key_value_strings(target: Target, api: Api, started: list[Started]) -> None:
    (create,) = started
    job = api.wait(create.job(), since=create.at)
    assert job["status"] == "SUCCESS", f"expected SUCCESS, got {job}"
    image_id = job["entities"]["image_id"]
    api.created_images.append(image_id)
    (image,) = api.images(id=image_id)
    # Against a shared target the run may mark this create with a tag of its own: not the server's doing.
    tags = sorted(tag for tag in image.get("tags", []) if tag != mark_tag(api.http.ledger.run_id))
    assert tags == ["a.1.2", "b"], f'expected tags ["a.1.2", "b"], got {image.get("tags")}'


@pytest.mark.rules("job.fail")
@pytest.mark.creates(
    1,
    "failure path",
    # min_disk 40.0: an integral number is an integer (`create.min_disk`): the create must be accepted.
    bodies=lambda api: [{"image_url": f"{api.bucket}:contract-test-missing/{uuid.uuid4().hex}.txt", "min_disk": 40.0}],
)
def test_an_image_file_that_is_not_there_makes_the_job_fail_with_img_0057(
    target: Target, api: Api, card: Card, started: list[Started]
) -> None:
    (create,) = started
    job = api.wait(create.job(), since=create.at)
    assert job["status"] == "FAIL", f"expected FAIL for a missing, unsupported file, got {job}"
    if job["error_code"] != "IMG.0057":  # the live code is open: reported, not failed
        card.observe("job.fail: the code of a failed job", f"IMG.0057 here; the target said {job['error_code']!r}", "")
    assert "image_id" not in (job.get("entities") or {}), f"expected no image_id on FAIL, got {job}"


@pytest.mark.rules("list.name")
@pytest.mark.creates(3, "listing")
def test_list_by_name_matches_exactly_never_a_prefix_nor_another_case(target: Target, api: Api) -> None:
    need_creates(target, 3)
    name = f"ct-{uuid.uuid4().hex[:12]}"
    names = [name, f"{name}-longer", name.upper()]  # a prefix match, or a case-folded one, returns too much
    for job_id in [api.create(name=each) for each in names]:
        job = api.wait(job_id)
        if job["status"] == "SUCCESS":
            api.created_images.append(job["entities"]["image_id"])
    listed = [image.get("name") for image in api.images(name=name)]
    assert listed == [name], f"expected only {name!r} from listImages?name={name}, got {listed}"


@pytest.mark.rules("job.status")
@pytest.mark.creates(1, "jobs")
def test_a_finished_job_stays_finished_when_queried_again_later(target: Target, api: Api) -> None:
    need_creates(target, 1)
    job_id = api.create()
    ended = api.wait(job_id)
    if ended["status"] == "SUCCESS":
        api.created_images.append(ended["entities"]["image_id"])
    # Some time later: seconds on a real target; just over a second in all on the embedded mock.
    for _ in range(2):
        time.sleep(0.6 if target.embedded else 2.0)
        for progress in (True, False):
            again = api.job(job_id, progress=progress)
            got = (again["status"], again["end_time"])
            assert got == (ended["status"], ended["end_time"]), (
                f"a finished job changed when queried again: was {ended['status']} at {ended['end_time']}, now {got}"
            )


def _every_field(api: Api) -> list[dict[str, Any]]:
    name = f"ct-{uuid.uuid4().hex[:12]} " + "n" * 109  # 128 characters, an inner space
    description = "Disque é, диск, 数据盘, 😀, tab\tand U+2028\u2028"
    # The run's mark is one of the tags asked for, so the session adds nothing to this body.
    tags = ["k.", "ver.1.2", mark_tag(api.http.ledger.run_id)]
    return [{"name": name, "description": description, "min_disk": 2048, "tags": tags}]


@pytest.mark.rules("job.success", "create.os_type", "create.name.length", "create.length.unit", "create.min_disk")
@pytest.mark.creates(1, "image fields", bodies=_every_field)
def test_an_image_shows_every_field_as_sent_and_the_defaults_the_contract_states(
    target: Target, api: Api, started: list[Started]
) -> None:
    """The longest name, text of every script and width, the largest disk; os_type left to its default."""
    (create,) = started
    name, description = create.body["name"], create.body["description"]
    job = api.wait(create.job(), since=create.at)
    assert job["status"] == "SUCCESS", f"expected SUCCESS, got {job}"
    image_id = job["entities"]["image_id"]
    api.created_images.append(image_id)
    (image,) = api.images(id=image_id)
    # Each field as its own rule says it shows; a wrong one blames that rule alone.
    expected = {
        "name": (name, "create.name.length"),
        "status": ("active", "job.success"),
        "virtual_env_type": ("DataImage", "job.success"),
        "min_disk": (2048, "create.min_disk"),
        "__os_type": ("Linux", "create.os_type"),  # the default
        "__description": (description, "create.length.unit"),
    }
    for key, (value, rule) in expected.items():
        require(image.get(key) == value, f"expected the listed image's {key} {value!r}, got {image.get(key)!r}", rule)
    want = sorted(["k", "ver.1.2", mark_tag(api.http.ledger.run_id)])  # a key with an empty value shows alone
    require(sorted(image.get("tags", [])) == want, f"expected tags {want}, got {image.get('tags')}", "job.success")


# The documented formats (`job.fail`), and names that only look like one.
FORMATS = ("vhd", "vmdk", "qcow2", "raw", "vhdx", "qcow", "vdi", "qed", "zvhd", "zvhd2")
NOT_FORMATS = ("iso", "qcow3", "zvhd3", "qcow2.txt", "img", "")


@pytest.mark.rules("job.fail", "job.success")
def test_every_documented_extension_succeeds_in_any_case_and_no_other(target: Target, api: Api) -> None:
    if not target.embedded:
        pytest.skip("needs objects the run cannot put in a real bucket (every format, upper-case extensions)")
    folder = f"{api.bucket}:contract-test/{uuid.uuid4().hex}"
    files = [f"{folder}/disk.{ext}" for ext in FORMATS] + [f"{folder}/DISK.{ext.upper()}" for ext in ("qcow2", "zvhd2")]
    files += [f"{folder}/disk{'.' if ext else ''}{ext}" for ext in NOT_FORMATS] + [f"{folder}/disk-qcow2"]
    jobs = {image_url: api.create(image_url=image_url) for image_url in files}  # all run at once
    outcomes: dict[str, str] = {}
    for image_url, job_id in jobs.items():
        job = api.wait(job_id)
        if job["status"] == "SUCCESS":
            api.created_images.append(job["entities"]["image_id"])
        outcomes[image_url.rpartition("/")[2]] = job["status"]
    expected = dict.fromkeys(outcomes, "FAIL")
    expected.update({f"disk.{ext}": "SUCCESS" for ext in FORMATS})
    expected.update({"DISK.QCOW2": "SUCCESS", "DISK.ZVHD2": "SUCCESS"})
    wrong = {name: status for name, status in outcomes.items() if status != expected[name]}
    assert not wrong, f"expected SUCCESS for the documented formats in any case and FAIL otherwise; got {wrong}"


@pytest.mark.rules("list.order", "list.paging")
@pytest.mark.creates(3, "listing")
def test_list_is_newest_first_and_pages_with_limit_and_marker(target: Target, api: Api) -> None:
    need_creates(target, 3)
    name = f"ct-{uuid.uuid4().hex[:12]}"
    made: list[str] = []
    ended = ""
    for index in range(3):  # one after the other: each job begins after the previous one ended
        if index and not target.embedded:
            time.sleep(1.1)  # real servers may stamp times to the second
        job = api.wait(api.create(name=name))
        assert job["status"] == "SUCCESS", f"expected SUCCESS, got {job}"
        assert job["begin_time"] > ended, f"expected the job to begin after {ended}, got {job['begin_time']}"
        ended = job["end_time"]
        made.append(job["entities"]["image_id"])
        api.created_images.append(made[-1])
    newest_first = made[::-1]
    listed = [image.get("id") for image in api.images(name=name)]
    assert listed == newest_first, f"expected newest first {newest_first}, got {listed}"
    marker = None
    for expected in [*newest_first, None]:
        params: dict[str, Any] = {"name": name, "limit": 1, **({"marker": marker} if marker else {})}
        page = [image.get("id") for image in api.images(**params)]
        assert page == ([expected] if expected else []), f"listImages {params}: expected {expected}, got {page}"
        marker = expected


@pytest.mark.rules("job.unknown")
@pytest.mark.creates(1, "jobs")
def test_a_job_is_invisible_under_another_project(target: Target, api: Api) -> None:
    need_creates(target, 1)
    job_id = api.create()
    other = "f" * 32 if target.credentials.project_id != "f" * 32 else "e" * 32
    status, body = api.call("GET", f"/v1/{other}/jobs/{job_id}")
    assert status in (400, 401, 403, 404), f"expected the job to be hidden under project {other}, got {status} {body}"
    api.wait(job_id)


@pytest.mark.rules("job.unknown", "job.unknown.status", "response.ims-envelope")
@pytest.mark.parametrize("path", ["/v1/cloudimages/job/{}", "/v1/{project}/jobs/{}"])
def test_an_unknown_job_is_never_shown(target: Target, api: Api, path: str) -> None:
    status, body = api.call("GET", path.format(uuid.uuid4().hex, project=target.credentials.project_id))
    assert status in (400, 404), f"expected 400 or 404 for an unknown job (never a job), got {status} {body}"
    api.open_choice("job.unknown.status", status == 404, f"an unknown job answers 404, got {status}")
    if status == 404 and "error" in (body or {}):
        assert_ims_error(status, json.dumps(body))


@pytest.mark.rules("delete.gone", "delete.again", "response.ims-envelope")
def test_deleting_an_unknown_image_deletes_nothing(api: Api) -> None:
    status, body = api.call("DELETE", f"/v2/images/{api.http.unknown_image_id()}")
    assert status in (204, 400, 404), f"expected 204, 400 or 404 for an unknown image, got {status} {body}"
    api.open_choice("delete.again", status == 404, f"deleting an image that is not there answers 404, got {status}")
    if status != 204:
        assert_ims_error(status, json.dumps(body))
