"""Authentication, the order of checks, and the wire-level rules.

The rules: `auth.*`, `response.*`, `create.content-type` and `create.body.size` of docs/contract.md.

Every request here must be refused (or only reads), so all of it is sent to any target.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from contract_tests.card import Card
from contract_tests.checks import assert_create_answer, assert_gateway_error, assert_ims_error, assert_request_id
from contract_tests.session import ContractSession
from contract_tests.signing import sdk_signed_headers
from contract_tests.target import Target

CREATE = "/v1/cloudimages/dataimages/action"
# The seed's body, description and all: a test of the wire should not also test which fields are optional.
VALID = json.dumps(
    {"name": "ct-protocol", "image_url": "image-test:fedora_data1.qcow2", "min_disk": 40, "description": "protocol"}
).encode()
JSON = {"Content-Type": "application/json"}
READS = [("GET", "/v2/cloudimages"), ("GET", "/v1/cloudimages/job/{job}")]


def _aksk(target: Target) -> tuple[str, str]:
    credentials = target.credentials
    if not (credentials.access_key and credentials.secret_key):
        pytest.skip("no AK/SK configured (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)")
    return credentials.access_key, credentials.secret_key


def _signed(
    target: Target,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    access_key: str | None = None,
    secret_key: str | None = None,
    project_id: str | None = None,
    when: datetime | None = None,
    without_project: bool = False,
    sign_host: bool = True,
) -> dict[str, str]:
    """Headers of a request signed by the official SDK's signer, with any part changed."""
    own_access_key, own_secret_key = _aksk(target)
    return sdk_signed_headers(
        method=method,
        url=target.url(path),
        headers=JSON if body else {},
        body=body,
        access_key=access_key or own_access_key,
        secret_key=secret_key or own_secret_key,
        project_id=None if without_project else project_id or target.credentials.project_id,
        when=when,
        sign_host=sign_host,
    )


def _expect_401(
    http: ContractSession, target: Target, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> None:
    response = http.request(method, target.url(path), headers=headers, data=body or None, timeout=30)
    with http.explain(response):
        assert_request_id(dict(response.headers))
        assert response.status_code == 401, (
            f"{method} {path}: expected 401 APIGW.0301, got {response.status_code} {response.text[:200]}"
        )
        body_json = assert_gateway_error(401, response.text, "APIGW.0301")
        assert body_json["request_id"], "expected a request_id in the 401 body"


OPERATIONS = [
    ("POST", CREATE, VALID),
    ("GET", "/v1/cloudimages/job/" + "0" * 32, b""),
    ("GET", "/v1/{project}/jobs/" + "0" * 32, b""),
    ("GET", "/v2/cloudimages", b""),
    ("DELETE", "/v2/images/{image}", b""),
]


@pytest.mark.rules("auth.refused", "response.gateway-envelope")
@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_refuses_a_request_without_credentials(
    target: Target, http: ContractSession, method: str, path: str, body: bytes
) -> None:
    path = path.format(project=target.credentials.project_id, image=http.unknown_image_id())
    _expect_401(http, target, method, path, JSON if body else {}, body)


@pytest.mark.rules("auth.token", "auth.refused")
@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_operation_refuses_a_wrong_token(
    target: Target, http: ContractSession, method: str, path: str, body: bytes
) -> None:
    path = path.format(project=target.credentials.project_id, image=http.unknown_image_id())
    _expect_401(http, target, method, path, {"X-Auth-Token": "not-a-valid-token", **(JSON if body else {})}, body)


@pytest.mark.rules("response.order")
def test_authentication_is_checked_before_the_body(target: Target, http: ContractSession) -> None:
    _expect_401(http, target, "POST", CREATE, {"X-Auth-Token": "not-a-valid-token", **JSON}, b"{not json")


@pytest.mark.rules("auth.aksk", "auth.aksk.project")
def test_a_valid_sdk_signature_is_accepted(target: Target, http: ContractSession) -> None:
    response = http.get(
        target.url("/v2/cloudimages?limit=1"), headers=_signed(target, "GET", "/v2/cloudimages?limit=1")
    )
    assert response.status_code == 200, (
        f"expected 200 for an SDK-signed request, got {response.status_code} {response.text[:200]}"
    )


@pytest.mark.rules("auth.aksk", "auth.aksk.date", "auth.aksk.project", "auth.refused")
@pytest.mark.parametrize(
    "change",
    ["wrong secret key", "stale date", "future date", "no project header", "other project", "unknown access key"],
)
def test_a_bad_signature_is_refused(target: Target, http: ContractSession, change: str) -> None:
    path = "/v2/cloudimages?limit=1"
    now = datetime.now(UTC)
    options: dict[str, dict[str, Any]] = {
        "wrong secret key": {"secret_key": "not-the-secret-key"},
        "stale date": {"when": now - timedelta(minutes=16)},
        "future date": {"when": now + timedelta(minutes=16)},
        "no project header": {},
        "other project": {"project_id": "f" * 32},
        "unknown access key": {"access_key": "NOSUCHACCESSKEY00000"},
    }
    headers = _signed(target, "GET", path, **options[change])
    if change == "no project header":
        headers.pop("X-Project-Id")
    _expect_401(http, target, "GET", path, headers)


@pytest.mark.rules("auth.aksk.host", "auth.refused")
def test_a_signature_that_does_not_sign_host_is_refused(target: Target, http: ContractSession) -> None:
    path = "/v2/cloudimages?limit=1"
    _expect_401(http, target, "GET", path, _signed(target, "GET", path, sign_host=False))


@pytest.mark.rules("auth.aksk.project-optional")
def test_a_signature_without_x_project_id_is_the_access_keys_own_project(
    target: Target, http: ContractSession, card: Card
) -> None:
    path = "/v2/cloudimages?limit=1"
    response = http.get(target.url(path), headers=_signed(target, "GET", path, without_project=True), timeout=30)
    if response.status_code == 200:
        return
    with http.explain(response):
        assert response.status_code == 401, f"expected 200 (or 401 where required), got {response.status_code}"
        assert_gateway_error(401, response.text, "APIGW.0301")
        if target.embedded:
            raise AssertionError("the mock takes a signature without X-Project-Id as the AK's own project (401)")
    last = http.last_exchange()
    card.observe(
        "auth.aksk.project-optional: a signature without X-Project-Id refused",
        "Huawei makes X-Project-Id optional but for dedicated clouds and AKs with several projects",
        last.as_curl() if last else "",
    )


@pytest.mark.rules("auth.aksk.temporary", "auth.refused")
@pytest.mark.parametrize("with_token", [True, False], ids=["with its token", "without it"])
def test_a_temporary_key_is_valid_with_its_security_token_and_only_with_it(
    target: Target, http: ContractSession, with_token: bool
) -> None:
    temporary = target.credentials.temporary_key()
    if temporary is None:
        pytest.skip("no temporary credentials (HUAWEICLOUD_SDK_SECURITY_TOKEN)")
    access_key, secret_key, security_token = temporary
    path = "/v2/cloudimages?limit=1"
    headers = sdk_signed_headers(
        method="GET",
        url=target.url(path),
        headers={},
        body=b"",
        access_key=access_key,
        secret_key=secret_key,
        project_id=target.credentials.project_id,
        security_token=security_token if with_token else None,
    )
    if not with_token:
        _expect_401(http, target, "GET", path, headers)
        return
    response = http.get(target.url(path), headers=headers, timeout=30)
    with http.explain(response):
        assert response.status_code == 200, f"expected 200 with the security token signed, got {response.status_code}"


@pytest.mark.rules("op.quota")
def test_the_image_quota_reads_as_documented(target: Target, http: ContractSession) -> None:
    response = http.get(target.url("/v1/cloudimages/quota"), headers=target.credential_headers(), timeout=30)
    with http.explain(response):
        assert response.status_code == 200, f"expected 200 from showImageQuota, got {response.status_code}"
        body = response.json()
        resources = body.get("quotas", {}).get("resources") if isinstance(body, dict) else None
        assert isinstance(resources, list), f"expected quotas.resources to be a list, got {body!r}"
        images = [entry for entry in resources if isinstance(entry, dict) and entry.get("type") == "image"]
        assert len(images) == 1, f"expected one quota entry of type image, got {resources!r}"
        for field in ("used", "quota"):
            value = images[0].get(field)
            assert isinstance(value, int) and not isinstance(value, bool) and value >= 0, (
                f"expected {field} to be a whole number of 0 or more, got {images[0]!r}"
            )


@pytest.mark.rules("auth.token", "auth.refused")
@pytest.mark.parametrize("change", ["extended", "truncated", "case changed"])
def test_a_token_altered_slightly_is_refused(target: Target, http: ContractSession, change: str) -> None:
    token = target.credentials.token
    if not token:
        pytest.skip("no token configured (IMS_AUTH_TOKEN)")
    altered = {"extended": token + "x", "truncated": token[:-1], "case changed": token.swapcase()}[change]
    if altered == token:
        pytest.skip("the token has no letters to change the case of")
    _expect_401(http, target, "GET", "/v2/cloudimages?limit=1", {"X-Auth-Token": altered})


@pytest.mark.rules("auth.aksk.date")
@pytest.mark.parametrize(("minutes", "accepted"), [(-14, True), (14, True), (-16, False), (16, False)])
def test_signed_dates_inside_the_15_minute_window_are_accepted_and_outside_refused(
    target: Target, http: ContractSession, minutes: int, accepted: bool
) -> None:
    _aksk(target)  # skips without AK/SK
    path = "/v2/cloudimages?limit=1"
    headers = _signed(target, "GET", path, when=datetime.now(UTC) + timedelta(minutes=minutes))
    if not accepted:
        _expect_401(http, target, "GET", path, headers)
        return
    response = http.get(target.url(path), headers=headers, timeout=30)
    with http.explain(response):
        assert response.status_code == 200, (
            f"expected 200 for a date {minutes:+} min from now (inside 15 min), got {response.status_code}"
        )


@pytest.mark.rules("auth.aksk.payload")
def test_a_signature_over_another_body_is_refused(target: Target, http: ContractSession) -> None:
    path = f"/v2/images/{http.unknown_image_id()}"
    headers = _signed(target, "DELETE", path, b'{"delete_backup": false}')
    _expect_401(http, target, "DELETE", path, headers, b'{"delete_backup": true}')


@pytest.mark.rules("auth.aksk")
def test_a_signature_over_another_query_is_refused(target: Target, http: ContractSession) -> None:
    headers = _signed(target, "GET", "/v2/cloudimages?limit=1")
    _expect_401(http, target, "GET", "/v2/cloudimages?limit=2", headers)


@pytest.mark.rules("auth.both")
def test_a_token_and_a_bad_signature_are_judged_by_the_token(target: Target, http: ContractSession) -> None:
    if not target.credentials.token:
        pytest.skip("no token configured (IMS_AUTH_TOKEN)")
    headers = _signed(target, "GET", "/v2/cloudimages", secret_key="not-the-secret-key")
    headers["X-Auth-Token"] = target.credentials.token
    response = http.get(target.url("/v2/cloudimages"), headers=headers)
    assert response.status_code == 200, f"expected the valid token to decide (200), got {response.status_code}"


@pytest.mark.rules("create.content-type")
@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded"], ids=["none", "text", "form"]
)
def test_a_create_that_is_not_application_json_is_400(
    target: Target, http: ContractSession, content_type: str | None
) -> None:
    headers = target.credential_headers()
    if content_type:
        headers["Content-Type"] = content_type
    request = http.prepare_request(requests.Request("POST", target.url(CREATE), headers=headers, data=VALID))
    if content_type is None:
        request.headers.pop("Content-Type", None)
    response = http.send(request, timeout=30)
    assert response.status_code == 400, f"expected 400 for Content-Type {content_type!r}, got {response.status_code}"
    assert_ims_error(400, response.text)


@pytest.mark.rules("create.content-type")
def test_a_json_content_type_with_parameters_is_accepted(target: Target, http: ContractSession) -> None:
    if not target.creates_allowed():
        pytest.skip(f"IMS_MAX_CREATES={target.max_creates}: creates that would be accepted are not sent")
    headers = {"Content-Type": "application/json; charset=UTF-8", **target.credential_headers()}
    response = http.post(target.url(CREATE), data=VALID, headers=headers, timeout=30)
    with http.explain(response):
        if 200 <= response.status_code < 300:  # accepted: whether the answer is right is `response.create`'s
            assert_create_answer(response.status_code, response.text)
            return
        raise AssertionError(f"expected 200 for application/json; charset=UTF-8, got {response.status_code}")


BAD_BODIES = [
    ("malformed", b'{"name": "a", ', "IMG.0001"),
    ("duplicate keys", b'{"name": "a", "name": "b", "image_url": "image-test:x.qcow2", "min_disk": 40}', "IMG.0001"),
    ("empty", b"", "IMG.0007"),
    ("array", b"[]", None),
    ("deep nesting", b'{"name": ' + b"[" * 2000 + b"]" * 2000 + b"}", None),
    ("invalid UTF-8", b'{"name": "\xff", "image_url": "image-test:x.qcow2", "min_disk": 40}', None),
]


@pytest.mark.rules("create.body.object", "response.request-id")
@pytest.mark.parametrize(("raw", "code"), [b[1:] for b in BAD_BODIES], ids=[b[0] for b in BAD_BODIES])
def test_a_bad_body_is_400_with_an_img_code(
    target: Target, http: ContractSession, raw: bytes, code: str | None
) -> None:
    response = http.post(target.url(CREATE), data=raw, headers={**JSON, **target.credential_headers()}, timeout=30)
    assert_request_id(dict(response.headers))
    assert response.status_code == 400, f"expected 400, got {response.status_code} {response.text[:200]}"
    error = assert_ims_error(400, response.text)
    if code:
        assert error["code"] == code, f"expected {code}, got {error['code']}"


@pytest.mark.rules("create.body.size", "response.gateway-envelope")
def test_a_body_over_12_mib_is_413(target: Target, http: ContractSession) -> None:
    raw = b'{"name": "' + b"a" * (12 * 1024 * 1024) + b'"}'
    response = http.post(target.url(CREATE), data=raw, headers={**JSON, **target.credential_headers()}, timeout=60)
    assert_request_id(dict(response.headers))
    assert response.status_code == 413, f"expected 413 APIGW.0201 for a 12 MiB+ body, got {response.status_code}"
    assert_gateway_error(413, response.text, "APIGW.0201")


@pytest.mark.rules("response.wrong-method", "response.gateway-envelope")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", CREATE),
        ("PUT", CREATE),
        ("POST", "/v2/cloudimages"),
        ("PATCH", "/v2/images/{image}"),
        ("GET", "/v3/nothing"),
    ],
)
def test_an_unknown_method_or_path_is_404_apigw_0101(
    target: Target, http: ContractSession, method: str, path: str
) -> None:
    path = path.format(image=http.unknown_image_id())
    response = http.request(method, target.url(path), headers=target.credential_headers(), timeout=30)
    assert_request_id(dict(response.headers))
    assert response.status_code == 404, f"{method} {path}: expected 404 APIGW.0101, got {response.status_code}"
    assert_gateway_error(404, response.text, "APIGW.0101")


@pytest.mark.rules("list.paging", "list.query")
@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"marker": str(uuid.uuid4())}])
def test_a_bad_list_query_is_400(target: Target, http: ContractSession, params: dict[str, int | str]) -> None:
    response = http.get(target.url("/v2/cloudimages"), params=params, headers=target.credential_headers(), timeout=30)
    assert response.status_code == 400, f"expected 400 for {params}, got {response.status_code} {response.text[:200]}"
    assert_ims_error(400, response.text)
