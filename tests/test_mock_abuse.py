"""The mock under abuse, as a gateway holds (`gateway.*` of docs/contract.md).

Hostile numbers and values in every query parameter and body field; stalled, malformed and
oversized requests on raw sockets; the connection limit, the in-flight memory budget and the
per-project caps. Timeouts are short here (1 s); the defaults are in the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import resource
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from contract_tests.embedded import ims_mock
from ims_mock.config import MockConfig
from ims_mock.faults import build_app
from ims_mock.server import FD_RESERVE, connection_limit
from ims_mock.settings import DEFAULT_TOKEN, default_credentials
from scripts.benchlib import memory_kib
from tests.servers import config, serve, serve_app

CREATE = "/v1/cloudimages/dataimages/action"
TOKEN = {"X-Auth-Token": DEFAULT_TOKEN}
VALID = {"name": "img", "image_url": "bucket:disk.qcow2", "min_disk": 40}
SHORT = {"header_seconds": 1.0, "body_seconds": 1.0}

HOSTILE_TEXT = [
    "\u00b2",
    "\u0661\u0660",
    "\uff15",
    "9" * 4301,
    "9" * 12_000,
    "-1",
    "+5",
    " 5",
    "5 ",
    "0x10",
    "1e3",
    "",
    "\x00",
    "\u202e",
    "\ud800",
    "\uff41" * 300,
    "%",
    "a" * 15_000,
]
QUERY_PARAMETERS = ["limit", "marker", "id", "name", "__imagetype", "virtual_env_type"]
BODY_FIELDS = ["name", "description", "os_type", "image_url", "min_disk", "cmk_id", "enterprise_project_id"]
HOSTILE_JSON = [
    "1" * 4301,  # more digits than Python converts
    "1e400",
    "-0",
    "1.0e-400",
    '"\u0661\u0660"',
    '"\uff15"',
    json.dumps("x" * 2_000_000),
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '"\\ud800"',
    "true",
    "null",
    "[]",
    "{}",
]


def _in_process(requests: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    app, _core = build_app(config())

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return [await client.request(method, path, **options) for method, path, options in requests]

    return asyncio.run(run())


def _assert_answered(response: httpx.Response, allowed: set[int]) -> None:
    assert response.status_code in allowed, (response.status_code, response.text[:300])
    assert response.headers.get("x-request-id")
    if response.status_code >= 400:
        body = response.json()
        assert "error" in body or "error_code" in body


@pytest.mark.parametrize("parameter", QUERY_PARAMETERS)
def test_every_list_query_parameter_survives_hostile_values(parameter: str) -> None:
    requests = [
        ("GET", f"/v2/cloudimages?{parameter}={quote(value, safe='', errors='surrogatepass')}", {"headers": TOKEN})
        for value in HOSTILE_TEXT
    ]
    for value, response in zip(HOSTILE_TEXT, _in_process(requests), strict=True):
        _assert_answered(response, {200, 400})
        if parameter == "limit":
            assert response.status_code == 400, f"limit={value[:20]!r} must be refused"


@pytest.mark.parametrize("value", ["5", "1000", "0005"])
def test_limit_takes_ascii_digits(value: str) -> None:
    (response,) = _in_process([("GET", "/v2/cloudimages", {"params": {"limit": value}, "headers": TOKEN})])
    assert response.status_code == 200


@pytest.mark.parametrize("field", [*BODY_FIELDS, "tags", "image_tags"])
def test_every_body_field_survives_hostile_values(field: str) -> None:
    bodies = [
        json.dumps({key: value for key, value in VALID.items() if key != field})[:-1] + f', "{field}": {raw}}}'
        for raw in HOSTILE_JSON
    ]
    headers = {**TOKEN, "Content-Type": "application/json"}
    responses = _in_process(
        [("POST", CREATE, {"content": body.encode("utf-8", "surrogatepass"), "headers": headers}) for body in bodies]
    )
    for raw, response in zip(HOSTILE_JSON, responses, strict=True):
        _assert_answered(response, {200, 400})
        if field == "min_disk":
            assert response.status_code == 400, f"min_disk {raw[:20]} must be refused"


def test_the_content_length_header_takes_ascii_digits_only() -> None:
    for declared in ["\u0665", "\u00b2", "5" * 30, "-1", "1, 2"]:
        (response,) = _in_process(
            [("POST", CREATE, {"content": b"{}", "headers": {**TOKEN, "Content-Length": declared.encode()}})]
        )
        assert response.status_code == 400
        assert response.json()["error_code"] == "APIGW.0201"


# Raw sockets against a served mock --------------------------------------------------------------


@pytest.fixture
def short_url() -> Iterator[str]:
    with serve(config(**SHORT)) as url:
        yield url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_all(sock: socket.socket, limit: float = 10.0) -> bytes:
    """Everything the server sends until it closes the connection (bounded by `limit` seconds)."""
    sock.settimeout(limit)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:  # closed with our unread bytes in its buffer: closed all the same
            return b"".join(chunks)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
    raise AssertionError(f"the connection stayed open; got {b''.join(chunks)[:300]!r}")


def _envelope(raw: bytes, status: int) -> dict[str, Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), lines[0]
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert headers["content-type"] == "application/json"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    payload: dict[str, Any] = json.loads(body)
    assert payload["request_id"] == headers["x-request-id"]
    assert payload["error_code"].startswith("APIGW.")
    payload["_headers"] = headers
    return payload


@pytest.mark.parametrize(
    "sent",
    [b"", b"POST /v1/cloudimages/dataimages/action HTTP/1.1\r\nHost: x\r\nX-Auth-To"],
    ids=["nothing", "half-a-header"],
)
def test_a_stalled_head_gets_408_and_the_connection_closed(short_url: str, sent: bytes) -> None:
    with _connect(short_url) as sock:
        sock.sendall(sent)
        assert _envelope(_read_all(sock), 408)["error_code"] == "APIGW.0201"


def test_a_stalled_body_gets_408_and_the_connection_closed(short_url: str) -> None:
    head = f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {DEFAULT_TOKEN}\r\nContent-Type: application/json\r\n"
    with _connect(short_url) as sock:
        sock.sendall(head.encode() + b"Content-Length: 100\r\n\r\n" + b'{"name": "x"')
        _envelope(_read_all(sock), 408)


def test_a_kept_alive_connection_that_starts_a_request_and_stalls_is_closed(short_url: str) -> None:
    with _connect(short_url) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /health HTTP/1.1\r\nHo")
        _envelope(_read_all(sock), 408)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /v2/cloud\x01images HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v2/cloudimages HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
        b"GET /v2/cloudimages HTTP/1.1\r\nHost: x\r\n: no-name\r\n\r\n",
        b"GET /v2/cloudimages HTTP/1.1\r\nHost: x\r\nX-Auth-Token: \xff\x00\r\n\r\n",
    ],
    ids=["control-byte-in-target", "space-in-header-name", "empty-header-name", "nul-in-value"],
)
def test_bytes_that_are_not_http_get_400_in_the_envelope(short_url: str, request_bytes: bytes) -> None:
    with _connect(short_url) as sock:
        sock.sendall(request_bytes)
        raw = _read_all(sock)
    assert _envelope(raw, 400)["error_code"] == "APIGW.0201"


def test_content_length_with_transfer_encoding_is_refused_and_the_connection_closed(short_url: str) -> None:
    request = (
        f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {DEFAULT_TOKEN}\r\n"
        "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        "4\r\n{}{}\r\n0\r\n\r\n"
    )
    with _connect(short_url) as sock:
        sock.sendall(request.encode())
        assert "Content-Length" in _envelope(_read_all(sock), 400)["error_msg"]


def _head_of(size: int) -> bytes:
    head = b"GET /v2/cloudimages HTTP/1.1\r\nHost: x\r\nX-Filler: "
    return head + b"a" * (size - len(head) - 4) + b"\r\n\r\n"


@pytest.mark.parametrize("write_size", [1024, 1 << 20], ids=["1-KiB-writes", "one-write"])
@pytest.mark.parametrize(("size", "status"), [(16 * 1024, 401), (16 * 1024 + 1, 400), (100_000, 400)])
def test_the_header_limit_is_the_same_however_the_bytes_arrive(
    short_url: str, write_size: int, size: int, status: int
) -> None:
    head = _head_of(size)
    assert len(head) == size
    with _connect(short_url) as sock:
        for start in range(0, size, write_size):
            try:
                sock.sendall(head[start : start + write_size])
            except (BrokenPipeError, ConnectionResetError):
                break  # refused before the rest was sent
        raw = _read_all(sock) if status == 400 else sock.recv(65536)
    assert raw.startswith(f"HTTP/1.1 {status} ".encode()), raw[:200]
    if status == 400:
        _envelope(raw, 400)


def test_upgrade_requests_are_served_as_http_without_a_log_line_each() -> None:
    headers = {**TOKEN, "Connection": "Upgrade", "Upgrade": "websocket"}
    with ims_mock(env={"IMS_MOCK_TOKEN": DEFAULT_TOKEN}) as mock:
        for _ in range(20):
            assert httpx.get(mock.url + "/v2/cloudimages", headers=headers).status_code == 200
    (ready, *rest) = "".join(mock.output).splitlines()
    assert "ready on" in ready
    assert rest == []


def test_beyond_the_connection_limit_new_connections_get_503_once_logged(caplog: pytest.LogCaptureFixture) -> None:
    mock_config = config(max_connections=5, **SHORT)
    app, _core = build_app(mock_config)
    caplog.set_level(logging.WARNING, logger="ims_mock")
    with serve_app(app, mock_config) as url:
        idle = [_connect(url) for _ in range(5)]
        time.sleep(0.2)
        refused = []
        for _ in range(20):
            with _connect(url) as sock:
                refused.append(_envelope(_read_all(sock), 503))
        assert all(answer["_headers"]["retry-after"] == "1" for answer in refused)
        assert all(answer["error_code"] == "APIGW.0308" for answer in refused)
        for sock in idle:
            sock.close()
        time.sleep(0.3)
        assert httpx.get(url + "/health").status_code == 200
    overload_lines = [r for r in caplog.records if r.getMessage().startswith("overloaded")]
    assert len(overload_lines) == 1


def test_bodies_beyond_the_in_flight_budget_get_503_while_accepted_ones_finish() -> None:
    mock_config = config(in_flight_bytes=1000, **SHORT)
    app, _core = build_app(mock_config)
    body = json.dumps({**VALID, "description": "d" * 700}).encode()
    head = f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {DEFAULT_TOKEN}\r\nContent-Type: application/json\r\n"
    with serve_app(app, mock_config) as url, _connect(url) as first:
        first.sendall(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:100])
        time.sleep(0.3)
        second = httpx.post(url + CREATE, content=body, headers={**TOKEN, "Content-Type": "application/json"})
        assert second.status_code == 503
        assert second.json()["error_code"] == "APIGW.0308"
        assert second.headers["retry-after"] == "1"
        first.sendall(body[100:])
        assert first.recv(65536).startswith(b"HTTP/1.1 200")
        third = httpx.post(url + CREATE, content=body, headers={**TOKEN, "Content-Type": "application/json"})
        assert third.status_code == 200


OTHER = "fedcba9876543210fedcba9876543210:other-token:OTHERAK:other-sk"


def _project_config(**overrides: Any) -> MockConfig:
    return config(credentials=default_credentials({}, [OTHER]), job_seconds=3600, **overrides)


def test_one_project_cannot_evict_or_starve_another() -> None:
    now = [1_800_000_000.0]
    mock_config = _project_config(max_jobs=50, max_images=50, max_jobs_per_project=20, max_images_per_project=20)
    with serve(mock_config, clock=lambda: now[0]) as url, httpx.Client(base_url=url) as http:
        other = {"X-Auth-Token": "other-token"}
        theirs = http.post(CREATE, json=VALID, headers=other).json()["job_id"]
        now[0] += 3600  # their job ends: they have an image
        ours = [http.post(CREATE, json=VALID, headers=TOKEN) for _ in range(1001)]
        assert sum(r.status_code == 200 for r in ours) == 20
        assert {r.status_code for r in ours[20:]} == {400}  # our own cap, our jobs still running
        assert {r.json()["error"]["code"] for r in ours[20:]} == {"IMG.0060"}  # job flow control
        assert {r.headers.get("retry-after") for r in ours[20:]} == {"3600"}  # when our oldest job ends
        assert http.get(f"/v1/cloudimages/job/{theirs}", headers=other).json()["status"] == "SUCCESS"
        own = {"__imagetype": "private"}  # not the public images every list also holds
        assert len(http.get("/v2/cloudimages", params=own, headers=other).json()["images"]) == 1
        assert http.post(CREATE, json=VALID, headers=other).status_code == 200  # not starved
        now[0] += 3600  # ours end: 20 images, our whole quota; a new one is refused, nothing is evicted
        full = http.post(CREATE, json=VALID, headers=TOKEN)
        assert (full.status_code, full.json()["error"]["code"]) == (400, "IMG.0015")
        assert http.get(f"/v1/cloudimages/job/{theirs}", headers=other).status_code == 200
        ids = [image["id"] for image in http.get("/v2/cloudimages", params=own, headers=TOKEN).json()["images"]]
        assert len(ids) == 20
        assert http.delete(f"/v2/images/{ids[-1]}", headers=TOKEN).status_code == 204
        assert http.post(CREATE, json=VALID, headers=TOKEN).status_code == 200  # our oldest job gives way


def _rss_kib(pid: int) -> int:
    kib = memory_kib(pid)
    assert kib is not None, f"no VmRSS for process {pid}"
    return kib


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the mock's RSS from /proc")
def test_stalled_clients_cost_no_more_than_the_in_flight_budget() -> None:
    """300 clients declare 12 MiB bodies, send 256 KiB each and stall; 300 more stall mid-header."""
    budget_mib, clients, sent = 16, 300, 256 * 1024
    with ims_mock("--in-flight-mib", str(budget_mib), "--request-timeout", "60") as mock:
        host, port = mock.url.removeprefix("http://").split(":")
        httpx.get(mock.url + "/health")
        before = _rss_kib(mock.process.pid)
        head = (
            f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {12 << 20}\r\n\r\n"
        )
        stalled = []
        try:
            for index in range(clients):
                body = socket.create_connection((host, int(port)), timeout=10)
                body.setblocking(False)
                with contextlib.suppress(OSError):  # refused (503) and closed already: that is the point
                    body.send(head.encode() + b"[" * sent)
                stalled.append(body)
                header = socket.create_connection((host, int(port)), timeout=10)
                header.sendall(f"GET /v2/cloudimages?n={index} HTTP/1.1\r\nHost: x\r\nX-Au".encode())
                stalled.append(header)
            time.sleep(1.0)
            grown_mib = (_rss_kib(mock.process.pid) - before) / 1024
            assert grown_mib <= budget_mib + 16, f"{len(stalled)} stalled clients grew the mock by {grown_mib:.0f} MiB"
            assert httpx.get(mock.url + "/health", timeout=10).status_code == 200
        finally:
            for sock in stalled:
                sock.close()


def test_the_connection_limit_stays_below_the_descriptor_limit() -> None:
    """Refusing at the limit, never at EMFILE: a full descriptor table is what flooded the log."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert connection_limit(10**9) <= max(1, soft - FD_RESERVE)
    assert connection_limit(5) == 5
