"""Images and listImages as Huawei serves them (`image.*`, `list.*`): every field, every parameter, public images.

Two images of the default project, made from files, beside the mock's three public images; a clock
the test controls fixes every time they show.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from huaweicloudsdkims.v2 import (
    CreateDataImageInSafeModeRequest,
    CreateDataImageRequestBody,
    ListImagesRequest,
    ShowImageQuotaRequest,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ims_mock import images
from tests.sdk_client import sdk_client
from tests.servers import PROJECT_ID, TOKEN_HEADERS, config, serve
from tests.spec_helpers import load_spec

V1 = "/v1/cloudimages/dataimages/action"
V21 = "/v2.1/cloudimages/dataimages/action"
T0 = 1_730_874_423.742  # 2024-11-06T06:27:03.742Z
EPS = "7d3c2f0e-5b1a-4c8d-9e6f-0a1b2c3d4e5f"
ALPHA = {
    "name": "alpha",
    "image_url": "bkt-1:alpha.VHD",
    "min_disk": 50,
    "os_type": "Windows",
    "description": "first",
    "tags": ["env.prod", "solo"],
    "cmk_id": "key-1",
}
BETA = {"name": "beta", "image_url": "bkt-1:dir/beta.qcow2", "min_disk": 40, "enterprise_project_id": EPS}
PUBLIC = {image["name"] for image in images.PUBLIC_IMAGES}
CENTOS, UBUNTU, EULER = (image["name"] for image in images.PUBLIC_IMAGES)
# The 20 fields the official SDK's ImageInfo always sets (its required ones).
ALWAYS_SET = [
    "__image_size",
    "__image_source_type",
    "__imagetype",
    "__isregistered",
    "__os_type",
    "container_format",
    "created_at",
    "id",
    "min_disk",
    "min_ram",
    "name",
    "owner",
    "protected",
    "self",
    "status",
    "tags",
    "updated_at",
    "virtual_env_type",
    "visibility",
    "active_at",
]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def _wait_job(http: httpx.Client, clock: Clock, job_id: str) -> dict[str, Any]:
    clock.now += 10  # jobs take 5 s here
    job: dict[str, Any] = http.get(f"/v1/cloudimages/job/{job_id}").json()
    assert job["status"] == "SUCCESS", job
    return job


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[httpx.Client, dict[str, str], Clock]]:
    """A mock with ALPHA (made by v1) and BETA (made by v2.1), 20 s apart; their ids by name."""
    clock = Clock()
    with (
        serve(config(job_seconds=5), clock=clock) as url,
        httpx.Client(base_url=url, headers=TOKEN_HEADERS, timeout=10) as http,
    ):
        ids = {}
        for path, body in ((V1, ALPHA), (V21, BETA)):
            job = _wait_job(http, clock, http.post(path, json=body).json()["job_id"])
            ids[str(body["name"])] = job["entities"]["image_id"]
            clock.now += 10
        yield http, ids, clock


def _names(http: httpx.Client, **params: Any) -> list[str]:
    response = http.get("/v2/cloudimages", params=params)
    assert response.status_code == 200, response.text
    return [image["name"] for image in response.json()["images"]]


def _image(http: httpx.Client, image_id: str) -> dict[str, Any]:
    (image,) = http.get("/v2/cloudimages", params={"id": image_id}).json()["images"]
    return dict(image)


def test_a_data_image_shows_every_field_the_sdk_always_sets_with_the_values_of_a_file_import(world: Any) -> None:
    http, ids, _clock = world
    image = _image(http, ids["alpha"])
    assert sorted(field for field in ALWAYS_SET if image.get(field) is None) == []
    assert len(ALWAYS_SET) == 20
    assert image == {
        "id": ids["alpha"],
        "name": "alpha",
        "status": "active",
        "visibility": "private",
        "__imagetype": "private",
        "virtual_env_type": "DataImage",
        "owner": PROJECT_ID,
        "protected": False,
        "self": f"/v2/images/{ids['alpha']}",
        "file": f"/v2/images/{ids['alpha']}/file",
        "schema": "/v2/schemas/image",
        "container_format": "bare",
        "disk_format": "vhd",  # the file's extension, in lower case
        "min_ram": 0,
        "min_disk": 50,
        "size": 0,
        "checksum": images.EMPTY_MD5,
        "__isregistered": "true",
        "__image_source_type": "uds",
        "__image_size": image["__image_size"],
        "__data_origin": "file,bkt-1:alpha.VHD",
        "__root_origin": "file",
        "__originalimagename": "",
        "__backup_id": "",
        "__description": "first",
        "__os_type": "Windows",
        "__system_support_market": False,
        "__system__cmkid": "key-1",
        "enterprise_project_id": "0",  # the default enterprise project
        "tags": ["env.prod", "solo"],
        "created_at": "2024-11-06T06:27:03Z",  # its job began
        "updated_at": "2024-11-06T06:27:08Z",  # its job ended, 5 s later
        "active_at": "2024-11-06T06:27:08Z",
    }
    assert image["__image_size"].isdigit()
    assert 1 << 20 <= int(image["__image_size"]) <= 50 << 30


def test_what_terraform_reads_back_is_what_was_sent(world: Any) -> None:
    """`huaweicloud_ims_obs_data_image` reads image_url, cmk_id and enterprise_project_id back: no drift."""
    http, ids, _clock = world
    alpha, beta = _image(http, ids["alpha"]), _image(http, ids["beta"])
    assert alpha["__data_origin"].removeprefix("file,") == ALPHA["image_url"]
    assert beta["__data_origin"].removeprefix("file,") == BETA["image_url"]
    assert (alpha["__system__cmkid"], "__system__cmkid" in beta) == ("key-1", False)
    assert (alpha["enterprise_project_id"], beta["enterprise_project_id"]) == ("0", EPS)
    assert (beta["__os_type"], beta["__description"], beta["tags"]) == ("Linux", "", [])  # the defaults


def test_every_list_holds_the_public_images_of_another_owner_protected_and_undeletable(world: Any) -> None:
    http, _ids, _clock = world
    listed = http.get("/v2/cloudimages").json()["images"]
    public = [image for image in listed if image["owner"] != PROJECT_ID]
    assert {image["name"] for image in public} == PUBLIC
    assert all(
        (image["__imagetype"], image["visibility"], image["protected"]) == ("gold", "public", True) for image in public
    )
    for image in public:
        refused = http.delete(f"/v2/images/{image['id']}")
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "IMG.0091")
    assert {image["name"] for image in http.get("/v2/cloudimages").json()["images"]} >= PUBLIC
    quota = http.get("/v1/cloudimages/quota").json()["quotas"]["resources"][0]
    assert quota["used"] == 2, "public images are not the project's: they use none of its quota"


def test_without_public_images_a_list_holds_only_the_projects_own() -> None:
    with (
        serve(config(public_images=False)) as url,
        httpx.Client(base_url=url, headers=TOKEN_HEADERS, timeout=10) as http,
    ):
        assert http.get("/v2/cloudimages").json() == {"images": []}
        unknown = http.delete(f"/v2/images/{images.PUBLIC_IMAGES[0]['id']}")
        assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "IMG.0144")


ALL = {"alpha", "beta", *PUBLIC}
OWN = {"alpha", "beta"}
# Each documented parameter with values and the images they keep: none is ignored (`list.filters`).
FILTERS: dict[str, list[tuple[str, set[str]]]] = {
    "name": [("alpha", {"alpha"}), ("Alpha", set()), ("alph", set())],
    "__imagetype": [("private", OWN), ("gold", PUBLIC), ("shared", set())],
    "__isregistered": [("true", ALL), ("false", set())],
    "__whole_image": [("true", set()), ("false", ALL)],
    "__system__cmkid": [("key-1", {"alpha"}), ("key-2", set())],
    "protected": [("true", PUBLIC), ("false", OWN)],
    "visibility": [("private", OWN), ("public", PUBLIC), ("shared", set())],
    "owner": [(PROJECT_ID, OWN), (images.PUBLIC_OWNER, PUBLIC)],
    "status": [("active", ALL), ("queued", set())],
    "container_format": [("bare", ALL)],
    "disk_format": [("vhd", {"alpha"}), ("qcow2", {"beta"}), ("zvhd2", PUBLIC), ("raw", set())],
    "min_ram": [("0", OWN), ("1024", PUBLIC)],
    "min_disk": [("50", {"alpha"}), ("40", ALL - {"alpha"})],
    "__os_bit": [("64", PUBLIC), ("32", set())],
    "__platform": [("CentOS", {CENTOS}), ("Windows", set())],
    "__os_type": [("Windows", {"alpha"}), ("Linux", ALL - {"alpha"}), ("Other", set())],
    "tag": [("env=prod", {"alpha"}), ("solo", {"alpha"}), ("env=test", set()), ("env", set())],
    "member_status": [("accepted", set())],
    "__support_kvm": [("true", PUBLIC), ("false", OWN)],
    "__support_xen": [("true", set()), ("false", ALL)],
    "__support_largememory": [("true", set()), ("false", ALL)],
    "__support_diskintensive": [("true", set()), ("false", ALL)],
    "__support_highperformance": [("true", set()), ("false", ALL)],
    "__support_xen_hana": [("true", set()), ("false", ALL)],
    "__support_kvm_infiniband": [("true", set()), ("false", ALL)],
    "__support_xen_gpu_type": [("M60_vGPU", set())],
    "__support_kvm_gpu_type": [("V100", set())],
    "virtual_env_type": [("DataImage", OWN), ("FusionCompute", PUBLIC), ("Ironic", set())],
    "enterprise_project_id": [("0", {"alpha"}), (EPS, {"beta"}), ("all_granted_eps", ALL)],
    "created_at": [("gte:2024-11-06T06:27:03Z", OWN), ("lt:2024-11-06 06:27:03", PUBLIC)],
    "updated_at": [("eq:2024-11-06T06:27:08Z", {"alpha"}), ("neq:2024-11-06T06:27:08Z", ALL - {"alpha"})],
    "architecture": [("arm", {EULER}), ("x86", ALL - {EULER})],
    "id": [],  # by the ids the fixture made: test_id_finds_one_image
}
ORDERING = {"sort_key", "sort_dir", "limit", "marker", "flavor_id"}  # tested below, each on its own


def test_every_documented_parameter_is_tested_and_the_mock_takes_exactly_those() -> None:
    documented = {parameter["name"] for parameter in load_spec()["paths"]["/v2/cloudimages"]["get"]["parameters"]}
    assert len(documented) == 38
    assert documented == images.DOCUMENTED == FILTERS.keys() | ORDERING


@pytest.mark.parametrize(
    ("key", "value", "kept"), [(key, value, kept) for key, rows in FILTERS.items() for value, kept in rows]
)
def test_each_filter_keeps_exactly_the_images_whose_field_matches(
    world: Any, key: str, value: str, kept: set[str]
) -> None:
    http, _ids, _clock = world
    assert set(_names(http, **{key: value})) == kept


def test_id_finds_one_image_and_filters_combine(world: Any) -> None:
    http, ids, _clock = world
    assert _names(http, id=ids["beta"]) == ["beta"]
    assert _names(http, id=ids["beta"].upper()) == ["beta"]
    assert _names(http, id=ids["beta"], disk_format="vhd") == []
    assert _names(http, __imagetype="private", __os_type="Linux") == ["beta"]


@pytest.mark.parametrize("sort_key", sorted(images.SORT_KEYS))
@pytest.mark.parametrize("sort_dir", ["asc", "desc"])
def test_each_sort_key_orders_the_list_both_ways(world: Any, sort_key: str, sort_dir: str) -> None:
    http, _ids, _clock = world
    listed = http.get("/v2/cloudimages", params={"sort_key": sort_key, "sort_dir": sort_dir}).json()["images"]
    values = [image[sort_key] for image in listed]
    assert values == sorted(values, reverse=sort_dir == "desc")
    assert len(listed) == len(ALL)


def test_the_default_order_is_newest_first_and_sort_dir_alone_reverses_it(world: Any) -> None:
    http, _ids, _clock = world
    newest_first = ["beta", "alpha", EULER, UBUNTU, CENTOS]
    assert _names(http) == newest_first
    assert _names(http, sort_dir="asc") == newest_first[::-1]
    assert _names(http, sort_key="created_at", sort_dir="desc") == newest_first


def test_pages_follow_the_order_asked(world: Any) -> None:
    http, _ids, _clock = world
    for params in ({"sort_key": "name", "sort_dir": "asc"}, {"sort_dir": "asc"}, {}):
        whole = _names(http, **params)
        paged: list[str] = []
        marker = None
        while True:
            page = http.get("/v2/cloudimages", params={**params, "limit": 2, **({"marker": marker} if marker else {})})
            paged += [image["name"] for image in page.json()["images"]]
            if len(page.json()["images"]) < 2:
                break
            marker = page.json()["images"][-1]["id"]
        assert paged == whole, params


def test_a_marker_outside_the_filter_still_places_the_page(world: Any) -> None:
    http, ids, _clock = world
    assert _names(http, __imagetype="gold", marker=ids["alpha"]) == [EULER, UBUNTU, CENTOS]


BAD_QUERIES = [
    ({"sort_key": "size "}, "IMG.0017"),
    ({"sort_key": "updated_at"}, "IMG.0017"),
    ({"sort_dir": "ascending"}, "IMG.0017"),
    ({"created_at": "after:2024-01-01T00:00:00Z"}, "IMG.0017"),
    ({"created_at": "gt:2024-01-01"}, "IMG.0017"),
    ({"created_at": "gt:2024-02-30T00:00:00Z"}, "IMG.0017"),
    ({"created_at": "gt:2024-01-01T00:00:00"}, "IMG.0017"),
    ({"updated_at": "gt:2024-01-01 00:00:00Z"}, "IMG.0017"),
    ({"updated_at": "gt:\uff12\uff10\uff12\uff14-01-01T00:00:00Z"}, "IMG.0017"),  # full-width digits
    ({"status": "ACTIVE"}, "IMG.0017"),
    ({"visibility": "everyone"}, "IMG.0017"),
    ({"protected": "yes"}, "IMG.0017"),
    ({"__os_type": "linux"}, "IMG.0017"),
    ({"disk_format": "img"}, "IMG.0017"),
    ({"member_status": "maybe"}, "IMG.0017"),
    ({"__support_kvm": "1"}, "IMG.0017"),
    ({"min_disk": "-1"}, "IMG.0017"),
    ({"min_ram": "1.5"}, "IMG.0017"),
    ({"limit": "0"}, "IMG.0017"),
    ({"id": "not-a-uuid"}, "IMG.0017"),
    ({"owner": "o" * 256}, "IMG.0017"),
    ({"sortkey": "name"}, "IMG.0017"),  # not a documented parameter: refused, never ignored
    ({"__imagetype": "public"}, "IMG.0024"),
    ({"architecture": "riscv"}, "IMG.0212"),
    ({"flavor_id": "s6.large.2"}, "IMG.0192"),  # documented, but the mock knows no flavors
    ({"enterprise_project_id": "default"}, "IMG.0155"),
    ({"marker": "00000000-0000-4000-8000-000000000000"}, "IMG.0086"),
]


@pytest.mark.parametrize(
    ("params", "code"), BAD_QUERIES, ids=[next(iter(q)) + "=" + next(iter(q.values()))[:20] for q, _ in BAD_QUERIES]
)
def test_a_query_the_mock_cannot_honour_is_refused_with_a_fitting_code(
    world: Any, params: dict[str, str], code: str
) -> None:
    http, _ids, _clock = world
    response = http.get("/v2/cloudimages", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.headers["x-request-id"]


_VALUE = st.one_of(
    st.sampled_from(["true", "false", "0", "active", "gt:2024-01-01T00:00:00Z", "asc", "name", "x86", ""]),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None)
@given(query=st.dictionaries(st.sampled_from([*sorted(images.DOCUMENTED), "other"]), _VALUE, max_size=6))
def test_any_query_gets_a_page_or_a_400_never_a_5xx(world: Any, query: dict[str, str]) -> None:
    http, _ids, _clock = world
    response = http.get("/v2/cloudimages", params=query)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert response.json()["error"]["code"].startswith("IMG.")


@pytest.mark.parametrize(
    "body",
    [
        {"name": " x", "image_url": "bkt-1:a.vhd", "min_disk": 40},
        {"name": "x", "image_url": "bkt-1:a.vhd", "min_disk": 39},
        {"name": "x", "image_url": "BKT:a.vhd", "min_disk": 40},
        {"name": "x", "image_url": "bkt-1:a.vhd", "min_disk": 40, "os_type": "linux"},
        {"name": "x", "image_url": "bkt-1:a.vhd", "min_disk": 40, "tags": ["a.1"], "image_tags": []},
        {"image_url": "bkt-1:a.vhd", "min_disk": 40},
    ],
)
def test_the_v2_1_create_keeps_every_v1_rule(world: Any, body: dict[str, Any]) -> None:
    http, _ids, _clock = world
    v1, v21 = http.post(V1, json=body), http.post(V21, json=body)
    assert v1.status_code == 400
    assert (v21.status_code, v21.json()) == (v1.status_code, v1.json())


def test_the_official_sdk_creates_in_safe_mode_lists_with_filters_and_reads_every_always_set_field(
    mock_url: str,
) -> None:
    sdk = sdk_client(mock_url)
    body = CreateDataImageRequestBody(name="sdk-safe", image_url="image-test:disk.zvhd2", min_disk=40, cmk_id="k")
    job_id = sdk.create_data_image_in_safe_mode(CreateDataImageInSafeModeRequest(body=body)).job_id
    assert len(job_id) == 32
    for _ in range(200):
        listed = sdk.list_images(ListImagesRequest(name="sdk-safe", protected=False, sort_dir="asc")).images
        if listed:
            break
        time.sleep(0.02)  # the job ends after 50 ms
    (image,) = listed
    shown = image.to_dict()
    attribute = {json_name: python for python, json_name in type(image).attribute_map.items()}
    assert sorted(name for name in ALWAYS_SET if shown[attribute[name]] is None) == []
    assert (image.data_origin, image.system__cmkid, image.enterprise_project_id) == (
        "file,image-test:disk.zvhd2",
        "k",
        "0",
    )
    public = sdk.list_images(ListImagesRequest(imagetype="gold", protected=True)).images
    assert {each.name for each in public} == PUBLIC
    quota = sdk.show_image_quota(ShowImageQuotaRequest()).quotas.resources
    assert [entry.type for entry in quota] == ["image"]
