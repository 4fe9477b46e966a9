"""Token and AK/SK authentication as the `auth.*` rules describe, and project isolation."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from contract_tests.signing import sdk_signed_headers
from ims_mock import signing
from ims_mock.auth import CONTRACT as CONTRACT_AUTH
from ims_mock.auth import LOCKED_MESSAGE
from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK, default_credentials
from tests.servers import config, serve

CREATE = "/v1/cloudimages/dataimages/action"
BODY = b'{"name": "signed", "image_url": "abc:x.qcow2", "min_disk": 40}'
JSON = {"Content-Type": "application/json"}
OTHER = "fedcba9876543210fedcba9876543210:other-token:OTHERAK:other-sk"


# These tests send failing signatures back to back on purpose: this module's mock does not lock the
# AK after them (the lockout has its own tests below, each with a mock of its own).
NO_LOCKOUT = dataclasses.replace(CONTRACT_AUTH, lockout_failures=None)
TEMPORARY = f"{DEFAULT_PROJECT_ID}:TEMPORARYAK000000000:temporary-sk:security-token-from-sts"


@pytest.fixture(scope="module")
def mock_url() -> Any:
    with serve(config(auth=NO_LOCKOUT, credentials=default_credentials({}, temporary=[TEMPORARY]))) as url:
        yield url


@pytest.fixture(scope="module")
def two_projects_url() -> Any:
    with serve(config(credentials=default_credentials({}, [OTHER]))) as url:
        yield url


def _signed(url: str, method: str, path: str, body: bytes = b"", **overrides: Any) -> dict[str, str]:
    options: dict[str, Any] = {
        "access_key": DEFAULT_AK,
        "secret_key": DEFAULT_SK,
        "project_id": DEFAULT_PROJECT_ID,
        "when": None,
    }
    options.update(overrides)
    headers = {"Content-Type": "application/json"} if body else {}
    return sdk_signed_headers(method=method, url=url + path, headers=headers, body=body, **options)


def _assert_401(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["request_id"] == response.headers["x-request-id"]
    assert DEFAULT_SK not in response.text


def test_a_valid_token_is_accepted(mock_url: str) -> None:
    response = httpx.post(mock_url + CREATE, content=BODY, headers={"X-Auth-Token": "mock-token", **JSON})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"X-Auth-Token": "wrong"}, {"X-Auth-Token": ""}], ids=["none", "wrong", "empty"]
)
def test_a_missing_or_wrong_token_gets_401(mock_url: str, headers: dict[str, str]) -> None:
    _assert_401(httpx.post(mock_url + CREATE, content=BODY, headers={**headers, **JSON}))


def test_authentication_comes_before_body_validation(mock_url: str) -> None:
    _assert_401(httpx.post(mock_url + CREATE, content=b"not json", headers=JSON))


def test_an_sdk_signed_request_is_accepted(mock_url: str) -> None:
    response = httpx.post(mock_url + CREATE, content=BODY, headers=_signed(mock_url, "POST", CREATE, BODY))
    assert response.status_code == 200, response.text


def test_an_sdk_signed_query_with_characters_to_encode_is_accepted(mock_url: str) -> None:
    path = "/v2/cloudimages?name=a%20b~c&limit=5&__imagetype=private"
    response = httpx.get(mock_url + path, headers=_signed(mock_url, "GET", path))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "change",
    ["secret_key", "body", "query", "path", "header", "project"],
)
def test_a_signature_that_does_not_match_gets_401(mock_url: str, change: str) -> None:
    path = "/v2/cloudimages?limit=5"
    headers = _signed(mock_url, "GET", path, secret_key="wrong-sk" if change == "secret_key" else DEFAULT_SK)
    body = b""
    if change == "body":
        body = b'{"delete_backup": false}'
    if change == "query":
        path = "/v2/cloudimages?limit=6"
    if change == "path":
        path = "/v2/cloudimages?limit=5&name=x"
    if change == "header":
        headers["User-Agent"] = "tampered"
        headers["Authorization"] = headers["Authorization"].replace("SignedHeaders=", "SignedHeaders=user-agent;")
    if change == "project":
        headers["X-Project-Id"] = "fedcba9876543210fedcba9876543210"
    _assert_401(httpx.request("GET", mock_url + path, headers=headers, content=body))


@pytest.mark.parametrize(("minutes", "status"), [(14, 200), (-14, 200), (16, 401), (-16, 401)])
def test_the_signing_date_may_be_15_minutes_off_and_no_more(mock_url: str, minutes: int, status: int) -> None:
    when = datetime.now(UTC) + timedelta(minutes=minutes)
    headers = _signed(mock_url, "GET", "/v2/cloudimages", when=when)
    assert httpx.get(mock_url + "/v2/cloudimages", headers=headers).status_code == status


@pytest.mark.parametrize(
    "mangle",
    ["no X-Project-Id", "no X-Sdk-Date", "bad X-Sdk-Date", "unknown AK", "not SDK-HMAC-SHA256", "date unsigned"],
)
def test_incomplete_or_malformed_signatures_get_401(mock_url: str, mangle: str) -> None:
    headers = _signed(mock_url, "GET", "/v2/cloudimages")
    if mangle == "no X-Project-Id":
        del headers["X-Project-Id"]
    elif mangle == "no X-Sdk-Date":
        del headers["X-Sdk-Date"]
    elif mangle == "bad X-Sdk-Date":
        headers["X-Sdk-Date"] = "2024-01-01T00:00:00Z"
    elif mangle == "unknown AK":
        headers["Authorization"] = headers["Authorization"].replace(DEFAULT_AK, "NOSUCHAK")
    elif mangle == "not SDK-HMAC-SHA256":
        headers["Authorization"] = "Basic " + headers["Authorization"]
    else:
        headers["Authorization"] = headers["Authorization"].replace(";x-sdk-date", "")
    _assert_401(httpx.get(mock_url + "/v2/cloudimages", headers=headers))


def test_a_request_with_a_token_and_a_bad_signature_is_judged_by_the_token(mock_url: str) -> None:
    headers = _signed(mock_url, "GET", "/v2/cloudimages", secret_key="wrong-sk")
    headers["X-Auth-Token"] = "mock-token"
    assert httpx.get(mock_url + "/v2/cloudimages", headers=headers).status_code == 200


def test_the_mock_signer_agrees_with_the_sdk_byte_for_byte() -> None:
    when = datetime(2024, 11, 6, 6, 27, 3, tzinfo=UTC)
    url = "http://127.0.0.1:8080/v2/cloudimages?name=a%20b&limit=5&marker=x~y"
    body = b'{"x": 1}'
    sdk = sdk_signed_headers(
        method="GET",
        url=url,
        headers={"Content-Type": "application/json", "User-Agent": "agent/1.0"},
        body=body,
        access_key="AK",
        secret_key="SK",
        project_id="p1",
        when=when,
    )
    ours = signing.sign(
        access_key="AK",
        secret_key="SK",
        method="GET",
        path="/v2/cloudimages",
        raw_query="name=a%20b&limit=5&marker=x~y",
        headers={
            "Host": "127.0.0.1:8080",
            "Content-Type": "application/json",
            "User-Agent": "agent/1.0",
            "X-Project-Id": "p1",
        },
        body=body,
        now=when,
    )
    assert ours["Authorization"] == sdk["Authorization"]
    assert ours["X-Sdk-Date"] == sdk["X-Sdk-Date"] == "20241106T062703Z"


def test_the_canonical_request_follows_the_contract() -> None:
    canonical = signing.canonical_request(
        "get",
        "/v1/a b/jobs",
        [("b", "2"), ("a", "x y"), ("a", "1")],
        {"host": "h", "x-sdk-date": "d"},
        ["host", "x-sdk-date"],
        b"",
    )
    assert canonical == "\n".join(
        [
            "GET",
            "/v1/a%20b/jobs/",
            "a=1&a=x%20y&b=2",
            "host:h\nx-sdk-date:d\n",
            "host;x-sdk-date",
            hashlib.sha256(b"").hexdigest(),
        ]
    )


def test_jobs_are_visible_only_to_their_own_project(two_projects_url: str) -> None:
    mine = {"X-Auth-Token": "mock-token"}
    theirs = {"X-Auth-Token": "other-token"}
    job_id = httpx.post(two_projects_url + CREATE, content=BODY, headers={**mine, **JSON}).json()["job_id"]
    assert httpx.get(f"{two_projects_url}/v1/cloudimages/job/{job_id}", headers=mine).status_code == 200
    for path in (
        f"/v1/cloudimages/job/{job_id}",
        f"/v1/fedcba9876543210fedcba9876543210/jobs/{job_id}",
        f"/v1/{DEFAULT_PROJECT_ID}/jobs/{job_id}",
    ):
        response = httpx.get(two_projects_url + path, headers=theirs)
        assert response.status_code == 404
        assert response.json()["error"]["code"].startswith("IMG.")


def test_images_are_visible_only_to_their_own_project(two_projects_url: str) -> None:
    mine = {"X-Auth-Token": "mock-token"}
    theirs = {"X-Auth-Token": "other-token"}
    body = b'{"name": "private-one", "image_url": "abc:x.qcow2", "min_disk": 40}'
    job_id = httpx.post(two_projects_url + CREATE, content=body, headers={**mine, **JSON}).json()["job_id"]
    for _ in range(200):  # jobs last 0.05 s here; wait for this one to end, at most about 2 s
        if httpx.get(f"{two_projects_url}/v1/cloudimages/job/{job_id}", headers=mine).json()["status"] == "SUCCESS":
            break
        time.sleep(0.01)
    listed = httpx.get(two_projects_url + "/v2/cloudimages?name=private-one", headers=mine).json()["images"]
    assert len(listed) == 1
    assert httpx.get(two_projects_url + "/v2/cloudimages?name=private-one", headers=theirs).json() == {"images": []}
    image_id = listed[0]["id"]
    assert httpx.delete(f"{two_projects_url}/v2/images/{image_id}", headers=theirs).status_code == 404


# --- Huawei's gateway: Host signed, X-Project-Id optional, temporary keys, the AK lockout -------------------


def test_a_signature_that_does_not_sign_host_gets_401(mock_url: str) -> None:
    path = "/v2/cloudimages"
    date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {"X-Sdk-Date": date, "X-Project-Id": DEFAULT_PROJECT_ID}
    signed = ["x-project-id", "x-sdk-date"]
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical = signing.canonical_request("GET", path, [], lowered, signed, b"")
    signature = signing.signature(DEFAULT_SK, signing.string_to_sign(canonical, date))
    headers["Authorization"] = (
        f"SDK-HMAC-SHA256 Access={DEFAULT_AK}, SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    response = httpx.get(mock_url + path, headers=headers)
    _assert_401(response)
    assert "Host must be signed" in response.json()["error_msg"]


def test_a_signature_without_x_project_id_is_the_access_keys_project(mock_url: str) -> None:
    headers = _signed(mock_url, "GET", "/v2/cloudimages", project_id=None)
    assert "X-Project-Id" not in headers
    assert httpx.get(mock_url + "/v2/cloudimages", headers=headers).status_code == 200


def test_a_signature_without_x_project_id_is_refused_where_a_deployment_requires_it() -> None:
    required = dataclasses.replace(NO_LOCKOUT, project_id_required=True)
    with serve(config(auth=required)) as url:
        _assert_401(httpx.get(url + "/v2/cloudimages", headers=_signed(url, "GET", "/v2/cloudimages", project_id=None)))
        assert httpx.get(url + "/v2/cloudimages", headers=_signed(url, "GET", "/v2/cloudimages")).status_code == 200


@pytest.mark.parametrize(
    ("security_token", "status"),
    [("security-token-from-sts", 200), (None, 401), ("another-token", 401)],
    ids=["with its token", "without", "with another token"],
)
def test_a_temporary_key_is_valid_only_with_its_security_token_signed(
    mock_url: str, security_token: str | None, status: int
) -> None:
    path = "/v2/cloudimages"
    headers = _signed(
        mock_url,
        "GET",
        path,
        access_key="TEMPORARYAK000000000",
        secret_key="temporary-sk",
        security_token=security_token,
    )
    assert httpx.get(mock_url + path, headers=headers).status_code == status


def test_a_temporary_key_whose_token_is_sent_but_not_signed_gets_401(mock_url: str) -> None:
    path = "/v2/cloudimages"
    headers = _signed(mock_url, "GET", path, access_key="TEMPORARYAK000000000", secret_key="temporary-sk")
    headers["X-Security-Token"] = "security-token-from-sts"
    _assert_401(httpx.get(mock_url + path, headers=headers))


def test_more_than_five_failed_signatures_in_a_row_lock_the_ak_for_five_minutes() -> None:
    now = [1_800_000_000.0]
    with serve(config(), clock=lambda: now[0]) as url:

        def signed(secret_key: str = DEFAULT_SK) -> httpx.Response:
            when = datetime.fromtimestamp(now[0], UTC)  # the mock's own clock
            headers = _signed(url, "GET", "/v2/cloudimages", secret_key=secret_key, when=when)
            return httpx.get(url + "/v2/cloudimages", headers=headers)

        for _ in range(5):
            answer = signed("wrong")
            _assert_401(answer)
            assert "verify aksk signature fail" in answer.json()["error_msg"]
        assert signed().status_code == 200  # a success in between starts the count again
        for _ in range(5):
            _assert_401(signed("wrong"))
        locking = signed("wrong")  # the sixth in a row
        _assert_401(locking)
        assert LOCKED_MESSAGE in locking.json()["error_msg"]
        refused = signed()  # a valid signature is refused too while the AK is locked
        _assert_401(refused)
        assert LOCKED_MESSAGE in refused.json()["error_msg"]
        assert httpx.get(url + "/v2/cloudimages", headers={"X-Auth-Token": "mock-token"}).status_code == 200
        now[0] += 299
        _assert_401(signed())
        now[0] += 2
        assert signed().status_code == 200


def test_the_lockout_is_per_access_key() -> None:
    other = "fedcba9876543210fedcba9876543210:other-token:OTHERAK:other-sk"
    with serve(config(credentials=default_credentials({}, [other]))) as url:
        for _ in range(6):
            _assert_401(
                httpx.get(url + "/v2/cloudimages", headers=_signed(url, "GET", "/v2/cloudimages", secret_key="x"))
            )
        theirs = _signed(
            url, "GET", "/v2/cloudimages", access_key="OTHERAK", secret_key="other-sk", project_id=other.split(":")[0]
        )
        assert httpx.get(url + "/v2/cloudimages", headers=theirs).status_code == 200
