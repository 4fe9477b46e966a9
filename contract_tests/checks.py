"""The contract's own response checks, beyond what Schemathesis's built-in checks know.

Each check is one small function `(ctx, response, case)` registered with Schemathesis, and also
callable on its own: `assert_*` helpers take a status code, headers and body, so the hand-written
tests use exactly the same rules. A failure message says what was expected and what came back.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import schemathesis

IMG_CODE = re.compile(r"IMG\.[0-9]{4}")
# Huawei's own pages show the gateway's codes as APIGW.0301 and as APIG.0301: both are the gateway's.
APIGW_CODE = re.compile(r"APIGW?\.([0-9]{4})")
JOB_ID = re.compile(r"[0-9a-f]{32}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JOB_STATUSES = ("INIT", "RUNNING", "SUCCESS", "FAIL")
JOB_TYPE = "imsImportDataImageJob"
AnyCase = schemathesis.Case[Any]


class Violation(AssertionError):
    """A failed check that names the rules it enforces: the report card blames those, and no others."""

    def __init__(self, message: str, *rules: str) -> None:
        super().__init__(message)
        self.rules = rules


# This suite's Schemathesis checks, each registered with the rules it enforces (`enforces`).
CHECK_RULES: dict[str, tuple[str, ...]] = {}

Check = Callable[[schemathesis.CheckContext, schemathesis.Response, Any], "bool | None"]


def enforces(*rules: str) -> Callable[[Check], Check]:
    """Register a Schemathesis check together with the rules of docs/contract.md it enforces.

    A failed assertion inside the check becomes a Violation naming those rules (one that names its
    own rules, more precisely, stays as it is), so the card's blame comes from here, never from
    matching the failure's title.
    """

    def register(check: Check) -> Check:
        @functools.wraps(check)
        def enforced(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Any) -> bool | None:
            try:
                return check(ctx, response, case)
            except Violation:
                raise
            except AssertionError as error:
                raise Violation(str(error), *rules) from error

        CHECK_RULES[check.__name__] = rules
        return schemathesis.check(enforced)

    return register


# The create rule a documented code names: a refusal of a body the contract allows breaks that
# rule, whichever rule the test was about (a server that wants a description refuses every body
# without one, `name` edges included, with the description's code).
RULE_OF_CODE = {
    "IMG.0002": ("create.name.length",),
    "IMG.0003": ("create.name.charset",),
    "IMG.0013": ("create.name.required",),
    "IMG.0004": ("create.description.length",),
    "IMG.0054": ("create.description.charset",),
    "IMG.0017": ("create.image_url",),
    "IMG.0109": ("create.image_url",),
    "IMG.0175": ("create.image_url",),
    "IMG.0055": ("create.min_disk",),
    "IMG.0056": ("create.os_type",),
    "IMG.0122": ("create.os_type",),
    "IMG.0115": ("create.tags", "create.image_tags"),
    "IMG.0116": ("create.tags", "create.image_tags"),
}


def refused_code(text: str) -> str | None:
    """The IMG code of an IMS-envelope refusal, if `text` is one."""
    try:
        body = json.loads(text)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None


def require(holds: object, message: str, *rules: str) -> None:
    """Raise Violation(`message`, *`rules`) unless `holds`."""
    if not holds:
        raise Violation(message, *rules)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise AssertionError(f"expected a JSON body, got {text[:200]!r}") from None


def assert_request_id(headers: Mapping[str, str]) -> None:
    """Every response carries a non-empty X-Request-Id (`response.request-id`)."""
    value = next((v for k, v in headers.items() if k.lower() == "x-request-id"), "")
    require(value.strip(), "expected an X-Request-Id header on every response, got none", "response.request-id")


def assert_ims_error(status: int, text: str) -> dict[str, Any]:
    """A service error: {"error": {"code": "IMG.dddd", "message": "..."}}; returns the error."""
    rule = "response.ims-envelope"
    body = _json(text)
    error = body.get("error") if isinstance(body, dict) else None
    require(
        isinstance(error, dict),
        f"expected the IMS envelope {{'error': {{'code', 'message'}}}} on {status}, got {body!r}",
        rule,
    )
    assert isinstance(error, dict)
    code = error.get("code")
    require(
        isinstance(code, str) and IMG_CODE.fullmatch(code),
        f"expected error.code IMG.dddd on {status}, got {code!r}",
        rule,
    )
    require(isinstance(error.get("message"), str), f"expected a string error.message on {status}, got {error!r}", rule)
    return error


def assert_gateway_error(status: int, text: str, code: str | None = None) -> dict[str, Any]:
    """A gateway error: {"error_code": "APIGW.dddd", "error_msg": "...", "request_id": "..."}.

    `code` (`APIGW.0301`) matches either prefix, `APIGW.0301` or `APIG.0301`.
    """
    rule = "response.gateway-envelope"
    body = _json(text)
    require(isinstance(body, dict), f"expected the gateway envelope on {status}, got {body!r}", rule)
    got = body.get("error_code")
    found = APIGW_CODE.fullmatch(got) if isinstance(got, str) else None
    require(found, f"expected error_code APIGW.dddd (or APIG.dddd) on {status}, got {body!r}", rule)
    assert found is not None
    if code is not None:
        wanted = APIGW_CODE.fullmatch(code)
        require(
            wanted and found.group(1) == wanted.group(1), f"expected error_code {code} on {status}, got {got}", rule
        )
    require(isinstance(body.get("error_msg"), str), f"expected a string error_msg on {status}, got {body!r}", rule)
    require(isinstance(body.get("request_id"), str), f"expected a string request_id on {status}, got {body!r}", rule)
    envelope: dict[str, Any] = body
    return envelope


def assert_job(body: Any) -> dict[str, Any]:
    """A job as `job.fields`, `job.success`, `job.fail`, `job.entities` and `job.progress` describe it.

    Each check names its rule (checks.Violation), so the card blames that rule and not every rule
    of the test that queried the job.
    """
    require(isinstance(body, dict), f"expected a job object, got {body!r}", "job.fields")
    for name in ("job_id", "job_type", "status", "begin_time", "end_time"):
        require(name in body, f"expected the job field {name!r}, got {sorted(body)}", "job.fields")
    job_id, job_type = str(body["job_id"]), body["job_type"]
    require(JOB_ID.fullmatch(job_id), f"expected job_id of 32 lowercase hex, got {job_id!r}", "job.fields")
    require(job_type == JOB_TYPE, f"expected job_type {JOB_TYPE!r}, got {job_type!r}", "job.fields")
    status = body["status"]
    require(status in JOB_STATUSES, f"expected status in {JOB_STATUSES}, got {status!r}", "job.status")
    ended = status in ("SUCCESS", "FAIL")
    end_time = body["end_time"]
    if ended:
        require(
            isinstance(end_time, str) and end_time,
            f"expected an end_time once {status}, got {end_time!r}",
            "job.fields",
        )
    else:
        require(end_time == "", f'expected end_time "" while {status}, got {end_time!r}', "job.fields")
    entities = body.get("entities") or {}
    require(isinstance(entities, dict), f"expected entities to be an object, got {entities!r}", "job.entities")
    if status == "SUCCESS":
        image_id = entities.get("image_id")
        require(
            isinstance(image_id, str) and UUID.fullmatch(image_id),
            f"expected entities.image_id (a UUID) on SUCCESS, got {entities!r}",
            "job.success",
        )
    if status == "FAIL":
        require(body.get("error_code") is not None, f"expected a non-null error_code on FAIL, got {body!r}", "job.fail")
        require(
            body.get("fail_reason") is not None, f"expected a non-null fail_reason on FAIL, got {body!r}", "job.fail"
        )
    for name in ("image_id", "image_name", "current_task", "error_code", "error", "subJobId"):
        value = entities.get(name)
        require(
            not isinstance(value, int | float | bool | list | dict),
            f"expected entities.{name} to be a string (the SDK's JobEntities), got {value!r}",
            "job.entities",
        )
    for name in ("results", "sub_jobs_result", "sub_jobs_list"):
        value = entities.get(name, [])
        require(isinstance(value, list), f"expected entities.{name} to be a list, got {value!r}", "job.entities")
    if "process_percent" in entities:  # no documented scale: a number, never negative (never down: Api.wait)
        percent = entities["process_percent"]
        require(
            isinstance(percent, int | float) and not isinstance(percent, bool) and percent >= 0,
            f"expected entities.process_percent to be a number of 0 or more, got {percent!r}",
            "job.progress",
        )
    job: dict[str, Any] = body
    return job


def _operation_id(case: AnyCase) -> str:
    return str(case.operation.definition.raw.get("operationId", ""))


@enforces("response.request-id")
def request_id_on_every_response(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """Every response carries X-Request-Id."""
    # Schemathesis gives header names in lowercase, each with a list of values.
    assert_request_id({name: ",".join(values) for name, values in response.headers.items()})
    return None


def assert_error_envelope(status: int, text: str) -> None:
    """The envelope `response.ims-envelope` or `response.gateway-envelope` gives each error status.

    400/403/500/503 carry the IMS envelope, except the gateway's own refusals (400 APIGW.0201 for a
    request it cannot read, 503 APIGW.0308 when it sheds load); 401/408/413/429 the gateway's; 404
    either (no job or image, or no API).
    """
    if status not in (400, 401, 403, 404, 408, 413, 429, 500, 503):
        return
    body = _json(text)
    gateway_shaped = isinstance(body, dict) and "error_code" in body
    if status == 404:
        # An unknown job or image is the service's 404 (any envelope: no code is documented for a
        # job); an unknown method and path, the gateway's (checked by wrong_method_is_404).
        if gateway_shaped:
            assert_gateway_error(status, text)
        else:
            assert_ims_error(status, text)
    elif status in (400, 503) and gateway_shaped:
        assert_gateway_error(status, text, "APIGW.0201" if status == 400 else "APIGW.0308")
    elif status in (400, 403, 500, 503):
        assert_ims_error(status, text)
    elif status in (401, 408, 413, 429):
        assert_gateway_error(status, text)


@enforces("response.ims-envelope", "response.gateway-envelope")
def error_envelopes(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase) -> bool | None:
    """Every error status carries the envelope `response.ims-envelope` or `response.gateway-envelope` gives it."""
    assert_error_envelope(response.status_code, response.text)
    return None


@enforces("response.wrong-method")
def wrong_method_is_404(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase) -> bool | None:
    """A method the path does not declare is an unknown API: 404 APIGW.0101, never 405 (`response.wrong-method`)."""
    if case.method.upper() != case.operation.method.upper() and response.status_code not in (401, 413, 429):
        assert response.status_code == 404, (
            f"expected 404 APIGW.0101 for {case.method.upper()} on {case.operation.path}, got {response.status_code}"
        )
        assert_gateway_error(404, response.text, "APIGW.0101")
    return None


@enforces("response.create")
def created_job_id_format(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase
) -> bool | None:
    """A successful create answers 200 with job_id of 32 lowercase hex digits."""
    if _operation_id(case) == "createDataImage" and 200 <= response.status_code < 300:
        assert_create_answer(response.status_code, response.text)
    return None


def assert_create_answer(status: int, text: str) -> str:
    """An accepted create: 200 with a job_id of 32 lowercase hex digits (`response.create`); the job id."""
    rule = "response.create"
    require(status == 200, f"expected 200 for an accepted create, got {status} {text[:200]}", rule)
    body = _json(text)
    job_id = body.get("job_id") if isinstance(body, dict) else None
    require(
        isinstance(job_id, str) and JOB_ID.fullmatch(job_id),
        f"expected job_id of 32 lowercase hex, got {text[:200]}",
        rule,
    )
    assert isinstance(job_id, str)
    return job_id


@enforces("job.fields", "job.status", "job.progress", "job.entities", "job.success", "job.fail")
def job_fields(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: AnyCase) -> bool | None:
    """A job answered by showJob or showJobProgress has the fields of `job.fields`."""
    operation = _operation_id(case)
    if operation in ("showJob", "showJobProgress") and response.status_code == 200:
        assert_job(_json(response.text))
    return None
