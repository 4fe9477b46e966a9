"""The faults of the create rules: a rule of docs/contract.md wrongly accepted, or wrongly rejected.

Part of the registry (`registry.py`, which plants them first); each names the rules it breaks.
"""

from __future__ import annotations

import re

from ims_mock.faults.layers import (
    Fault,
    around,
    config_value,
    limit,
    min_disk_forms,
    rule_added,
    rule_off,
)
from ims_mock.faults.operations import (
    CREATE,
    _any_content_type,
    _list,
    _no_charset,
    _tags,
)
from ims_mock.rules import ENTERPRISE_PROJECT_ID

REQUEST_FAULTS: dict[str, Fault] = {
    # Request rules wrongly accepted (`create.*`).
    "accept-min-disk-39": limit("min_disk lower bound off by one: 39 is accepted", min_disk=(39, 2048)).breaking(
        "create.min_disk"
    ),
    "accept-min-disk-2049": limit("min_disk upper bound off by one: 2049 is accepted", min_disk=(40, 2049)).breaking(
        "create.min_disk"
    ),
    "accept-fractional-min-disk": min_disk_forms(
        "min_disk 40.5 is accepted (truncated to 40)", add="fraction"
    ).breaking("create.min_disk"),
    "accept-string-min-disk": min_disk_forms('min_disk "40" (a string) is accepted', add="digit-string").breaking(
        "create.min_disk"
    ),
    "accept-name-129": limit("name may have 129 characters", name_length=(1, 129)).breaking("create.name.length"),
    "accept-name-edge-spaces": limit(
        "name may start or end with a space", name=re.compile(r"[A-Za-z0-9._ -]*[A-Za-z0-9._-][A-Za-z0-9._ -]*")
    ).breaking("create.name.charset"),
    "accept-unicode-name": limit(
        "name may contain non-ASCII letters",
        name=re.compile(r"(?:[^\W_]|[._-])(?:(?:[^\W_]|[._ -])*(?:[^\W_]|[._-]))?"),
    ).breaking("create.name.charset"),
    "accept-name-punctuation": limit(
        "name may contain punctuation such as ! and <", name=re.compile(r"[!-~](?:[ -~]*[!-~])?")
    ).breaking("create.name.charset"),
    "accept-description-1025": limit("description may have 1025 characters", description_length=1025).breaking(
        "create.description.length", "create.length.unit"
    ),
    "accept-description-angle-brackets": limit(
        "description may contain < and >", description_forbidden=re.compile(r"[\r\n]")
    ).breaking("create.description.charset"),
    "accept-any-os-type": limit("os_type is not checked (e.g. 'linux' is accepted)", os_types=None).breaking(
        "create.os_type"
    ),
    "accept-bad-image-url": limit(
        "image_url is not checked beyond being a string", image_url=re.compile(r".*", re.S)
    ).breaking("create.image_url", "create.length.unit"),
    "accept-both-tag-fields": rule_off("tags and image_tags may be sent together", "tags.both").breaking(
        "create.tags.exclusive"
    ),
    "accept-11-tags": limit("11 tags are accepted", max_tags=11, max_image_tags=11).breaking(
        "create.tags", "create.tags.limits"
    ),
    "accept-21-image-tags": limit(
        "the item count of image_tags is not checked (only that of tags is)", max_image_tags=1_000_000
    ).breaking("create.image_tags", "create.tags.limits"),
    "accept-duplicate-tag-keys": rule_off("tag keys may repeat within a list", "tags.duplicate-key").breaking(
        "create.tags.keys", "create.tags", "create.image_tags"
    ),
    "accept-long-tag-key": limit(
        "tag keys may have 37 or more characters", tag_key=re.compile(r"[A-Za-z0-9_-]+")
    ).breaking("create.tags", "create.image_tags", "create.tags.limits"),
    "accept-image-tag-extra-property": rule_off(
        "image_tags objects may carry unknown properties", "tags.object-property"
    ).breaking("create.image_tags"),
    "accept-unknown-property": rule_off(
        "unknown body properties are ignored instead of rejected", "body.unknown-property"
    ).breaking("create.body.unknown"),
    "accept-null-field": rule_off("null for an optional field is treated as absent", "body.null").breaking(
        "create.body.null"
    ),
    "accept-uppercase-enterprise-project-id": limit(
        "enterprise_project_id UUIDs are matched in any case",
        enterprise_project_id=re.compile(ENTERPRISE_PROJECT_ID.pattern, re.IGNORECASE),
    ).breaking("create.enterprise_project_id"),
    "enterprise-project-id-prefix-match": limit(
        'enterprise_project_id is matched at its start only ("00", a UUID and more are accepted)',
        enterprise_project_id=re.compile(f"(?:{ENTERPRISE_PROJECT_ID.pattern}).*", re.DOTALL),
    ).breaking("create.enterprise_project_id"),
    "bucket-name-max-32": limit(
        "bucket names of more than 32 characters are refused",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,30}[a-z0-9]:.{1,1024}", re.DOTALL),
    ).breaking("create.image_url"),
    "accept-bucket-edge-punctuation": limit(
        "bucket names may start or end with - or .",
        image_url=re.compile(r"[a-z0-9.-]{3,63}:.{1,1024}", re.DOTALL),
    ).breaking("create.image_url"),
    "accept-object-key-1025": limit(
        "object keys are not bounded to 1,024 characters",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:.+", re.DOTALL),
    ).breaking("create.image_url", "create.length.unit"),
    "image-url-split-at-last-colon": rule_added(
        "image_url is split at its last colon, so an object key holding one is refused",
        "image_url.format",
        lambda b: ":" in b["image_url"].partition(":")[2],
    ).breaking("create.image_url"),
    "object-key-length-in-bytes": rule_added(
        "object keys are bounded to 1,024 UTF-8 bytes, not characters",
        "image_url.format",
        lambda b: len(b["image_url"].partition(":")[2].encode()) > 1024,
    ).breaking("create.length.unit", "create.image_url"),
    "description-length-in-bytes": rule_added(
        "descriptions are bounded to 1,024 UTF-8 bytes, not characters",
        "description.too-long",
        lambda b: len(b.get("description", "").encode()) > 1024,
    ).breaking("create.length.unit", "create.description.length"),
    "description-unicode-line-breaks": limit(
        "descriptions may not hold any Unicode line break (U+2028, U+0085, ...), not only CR and LF",
        description_forbidden=re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029<>]"),
    ).breaking("create.description.charset"),
    "accept-bad-enterprise-project-id": limit(
        "enterprise_project_id is not checked", enterprise_project_id=re.compile(r".*", re.S)
    ).breaking("create.enterprise_project_id"),
    "accept-wrong-content-type": around(
        "a create body sent as text/plain is accepted", "request", CREATE, _any_content_type
    ).breaking("create.content-type"),
    "reject-json-charset": around(
        "Content-Type application/json; charset=UTF-8 is rejected", "request", CREATE, _no_charset
    ).breaking("create.content-type"),
    "accept-empty-cmk-id": limit('cmk_id "" is accepted', cmk_id_length=(0, 255)).breaking("create.cmk_id"),
    "no-body-limit": config_value(
        "bodies over 12 MiB are read and judged instead of refused with 413", "limit", max_body_bytes=64 * 1024 * 1024
    ).breaking("create.body.size"),
    # Request rules wrongly rejected.
    "reject-min-disk-2048": limit("min_disk upper bound off by one: 2048 is rejected", min_disk=(40, 2047)).breaking(
        "create.min_disk"
    ),
    "reject-integral-float-min-disk": min_disk_forms("min_disk 40.0 is rejected", remove="integral-float").breaking(
        "create.min_disk"
    ),
    "reject-name-128": limit("name of 128 characters is rejected", name_length=(1, 127)).breaking("create.name.length"),
    "reject-name-inner-space": rule_added(
        "names with inner spaces are rejected", "name.format", lambda b: " " in b["name"]
    ).breaking("create.name.charset", "create.name.length"),
    "reject-unicode-description": rule_added(
        "descriptions with non-ASCII characters are rejected",
        "description.format",
        lambda b: not b.get("description", "").isascii(),
    ).breaking("create.description.charset", "create.length.unit"),
    "reject-tag-without-dot": rule_added(
        'a tag with no "." (a key with an empty value) is rejected',
        "tags.invalid",
        lambda b: any("." not in tag for tag in _tags(b)),
    ).breaking("create.tags", "create.image_tags"),
    "reject-tag-value-with-dots": limit(
        "tag values containing dots are rejected", tag_value=re.compile(r"[A-Za-z0-9_-]{0,43}")
    ).breaking("create.tags", "create.image_tags"),
    "reject-empty-tag-list": rule_added(
        "an empty tags list is rejected", "tags.invalid", lambda b: b.get("tags") == []
    ).breaking("create.tags"),
    "require-description": rule_added(
        "a body without description is rejected", "description.format", lambda b: "description" not in b
    ).breaking("create.description.length", "create.description.charset"),
    "reject-object-key-with-slash": rule_added(
        "image_url object keys containing / are rejected",
        "image_url.format",
        lambda b: "/" in b["image_url"].partition(":")[2],
    ).breaking("create.image_url"),
    "reject-cmk-id-255": limit("cmk_id of 255 characters is rejected", cmk_id_length=(1, 254)).breaking(
        "create.cmk_id", "create.length.unit"
    ),
    "reject-enterprise-project-id-zero": rule_added(
        'enterprise_project_id "0" is rejected',
        "enterprise_project_id.invalid",
        lambda b: b.get("enterprise_project_id") == "0",
    ).breaking("create.enterprise_project_id"),
    "reject-image-tag-without-value": rule_added(
        "image_tags objects without a value are rejected",
        "tags.invalid",
        lambda b: any("value" not in tag for tag in _list(b, "image_tags")),
    ).breaking("create.image_tags"),
}
