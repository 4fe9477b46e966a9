"""Variants: choices the contract leaves open, made differently.

Not faults: a server with them conforms, and the contract suite must pass against it
(tests/test_contract_suite.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Callable
from typing import Any

from ims_mock import errors, jsonbody
from ims_mock.app import Call, Dispatch, Handler, ImsMockApp, Response, Scope
from ims_mock.config import MockConfig
from ims_mock.faults.layers import (
    ASGIApp,
    Fault,
    Headers,
    Layer,
    ResponseRewrite,
    _create_rules,
    around,
    rewrite_json,
)
from ims_mock.faults.operations import CREATE, JOBS, _gone_is_204, _recode
from ims_mock.images import ENUMS
from ims_mock.routes import OPERATIONS
from ims_mock.rules import NAME_WITH_CHINESE, RULES

# The rules whose code is open ("any IMG" in docs/contract.md): the create rules by their id in
# rules.RULES, and the list's query and marker rules.
_ANY_CODE_RULES = frozenset(
    {
        "body.unknown-property",
        "body.null",
        "cmk_id.invalid",
        "enterprise_project_id.invalid",
        "tags.both",
        errors.BAD_QUERY.rule,
        errors.BAD_MARKER.rule,
    }
)
if not _ANY_CODE_RULES - {errors.BAD_QUERY.rule, errors.BAD_MARKER.rule} <= RULES.keys():
    raise RuntimeError("other-img-codes names a create rule rules.RULES does not have")  # caught at import


async def _other_codes(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    if response.error is None or response.error.rule not in _ANY_CODE_RULES:
        return response
    payload = response.json()
    payload["error"]["code"] = "IMG.0999"
    return Response.of_json(400, payload, response.headers)


# A tag key or value where a region widens the international characters: anything but these and CJK.
_REGIONAL_TAG = "[^=*<>\\\\,|/\u4e00-\u9fff]{{{},{}}}"


# The values a filter takes (not the sort ones: an unknown sort key cannot match nothing).
_FILTER_ENUMS = {key: values for key, values in ENUMS.items() if not key.startswith("sort_")}


async def _unknown_enum_matches_nothing(call: Call, call_next: Handler) -> Response:
    if any(key in _FILTER_ENUMS and value not in _FILTER_ENUMS[key] for key, value in call.query):
        return Response.of_json(200, {"images": []})
    return await call_next(call)


async def _references_must_exist(call: Call, call_next: Handler) -> Response:
    # A live account has no such KMS key or enterprise project: the form is right, the resource is not there.
    try:
        body = jsonbody.parse(call.body)
    except errors.ImsError:
        return await call_next(call)  # the core answers a body it cannot read
    if isinstance(body, dict) and (
        isinstance(body.get("cmk_id"), str) or body.get("enterprise_project_id") not in (None, "0")
    ):
        return Response.of_json(
            400, {"error": {"code": "IMG.0998", "message": "The referenced resource does not exist."}}
        )
    return await call_next(call)


def _other_failure_code(job: dict[str, Any]) -> None:
    if job["status"] == "FAIL":
        job["error_code"] = "IMG.0998"


def _apig_prefix(app: ASGIApp, _config: MockConfig) -> ASGIApp:
    def rewrite(_scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        if b'"error_code":"APIGW.' not in body:
            return status, headers, body
        return status, headers, body.replace(b'"error_code":"APIGW.', b'"error_code":"APIG.', 1)

    return ResponseRewrite(app, rewrite)


def _percent_as_fraction(job: dict[str, Any]) -> None:
    entities = job.get("entities")
    if isinstance(entities, dict) and isinstance(entities.get("process_percent"), int | float):
        entities["process_percent"] = round(entities["process_percent"] / 100, 4)


async def _unknown_job_400(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    return dataclasses.replace(response, status=400) if response.status == 404 else response


def _lagging_delete(seconds: float) -> Callable[[ImsMockApp], Dispatch]:
    """Deletes answer 204 at once and take effect `seconds` later, as Terraform's provider allows."""

    def make(core: ImsMockApp) -> Dispatch:
        due: dict[tuple[str, str], float] = {}  # (project, image) -> when the delete takes effect

        async def dispatch(call: Call, call_next: Handler) -> Response:
            for (project_id, image_id), when in list(due.items()):
                if when <= call.now:
                    del due[(project_id, image_id)]
                    with contextlib.suppress(errors.ImsError):
                        core.store.delete_image(project_id, image_id, call.now)
            if call.operation != "deleteImage":
                return await call_next(call)
            key = (call.project.project_id, call.params["image_id"].lower())
            if key in due:
                return Response(204, None)
            owned = {image.image_id for image in core.store.project_images(key[0], call.now)}
            if key[1] not in owned:
                return await call_next(call)
            due[key] = call.now + seconds
            return Response(204, None)

        return dispatch

    return make


VARIANTS: dict[str, Fault] = {
    "os-type-code-0122": around(
        "an invalid os_type answers IMG.0122 (the table's other code for an invalid OS type)",
        "variant",
        CREATE,
        _recode("IMG.0056", "IMG.0122"),
    ),
    "gateway-prefix-apig": Fault(
        "the gateway's codes read APIG.dddd, as Huawei's API Gateway guide shows them", "variant", asgi=_apig_prefix
    ),
    "second-delete-204": around(
        "deleting an image that is not there answers 204, as Terraform's provider expects",
        "variant",
        ("deleteImage",),
        _gone_is_204,
    ),
    "delete-lags": Fault(
        "a deleted image stays listed for 2 s after its 204",
        "variant",
        layer=Layer(frozenset(OPERATIONS), _lagging_delete(2.0)),
    ),
    "process-percent-fraction": Fault(
        "process_percent is a fraction from 0 to 1, as every documented example is",
        "variant",
        layer=rewrite_json("", JOBS, _percent_as_fraction).layer,
    ),
    "unknown-job-400": around(
        "an unknown job answers 400, not 404 (the job pages document no 404)", "variant", JOBS, _unknown_job_400
    ),
    "chinese-names": Fault(
        "names may contain Chinese characters (the Chinese edition's rule)",
        "variant",
        _create_rules(lambda policy: dataclasses.replace(policy, name=NAME_WITH_CHINESE)),
    ),
    "windows-refused": Fault(
        'os_type "Windows" is refused with IMG.0056 (current pages: no Windows data images here)',
        "variant",
        _create_rules(lambda policy: dataclasses.replace(policy, os_types=frozenset({"Linux"}))),
    ),
    "regional-tag-characters": Fault(
        "tag keys and values may hold any character but =*<>\\,|/ and Chinese ones (as some regions allow)",
        "variant",
        _create_rules(
            lambda policy: dataclasses.replace(
                policy,
                tag_key=re.compile(_REGIONAL_TAG.format(1, 36)),
                tag_value=re.compile(_REGIONAL_TAG.format(0, 43)),
            )
        ),
    ),
    "object-key-spaces": Fault(
        "object keys may contain spaces (not refused with IMG.0175)",
        "variant",
        _create_rules(lambda p: dataclasses.replace(p, off=p.off | {"image_url.spaces"})),
    ),
    "project-id-required": Fault(
        "a signature without X-Project-Id is refused (401)",
        "variant",
        lambda c: dataclasses.replace(c, auth=dataclasses.replace(c.auth, project_id_required=True)),
    ),
    "references-must-exist": around(
        "a create naming any KMS key (cmk_id) or enterprise project but 0 is refused: none exists here",
        "variant",
        CREATE,
        _references_must_exist,
    ),
    "other-failure-code": Fault(
        "a failed job carries IMG.0998, not IMG.0057 (the live code is open)",
        "variant",
        layer=rewrite_json("", JOBS, _other_failure_code).layer,
    ),
    "other-img-codes": around(
        "rules with no documented code answer IMG.0999 (any IMG code conforms)",
        "variant",
        (*CREATE, "listImages"),
        _other_codes,
    ),
    "unknown-list-enum-empty": around(
        "listImages answers a filter value outside its documented set with an empty list, not 400",
        "variant",
        ("listImages",),
        _unknown_enum_matches_nothing,
    ),
}
