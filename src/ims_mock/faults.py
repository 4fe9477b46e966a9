"""The registry of deliberate contract violations the mock can be started with.

Each fault is one deviation from docs/contract.md, used to prove that the contract suite catches it.
Faults are off by default and are switched on only by `--fault NAME` or `IMS_MOCK_FAULTS` when the
server starts; no request can switch one on. The code that plants a fault is marked
`# Planted bug: <name>` where it branches on it.
"""

from __future__ import annotations

from collections.abc import Iterable

FAULTS: dict[str, str] = {
    # Request rules wrongly accepted (`create.*`).
    "accept-min-disk-39": "min_disk lower bound off by one: 39 is accepted",
    "accept-min-disk-2049": "min_disk upper bound off by one: 2049 is accepted",
    "accept-fractional-min-disk": "min_disk 40.5 is accepted (truncated to 40)",
    "accept-string-min-disk": 'min_disk "40" (a string) is accepted',
    "accept-name-129": "name may have 129 characters",
    "accept-name-edge-spaces": "name may start or end with a space",
    "accept-unicode-name": "name may contain non-ASCII letters",
    "accept-name-punctuation": "name may contain punctuation such as ! and <",
    "accept-description-1025": "description may have 1025 characters",
    "accept-description-angle-brackets": "description may contain < and >",
    "accept-any-os-type": "os_type is not checked (e.g. 'linux' is accepted)",
    "accept-bad-image-url": "image_url is not checked beyond being a string",
    "accept-both-tag-fields": "tags and image_tags may be sent together",
    "accept-11-tags": "11 tags are accepted",
    "accept-duplicate-tag-keys": "tag keys may repeat within a list",
    "accept-long-tag-key": "tag keys may have 37 or more characters",
    "accept-image-tag-extra-property": "image_tags objects may carry unknown properties",
    "accept-unknown-property": "unknown body properties are ignored instead of rejected",
    "accept-null-field": "null for an optional field is treated as absent",
    "accept-bad-enterprise-project-id": "enterprise_project_id is not checked",
    "accept-wrong-content-type": "a create body sent as text/plain is accepted",
    "reject-json-charset": "Content-Type application/json; charset=UTF-8 is rejected",
    "accept-empty-cmk-id": 'cmk_id "" is accepted',
    "no-body-limit": "bodies over 12 MiB are read and judged instead of refused with 413",
    # Request rules wrongly rejected.
    "reject-min-disk-2048": "min_disk upper bound off by one: 2048 is rejected",
    "reject-integral-float-min-disk": "min_disk 40.0 is rejected",
    "reject-name-128": "name of 128 characters is rejected",
    "reject-name-inner-space": "names with inner spaces are rejected",
    "reject-unicode-description": "descriptions with non-ASCII characters are rejected",
    "reject-tag-without-dot": 'a tag with no "." (a key with an empty value) is rejected',
    "reject-tag-value-with-dots": "tag values containing dots are rejected",
    "reject-empty-tag-list": "an empty tags list is rejected",
    "require-description": "a body without description is rejected",
    "reject-windows-os-type": 'os_type "Windows" is rejected',
    "reject-object-key-with-slash": "image_url object keys containing / are rejected",
    "reject-cmk-id-255": "cmk_id of 255 characters is rejected",
    "reject-enterprise-project-id-zero": 'enterprise_project_id "0" is rejected',
    "reject-image-tag-without-value": "image_tags objects without a value are rejected",
    # Response shapes and headers (section 3).
    "dashed-job-id": "job_id is a dashed UUID instead of 32 lowercase hex digits",
    "missing-request-id": "responses lack the X-Request-Id header",
    "flat-error-envelope": "400 bodies use the gateway's flat shape instead of the IMS envelope",
    "bad-error-code": "400 bodies carry codes like IMS.0003 instead of IMG.xxxx",
    "create-returns-201": "a successful create answers 201 instead of 200",
    "text-plain-responses": "JSON bodies are sent with Content-Type text/plain",
    "server-error-on-empty-tag-value": "a tag with an empty value makes create answer 500",
    # Authentication (section 5).
    "ignore-auth": "requests without credentials are served",
    "accept-any-token": "any non-empty X-Auth-Token is accepted",
    "aksk-ignores-query": "AK/SK verification leaves the query string out of the canonical request",
    "accept-bad-signature": "AK/SK signatures are not verified",
    "ignore-clock-skew": "an X-Sdk-Date hours away from the server's clock is accepted",
    "auth-error-ims-shape": "401 bodies use the IMS envelope instead of the gateway's",
    "cross-project-jobs": "jobs of other projects can be read",
    # The job lifecycle (section 4).
    "job-status-backwards": "a finished job reports RUNNING again on every second query",
    "job-not-found-at-first": "a new job is 404 on its first query",
    "job-never-ends": "jobs stay RUNNING forever",
    "success-without-image-id": "a SUCCESS job has no entities.image_id",
    "fail-without-error-code": "a FAIL job has error_code and fail_reason null",
    "end-time-null-while-running": "end_time is null instead of an empty string while the job runs",
    "progress-not-100-at-end": "process_percent stays at 99 once the job has ended",
    "unsupported-format-succeeds": "an image file with an unsupported extension still succeeds",
    "wrong-job-type": "job_type is imsCreateImageJob instead of imsImportDataImageJob",
    # listImages and deleteImage.
    "image-not-listed": "an image whose job succeeded is missing from listImages",
    "list-ignores-name": "listImages ignores the name filter",
    "image-wrong-min-disk": "listImages shows min_disk 40 whatever was requested",
    "image-tags-dropped": "listImages shows no tags",
    "image-not-active": "listImages shows a created image as queued",
    "list-oldest-first": "listImages lists the oldest image first",
    "list-ignores-limit": "listImages returns every image whatever the limit",
    "list-ignores-marker": "listImages starts every page at the newest image, ignoring marker",
    "delete-keeps-image": "deleteImage answers 204 but the image stays listed",
    "delete-gone-image-204": "deleting an image that is gone answers 204 instead of 404",
}


def parse_faults(names: Iterable[str]) -> frozenset[str]:
    """Validate fault names (whitespace and empty entries ignored); raise ValueError for unknown ones."""
    chosen = frozenset(name.strip() for name in names if name.strip())
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)}; see `ims-mock --list-faults`")
    return chosen


def describe() -> str:
    """Every fault with its description, one per line, for `ims-mock --list-faults`."""
    width = max(map(len, FAULTS))
    return "\n".join(f"{name:<{width}}  {text}" for name, text in FAULTS.items())
