"""The registry: every fault the mock can be started with, by name (`ims-mock --list-faults`).

One entry per fault: what it changes and the rules of docs/contract.md it breaks (`.breaking`). The
faults of the create rules are in `request_faults.py`; the kill matrix reads both from here.
"""

from __future__ import annotations

import math

from ims_mock.faults.layers import (
    Fault,
    Layer,
    around,
    auth_policy,
    config_value,
    limit,
    rewrite_json,
    stateful,
)
from ims_mock.faults.operations import (
    CREATE,
    JOBS,
    SLOW_SECONDS,
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
    _name_prefix_matches,
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
    _v21_clamps_min_disk,
    _v21_missing,
    _without_image_id,
)
from ims_mock.faults.request_faults import REQUEST_FAULTS
from ims_mock.faults.wire import (
    _auth_error_ims_shape,
    _headers_without,
    _text_plain,
)
from ims_mock.routes import OPERATIONS
from ims_mock.store import SUPPORTED_FORMATS

# The registry ------------------------------------------------------------------------------------

REGISTRY: dict[str, Fault] = {
    **REQUEST_FAULTS,  # first: registry order is the order faults are planted in
    # Response shapes and headers (`response.*`).
    "dashed-job-id": around(
        "job_id is a dashed UUID instead of 32 lowercase hex digits",
        "response",
        (*CREATE, *JOBS),
        _dashed_job_ids,
    ).breaking("response.create"),
    "missing-request-id": Fault(
        "responses lack the X-Request-Id header", "response", asgi=_headers_without(b"x-request-id")
    ).breaking("response.request-id"),
    "flat-error-envelope": around(
        "400 bodies use the gateway's flat shape instead of the IMS envelope",
        "response",
        OPERATIONS,
        _flat_envelope,
    ).breaking("response.ims-envelope"),
    "bad-error-code": around(
        "400 bodies carry codes like IMS.0003 instead of IMG.xxxx", "response", OPERATIONS, _ims_codes
    ).breaking("response.ims-envelope"),
    "create-returns-201": around(
        "a successful create answers 201 instead of 200", "response", CREATE, _created_201
    ).breaking("response.create"),
    "text-plain-responses": Fault(
        "JSON bodies are sent with Content-Type text/plain", "response", asgi=_text_plain
    ).breaking("op.create", "op.list", "op.job", "op.job-progress", "op.delete", "op.quota"),
    "server-error-on-empty-tag-value": around(
        "a tag with an empty value makes create answer 500", "response", CREATE, _server_error_on_empty_tag_value
    ).breaking("create.tags", "create.image_tags", "op.create"),
    # Authentication (`auth.*`).
    "ignore-auth": auth_policy("requests without credentials are served", "request", anonymous=True).breaking(
        "auth.refused"
    ),
    "accept-any-token": auth_policy(
        "any non-empty X-Auth-Token is accepted", "request", credential_match="any"
    ).breaking("auth.token", "auth.refused"),
    "aksk-ignores-query": auth_policy(
        "AK/SK verification leaves the query string out of the canonical request",
        "policy",
        query_in_canonical_request=False,
    ).breaking("auth.aksk"),
    "accept-bad-signature": auth_policy(
        "AK/SK signatures are not verified", "rule-off", verify_signature=False
    ).breaking("auth.aksk", "auth.refused", "auth.aksk.date", "auth.aksk.project"),
    "ignore-clock-skew": auth_policy(
        "an X-Sdk-Date hours away from the server's clock is accepted", "limit", max_clock_skew=math.inf
    ).breaking("auth.aksk.date"),
    "auth-error-ims-shape": Fault(
        "401 bodies use the IMS envelope instead of the gateway's", "response", asgi=_auth_error_ims_shape
    ).breaking("response.gateway-envelope"),
    "cross-project-jobs": Fault(
        "jobs of other projects can be read", "request", layer=Layer(frozenset(JOBS), _served_as_job_owner)
    ).breaking("job.unknown"),
    # The job lifecycle (`job.*`).
    # A job RUNNING again keeps its end_time: job.fields is broken too, and may be seen first.
    "job-status-backwards": stateful(
        "a finished job reports RUNNING again on every second query", JOBS, _status_backwards
    ).breaking("job.status", "job.fields"),
    "job-not-found-at-first": stateful("a new job is 404 on its first query", JOBS, _not_found_at_first).breaking(
        "job.queryable"
    ),
    "job-never-ends": config_value("jobs never end (INIT forever)", "limit", job_seconds=math.inf).breaking(
        "job.status"
    ),
    "success-without-image-id": rewrite_json(
        "a SUCCESS job has no entities.image_id", JOBS, _without_image_id
    ).breaking("job.success"),
    "fail-without-error-code": rewrite_json(
        "a FAIL job has error_code and fail_reason null", JOBS, _no_failure_details
    ).breaking("job.fail"),
    "end-time-null-while-running": rewrite_json(
        "end_time is null instead of an empty string while the job runs",
        JOBS,
        _job_field("end_time", None, lambda job: not _ended(job)),
    ).breaking("job.fields"),
    # 0 once ended: a fall from 99 where a poll saw it running, else (a poll only after the end) not
    # the 100 the mock's scale reads at the end.
    "progress-goes-down": rewrite_json(
        "process_percent goes down once the job has ended (0 after 99)", ("showJobProgress",), _percent_0_at_end
    ).breaking("job.progress", "job.progress.scale"),
    "formats-without-zvhd": config_value(
        "zvhd and zvhd2 image files fail (the formats only Huawei documents)",
        "policy",
        image_formats=SUPPORTED_FORMATS - {"zvhd", "zvhd2"},
    ).breaking("job.fail", "job.success"),
    "unsupported-format-succeeds": config_value(
        "an image file with an unsupported extension still succeeds", "policy", image_formats=None
    ).breaking("job.fail"),
    "wrong-job-type": rewrite_json(
        "job_type is imsCreateImageJob instead of imsImportDataImageJob",
        JOBS,
        _job_field("job_type", "imsCreateImageJob", lambda _job: True),
    ).breaking("job.fields"),
    # listImages and deleteImage (`list.*`, `delete.*`).
    "image-not-listed": rewrite_json(
        "an image whose job succeeded is missing from listImages", ("listImages",), _set("images", [])
    ).breaking("job.success"),
    "list-ignores-name": around(
        "listImages ignores the name filter", "request", ("listImages",), _ignoring("name")
    ).breaking("list.name", "job.success"),
    "image-wrong-min-disk": rewrite_json(
        "listImages shows min_disk 40 whatever was requested", ("listImages",), _each_image(_set("min_disk", 40))
    ).breaking("job.success", "create.min_disk"),
    "image-tags-dropped": rewrite_json(
        "listImages shows no tags", ("listImages",), _each_image(_set("tags", []))
    ).breaking("job.success", "create.tags", "create.image_tags"),
    "image-name-truncated": rewrite_json(
        "listImages shows names cut to 64 characters", ("listImages",), _each_image(_cut("name", 64))
    ).breaking("job.success", "create.name.length"),
    "image-description-ascii-only": rewrite_json(
        "listImages shows each non-ASCII character of a description as ?",
        ("listImages",),
        _each_image(_ascii_only("__description")),
    ).breaking("job.success", "create.length.unit"),
    "image-min-disk-capped": rewrite_json(
        "listImages shows min_disk capped at 1024", ("listImages",), _each_image(_cap("min_disk", 1024))
    ).breaking("job.success", "create.min_disk"),
    "image-not-active": rewrite_json(
        "listImages shows a created image as queued", ("listImages",), _each_image(_set("status", "queued"))
    ).breaking("job.success"),
    # It reverses every answer, whatever order was asked: list.sort is broken too.
    "list-oldest-first": rewrite_json(
        "listImages lists the oldest image first", ("listImages",), lambda listing: listing["images"].reverse()
    ).breaking("list.order", "list.sort"),
    "list-ignores-limit": around(
        "listImages returns every image whatever the limit", "request", ("listImages",), _ignores_limit
    ).breaking("list.paging"),
    "list-ignores-marker": around(
        "listImages starts every page at the newest image, ignoring marker", "request", ("listImages",), _ignores_marker
    ).breaking("list.paging"),
    "delete-keeps-image": stateful(
        "deleteImage answers 204 but the image stays listed", ("deleteImage",), _keeps_deleted_images
    ).breaking("delete.gone"),
    "list-name-prefix": around(
        "listImages?name= matches every name that starts with it", "request", ("listImages",), _name_prefix_matches
    ).breaking("list.name"),
    "default-os-type-windows": limit("an image created without os_type is Windows", default_os_type="Windows").breaking(
        "create.os_type"
    ),
    "format-case-sensitive": config_value(
        "image file extensions are compared case-sensitively (disk.QCOW2 fails)", "policy", image_formats_any_case=False
    ).breaking("job.success", "job.fail"),
    "job-outcome-forgotten-later": stateful(
        "a job queried a second or more after it ended reports RUNNING again", JOBS, _outcome_forgotten_later
    ).breaking("job.status"),
    "token-loosely-matched": auth_policy(
        "a token with a character more or less, or in another case, is accepted", "request", credential_match="loose"
    ).breaking("auth.token"),
    "narrow-clock-window": auth_policy(
        "X-Sdk-Date must be within 60 s of the server's clock, not 15 minutes", "limit", max_clock_skew=60.0
    ).breaking("auth.aksk.date"),
    "slow-on-deep-nesting": around(
        f"a create body nested over 100 deep is answered only after {SLOW_SECONDS:g} s",
        "request",
        CREATE,
        _slow_on_deep_nesting,
    ).breaking("response.time"),
    "os-type-code-of-another-meaning": around(
        "an invalid os_type answers IMG.0015 (Huawei's code for a full image quota), not IMG.0056",
        "response",
        CREATE,
        _recode("IMG.0056", "IMG.0015"),
    ).breaking("create.os_type"),
    "host-need-not-be-signed": auth_policy(
        "a signature that does not sign Host is accepted", "policy", host_signed=False
    ).breaking("auth.aksk.host"),
    "temporary-key-without-token": auth_policy(
        "a temporary (STS) access key is accepted without its X-Security-Token", "policy", temporary_token=False
    ).breaking("auth.aksk.temporary"),
    "quota-used-frozen": rewrite_json(
        "showImageQuota always reports 0 images used", ("showImageQuota",), _quota_used_zero
    ).breaking("op.quota"),
    # The image and the list as Huawei serves them (`image.*`, `list.*`).
    "list-ignores-filters": around(
        "listImages honours only name, id, __imagetype, virtual_env_type, limit and marker, ignoring every other"
        " documented filter",
        "request",
        ("listImages",),
        _keeping_query("name", "id", "__imagetype", "virtual_env_type", "limit", "marker", "sort_key", "sort_dir"),
    ).breaking("list.filters"),
    "list-ignores-sort": around(
        "listImages ignores sort_key and sort_dir (always newest first)",
        "request",
        ("listImages",),
        _ignoring("sort_key", "sort_dir"),
    ).breaking("list.sort"),
    "list-ignores-time-filters": around(
        "listImages ignores created_at and updated_at",
        "request",
        ("listImages",),
        _ignoring("created_at", "updated_at"),
    ).breaking("list.time"),
    # The spec requires both: a schema error of op.list too.
    "image-without-owner-and-links": rewrite_json(
        "listImages shows no owner, self or active_at (fields the SDK always sets)",
        ("listImages",),
        _each_image(_drop("owner", "self", "active_at")),
    ).breaking("image.fields", "op.list"),
    "image-forgets-its-references": rewrite_json(
        "listImages shows no __system__cmkid and no enterprise_project_id: Terraform sees drift",
        ("listImages",),
        _each_image(_drop("__system__cmkid", "enterprise_project_id")),
    ).breaking("image.origin"),
    "v2-1-create-missing": around(
        "the documented v2.1 create path answers 404 APIGW.0101", "request", ("createDataImageV2_1",), _v21_missing
    ).breaking("op.create-v2.1"),
    "v2-1-clamps-min-disk": around(
        "the v2.1 create accepts any integer min_disk, clamped to 40..2048",
        "request",
        ("createDataImageV2_1",),
        _v21_clamps_min_disk,
    ).breaking("op.create-v2.1", "create.min_disk"),
}

FAULTS: dict[str, str] = {name: fault.description for name, fault in REGISTRY.items()}
