"""Images as `listImages` shows them, and the list's query (`image.*`, `list.*` of docs/contract.md).

An image is the SDK's `ImageInfo`: a data image made from a file shows the fields and values the
contract gives it (`image_view`), built whenever it is listed. Every project's list also holds
a few public images of another owner (`PUBLIC_IMAGES`, protected: never deletable), as a real
region's does.

The query (`ListQuery.parse`) takes every parameter Huawei documents for `GET /v2/cloudimages`
and nothing else. Each is honoured: a filter compares the image's own field (`FILTERS`), `tag`
matches a tag, `created_at`/`updated_at` take `gt|gte|lt|lte|eq|neq:<UTC time>`, `sort_key` and
`sort_dir` order the list and `marker` pages in that order. The one the mock cannot compute,
`flavor_id` (it knows no flavors), is refused with 400, never ignored; so is a value outside a
documented set, a malformed time and a parameter Huawei does not document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ims_mock import errors
from ims_mock.rules import ENTERPRISE_PROJECT_ID, CreateRequest

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIME_FILTER = re.compile(r"(gt|gte|lt|lte|eq|neq):([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(Z?)")
_OPERATORS: dict[str, Callable[[tuple[int, ...], tuple[int, ...]], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
}
# An empty image file's MD5, as every documented example shows `checksum` (a field IMS does not use).
EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"
PUBLIC_OWNER = "1bed856811654c1cb661a6ca845ebc77"  # the owner of the public images in Huawei's own example

TRUE_FALSE = frozenset({"true", "false"})
# Attributes an image has only when they hold: a filter `=true` keeps the images that have it.
SUPPORT_FLAGS = frozenset(
    f"__support_{kind}"
    for kind in ("kvm", "xen", "largememory", "diskintensive", "highperformance", "xen_hana", "kvm_infiniband")
)
PLATFORMS = frozenset(
    {
        "Windows",
        "Ubuntu",
        "RedHat",
        "SUSE",
        "CentOS",
        "Debian",
        "OpenSUSE",
        "Oracle Linux",
        "Fedora",
        "Other",
        "CoreOS",
        "EulerOS",
    }
)
DISK_FORMATS = frozenset({"vhd", "vmdk", "qcow2", "raw", "vhdx", "qcow", "vdi", "qed", "zvhd", "zvhd2", "iso"})
SORT_KEYS = frozenset({"name", "container_format", "disk_format", "status", "id", "size", "created_at"})
# Each documented parameter whose values the page lists: the values (`list.query`).
ENUMS: dict[str, frozenset[str]] = {
    "__imagetype": frozenset({"gold", "private", "shared", "market"}),
    "virtual_env_type": frozenset({"FusionCompute", "Ironic", "DataImage", "IsoImage"}),
    "visibility": frozenset({"public", "private", "shared"}),
    "status": frozenset({"queued", "saving", "deleted", "killed", "active"}),
    "__os_type": frozenset({"Linux", "Windows", "Other"}),
    "member_status": frozenset({"accepted", "rejected", "pending"}),
    "container_format": frozenset({"bare"}),
    "disk_format": DISK_FORMATS,
    "__platform": PLATFORMS,
    "protected": TRUE_FALSE,
    "__whole_image": TRUE_FALSE,
    "__isregistered": TRUE_FALSE,
    "architecture": frozenset({"x86", "arm"}),
    "sort_key": SORT_KEYS,
    "sort_dir": frozenset({"asc", "desc"}),
    **dict.fromkeys(SUPPORT_FLAGS, TRUE_FALSE),
}
# The parameters that keep the images whose field of the same name holds exactly the value asked.
FILTERS = frozenset(
    {
        "__imagetype",
        "__isregistered",
        "__system__cmkid",
        "visibility",
        "owner",
        "status",
        "name",
        "container_format",
        "disk_format",
        "__os_bit",
        "__platform",
        "__os_type",
        "virtual_env_type",
        "__support_xen_gpu_type",
        "__support_kvm_gpu_type",
    }
)
INTEGERS = frozenset({"min_ram", "min_disk"})
TIMES = frozenset({"created_at", "updated_at"})
# Every query parameter Huawei documents for listImages (the Chinese page's URI; the SDK's 36).
DOCUMENTED = (
    FILTERS
    | SUPPORT_FLAGS
    | INTEGERS
    | TIMES
    | {"id", "protected", "__whole_image", "tag", "member_status", "enterprise_project_id", "architecture"}
    | {"flavor_id", "marker", "limit", "sort_key", "sort_dir"}
)
MAX_TEXT = 255  # the longest value of a free-text parameter (`name`, `owner`, ...)


def utc(timestamp: float) -> str:
    """A UTC time to the second, as images show theirs: 2018-09-06T14:03:27Z."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_extension(image_url: str) -> str:
    """The extension of the object key's last part, as written ("" for none): `b:dir/D.QCOW2` -> `QCOW2`."""
    basename = image_url.partition(":")[2].rsplit("/", 1)[-1]
    return basename.rsplit(".", 1)[-1] if "." in basename else ""


def file_size(image_url: str, min_disk: int) -> int:
    """The simulated OBS object's size in bytes: fixed by its name, from 1 MiB up to the disk size."""
    digest = int.from_bytes(hashlib.sha256(image_url.encode()).digest()[:8], "big")
    return 1 << 20 | digest % (min_disk << 30)


def image_view(request: CreateRequest, image_id: str, project_id: str, created: float, active: float) -> dict[str, Any]:
    """The image a create made, as listImages shows it: every field the SDK always sets, and a file import's.

    `created` is when its job began (the image was registered), `active` when it ended.
    """
    view: dict[str, Any] = {
        "id": image_id,
        "name": request.name,
        "status": "active",
        "visibility": "private",
        "__imagetype": "private",
        "virtual_env_type": "DataImage",
        "owner": project_id,
        "protected": False,
        "self": f"/v2/images/{image_id}",
        "file": f"/v2/images/{image_id}/file",
        "schema": "/v2/schemas/image",
        "container_format": "bare",
        "disk_format": file_extension(request.image_url).lower(),
        "min_ram": 0,
        "min_disk": request.min_disk,
        "size": 0,
        "checksum": EMPTY_MD5,
        "__isregistered": "true",
        "__image_source_type": "uds",
        "__image_size": str(file_size(request.image_url, request.min_disk)),
        "__data_origin": f"file,{request.image_url}",
        "__root_origin": "file",
        "__originalimagename": "",
        "__backup_id": "",
        "__description": request.description,
        "__os_type": request.os_type,
        "__system_support_market": False,
        "enterprise_project_id": request.enterprise_project_id or "0",
        "tags": [f"{key}.{value}" if value else key for key, value in request.tags],
        "created_at": utc(created),
        "updated_at": utc(active),
        "active_at": utc(active),
    }
    if request.cmk_id is not None:
        view["__system__cmkid"] = request.cmk_id
    return view


def _public(image_id: str, name: str, platform: str, os_version: str, created: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": image_id,
        "name": name,
        "status": "active",
        "visibility": "public",
        "__imagetype": "gold",
        "virtual_env_type": "FusionCompute",
        "owner": PUBLIC_OWNER,
        "protected": True,
        "self": f"/v2/images/{image_id}",
        "file": f"/v2/images/{image_id}/file",
        "schema": "/v2/schemas/image",
        "container_format": "bare",
        "disk_format": "zvhd2",
        "min_ram": 1024,
        "min_disk": 40,
        "size": 0,
        "checksum": EMPTY_MD5,
        "virtual_size": None,
        "__isregistered": "true",
        "__image_source_type": "uds",
        "__image_size": "2147483648",
        "__os_type": "Linux",
        "__os_bit": "64",
        "__os_version": os_version,
        "__platform": platform,
        "__lazyloading": "true",
        "__support_kvm": "true",
        "hw_firmware_type": "bios",
        "tags": [],
        "created_at": created,
        "updated_at": created,
        "active_at": created,
        **extra,
    }


# Public images of another owner, in every project's list (`list.public`), as a region shows some.
PUBLIC_IMAGES: tuple[dict[str, Any], ...] = (
    _public(
        "bc6bed6e-ba3a-4447-afcc-449174a3eb52", "CentOS 7.9 64bit", "CentOS", "CentOS 7.9 64bit", "2021-03-02T08:00:00Z"
    ),
    _public(
        "0328c25e-c840-4496-81ac-c4e01b214b1f",
        "Ubuntu 22.04 server 64bit",
        "Ubuntu",
        "Ubuntu 22.04 server 64bit",
        "2022-05-10T08:00:00Z",
    ),
    _public(
        "5d1c3a3e-6f0b-4b8e-9f0e-2b6a7c1d9e42",
        "Huawei Cloud EulerOS 2.0 Standard 64 bit (ARM)",
        "EulerOS",
        "Huawei Cloud EulerOS 2.0 64bit",
        "2023-09-20T08:00:00Z",
        __support_arm="true",
        hw_firmware_type="uefi",
    ),
)


def _moment(text: str) -> tuple[int, ...]:
    """An image's time (`2018-09-06T14:03:27Z`) as (year, month, day, hour, minute, second)."""
    return tuple(int(part) for part in re.split(r"[-T:Z]", text)[:6])


def _time_filter(name: str, text: str) -> Callable[[dict[str, Any]], bool]:
    match = _TIME_FILTER.fullmatch(text)
    if match is None or (match[4] == "Z") != ("T" in text):  # yyyy-MM-ddThh:mm:ssZ or yyyy-MM-dd hh:mm:ss
        raise errors.bad_query(f"{name} must be gt|gte|lt|lte|eq|neq:<yyyy-MM-ddThh:mm:ssZ or yyyy-MM-dd hh:mm:ss>")
    pivot = _moment(f"{match[2]}T{match[3]}Z")
    year, month, day, hour, minute, second = pivot
    try:  # year 0000 (which the pattern allows) is checked as 2000: both are leap years
        datetime(year or 2000, month, day, hour, minute, second)
    except ValueError:
        raise errors.bad_query(f"{name} holds a time that does not exist") from None
    compare = _OPERATORS[match[1]]
    return lambda image: compare(_moment(image[name]), pivot)


def _architecture(image: dict[str, Any]) -> str:
    return "arm" if image.get("__support_arm") == "true" else "x86"


@dataclass(frozen=True)
class ListQuery:
    """A listImages query that passed every check: what to keep, in which order, which page."""

    keep: tuple[Callable[[dict[str, Any]], bool], ...]
    sort_key: str
    descending: bool
    limit: int
    marker: str | None
    image_id: str | None  # `id=`: one image at most, found without a scan

    @classmethod
    def parse(cls, pairs: Iterable[tuple[str, str]]) -> ListQuery:
        """Check the query (`list.query`); 400 in the IMS envelope for anything it cannot honour."""
        query: dict[str, str] = {}
        for key, value in pairs:
            query.setdefault(key, value)  # a repeated parameter: the first one counts
        unknown = sorted(query.keys() - DOCUMENTED)
        if unknown:
            raise errors.bad_query(f"{unknown[0][:40]!r} is not a listImages parameter")
        if "flavor_id" in query:
            raise errors.UNKNOWN_FLAVOR
        if "__imagetype" in query and query["__imagetype"] not in ENUMS["__imagetype"]:
            raise errors.BAD_IMAGETYPE
        if "architecture" in query and query["architecture"] not in ENUMS["architecture"]:
            raise errors.BAD_ARCHITECTURE
        for key, allowed in ENUMS.items():
            if key in query and query[key] not in allowed:
                raise errors.bad_query(f"{key} must be one of {', '.join(sorted(allowed))}")
        limit = query.get("limit", "500")
        if not ascii_digits(limit, 4) or not 1 <= int(limit) <= 1000:
            raise errors.bad_query("limit must be an integer from 1 to 1000")
        for key in ("id", "marker"):
            if key in query and not _UUID.fullmatch(query[key]):
                raise errors.bad_query(f"{key} must be an image ID (a UUID)")
        eps = query.get("enterprise_project_id")
        if eps is not None and not (eps == "all_granted_eps" or ENTERPRISE_PROJECT_ID.fullmatch(eps)):
            raise errors.BAD_ENTERPRISE_PROJECT
        keep: list[Callable[[dict[str, Any]], bool]] = []
        for key, value in query.items():
            if len(value) > MAX_TEXT:
                raise errors.bad_query(f"{key} is longer than {MAX_TEXT} characters")
            keep.extend(_filter(key, value))
        marker = query.get("marker")
        return cls(
            tuple(keep),
            query.get("sort_key", "created_at"),
            query.get("sort_dir", "desc") == "desc",
            int(limit),
            marker.lower() if marker else None,
            query["id"].lower() if "id" in query else None,
        )

    def select(self, images: Sequence[dict[str, Any]], order: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
        """The page of `images` this query asks for. `order(image)` breaks ties within a sort key.

        An unknown marker (no image the caller may see) is `400 IMG.0086`.
        """

        def position(image: dict[str, Any]) -> tuple[Any, ...]:
            return (image[self.sort_key], order(image))

        ranked = sorted(images, key=position, reverse=self.descending)
        if self.marker is not None:
            at = next((position(image) for image in images if image["id"] == self.marker), None)
            if at is None:
                raise errors.BAD_MARKER
            ranked = [image for image in ranked if (position(image) < at if self.descending else position(image) > at)]
        kept = [image for image in ranked if all(keep(image) for keep in self.keep)]
        return kept[: self.limit]


def ascii_digits(text: str, longest: int) -> bool:
    """Whether `text` is 1 to `longest` ASCII digits: checked before any int() (`gateway.numbers`).

    str.isdigit() alone also accepts superscript, Arabic-Indic and full-width digits, and int() of
    4,301 digits raises.
    """
    return 0 < len(text) <= longest and text.isascii() and text.isdigit()


def _filter(key: str, value: str) -> list[Callable[[dict[str, Any]], bool]]:
    """The predicate parameter `key=value` keeps images by ([] for the paging and sorting ones)."""
    if key in FILTERS:
        return [lambda image: image.get(key) == value]
    if key in SUPPORT_FLAGS:
        wanted = value == "true"
        return [lambda image: (image.get(key) == "true") == wanted]
    if key in INTEGERS:
        if not ascii_digits(value, 6):
            raise errors.bad_query(f"{key} must be a whole number")
        return [lambda image: image.get(key) == int(value)]
    if key in TIMES:
        return [_time_filter(key, value)]
    if key == "id":
        return [lambda image: image["id"] == value.lower()]
    if key == "protected":
        return [lambda image: image.get("protected") is (value == "true")]
    if key == "__whole_image":  # neither a data image nor these public images is a whole-ECS image
        return [lambda image: bool(image.get("__whole_image", False)) is (value == "true")]
    if key == "tag":  # `key=value` ("a=b" finds the tag shown as "a.b"; "a" alone, a key with no value)
        tag_key, _, tag_value = value.partition("=")
        shown = f"{tag_key}.{tag_value}" if tag_value else tag_key
        return [lambda image: shown in image.get("tags", ())]
    if key == "member_status":  # the mock shares no images: no image has a member status
        return [lambda image: image.get("member_status") == value]
    if key == "enterprise_project_id":
        return [] if value == "all_granted_eps" else [lambda image: image.get("enterprise_project_id") == value]
    if key == "architecture":
        return [lambda image: _architecture(image) == value]
    return []  # marker, limit, sort_key, sort_dir
