"""The image as automation reads it back, and listImages as a program that filters uses it.

`image.*`: an image made by either create path (`op.create-v2.1`) shows every field the SDK always
sets, and what was sent is what is shown, field by field, as Terraform's provider reads it.
`list.filters`, `list.time`, `list.sort`, `list.paging`: each documented filter and sort order,
checked on the run's own images only (the run's mark is one of their tags, so `tag=<mark>` scopes
every query to them). `list.public`: other owners' public images are listed and never the run's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from contract_tests.api import V2_1, Api
from contract_tests.checks import require
from contract_tests.head_start import Started
from contract_tests.mark import MARK_TAG_KEY, mark_tag
from contract_tests.target import Target

# The 20 fields the official SDK's ImageInfo always sets, and the JSON type of each (`image.fields`).
ALWAYS_SET: dict[str, type | tuple[type, ...]] = {
    "__image_size": str,
    "__image_source_type": str,
    "__imagetype": str,
    "__isregistered": str,
    "__os_type": str,
    "container_format": str,
    "created_at": str,
    "id": str,
    "min_disk": int,
    "min_ram": int,
    "name": str,
    "owner": str,
    "protected": bool,
    "self": str,
    "status": str,
    "tags": list,
    "updated_at": str,
    "virtual_env_type": str,
    "visibility": str,
    "active_at": str,
}
OPERATORS: dict[str, Callable[[str, str], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
}


def _read_back(api: Api, create: Started) -> dict[str, Any]:
    """Wait for a create's job and read its image back by id; the body sent is under "sent"."""
    job = api.wait(create.job(), since=create.at)
    fields = {key: value for key, value in create.body.items() if key != "path"}
    require(job["status"] == "SUCCESS", f"expected SUCCESS for {api.image_file}, got {job}", "job.success")
    image_id = job["entities"]["image_id"]
    api.created_images.append(image_id)
    listed = api.images(id=image_id)
    require([image.get("id") for image in listed] == [image_id], f"listImages?id= shows {listed}", "job.success")
    return {**listed[0], "sent": fields}


def _check_always_set(image: dict[str, Any], project_id: str) -> None:
    missing = [name for name, kind in ALWAYS_SET.items() if not isinstance(image.get(name), kind)]
    require(
        not missing,
        f"fields the SDK always sets are missing or of the wrong type: {missing} in {image}",
        "image.fields",
    )
    # Each as its own rule says it shows: `job.success` names the status and the environment type.
    own = {
        "status": ("active", "job.success"),
        "virtual_env_type": ("DataImage", "job.success"),
        "owner": (project_id, "image.fields"),
        "visibility": ("private", "image.fields"),
        "__imagetype": ("private", "image.fields"),
        "protected": (False, "image.fields"),
    }
    for key, (value, rule) in own.items():
        require(image.get(key) == value, f"an image this run made shows {key} {image.get(key)!r}, not {value!r}", rule)
    times = [image[key] for key in ("created_at", "updated_at", "active_at")]
    require(all(text.endswith("Z") for text in times), f"expected UTC times, got {times}", "image.fields")
    require(
        image["__image_size"].isdigit(),
        f"__image_size is bytes as a string, got {image['__image_size']!r}",
        "image.fields",
    )


def _check_origin(api: Api, image: dict[str, Any]) -> None:
    """What Terraform's huaweicloud_ims_obs_data_image reads back: any difference is drift."""
    sent = image["sent"]
    shown = {
        "__data_origin": image.get("__data_origin"),
        "__system__cmkid": image.get("__system__cmkid"),
        "enterprise_project_id": image.get("enterprise_project_id"),
    }
    expected = {
        "__data_origin": f"file,{sent.get('image_url', api.image_file)}",
        "__system__cmkid": sent.get("cmk_id"),
        "enterprise_project_id": sent.get("enterprise_project_id", "0"),
    }
    drift = {key: (shown[key], value) for key, value in expected.items() if shown[key] != value}
    require(not drift, f"read back as Terraform does, the image drifts (shown, sent): {drift}", "image.origin")


def _check_shape(api: Api, image: dict[str, Any]) -> None:
    image_id = image["id"]
    image_file = api.image_file
    extension = image_file.rpartition(".")[2].lower() if "." in image_file.rpartition("/")[2] else ""
    shape = {
        "self": f"/v2/images/{image_id}",
        "file": f"/v2/images/{image_id}/file",
        "schema": "/v2/schemas/image",
        "container_format": "bare",
        "disk_format": extension,
        "min_ram": 0,
        "__isregistered": "true",
        "__image_source_type": "uds",
    }
    other = {key: image.get(key) for key, value in shape.items() if image.get(key) != value}
    api.open_choice("image.shape", not other, f"an imported image shows {shape}; here {other}")


def _by_either_create(api: Api) -> list[dict[str, Any]]:
    mark = mark_tag(api.http.ledger.run_id)
    return [
        {"name": f"ct-{uuid.uuid4().hex[:12]}", "tags": ["ct.v1", mark], "description": "by v1", **_references(api)},
        {"path": V2_1, "name": f"ct-{uuid.uuid4().hex[:12]}", "tags": ["ct.v2-1", mark], "min_disk": 41},
    ]


@pytest.mark.rules(
    "image.fields", "image.origin", "image.shape", "op.create-v2.1", "job.success", "create.tags", "create.os_type"
)
@pytest.mark.creates(2, "image fields", bodies=_by_either_create)
def test_an_image_made_by_either_create_reads_back_as_sent(target: Target, api: Api, started: list[Started]) -> None:
    first, second = (_read_back(api, create) for create in started)
    for image in (first, second):
        _check_always_set(image, target.credentials.project_id)
        _check_origin(api, image)
        _check_shape(api, image)
        sent = image["sent"]
        for key, shown in (("name", "name"), ("min_disk", "min_disk"), ("description", "__description")):
            if key in sent:
                require(
                    image.get(shown) == sent[key],
                    f"sent {key} {sent[key]!r}, shown {image.get(shown)!r}",
                    "job.success",
                )
    require(
        second.get("min_disk") == 41,
        f"the v2.1 create's image shows min_disk {second.get('min_disk')}",
        "op.create-v2.1",
    )


def _packed_bodies(api: Api) -> list[dict[str, Any]]:
    """The one body at every accept-side edge it can carry (see the test below)."""
    prefix = f"ct-{uuid.uuid4().hex[:12]}-"
    name = prefix + "n" * (128 - len(prefix))
    # Three-byte characters, with a tab and a line separator (U+2028) the charset allows inside.
    description = ("数据盘" * 342)[:1020] + "\t\u2028数据"
    mark = mark_tag(api.http.ledger.run_id)
    tags = [mark, *(f"k{n}.v{n}" for n in range(9))]  # ten, the most allowed
    return [{"name": name, "description": description, "min_disk": 2048, "tags": tags, **_references(api)}]


def _references(api: Api) -> dict[str, str]:
    """`cmk_id` and `enterprise_project_id`, where the settings name some of the account's."""
    settings = api.http.settings
    return {
        key: value
        for key, value in (
            ("cmk_id", settings.test_cmk_id),
            ("enterprise_project_id", settings.test_enterprise_project_id),
        )
        if value is not None
    }


@pytest.mark.creates(1, "lifecycle", bodies=_packed_bodies)
@pytest.mark.rules(
    "op.create",
    "op.job",
    "op.job-progress",
    "job.queryable",
    "job.unknown",
    "job.status",
    "job.progress",
    "job.progress.scale",
    "job.entities",
    "job.success",
    "image.fields",
    "image.origin",
    "image.shape",
    "create.name.length",
    "create.description.length",
    "create.length.unit",
    "create.tags",
    "create.tags.limits",
    "create.os_type",
    "create.min_disk",
    "op.list",
    "list.name",
    "list.query",
    "op.delete",
    "delete.gone",
)
def test_one_create_goes_through_the_whole_lifecycle_carrying_every_edge_it_can(
    target: Target, api: Api, started: list[Started]
) -> None:
    """The create the plan spends first: with IMS_MAX_CREATES=1 this one still shows the whole life of an image.

    One body at the accept-side edges at once: a 128-character name, a 1,024-character description
    of three-byte characters (3,072 UTF-8 bytes: lengths count characters), ten tags (the run's mark
    one of them), the largest disk, and no os_type, so the default shows. The job is queried by both
    queries (and is hidden under another project), waited for (its status never moving back), the
    image read back field by field and for its shape, found by its exact name, deleted and gone. On
    a target with a budget the create goes out with the plan's others, before the first test
    (contract_tests/head_start.py).
    """
    (create,) = started
    body = create.body
    name, description, tags = body["name"], body["description"], body["tags"]
    job_id = create.job()
    api.job(job_id, progress=True)  # both queries find it
    api.job(job_id, progress=False)
    other = "f" * 32 if target.credentials.project_id != "f" * 32 else "e" * 32
    status, answer = api.call("GET", f"/v1/{other}/jobs/{job_id}")
    require(status in (400, 401, 403, 404), f"the job is shown under project {other}: {status} {answer}", "job.unknown")
    job = api.wait(job_id, since=create.at)
    require(job["status"] == "SUCCESS", f"expected SUCCESS for {api.image_file}, got {job}", "job.success")
    image_id = job["entities"]["image_id"]
    api.created_images.append(image_id)
    listed = api.images(id=image_id)
    require([i.get("id") for i in listed] == [image_id], f"listImages?id= shows {listed}", "job.success")
    image = {**listed[0], "sent": body}
    _check_always_set(image, target.credentials.project_id)
    _check_origin(api, image)
    _check_shape(api, image)
    expected = {
        "name": (name, "create.name.length"),
        "__description": (description, "create.length.unit"),
        "min_disk": (2048, "create.min_disk"),
        "__os_type": ("Linux", "create.os_type"),  # the default
    }
    for key, (value, rule) in expected.items():
        shown = image.get(key)
        require(shown == value, f"sent {key} of {len(str(value))} characters; shown {str(shown)[:80]!r}", rule)
    shown_tags = sorted(image.get("tags", []))
    require(shown_tags == sorted(tags), f"expected tags {tags}, got {image.get('tags')}", "create.tags")
    require(_ids(api, name=name) == [image_id], "listImages?name= does not show exactly the image", "list.name")
    require(api.delete(image_id) == 204, "expected 204 from deleteImage", "op.delete")
    api.created_images.remove(image_id)
    api.wait_gone(id=image_id)
    again = api.job(job_id, progress=True)  # seconds after it ended: a finished job stays finished
    got, was = (again["status"], again["end_time"]), (job["status"], job["end_time"])
    require(got == was, f"the job ended as {was}, and reads {got} later", "job.status")


def _ids(api: Api, **params: Any) -> list[str]:
    return [str(image.get("id")) for image in api.images(**params)]


def _two_to_filter(api: Api) -> list[dict[str, Any]]:
    mark = mark_tag(api.http.ledger.run_id)
    name = f"ct-{uuid.uuid4().hex[:12]}"
    return [
        {"name": name, "tags": ["ct.a", mark], "min_disk": 60},
        # The other tag field, objects (one without a value): listed as `key.value` strings all the
        # same (`create.image_tags`); a name that starts with the first's (`list.name` is exact).
        {
            "name": f"{name}-b",
            "image_tags": [
                {"key": "ct", "value": "b"},
                {"key": "solo"},
                {"key": MARK_TAG_KEY, "value": api.http.ledger.run_id},
            ],
            "min_disk": 70,
        },
    ]


@pytest.mark.rules("list.filters", "list.time", "list.sort", "list.paging", "list.name", "create.image_tags")
@pytest.mark.creates(2, "listing", bodies=_two_to_filter)
def test_filters_sort_orders_and_times_hold_on_the_runs_own_images(
    target: Target, api: Api, started: list[Started]
) -> None:
    mark = mark_tag(api.http.ledger.run_id)
    scope = {"tag": mark.replace(".", "=", 1)}  # the run's own images only (other tests' too: each check keeps its own)
    made = [_read_back(api, create) for create in started]
    mine = {image["id"] for image in made}
    require(set(_ids(api, **scope)) >= mine, f"tag={scope['tag']} does not find this run's images", "list.filters")
    a, b = made
    want = sorted(["ct.b", "solo", mark])
    require(sorted(b.get("tags", [])) == want, f"image_tags listed as {b.get('tags')}", "create.image_tags")
    by_name = {i for i in _ids(api, name=a["name"]) if i in {a["id"], b["id"]}}
    require(by_name == {a["id"]}, f"name={a['name']} (a prefix of the other's) kept {sorted(by_name)}", "list.name")
    project = target.credentials.project_id
    other = "f" * 32 if project != "f" * 32 else "e" * 32
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"tag": "ct=a"}, {a["id"]}),
        ({"id": b["id"]}, {b["id"]}),
        ({"status": "active"}, mine),
        ({"status": "queued"}, set()),
        ({"visibility": "private"}, mine),
        ({"visibility": "public"}, set()),
        ({"__imagetype": "private"}, mine),
        ({"__imagetype": "gold"}, set()),
        ({"owner": project}, mine),
        ({"owner": other}, set()),
        ({"protected": "false"}, mine),
        ({"protected": "true"}, set()),
        ({"virtual_env_type": "DataImage"}, mine),
        ({"virtual_env_type": "FusionCompute"}, set()),
        ({"__os_type": "Linux"}, mine),
        ({"__os_type": "Windows"}, set()),
        ({"tag": "ct=a", "name": b["name"]}, set()),  # filters combine
        ({"enterprise_project_id": "all_granted_eps"}, mine),
    ]
    for params, expected in cases:
        got = {image_id for image_id in _ids(api, **{**scope, **params}) if image_id in mine}
        require(
            got == expected,
            f"listImages {params} (scoped by tag) kept {sorted(got)}, expected {sorted(expected)}",
            "list.filters",
        )
    for key in ("min_disk",):  # exact match is the mock's reading (open)
        got = {i for i in _ids(api, **scope, **{key: 60}) if i in mine}
        api.open_choice(
            "list.filters", got == {a["id"]}, f"min_disk=60 keeps exactly the image made with 60, got {got}"
        )

    for field in ("created_at", "updated_at"):
        pivot = a[field].replace("T", " ").removesuffix("Z")  # the other documented form of a time
        for operator, compare in OPERATORS.items():
            got = {i for i in _ids(api, **scope, **{field: f"{operator}:{pivot}"}) if i in mine}
            expected = {image["id"] for image in made if compare(image[field], a[field])}
            require(
                got == expected,
                f"{field}={operator}:{pivot} kept {sorted(got)}, expected {sorted(expected)}",
                "list.time",
            )

    for sort_key in ("name", "id", "created_at", "status"):
        for sort_dir in ("asc", "desc"):
            listed = [
                image for image in api.images(**scope, sort_key=sort_key, sort_dir=sort_dir) if image["id"] in mine
            ]
            values = [image[sort_key] for image in listed]
            require(
                values == sorted(values, reverse=sort_dir == "desc") and len(values) == 2,
                f"sort_key={sort_key}&sort_dir={sort_dir} listed {values}",
                "list.sort",
            )
    ascending = _ids(api, **scope, sort_key="name", sort_dir="asc")
    paged, marker = [], None
    for _ in range(len(ascending) + 1):
        page = _ids(api, **scope, sort_key="name", sort_dir="asc", limit=1, **({"marker": marker} if marker else {}))
        require(len(page) <= 1, f"limit=1 answered a page of {len(page)}", "list.paging")
        if not page:
            break
        paged += page
        marker = page[-1]
    # Only this test's images: another test's, deleted a moment ago, may still be on its way out (`delete.again`).
    paged, ascending = [i for i in paged if i in mine], [i for i in ascending if i in mine]
    require(paged == ascending, f"pages of one in name order gave {paged}, the whole list {ascending}", "list.paging")


@pytest.mark.rules("list.public")
def test_images_of_other_owners_are_listed_and_never_taken_for_the_runs(target: Target, api: Api) -> None:
    """A region's list holds public images; none is the run's, whatever it lists (`list.public`)."""
    project = target.credentials.project_id
    public = [image for image in api.images(limit=1000) if image.get("owner") not in (None, project)]
    api.open_choice("list.public", bool(public), "an unfiltered list holds public images of another owner")
    for image in public[:3]:  # the ownership guard reads each from the target: never the run's
        require(
            not api.http.proves_own(str(image.get("id"))), f"the run took {image.get('id')} for its own", "list.public"
        )
    gold = api.images(__imagetype="gold", limit=1000)
    require(
        all(image.get("__imagetype") == "gold" for image in gold), "__imagetype=gold listed other kinds", "list.filters"
    )
