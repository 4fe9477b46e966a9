"""The registry: every fault the mock can be started with, by name (`ims-mock --list-faults`)."""

from __future__ import annotations

import math
import re

from ims_mock.faults.layers import (
    Fault,
    Layer,
    around,
    auth_policy,
    config_value,
    limit,
    min_disk_forms,
    rewrite_json,
    rule_added,
    rule_off,
    stateful,
)
from ims_mock.faults.operations import (
    CREATE,
    JOBS,
    SLOW_SECONDS,
    _any_content_type,
    _ascii_only,
    _cap,
    _created_201,
    _cut,
    _dashed_job_ids,
    _drop,
    _each_image,
    _ended,
    _flat_envelope,
    _ignores_limit,
    _ignores_marker,
    _ignoring,
    _ims_codes,
    _job_field,
    _keeping_query,
    _keeps_deleted_images,
    _list,
    _name_prefix_matches,
    _no_charset,
    _no_failure_details,
    _not_found_at_first,
    _outcome_forgotten_later,
    _percent_0_at_end,
    _quota_used_zero,
    _recode,
    _served_as_job_owner,
    _server_error_on_empty_tag_value,
    _set,
    _slow_on_deep_nesting,
    _status_backwards,
    _tags,
    _v21_clamps_min_disk,
    _v21_missing,
    _without_image_id,
)
from ims_mock.faults.wire import (
    _auth_error_ims_shape,
    _headers_without,
    _text_plain,
)
from ims_mock.routes import OPERATIONS
from ims_mock.rules import ENTERPRISE_PROJECT_ID
from ims_mock.store import SUPPORTED_FORMATS

# The registry ------------------------------------------------------------------------------------

REGISTRY: dict[str, Fault] = {
    # Request rules wrongly accepted (`create.*`).
    "accept-min-disk-39": limit("min_disk lower bound off by one: 39 is accepted", min_disk=(39, 2048)),
    "accept-min-disk-2049": limit("min_disk upper bound off by one: 2049 is accepted", min_disk=(40, 2049)),
    "accept-fractional-min-disk": min_disk_forms("min_disk 40.5 is accepted (truncated to 40)", add="fraction"),
    "accept-string-min-disk": min_disk_forms('min_disk "40" (a string) is accepted', add="digit-string"),
    "accept-name-129": limit("name may have 129 characters", name_length=(1, 129)),
    "accept-name-edge-spaces": limit(
        "name may start or end with a space", name=re.compile(r"[A-Za-z0-9._ -]*[A-Za-z0-9._-][A-Za-z0-9._ -]*")
    ),
    "accept-unicode-name": limit(
        "name may contain non-ASCII letters",
        name=re.compile(r"(?:[^\W_]|[._-])(?:(?:[^\W_]|[._ -])*(?:[^\W_]|[._-]))?"),
    ),
    "accept-name-punctuation": limit(
        "name may contain punctuation such as ! and <", name=re.compile(r"[!-~](?:[ -~]*[!-~])?")
    ),
    "accept-description-1025": limit("description may have 1025 characters", description_length=1025),
    "accept-description-angle-brackets": limit(
        "description may contain < and >", description_forbidden=re.compile(r"[\r\n]")
    ),
    "accept-any-os-type": limit("os_type is not checked (e.g. 'linux' is accepted)", os_types=None),
    "accept-bad-image-url": limit("image_url is not checked beyond being a string", image_url=re.compile(r".*", re.S)),
    "accept-both-tag-fields": rule_off("tags and image_tags may be sent together", "tags.both"),
    "accept-11-tags": limit("11 tags are accepted", max_tags=11, max_image_tags=11),
    "accept-21-image-tags": limit(
        "the item count of image_tags is not checked (only that of tags is)", max_image_tags=1_000_000
    ),
    "accept-duplicate-tag-keys": rule_off("tag keys may repeat within a list", "tags.duplicate-key"),
    "accept-long-tag-key": limit("tag keys may have 37 or more characters", tag_key=re.compile(r"[A-Za-z0-9_-]+")),
    "accept-image-tag-extra-property": rule_off(
        "image_tags objects may carry unknown properties", "tags.object-property"
    ),
    "accept-unknown-property": rule_off(
        "unknown body properties are ignored instead of rejected", "body.unknown-property"
    ),
    "accept-null-field": rule_off("null for an optional field is treated as absent", "body.null"),
    "accept-uppercase-enterprise-project-id": limit(
        "enterprise_project_id UUIDs are matched in any case",
        enterprise_project_id=re.compile(ENTERPRISE_PROJECT_ID.pattern, re.IGNORECASE),
    ),
    "enterprise-project-id-prefix-match": limit(
        'enterprise_project_id is matched at its start only ("00", a UUID and more are accepted)',
        enterprise_project_id=re.compile(f"(?:{ENTERPRISE_PROJECT_ID.pattern}).*", re.DOTALL),
    ),
    "bucket-name-max-32": limit(
        "bucket names of more than 32 characters are refused",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,30}[a-z0-9]:.{1,1024}", re.DOTALL),
    ),
    "accept-bucket-edge-punctuation": limit(
        "bucket names may start or end with - or .",
        image_url=re.compile(r"[a-z0-9.-]{3,63}:.{1,1024}", re.DOTALL),
    ),
    "accept-object-key-1025": limit(
        "object keys are not bounded to 1,024 characters",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:.+", re.DOTALL),
    ),
    "image-url-split-at-last-colon": rule_added(
        "image_url is split at its last colon, so an object key holding one is refused",
        "image_url.format",
        lambda b: ":" in b["image_url"].partition(":")[2],
    ),
    "object-key-length-in-bytes": rule_added(
        "object keys are bounded to 1,024 UTF-8 bytes, not characters",
        "image_url.format",
        lambda b: len(b["image_url"].partition(":")[2].encode()) > 1024,
    ),
    "description-length-in-bytes": rule_added(
        "descriptions are bounded to 1,024 UTF-8 bytes, not characters",
        "description.too-long",
        lambda b: len(b.get("description", "").encode()) > 1024,
    ),
    "description-unicode-line-breaks": limit(
        "descriptions may not hold any Unicode line break (U+2028, U+0085, ...), not only CR and LF",
        description_forbidden=re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029<>]"),
    ),
    "accept-bad-enterprise-project-id": limit(
        "enterprise_project_id is not checked", enterprise_project_id=re.compile(r".*", re.S)
    ),
    "accept-wrong-content-type": around(
        "a create body sent as text/plain is accepted", "request", CREATE, _any_content_type
    ),
    "reject-json-charset": around(
        "Content-Type application/json; charset=UTF-8 is rejected", "request", CREATE, _no_charset
    ),
    "accept-empty-cmk-id": limit('cmk_id "" is accepted', cmk_id_length=(0, 255)),
    "no-body-limit": config_value(
        "bodies over 12 MiB are read and judged instead of refused with 413", "limit", max_body_bytes=64 * 1024 * 1024
    ),
    # Request rules wrongly rejected.
    "reject-min-disk-2048": limit("min_disk upper bound off by one: 2048 is rejected", min_disk=(40, 2047)),
    "reject-integral-float-min-disk": min_disk_forms("min_disk 40.0 is rejected", remove="integral-float"),
    "reject-name-128": limit("name of 128 characters is rejected", name_length=(1, 127)),
    "reject-name-inner-space": rule_added(
        "names with inner spaces are rejected", "name.format", lambda b: " " in b["name"]
    ),
    "reject-unicode-description": rule_added(
        "descriptions with non-ASCII characters are rejected",
        "description.format",
        lambda b: not b.get("description", "").isascii(),
    ),
    "reject-tag-without-dot": rule_added(
        'a tag with no "." (a key with an empty value) is rejected',
        "tags.invalid",
        lambda b: any("." not in tag for tag in _tags(b)),
    ),
    "reject-tag-value-with-dots": limit(
        "tag values containing dots are rejected", tag_value=re.compile(r"[A-Za-z0-9_-]{0,43}")
    ),
    "reject-empty-tag-list": rule_added(
        "an empty tags list is rejected", "tags.invalid", lambda b: b.get("tags") == []
    ),
    "require-description": rule_added(
        "a body without description is rejected", "description.format", lambda b: "description" not in b
    ),
    "reject-object-key-with-slash": rule_added(
        "image_url object keys containing / are rejected",
        "image_url.format",
        lambda b: "/" in b["image_url"].partition(":")[2],
    ),
    "reject-cmk-id-255": limit("cmk_id of 255 characters is rejected", cmk_id_length=(1, 254)),
    "reject-enterprise-project-id-zero": rule_added(
        'enterprise_project_id "0" is rejected',
        "enterprise_project_id.invalid",
        lambda b: b.get("enterprise_project_id") == "0",
    ),
    "reject-image-tag-without-value": rule_added(
        "image_tags objects without a value are rejected",
        "tags.invalid",
        lambda b: any("value" not in tag for tag in _list(b, "image_tags")),
    ),
    # Response shapes and headers (`response.*`).
    "dashed-job-id": around(
        "job_id is a dashed UUID instead of 32 lowercase hex digits",
        "response",
        (*CREATE, *JOBS),
        _dashed_job_ids,
    ),
    "missing-request-id": Fault(
        "responses lack the X-Request-Id header", "response", asgi=_headers_without(b"x-request-id")
    ),
    "flat-error-envelope": around(
        "400 bodies use the gateway's flat shape instead of the IMS envelope",
        "response",
        OPERATIONS,
        _flat_envelope,
    ),
    "bad-error-code": around(
        "400 bodies carry codes like IMS.0003 instead of IMG.xxxx", "response", OPERATIONS, _ims_codes
    ),
    "create-returns-201": around("a successful create answers 201 instead of 200", "response", CREATE, _created_201),
    "text-plain-responses": Fault("JSON bodies are sent with Content-Type text/plain", "response", asgi=_text_plain),
    "server-error-on-empty-tag-value": around(
        "a tag with an empty value makes create answer 500", "response", CREATE, _server_error_on_empty_tag_value
    ),
    # Authentication (`auth.*`).
    "ignore-auth": auth_policy("requests without credentials are served", "request", anonymous=True),
    "accept-any-token": auth_policy("any non-empty X-Auth-Token is accepted", "request", credential_match="any"),
    "aksk-ignores-query": auth_policy(
        "AK/SK verification leaves the query string out of the canonical request",
        "policy",
        query_in_canonical_request=False,
    ),
    "accept-bad-signature": auth_policy("AK/SK signatures are not verified", "rule-off", verify_signature=False),
    "ignore-clock-skew": auth_policy(
        "an X-Sdk-Date hours away from the server's clock is accepted", "limit", max_clock_skew=math.inf
    ),
    "auth-error-ims-shape": Fault(
        "401 bodies use the IMS envelope instead of the gateway's", "response", asgi=_auth_error_ims_shape
    ),
    "cross-project-jobs": Fault(
        "jobs of other projects can be read", "request", layer=Layer(frozenset(JOBS), _served_as_job_owner)
    ),
    # The job lifecycle (`job.*`).
    "job-status-backwards": stateful(
        "a finished job reports RUNNING again on every second query", JOBS, _status_backwards
    ),
    "job-not-found-at-first": stateful("a new job is 404 on its first query", JOBS, _not_found_at_first),
    "job-never-ends": config_value("jobs never end (INIT forever)", "limit", job_seconds=math.inf),
    "success-without-image-id": rewrite_json("a SUCCESS job has no entities.image_id", JOBS, _without_image_id),
    "fail-without-error-code": rewrite_json(
        "a FAIL job has error_code and fail_reason null", JOBS, _no_failure_details
    ),
    "end-time-null-while-running": rewrite_json(
        "end_time is null instead of an empty string while the job runs",
        JOBS,
        _job_field("end_time", None, lambda job: not _ended(job)),
    ),
    "progress-goes-down": rewrite_json(
        "process_percent goes down once the job has ended (0 after 99)", ("showJobProgress",), _percent_0_at_end
    ),
    "formats-without-zvhd": config_value(
        "zvhd and zvhd2 image files fail (the formats only Huawei documents)",
        "policy",
        image_formats=SUPPORTED_FORMATS - {"zvhd", "zvhd2"},
    ),
    "unsupported-format-succeeds": config_value(
        "an image file with an unsupported extension still succeeds", "policy", image_formats=None
    ),
    "wrong-job-type": rewrite_json(
        "job_type is imsCreateImageJob instead of imsImportDataImageJob",
        JOBS,
        _job_field("job_type", "imsCreateImageJob", lambda _job: True),
    ),
    # listImages and deleteImage (`list.*`, `delete.*`).
    "image-not-listed": rewrite_json(
        "an image whose job succeeded is missing from listImages", ("listImages",), _set("images", [])
    ),
    "list-ignores-name": around("listImages ignores the name filter", "request", ("listImages",), _ignoring("name")),
    "image-wrong-min-disk": rewrite_json(
        "listImages shows min_disk 40 whatever was requested", ("listImages",), _each_image(_set("min_disk", 40))
    ),
    "image-tags-dropped": rewrite_json("listImages shows no tags", ("listImages",), _each_image(_set("tags", []))),
    "image-name-truncated": rewrite_json(
        "listImages shows names cut to 64 characters", ("listImages",), _each_image(_cut("name", 64))
    ),
    "image-description-ascii-only": rewrite_json(
        "listImages shows each non-ASCII character of a description as ?",
        ("listImages",),
        _each_image(_ascii_only("__description")),
    ),
    "image-min-disk-capped": rewrite_json(
        "listImages shows min_disk capped at 1024", ("listImages",), _each_image(_cap("min_disk", 1024))
    ),
    "image-not-active": rewrite_json(
        "listImages shows a created image as queued", ("listImages",), _each_image(_set("status", "queued"))
    ),
    "list-oldest-first": rewrite_json(
        "listImages lists the oldest image first", ("listImages",), lambda listing: listing["images"].reverse()
    ),
    "list-ignores-limit": around(
        "listImages returns every image whatever the limit", "request", ("listImages",), _ignores_limit
    ),
    "list-ignores-marker": around(
        "listImages starts every page at the newest image, ignoring marker", "request", ("listImages",), _ignores_marker
    ),
    "delete-keeps-image": stateful(
        "deleteImage answers 204 but the image stays listed", ("deleteImage",), _keeps_deleted_images
    ),
    "list-name-prefix": around(
        "listImages?name= matches every name that starts with it", "request", ("listImages",), _name_prefix_matches
    ),
    "default-os-type-windows": limit("an image created without os_type is Windows", default_os_type="Windows"),
    "format-case-sensitive": config_value(
        "image file extensions are compared case-sensitively (disk.QCOW2 fails)", "policy", image_formats_any_case=False
    ),
    "job-outcome-forgotten-later": stateful(
        "a job queried a second or more after it ended reports RUNNING again", JOBS, _outcome_forgotten_later
    ),
    "token-loosely-matched": auth_policy(
        "a token with a character more or less, or in another case, is accepted", "request", credential_match="loose"
    ),
    "narrow-clock-window": auth_policy(
        "X-Sdk-Date must be within 60 s of the server's clock, not 15 minutes", "limit", max_clock_skew=60.0
    ),
    "slow-on-deep-nesting": around(
        f"a create body nested over 100 deep is answered only after {SLOW_SECONDS:g} s",
        "request",
        CREATE,
        _slow_on_deep_nesting,
    ),
    "os-type-code-of-another-meaning": around(
        "an invalid os_type answers IMG.0015 (Huawei's code for a full image quota), not IMG.0056",
        "response",
        CREATE,
        _recode("IMG.0056", "IMG.0015"),
    ),
    "host-need-not-be-signed": auth_policy(
        "a signature that does not sign Host is accepted", "policy", host_signed=False
    ),
    "temporary-key-without-token": auth_policy(
        "a temporary (STS) access key is accepted without its X-Security-Token", "policy", temporary_token=False
    ),
    "quota-used-frozen": rewrite_json(
        "showImageQuota always reports 0 images used", ("showImageQuota",), _quota_used_zero
    ),
    # The image and the list as Huawei serves them (`image.*`, `list.*`).
    "list-ignores-filters": around(
        "listImages honours only name, id, __imagetype, virtual_env_type, limit and marker, ignoring every other"
        " documented filter",
        "request",
        ("listImages",),
        _keeping_query("name", "id", "__imagetype", "virtual_env_type", "limit", "marker", "sort_key", "sort_dir"),
    ),
    "list-ignores-sort": around(
        "listImages ignores sort_key and sort_dir (always newest first)",
        "request",
        ("listImages",),
        _ignoring("sort_key", "sort_dir"),
    ),
    "list-ignores-time-filters": around(
        "listImages ignores created_at and updated_at",
        "request",
        ("listImages",),
        _ignoring("created_at", "updated_at"),
    ),
    "image-without-owner-and-links": rewrite_json(
        "listImages shows no owner, self or active_at (fields the SDK always sets)",
        ("listImages",),
        _each_image(_drop("owner", "self", "active_at")),
    ),
    "image-forgets-its-references": rewrite_json(
        "listImages shows no __system__cmkid and no enterprise_project_id: Terraform sees drift",
        ("listImages",),
        _each_image(_drop("__system__cmkid", "enterprise_project_id")),
    ),
    "v2-1-create-missing": around(
        "the documented v2.1 create path answers 404 APIGW.0101", "request", ("createDataImageV2_1",), _v21_missing
    ),
    "v2-1-clamps-min-disk": around(
        "the v2.1 create accepts any integer min_disk, clamped to 40..2048",
        "request",
        ("createDataImageV2_1",),
        _v21_clamps_min_disk,
    ),
}

FAULTS: dict[str, str] = {name: fault.description for name, fault in REGISTRY.items()}
