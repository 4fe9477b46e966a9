"""`ims`, the hand-written client: signing as the SDK signs, typed errors, validation, retries, packaging."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from email.parser import Parser
from pathlib import Path
from typing import Any

import httpx
import pytest

import ims
import ims._client
import ims._plans
import ims._validation
from contract_tests.card import contract_rules
from contract_tests.signing import sdk_signed_headers
from ims._transport import StdlibTransport, default_transport
from ims_client.models import JobProgress
from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN, default_credentials
from tests.servers import config, serve
from tests.spec_helpers import ROOT, readme_python_block, readme_python_blocks

AKSK = ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID)
TOKEN = ims.TokenAuth(DEFAULT_TOKEN, DEFAULT_PROJECT_ID)
WHEN = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
FAST = ims.Retry(attempts=3, backoff=0.01, max_wait=2.0)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(config(job_seconds=0.2)) as base_url:
        yield base_url


@pytest.mark.parametrize(
    ("method", "url", "body", "content_type"),
    [
        ("POST", "https://ims.example.com/v1/cloudimages/dataimages/action", b'{"name": "x"}', "application/json"),
        ("GET", "https://ims.example.com/v2/cloudimages?limit=5&name=a%20b&__imagetype=private", b"", None),
        ("GET", "https://ims.example.com/v2/cloudimages?name=%E4%B8%AD&marker=", b"", None),
        ("DELETE", "https://ims.example.com/v2/images/0d5e1c9a-2a4d-4f7b-9a1e-6d3c2b1a0f9e", b"{}", "application/json"),
        ("GET", "https://gw.example.com:8443/prefix/ims/v1/cloudimages/job/abc", b"", None),
        ("GET", "https://ims.example.com/v1/0123/jobs/a~b%2Fc", b"", None),
    ],
    ids=["create", "query", "unicode-query", "delete-with-body", "path-prefix", "escaped-path"],
)
def test_the_aksk_signature_is_the_official_sdk_s(method: str, url: str, body: bytes, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    request = httpx.Request(method, url, content=body, headers=headers)
    AKSK.sign(request, when=WHEN)
    official = sdk_signed_headers(
        method=method,
        url=url,
        headers=headers,
        body=body,
        access_key=DEFAULT_AK,
        secret_key=DEFAULT_SK,
        project_id=DEFAULT_PROJECT_ID,
        when=WHEN,
    )
    assert request.headers["Authorization"] == official["Authorization"]
    assert request.headers["X-Sdk-Date"] == official["X-Sdk-Date"]


def test_a_temporary_key_signs_its_security_token_as_the_official_sdk_does() -> None:
    url = "https://ims.example.com/v2/cloudimages?limit=1"
    request = httpx.Request("GET", url)
    ims.AkSkAuth(DEFAULT_AK, DEFAULT_SK, DEFAULT_PROJECT_ID, security_token="sts-token").sign(request, when=WHEN)
    official = sdk_signed_headers(
        method="GET",
        url=url,
        headers={},
        body=b"",
        access_key=DEFAULT_AK,
        secret_key=DEFAULT_SK,
        project_id=DEFAULT_PROJECT_ID,
        when=WHEN,
        security_token="sts-token",
    )
    assert request.headers["X-Security-Token"] == "sts-token"
    assert request.headers["Authorization"] == official["Authorization"]


def test_temporary_credentials_from_the_environment_reach_the_mock() -> None:
    temporary = f"{DEFAULT_PROJECT_ID}:TEMPORARYAK000000000:temporary-sk:sts-token"
    env = {
        "HUAWEICLOUD_SDK_AK": "TEMPORARYAK000000000",
        "HUAWEICLOUD_SDK_SK": "temporary-sk",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": "sts-token",
        "HUAWEICLOUD_SDK_PROJECT_ID": DEFAULT_PROJECT_ID,
    }
    with serve(config(credentials=default_credentials({}, temporary=[temporary]))) as base_url:
        with ims.Client.from_env({**env, "IMS_BASE_URL": base_url}) as client:
            assert client.list_images(imagetype="private") == []
        without = {key: value for key, value in env.items() if key != "HUAWEICLOUD_SDK_SECURITY_TOKEN"}
        with ims.Client.from_env({**without, "IMS_BASE_URL": base_url}) as client, pytest.raises(ims.GatewayError):
            client.list_images()
    assert "sts-token" not in repr(ims._base._auth_from_env(env))


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ((400, {}, {"error": {"code": "IMG.0015", "message": "quota"}}), ims.QuotaExceeded),
        ((400, {}, {"error": {"code": "IMG.0060", "message": "jobs"}}), ims.TooManyJobs),
        (
            (
                401,
                {},
                {
                    "error_code": "APIGW.0301",
                    "error_msg": "AK access failed to reach the limit,forbidden.",
                    "request_id": "r",
                },
            ),
            ims.AccessKeyLocked,
        ),
        (
            (401, {}, {"error_code": "APIG.0301", "error_msg": "verify aksk signature fail", "request_id": "r"}),
            ims.GatewayError,
        ),
    ],
    ids=["quota", "flow-control", "lockout", "apig-prefix"],
)
def test_quota_flow_control_and_a_lockout_are_typed_and_never_retried(answer: Any, kind: type[Exception]) -> None:
    transport = Counting(answers=[answer] * 3)
    with _client(transport) as client, pytest.raises(kind):
        client.create_data_image(name="disk", image_url="bucket:disk.qcow2", min_disk=40)
    assert len(transport.sent) == 1, "retried an answer that no retry can mend"


def test_secrets_never_show_in_reprs() -> None:
    assert DEFAULT_SK not in repr(AKSK)
    assert DEFAULT_TOKEN not in repr(TOKEN)


def _image_id(job: Any) -> str:
    assert isinstance(job, ims.Job)
    assert job.image_id is not None
    return job.image_id


@pytest.mark.parametrize("auth", [AKSK, TOKEN], ids=["aksk", "token"])
def test_a_data_image_from_create_to_delete(url: str, auth: httpx.Auth) -> None:
    with ims.Client(url, auth=auth) as client:
        job_id = client.create_data_image(name="ims-e2e", image_url="bucket:disk.qcow2", min_disk=50, tags=["a.b"])
        assert client.get_job(job_id).status in ("INIT", "RUNNING", "SUCCESS")
        job = client.wait_for_job(job_id, poll=0.05)
        image_id = _image_id(job)
        listed = client.list_images(name="ims-e2e")
        assert [image.id for image in listed] == [image_id]
        assert listed[0].min_disk == 50
        client.delete_image(image_id)
        assert client.list_images(name="ims-e2e") == []
        with pytest.raises(ims.ImsError) as gone:
            client.delete_image(image_id)
        assert (gone.value.status, gone.value.code) == (404, "IMG.0144")


def test_the_async_client_does_the_same(url: str) -> None:
    async def run() -> None:
        async with ims.AsyncClient(url, auth=AKSK) as client:
            job_id = await client.create_data_image(name="ims-async", image_url="bucket:disk.vhd", min_disk=40)
            job = await client.wait_for_job(job_id, poll=0.05)
            assert [str(i.id) for i in await client.list_images(name="ims-async")] == [_image_id(job)]
            await client.delete_image(_image_id(job))
            failing = await client.create_data_image(name="ims-async", image_url="bucket:disk.iso", min_disk=40)
            with pytest.raises(ims.JobFailed):
                await client.wait_for_job(failing, poll=0.05)

    asyncio.run(run())


class Counting(httpx.BaseTransport):
    """Counts requests; answers from `answers` (status, headers, body) in turn, else from a real transport."""

    def __init__(self, answers: list[Any] | None = None, inner: httpx.BaseTransport | None = None) -> None:
        self.sent: list[httpx.Request] = []
        self.answers = answers or []
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            status, headers, body = answer
            return httpx.Response(status, headers=headers, content=json.dumps(body).encode(), request=request)
        assert self.inner is not None
        return self.inner.handle_request(request)


def _client(transport: httpx.BaseTransport, **options: Any) -> ims.Client:
    return ims.Client("http://ims.test", auth=TOKEN, retry=FAST, transport=transport, **options)


@pytest.mark.parametrize(
    ("fields", "field", "rule", "words"),
    [
        ({"min_disk": 39}, "min_disk", "create.min_disk", "min_disk: 39, at least 40 (create.min_disk)"),
        ({"min_disk": 2049}, "min_disk", "create.min_disk", "min_disk: 2049, at most 2048 (create.min_disk)"),
        ({"name": "x" * 129}, "name", "create.name.length", "name: 129 characters, at most 128 (create.name.length)"),
        ({"name": " x"}, "name", "create.name.charset", "neither starting nor ending with a space"),
        ({"description": "d" * 1025}, "description", "create.description.length", "1025 characters, at most 1024"),
        ({"description": "a<b"}, "description", "create.description.charset", "except carriage return"),
        ({"tags": ["a.b"], "image_tags": [{"key": "c"}]}, "tags, image_tags", "create.tags.exclusive", "never sent"),
        ({"tags": [f"k{n}" for n in range(11)]}, "tags", "create.tags.limits", "tags: 11 items, at most 10"),
        ({"tags": ["a b"]}, "tags[0]", "create.tags", "the key has 1 to 36 of A-Z a-z 0-9 _ -"),
        ({"os_type": "linux"}, "os_type", "create.os_type", "'linux' is not one of 'Windows', 'Linux'"),
        ({"image_url": "Bucket:x"}, "image_url", "create.image_url", "3 to 63 lowercase letters"),
    ],
)
def test_invalid_requests_raise_before_anything_is_sent_saying_why_in_words(
    fields: dict[str, Any], field: str, rule: str, words: str
) -> None:
    transport = Counting()
    body = {"name": "disk", "image_url": "bucket:disk.qcow2", "min_disk": 40, **fields}
    with _client(transport) as client, pytest.raises(ims.RequestInvalid) as refused:
        client.create_data_image(**body)
    assert transport.sent == []
    assert (refused.value.field, refused.value.rule) == (field, rule)
    assert words in str(refused.value)
    assert "^" not in str(refused.value)
    assert "[a-z" not in str(refused.value)
    assert rule in {rule.id for rule in contract_rules()}  # a rule docs/contract.md names


def test_a_field_the_create_does_not_take_is_a_type_error_as_in_any_python_call() -> None:
    transport = Counting()
    with _client(transport) as client, pytest.raises(TypeError, match="colour"):
        client.create_data_image(name="d", image_url="bucket:d.raw", min_disk=40, colour="red")  # type: ignore[call-arg]
    assert transport.sent == []


def test_the_validator_names_an_unknown_or_null_property_by_its_rule() -> None:
    body: dict[str, Any] = {"name": "d", "image_url": "bucket:d.raw", "min_disk": 40}
    with pytest.raises(ims.RequestInvalid) as unknown:
        ims._validation.check("CreateDataImageRequest", {**body, "colour": "red"})
    assert (unknown.value.field, unknown.value.rule, unknown.value.keyword) == (
        "colour",
        "create.body.unknown",
        "additionalProperties",
    )
    with pytest.raises(ims.RequestInvalid) as null:
        ims._validation.check("CreateDataImageRequest", {**body, "cmk_id": None})
    assert (null.value.rule, null.value.keyword) == ("create.body.null", "type")


def test_validation_follows_the_spec_the_client_was_generated_from() -> None:
    minimum = ims._validation.spec()["components"]["schemas"]["CreateDataImageRequest"]["properties"]["min_disk"]
    assert minimum["minimum"] == 40
    transport = Counting(answers=[(200, {}, {"job_id": "a" * 32})])
    with _client(transport, validate=False) as client:
        assert client.create_data_image(name="disk", image_url="bucket:disk.qcow2", min_disk=39) == "a" * 32
    assert json.loads(transport.sent[0].content)["min_disk"] == 39  # sent as asked: the server judges


def test_a_constraint_changed_in_the_spec_changes_what_the_client_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = copy.deepcopy(ims._validation.spec())
    changed["components"]["schemas"]["CreateDataImageRequest"]["properties"]["min_disk"]["minimum"] = 30
    monkeypatch.setattr(ims._validation, "spec", lambda: changed)
    ims._validation._validator.cache_clear()
    try:
        ims._validation.check("CreateDataImageRequest", {"name": "d", "image_url": "bucket:d.raw", "min_disk": 39})
        with pytest.raises(ims.RequestInvalid):
            ims._validation.check("CreateDataImageRequest", {"name": "d", "image_url": "bucket:d.raw", "min_disk": 29})
    finally:
        ims._validation._validator.cache_clear()


def test_429_is_waited_out_as_retry_after_says_and_503_retried() -> None:
    throttled = (429, {"Retry-After": "1"}, {"error_code": "APIGW.0308", "error_msg": "slow down", "request_id": "r"})
    busy: tuple[int, dict[str, str], Any] = (
        503,
        {},
        {"error_code": "APIGW.0308", "error_msg": "busy", "request_id": "r"},
    )
    transport = Counting(answers=[throttled, busy, (200, {}, {"job_id": "b" * 32})])
    with _client(transport) as client:
        assert client.create_data_image(name="disk", image_url="bucket:disk.qcow2", min_disk=40) == "b" * 32
    assert len(transport.sent) == 3


def test_when_retries_run_out_the_last_answer_is_raised_typed() -> None:
    throttled = (429, {"Retry-After": "0"}, {"error_code": "APIGW.0308", "error_msg": "slow down", "request_id": "r1"})
    transport = Counting(answers=[throttled] * 3)
    with _client(transport) as client, pytest.raises(ims.GatewayError) as error:
        client.get_job("c" * 32)
    assert (error.value.status, error.value.code, error.value.request_id) == (429, "APIGW.0308", "r1")
    assert len(transport.sent) == FAST.attempts


def test_a_create_whose_answer_was_lost_is_never_sent_again() -> None:
    transport = Counting(answers=[httpx.ReadError("connection reset")])
    with _client(transport) as client, pytest.raises(ims.AnswerLost):
        client.create_data_image(name="disk", image_url="bucket:disk.qcow2", min_disk=40)
    assert len(transport.sent) == 1


def test_reads_survive_dropped_connections_and_refused_connections_are_retried() -> None:
    job = {"job_id": "d" * 32, "job_type": "t", "status": "SUCCESS", "begin_time": "", "end_time": ""}
    transport = Counting(answers=[httpx.ReadError("reset"), httpx.ConnectError("refused"), (200, {}, job)])
    with _client(transport) as client:
        assert client.wait_for_job("d" * 32).status == "SUCCESS"
    assert len(transport.sent) == 3


def test_wait_for_job_gives_up_with_a_timeout_error() -> None:
    running = {"job_id": "e" * 32, "job_type": "t", "status": "RUNNING", "begin_time": "", "end_time": ""}
    transport = Counting(answers=[(200, {}, running)] * 50)
    with _client(transport) as client, pytest.raises(ims.JobTimeout) as waited:
        client.wait_for_job("e" * 32, timeout=0.3, poll=0.05)
    assert waited.value.last_status == "RUNNING"
    assert isinstance(waited.value, TimeoutError)


def _job(percent: float | None, status: str = "RUNNING") -> ims.Job:
    body: dict[str, Any] = {"job_id": "e" * 32, "job_type": "t", "status": status, "begin_time": "", "end_time": ""}
    if percent is not None:
        body["entities"] = {"process_percent": percent}
    return ims.Job.from_generated(JobProgress.from_dict(body))


def _pauses(monkeypatch: pytest.MonkeyPatch, seen: list[tuple[float, float | None]], poll: float) -> list[float]:
    """The pauses `wait_for_job`'s pacer picks when the job shows `seen` (time, percent) in turn."""
    clock = iter([0.0] + [when for when, _ in seen])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    pacer = ims._plans.Pacer("e" * 32, timeout=1800.0, poll=poll)
    return [round(pacer.pause(_job(percent)), 3) for _, percent in seen]


def test_the_waiter_backs_off_when_the_job_shows_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[float, float | None]] = [(0.0, None), (1.0, None), (2.5, 0.0), (4.75, 0.0), (8.0, None)]
    assert _pauses(monkeypatch, seen, poll=1.0) == [1.0, 1.5, 2.25, 3.375, 5.062]


def test_the_waiter_polls_when_the_job_s_progress_says_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 % a second: at 8 s (80 %) the job has 2 s left, less than the 3.375 s backoff step.
    seen: list[tuple[float, float | None]] = [(0.0, 0.0), (1.0, 10.0), (2.5, 25.0), (4.75, 47.5), (8.0, 80.0)]
    pauses = _pauses(monkeypatch, seen, poll=1.0)
    assert pauses[:4] == [1.0, 1.5, 2.25, 3.375]  # backoff is sooner than the estimate so far
    assert pauses[4] == 2.1  # the 2 s left, plus 5 %


def test_the_waiter_never_polls_faster_than_a_quarter_of_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[float, float | None]] = [(0.0, 0.0), (1.0, 99.9), (1.25, 99.99)]
    assert _pauses(monkeypatch, seen, poll=1.0) == [1.0, 0.25, 0.25]


def test_the_async_client_keeps_at_most_max_in_flight_requests_on_the_wire() -> None:
    job = {"job_id": "a" * 32, "job_type": "t", "status": "RUNNING", "begin_time": "", "end_time": ""}
    on_the_wire, most = 0, 0

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal on_the_wire, most
        on_the_wire += 1
        most = max(most, on_the_wire)
        await asyncio.sleep(0.01)
        on_the_wire -= 1
        return httpx.Response(200, json=job)

    async def run() -> None:
        transport = httpx.MockTransport(answer)
        async with ims.AsyncClient("http://ims.test", auth=TOKEN, transport=transport, max_in_flight=3) as client:
            jobs = await asyncio.gather(*(client.get_job("a" * 32) for _ in range(20)))
        assert [job.status for job in jobs] == ["RUNNING"] * 20

    asyncio.run(run())
    assert most == 3
    with pytest.raises(ValueError, match="max_in_flight"):
        ims.AsyncClient("http://ims.test", auth=TOKEN, max_in_flight=0)


def test_an_answer_that_is_not_json_is_still_a_typed_error() -> None:
    transport = Counting()
    transport.answers = []
    transport.inner = httpx.MockTransport(lambda request: httpx.Response(502, text="<html>bad gateway</html>"))
    with _client(transport) as client, pytest.raises(ims.ImsError) as error:
        client.get_job("f" * 32)
    assert error.value.status == 502


def test_list_images_reads_every_page(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ims._client, "PAGE", 2)
    with ims.Client(url, auth=TOKEN) as client:
        jobs = [client.create_data_image(name="paged", image_url="bucket:disk.raw", min_disk=40) for _ in range(5)]
        images = {_image_id(client.wait_for_job(job, poll=0.05)) for job in jobs}
        assert {image.id for image in client.list_images(name="paged")} == images
        for image_id in images:
            client.delete_image(image_id)


def test_no_redirect_is_followed_and_no_cookie_is_kept() -> None:
    moved: tuple[int, dict[str, str], Any] = (
        302,
        {"Location": "http://elsewhere.test/v1/cloudimages/job/x", "Set-Cookie": "s=1; Path=/"},
        {},
    )
    job = {"job_id": "c" * 32, "job_type": "t", "status": "RUNNING", "begin_time": "", "end_time": ""}
    transport = Counting(answers=[moved, (200, {"Set-Cookie": "s=2; Path=/"}, job), (200, {}, job)])
    with _client(transport) as client:
        with pytest.raises(ims.ImsError) as error:
            client.get_job("c" * 32)
        assert error.value.status == 302
        client.get_job("c" * 32)
        client.get_job("c" * 32)
    assert [request.url.host for request in transport.sent] == ["ims.test"] * 3
    assert [request.headers.get("cookie") for request in transport.sent] == [None] * 3
    assert transport.sent[0].headers["user-agent"].startswith("ims-toolkit")


class _OneAnswerPerConnection(socketserver.ThreadingTCPServer):
    """Answers one request per connection with a kept-alive 200 (`job`), then closes it: a stale pool."""

    daemon_threads = True
    connections = 0

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            type(self.server).connections += 1  # type: ignore[attr-defined]
            while self.rfile.readline() not in (b"\r\n", b""):
                pass
            body = json.dumps(RUNNING_JOB).encode()
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            self.wfile.write(head.encode() + body)


RUNNING_JOB = {"job_id": "a" * 32, "job_type": "t", "status": "RUNNING", "begin_time": "", "end_time": ""}


def test_the_default_transport_notices_a_kept_alive_connection_the_server_closed() -> None:
    with _OneAnswerPerConnection() as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with ims.Client(base_url, auth=TOKEN, retry=ims.Retry(attempts=1)) as client:
                assert isinstance(client._transport, StdlibTransport)
                for _ in range(3):
                    time.sleep(0.05)  # the server has closed the connection the pool keeps
                    assert client.get_job("a" * 32).status == "RUNNING"  # never a ReadError
        finally:
            server.shutdown()
    assert _OneAnswerPerConnection.connections == 3


def test_the_default_transport_maps_socket_failures_to_httpx_errors() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        transport = StdlibTransport()
        with pytest.raises(httpx.ConnectError):
            transport.handle_request(httpx.Request("GET", f"http://127.0.0.1:{port}/"))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        request = httpx.Request(
            "GET", f"http://127.0.0.1:{silent.getsockname()[1]}/", extensions={"timeout": {"read": 0.2}}
        )
        with pytest.raises(httpx.ReadTimeout):
            transport.handle_request(request)
    with pytest.raises(httpx.UnsupportedProtocol):
        transport.handle_request(httpx.Request("GET", "ftp://127.0.0.1/"))


def test_a_proxy_the_environment_sets_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(default_transport("https://ims.example.com"), StdlibTransport)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert isinstance(default_transport("https://ims.example.com"), httpx.HTTPTransport)
    assert isinstance(default_transport("http://ims.example.com"), StdlibTransport)  # no http proxy set
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    for local in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"):
        assert isinstance(default_transport(local), StdlibTransport)  # a local mock is reached directly
    monkeypatch.setenv("NO_PROXY", "ims.example.com")
    assert isinstance(default_transport("https://ims.example.com"), StdlibTransport)


def test_from_env_picks_aksk_then_a_token_and_says_what_is_missing() -> None:
    base = {"IMS_BASE_URL": "https://ims.example.com"}
    aksk = {**base, "HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": "SK", "HUAWEICLOUD_SDK_PROJECT_ID": "p"}
    with ims.Client.from_env(aksk) as client:
        assert isinstance(client._auth, ims.AkSkAuth)
    with ims.Client.from_env({**base, "IMS_AUTH_TOKEN": "t", "IMS_PROJECT_ID": "p"}) as client:
        assert isinstance(client._auth, ims.TokenAuth)
    with pytest.raises(ims.ImsError, match="HUAWEICLOUD_SDK_AK"):
        ims.Client.from_env(base)
    with pytest.raises(ims.ImsError, match="IMS_BASE_URL"):
        ims.Client.from_env({})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `uv build` makes from this tree."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([UV, "build", "--wheel", "--out-dir", str(folder), "--quiet"], cwd=ROOT, check=True, timeout=300)
    (built,) = folder.glob("*.whl")
    return built


UV = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")


@pytest.mark.slow
def test_the_wheel_is_the_client_with_the_mock_and_the_suite_as_extras(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
        entry_points = archive.read(metadata_name.replace("METADATA", "entry_points.txt")).decode()
        shipped_spec = archive.read("contract_tests/_data/ims-data-image.yaml")
        shipped_contract = archive.read("contract_tests/_data/contract.md")
    packages = {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name}
    assert packages == {"ims", "ims_client", "ims_mock", "contract_tests"}
    assert "ims_client/openapi.json" in names
    # The suite reads the spec and the contract from inside the package: the same bytes as the clone's.
    assert shipped_spec == (ROOT / "openapi" / "ims-data-image.yaml").read_bytes()
    assert shipped_contract == (ROOT / "docs" / "contract.md").read_bytes()
    assert {"contract_tests/pytest-suite.ini", "contract_tests/schemathesis.toml"} <= set(names)
    assert "ims-contract = contract_tests.cli:main" in entry_points
    for package in ("ims", "ims_client", "ims_mock"):
        assert f"{package}/py.typed" in names, f"{package} does not tell type checkers it is typed (PEP 561)"
    requires = metadata.get_all("Requires-Dist") or []
    unconditional = [r for r in requires if "extra ==" not in r]
    for heavy in ("uvicorn", "starlette", "schemathesis", "huaweicloudsdk", "hypothesis", "h11"):
        assert not [r for r in unconditional if r.lower().startswith(heavy)], unconditional
    assert all(">=" in r for r in unconditional), f"runtime dependencies must be ranges: {unconditional}"
    assert any(r.startswith("uvicorn") and "extra == 'mock'" in r.replace('"', "'") for r in requires)
    assert any(r.startswith("schemathesis") and "extra == 'contract'" in r.replace('"', "'") for r in requires)


def _installed(wheel: Path, venv: Path, *extras: str) -> dict[str, str]:
    """`wheel` in a fresh `venv` with `extras`, as a user installs it; the environment to run it in.

    Its dependencies as uv.lock pins them (no dev group), from the cache `make setup` filled
    (--offline: nothing leaves this machine); then the wheel, whose own requirements `uv pip check`
    holds against what is installed.
    """
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    chosen = [option for extra in extras for option in ("--extra", extra)]
    sync = [UV, "sync", "--frozen", "--no-dev", *chosen, "--no-install-project", "--offline", "--quiet"]
    subprocess.run(
        sync,
        cwd=ROOT,
        check=True,
        env={**env, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON": sys.executable},
        timeout=300,
    )
    python = str(venv / "bin" / "python")
    install = [UV, "pip", "install", "--quiet", "--offline", "--no-deps", "--python", python, str(wheel)]
    subprocess.run(install, check=True, env=env, timeout=300)
    subprocess.run([UV, "pip", "check", "--quiet", "--python", python], check=True, env=env, timeout=60)
    return env


@pytest.mark.slow
def test_the_wheel_alone_in_a_fresh_venv_runs_the_readme_example(wheel: Path, tmp_path: Path) -> None:
    """Installed as a user installs it (no extra, no clone on the path), the README's example works."""
    venv = tmp_path / "venv"
    env = _installed(wheel, venv)
    python = str(venv / "bin" / "python")

    def venv_python(code: str) -> str:
        done = subprocess.run(
            [python, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env, timeout=60
        )
        return done.stdout.strip()

    heavy = ("uvicorn", "schemathesis", "huaweicloudsdkims", "hypothesis", "pytest")
    absent = venv_python(f"import importlib.util as u; print([m for m in {heavy!r} if u.find_spec(m)])")
    assert absent == "[]", absent
    # The suite is in the wheel, but needs its extra: without it, it says so (exit 4, usage).
    bare = subprocess.run([str(venv / "bin" / "ims-contract")], capture_output=True, text=True, env=env, timeout=60)
    assert bare.returncode == 4, bare.stdout + bare.stderr
    assert "pip install 'ims-toolkit[contract]'" in bare.stderr
    with serve(config(job_seconds=0.2)) as base_url:
        example = readme_python_block("with ims.Client(BASE_URL")
        code = example.replace('BASE_URL = "http://127.0.0.1:8000"', f'BASE_URL = "{base_url}"')
        assert code != example
        script = tmp_path / "example.py"
        script.write_text(code, encoding="utf-8")
        run = subprocess.run([python, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines()
    assert printed[0].startswith("SUCCESS ")
    assert printed[1] == f"['{printed[0].split()[1]}']"
    assert printed[2] == "[('fedora-data1', 'file,image-test:fedora_data1.qcow2')]"  # filtered, with its origin
    assert printed[3] == "min_disk create.min_disk"
    where = venv_python("import ims; print(ims.__file__)")
    assert where.startswith(str(venv)), where  # the installed wheel, not this clone
    _type_checks_as_a_users_program_does(venv, env, tmp_path / "typed")


def _type_checks_as_a_users_program_does(venv: Path, env: dict[str, str], folder: Path) -> None:
    """`mypy --strict` on the README's examples and a user program, finding `ims` as the wheel installed it.

    mypy finds the packages of `venv`'s interpreter (PEP 561: so only through the wheel's `py.typed`),
    run from a folder with no configuration, as in a user's project. A wrong call fails it.
    """
    folder.mkdir()
    programs = [folder / f"readme_{n}.py" for n, _ in enumerate(readme_python_blocks())]
    for program, block in zip(programs, readme_python_blocks(), strict=True):
        program.write_text(block, encoding="utf-8")
    user = folder / "user_program.py"
    shutil.copy(ROOT / "tests" / "fixtures" / "user_program.py", user)
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--python-executable",
        str(venv / "bin" / "python"),
    ]
    clean = {key: value for key, value in env.items() if key != "MYPYPATH"}
    done = subprocess.run(
        [*mypy, *map(str, programs), str(user)], capture_output=True, text=True, cwd=folder, env=clean, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"no issues found in {len(programs) + 1} source files" in done.stdout
    wrong = folder / "wrong.py"
    wrong.write_text(
        "import ims\n"
        "with ims.Client('https://ims.test', auth=ims.TokenAuth('t', 'p')) as client:\n"
        "    client.create_data_image(name='d', image_url='b:o', min_disk='40', os_type='linux')\n"
        "    print(client.get_job('j').entities.image_id)\n",
        encoding="utf-8",
    )
    caught = subprocess.run([*mypy, str(wrong)], capture_output=True, text=True, cwd=folder, env=clean, timeout=300)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert '"min_disk"' in caught.stdout, caught.stdout
    assert '"os_type"' in caught.stdout, caught.stdout
    assert 'has no attribute "image_id"' in caught.stdout, caught.stdout


@pytest.mark.slow
def test_the_suite_installed_from_the_wheel_runs_with_no_clone(wheel: Path, tmp_path: Path) -> None:
    """`pip install 'ims-toolkit[contract]'`, then `ims-contract` in an empty folder: the same run as from a clone."""
    venv = tmp_path / "venv"
    env = _installed(wheel, venv, "contract")
    env = {key: value for key, value in env.items() if not key.startswith(("IMS_", "HUAWEICLOUD_"))}
    work = tmp_path / "work"  # no clone anywhere on the path: the suite runs from site-packages
    work.mkdir()
    suite_env = {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}", "IMS_PROGRESS_SECONDS": "0"}
    command = [str(venv / "bin" / "ims-contract"), "-k", "test_images or test_protocol"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=work, env=suite_env, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "ims contract: exit 0 (the target conforms)" in run.stdout
    assert str(ROOT) not in run.stdout, "the installed suite ran code of this clone"
    card = json.loads((work / "reports" / "report-card.json").read_text(encoding="utf-8"))
    assert {rule["id"] for rule in card["rules"]} >= {"op.create", "image.fields", "list.filters"}
    assert (work / "reports" / "junit.xml").is_file()
    assert 'classname="contract_tests.test_images"' in (work / "reports" / "junit.xml").read_text(encoding="utf-8")
