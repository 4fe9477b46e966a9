"""Every registered fault changes what the mock answers, and the faithful core is the default.

One fixed scenario (rule edges, authentication, a job's whole life, listing, deletion) is replayed
in-process against the faithful mock and against the mock with each fault planted, with a fixed
clock and fixed ids, so two transcripts differ only where a fault changed an answer. A fault whose
transcript equals the faithful one is not wired in (or the scenario misses it): both are defects.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from contract_tests.signing import sdk_signed_headers
from ims_mock import faults, signing
from ims_mock.settings import DEFAULT_AK, DEFAULT_PROJECT_ID, DEFAULT_SK, DEFAULT_TOKEN, default_credentials
from tests.servers import config

BASE = "http://mock.test"
CREATE = "/v1/cloudimages/dataimages/action"
OTHER_PROJECT, OTHER_TOKEN = "fedcba9876543210fedcba9876543210", "other-token"
START = 1_800_000_000.0
JOB_SECONDS = 10.0
NO_JOB = "0" * 32
TEMPORARY_AK, TEMPORARY_SK = "TEMPORARYAK000000000", "temporary-sk"

VALID = {"name": "img-x", "image_url": "bucket-a:disk/x.qcow2", "min_disk": 40}
RULE_EDGES: list[dict[str, Any]] = [
    VALID,
    *({**VALID, "min_disk": value} for value in (39, 2048, 2049, 40.5, "40", 40.0)),
    *({**VALID, "name": name} for name in ("n" * 128, "n" * 129, " edge", "ünïcode", "bad!name", "inner space")),
    *({**VALID, "description": text} for text in ("d" * 1024, "d" * 1025, "<b>", "ünïcode")),
    {**VALID, "os_type": "linux"},
    {**VALID, "os_type": "Windows"},
    {**VALID, "image_url": "not a url"},
    {**VALID, "image_url": "bucket-a:plain.qcow2"},
    {**VALID, "tags": ["a.b"], "image_tags": [{"key": "c", "value": "d"}]},
    {**VALID, "tags": [f"k{i}.v" for i in range(11)]},
    {**VALID, "tags": ["k.a", "k.b"]},
    {**VALID, "tags": ["k" * 37 + ".v"]},
    {**VALID, "image_tags": [{"key": "k", "value": "v", "x": 1}]},
    {**VALID, "image_tags": [{"key": "k"}]},
    {**VALID, "tags": ["k"]},
    {**VALID, "tags": ["k.v.w"]},
    {**VALID, "tags": []},
    {**VALID, "unknown": 1},
    {**VALID, "description": None},
    {**VALID, "enterprise_project_id": "X"},
    {**VALID, "enterprise_project_id": "0"},
    {**VALID, "cmk_id": ""},
    {**VALID, "cmk_id": "c" * 255},
    {**VALID, "image_tags": [{"key": f"k{i}"} for i in range(21)]},
    {**VALID, "enterprise_project_id": "5b2c9e3a-7f41-4d0e-9a6b-1c2d3e4f5a6b".upper()},
    {**VALID, "enterprise_project_id": "00"},
    {**VALID, "name": "数据盘"},
    {**VALID, "image_url": "b" * 63 + ":x.qcow2"},
    {**VALID, "image_url": "-bucket:x.qcow2"},
    {**VALID, "image_url": "bucket-a:" + "k" * 1025},
    {**VALID, "image_url": "bucket-a:dir:x.qcow2"},
    {**VALID, "image_url": "bucket-a:" + "数" * 1024},
    {**VALID, "description": "数" * 1024},
    {**VALID, "description": "a\u2028b"},
]


@dataclass
class Scenario:
    """One replay: the app under test, its clock, and the transcript so far."""

    client: httpx.AsyncClient
    now: list[float]
    lines: list[str] = field(default_factory=list)

    async def send(self, label: str, method: str, path: str, **options: Any) -> Any:
        """Send one request, add its answer to the transcript and return the parsed body (or None)."""
        response = await self.client.request(method, BASE + path, **options)
        request_id = response.headers.get("x-request-id", "")
        body = response.text.replace(request_id, "<request-id>") if request_id else response.text
        self.lines.append(
            f"{label}: {response.status_code} {response.headers.get('content-type')} "
            f"request-id={'yes' if request_id else 'no'} {body}"
        )
        try:
            return response.json()
        except ValueError:
            return None

    async def create(self, label: str, body: dict[str, Any], token: str = DEFAULT_TOKEN) -> str:
        """POST a create; the job id, or NO_JOB when there is none."""
        answer = await self.send(label, "POST", CREATE, json=body, headers={"X-Auth-Token": token})
        job_id = answer.get("job_id") if isinstance(answer, dict) else None
        return job_id if isinstance(job_id, str) else NO_JOB

    def signed(
        self, method: str, path: str, *, secret_key: str = DEFAULT_SK, skew: float = 0, access_key: str = DEFAULT_AK
    ) -> dict[str, str]:
        """Headers of an AK/SK signature made by the official SDK's signer at the scenario's time + skew."""
        when = datetime.fromtimestamp(self.now[0] + skew, UTC)
        return sdk_signed_headers(
            method=method,
            url=BASE + path,
            headers={},
            body=b"",
            access_key=access_key,
            secret_key=secret_key,
            project_id=DEFAULT_PROJECT_ID,
            when=when,
        )

    def signed_without_host(self, path: str) -> dict[str, str]:
        """A GET signature that covers X-Sdk-Date and X-Project-Id but not Host."""
        date = datetime.fromtimestamp(self.now[0], UTC).strftime("%Y%m%dT%H%M%SZ")
        headers = {"x-sdk-date": date, "x-project-id": DEFAULT_PROJECT_ID}
        route, _, query = path.partition("?")
        canonical = signing.canonical_request("GET", route, signing.query_pairs(query), headers, list(headers), b"")
        signature = signing.signature(DEFAULT_SK, signing.string_to_sign(canonical, date))
        names = ";".join(headers)
        return {
            **headers,
            "Authorization": f"SDK-HMAC-SHA256 Access={DEFAULT_AK}, SignedHeaders={names}, Signature={signature}",
        }


async def _replay(scenario: Scenario) -> None:
    token = {"X-Auth-Token": DEFAULT_TOKEN}
    other = {"X-Auth-Token": OTHER_TOKEN}
    for number, body in enumerate(RULE_EDGES):
        await scenario.create(f"rule edge {number}", body)
    valid = json.dumps(VALID).encode()
    await scenario.send(
        "text/plain body", "POST", CREATE, content=valid, headers={**token, "Content-Type": "text/plain"}
    )
    charset = {**token, "Content-Type": "application/json; charset=UTF-8"}
    await scenario.send("json with charset", "POST", CREATE, content=valid, headers=charset)
    huge = b" " * (12 * 1024 * 1024 + 1)
    await scenario.send(
        "12 MiB + 1", "POST", CREATE, content=huge, headers={**token, "Content-Type": "application/json"}
    )

    deep = b'{"name": ' + b"[" * 200 + b"]" * 200 + b"}"
    started = time.monotonic()
    await scenario.send(
        "deeply nested", "POST", CREATE, content=deep, headers={**token, "Content-Type": "application/json"}
    )
    scenario.lines.append(f"deeply nested answered within 3 s: {time.monotonic() - started < 3}")

    await scenario.send("no credentials", "GET", "/v2/cloudimages")
    await scenario.send("unknown token", "GET", "/v2/cloudimages", headers={"X-Auth-Token": "not-a-token"})
    await scenario.send("token extended", "GET", "/v2/cloudimages", headers={"X-Auth-Token": DEFAULT_TOKEN + "x"})
    path = "/v2/cloudimages?limit=5"
    await scenario.send("signed", "GET", path, headers=scenario.signed("GET", path))
    await scenario.send("signed, wrong SK", "GET", path, headers=scenario.signed("GET", path, secret_key="wrong"))
    await scenario.send("signed an hour early", "GET", path, headers=scenario.signed("GET", path, skew=-3600))
    await scenario.send("signed 14 minutes early", "GET", path, headers=scenario.signed("GET", path, skew=-840))
    await scenario.send("signed without Host", "GET", path, headers=scenario.signed_without_host(path))
    temporary = scenario.signed("GET", path, access_key=TEMPORARY_AK, secret_key=TEMPORARY_SK)
    await scenario.send("temporary key, no token", "GET", path, headers=temporary)

    first = await scenario.create("job a", {**VALID, "name": "img-a", "min_disk": 50, "tags": ["env.prod"]})
    failing = await scenario.create("job b", {**VALID, "name": "img-b", "image_url": "bucket-a:disk/b.iso"})
    await scenario.create("job c", {**VALID, "name": "img-c", "description": "third"})
    await scenario.create("job e", {**VALID, "name": "img-e-" + "n" * 122, "description": "数据", "min_disk": 2048})
    upper = await scenario.create(
        "job upper-case extension", {**VALID, "name": "img-d", "image_url": "bucket-a:D.QCOW2"}
    )
    zvhd = await scenario.create("job zvhd2", {**VALID, "name": "img-z", "image_url": "bucket-a:z.zvhd2"})
    await scenario.send("progress at start", "GET", f"/v1/cloudimages/job/{first}", headers=token)
    scenario.now[0] += JOB_SECONDS / 2
    await scenario.send("job while running", "GET", f"/v1/{DEFAULT_PROJECT_ID}/jobs/{first}", headers=token)
    await scenario.send("progress while running", "GET", f"/v1/cloudimages/job/{first}", headers=token)
    scenario.now[0] += JOB_SECONDS
    for round_ in range(3):
        await scenario.send(f"job ended {round_}", "GET", f"/v1/{DEFAULT_PROJECT_ID}/jobs/{first}", headers=token)
        await scenario.send(f"progress ended {round_}", "GET", f"/v1/cloudimages/job/{first}", headers=token)
        await scenario.send(f"failed job {round_}", "GET", f"/v1/{DEFAULT_PROJECT_ID}/jobs/{failing}", headers=token)
    await scenario.send("upper-case extension", "GET", f"/v1/cloudimages/job/{upper}", headers=token)
    await scenario.send("zvhd2 file", "GET", f"/v1/cloudimages/job/{zvhd}", headers=token)
    scenario.now[0] += 5
    await scenario.send("job ended, 5 s later", "GET", f"/v1/cloudimages/job/{first}", headers=token)
    await scenario.send("other project's job", "GET", f"/v1/{OTHER_PROJECT}/jobs/{first}", headers=other)
    await scenario.send("other project's progress", "GET", f"/v1/cloudimages/job/{first}", headers=other)

    listing = await scenario.send("list", "GET", "/v2/cloudimages", headers=token)
    images = listing.get("images", []) if isinstance(listing, dict) else []
    newest = images[0]["id"] if images else str(uuid.UUID(int=0))
    await scenario.send("list limit 1", "GET", "/v2/cloudimages?limit=1", headers=token)
    await scenario.send("list after newest", "GET", f"/v2/cloudimages?marker={newest}", headers=token)
    await scenario.send("list by name", "GET", "/v2/cloudimages?name=img-a", headers=token)
    await scenario.send("list by a name's prefix", "GET", "/v2/cloudimages?name=img", headers=token)
    await scenario.send("list unknown marker", "GET", f"/v2/cloudimages?marker={uuid.UUID(int=7)}", headers=token)
    await scenario.send("list by filters", "GET", "/v2/cloudimages?__os_type=Windows&tag=env=prod", headers=token)
    await scenario.send("list by name, ascending", "GET", "/v2/cloudimages?sort_key=name&sort_dir=asc", headers=token)
    await scenario.send("list by time", "GET", "/v2/cloudimages?created_at=gt:2030-01-01T00:00:00Z", headers=token)
    json_headers = {**token, "Content-Type": "application/json"}
    await scenario.send("v2.1 create", "POST", "/v2.1/cloudimages/dataimages/action", json=VALID, headers=json_headers)
    too_small = {**VALID, "min_disk": 39}
    await scenario.send(
        "v2.1 min_disk 39", "POST", "/v2.1/cloudimages/dataimages/action", json=too_small, headers=json_headers
    )
    await scenario.send("delete", "DELETE", f"/v2/images/{newest}", headers=token)
    await scenario.send("list after delete", "GET", "/v2/cloudimages", headers=token)
    await scenario.send("delete again", "DELETE", f"/v2/images/{newest}", headers=token)
    await scenario.send("quota", "GET", "/v1/cloudimages/quota", headers=token)
    await scenario.send("health", "GET", "/health")


def transcript(names: frozenset[str]) -> list[str]:
    """The scenario's answers from the mock with faults `names`, at a fixed time with fixed ids."""
    counter = itertools.count(1)
    now = [START]
    mock_config = config(
        credentials=default_credentials(
            {},
            [f"{OTHER_PROJECT}:{OTHER_TOKEN}:OTHERAK:other-sk"],
            [f"{DEFAULT_PROJECT_ID}:{TEMPORARY_AK}:{TEMPORARY_SK}:security-token"],
        ),
        job_seconds=JOB_SECONDS,
        new_id=lambda: uuid.UUID(int=next(counter)),
    )
    app, _core = faults.build_app(mock_config, names, clock=lambda: now[0])

    async def run() -> list[str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            scenario = Scenario(client, now)
            await _replay(scenario)
            return scenario.lines

    return asyncio.run(run())


@pytest.fixture(scope="module")
def faithful() -> list[str]:
    return transcript(frozenset())


def test_the_faithful_transcript_is_deterministic_and_healthy(faithful: list[str]) -> None:
    assert transcript(frozenset()) == faithful
    assert not any(re.search(r": 5\d\d ", line) for line in faithful), "the faithful mock answered 5xx"
    assert faithful[-1].endswith('{"status":"ok","faults":[]}')


@pytest.mark.parametrize("name", list(faults.REGISTRY))
def test_each_fault_changes_behaviour(name: str, faithful: list[str]) -> None:
    planted = transcript(frozenset({name}))
    changed = [(ours, theirs) for ours, theirs in zip(faithful, planted, strict=True) if ours != theirs]
    # /health names the planted fault; that alone does not count.
    assert changed[:-1], f"{name} changed nothing the scenario can see"


def test_every_fault_is_one_registry_entry_with_a_kind_and_a_change() -> None:
    for name, fault in faults.REGISTRY.items():
        assert fault.description, name
        assert fault.configure or fault.layer or fault.asgi, name
    assert {name: fault.description for name, fault in faults.REGISTRY.items()} == faults.FAULTS


def test_unknown_fault_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        faults.build_app(config(), ["no-such-fault"])


def test_every_fault_names_the_contract_rules_it_breaks() -> None:
    # The kill matrix checks that the report card blames one of them: a fault without one cannot be checked.
    from contract_tests.card import contract_rules
    from scripts.mutation import FAULT_RULES

    known = {rule.id for rule in contract_rules()}
    for name, fault in faults.REGISTRY.items():
        assert fault.breaks, f"{name} names no rule it breaks"
        assert set(fault.breaks) <= known, f"{name}: {set(fault.breaks) - known} are not rules of docs/contract.md"
    assert {name: fault.breaks for name, fault in faults.REGISTRY.items()} == FAULT_RULES  # one table


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        (CREATE, {"name": "a", "image_url": "b-1:k.qcow2", "cmk_id": ""}, "IMG.0999"),  # cmk_id.invalid: open code
        (CREATE, {"name": "a", "image_url": "b-1:k.qcow2", "extra": 1}, "IMG.0999"),  # body.unknown-property
        (CREATE, {"name": "a!", "image_url": "b-1:k.qcow2"}, "IMG.0003"),  # name.format: documented, kept
        ("/v2/cloudimages?limit=0", None, "IMG.0999"),  # list.query
        ("/v2/cloudimages?marker=" + str(uuid.UUID(int=7)), None, "IMG.0999"),  # list.marker
    ],
)
def test_the_other_codes_variant_recodes_by_the_rule_refused_never_by_its_words(
    path: str, body: dict[str, Any] | None, code: str
) -> None:
    app, _core = faults.build_app(config(), ["other-img-codes"])
    transport = httpx.ASGITransport(app=app)

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            headers = {"X-Auth-Token": DEFAULT_TOKEN}
            if body is None:
                return await client.get(path, headers=headers)
            return await client.post(path, json={"min_disk": 40, **body}, headers=headers)

    response = asyncio.run(send())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
