"""Targeted properties: names, min_disk bounds and tag combinations, on both sides of every rule.

A value the contract allows must be accepted (200 and a job); a value it forbids must be refused
with 400 and an IMG code. Valid cases create images, so against a non-embedded target they run
only within IMS_MAX_CREATES; invalid cases are always sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import example, given, settings

from contract_tests import strategies
from contract_tests.checks import JOB_ID, assert_ims_error, assert_request_id
from contract_tests.conftest import examples
from contract_tests.session import ContractSession
from contract_tests.target import Target

CREATE = "/v1/cloudimages/dataimages/action"


def _send(target: Target, http: ContractSession, body: dict[str, Any]) -> requests.Response:
    headers = {"Content-Type": "application/json", **target.credential_headers()}
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return http.post(target.url(CREATE), data=raw, headers=headers, timeout=30)


def assert_accepted(target: Target, http: ContractSession, body: dict[str, Any]) -> None:
    """The contract allows `body`: expect 200 with a job ID (when the create budget allows)."""
    if not target.creates_allowed():
        pytest.skip(f"IMS_MAX_CREATES={target.max_creates}: creates that would be accepted are not sent")
    response = _send(target, http, body)
    status, text = response.status_code, response.text
    with http.explain(response):
        assert_request_id(dict(response.headers))
        assert status == 200, (
            f"sent {json.dumps(body)[:300]}: expected 200 (allowed by the contract), got {status} {text[:300]}"
        )
        job_id = json.loads(text).get("job_id")
        assert isinstance(job_id, str) and JOB_ID.fullmatch(job_id), f"expected job_id of 32 lowercase hex, got {text}"


def assert_rejected(target: Target, http: ContractSession, body: dict[str, Any]) -> None:
    """The contract forbids `body`: expect 400 in the IMS envelope."""
    response = _send(target, http, body)
    status, text = response.status_code, response.text
    with http.explain(response):
        assert_request_id(dict(response.headers))
        assert status == 400, (
            f"sent {json.dumps(body)[:300]}: expected 400 (forbidden by the contract), got {status} {text[:300]}"
        )
        assert_ims_error(status, text)


@pytest.mark.rules("create.name.length", "create.name.charset")
@given(name=strategies.valid_names())
@example(name="a").via("length 1")
@example(name="A" * 128).via("length 128")
@example(name="Az09-._ x").via("every class")
@example(name="a  b").via("inner spaces")
@settings(max_examples=examples(15))
def test_allowed_names_are_accepted(target: Target, http: ContractSession, name: str) -> None:
    assert_accepted(target, http, strategies.body_with(name=name))


@pytest.mark.rules("create.name.length", "create.name.charset")
@given(name=strategies.invalid_names())
@example(name="").via("empty")
@example(name="a" * 129).via("length 129")
@example(name=" a").via("leading space")
@example(name="a ").via("trailing space")
@example(name="a<b").via("angle bracket")
@example(name="é").via("Unicode letter")
@example(name="disk😀").via("emoji")
@example(name="a\nb").via("line feed")
@settings(max_examples=examples(25))
def test_forbidden_names_are_rejected(target: Target, http: ContractSession, name: str) -> None:
    assert_rejected(target, http, strategies.body_with(name=name))


@pytest.mark.rules("create.min_disk")
@given(min_disk=strategies.valid_min_disks)
@example(min_disk=40).via("lowest")
@example(min_disk=41).via("above lowest")
@example(min_disk=2047).via("below highest")
@example(min_disk=2048).via("highest")
@example(min_disk=40.0).via("integral float")
@settings(max_examples=examples(10))
def test_min_disk_within_bounds_is_accepted(target: Target, http: ContractSession, min_disk: float) -> None:
    assert_accepted(target, http, strategies.body_with(min_disk=min_disk))


@pytest.mark.rules("create.min_disk")
@given(min_disk=strategies.invalid_min_disks)
@example(min_disk=39).via("below lowest")
@example(min_disk=2049).via("above highest")
@example(min_disk=-40).via("negative")
@example(min_disk=10**30).via("huge")
@example(min_disk=40.5).via("fraction")
@example(min_disk=True).via("boolean")
@example(min_disk="40").via("string")
@settings(max_examples=examples(25))
def test_min_disk_out_of_bounds_or_of_the_wrong_type_is_rejected(
    target: Target, http: ContractSession, min_disk: object
) -> None:
    assert_rejected(target, http, strategies.body_with(min_disk=min_disk))


@pytest.mark.rules("create.tags", "create.image_tags", "create.tags.keys")
@given(fields=strategies.valid_tag_fields())
@example(fields={"tags": []}).via("empty tags")
@example(fields={"image_tags": []}).via("empty image_tags")
@example(fields={"tags": [f"k{i}.v" for i in range(10)]}).via("10 tags")
@example(fields={"tags": ["k" * 36 + "." + "v" * 43]}).via("longest key and value")
@example(fields={"tags": ["solo", "ver.1.2.3"]}).via("no dot, and dots in a value")
@example(fields={"image_tags": [{"key": "a"}, {"key": "b", "value": "1.2"}]}).via("objects")
@settings(max_examples=examples(15))
def test_allowed_tag_combinations_are_accepted(target: Target, http: ContractSession, fields: dict[str, Any]) -> None:
    assert_accepted(target, http, strategies.body_with(**fields))


@pytest.mark.rules("create.tags", "create.image_tags", "create.tags.keys")
@given(fields=strategies.invalid_tag_fields())
@example(fields={"tags": [f"k{i}.v" for i in range(21)]}).via("21 tags")
@example(fields={"tags": ["a", "a.1"]}).via("duplicate key")
@example(fields={"image_tags": [{"key": "a"}, {"key": "a", "value": "2"}]}).via("duplicate object key")
@example(fields={"tags": ["k" * 129]}).via("key 129")
@example(fields={"image_tags": [{"key": "k", "value": "v" * 256}]}).via("value 256")
@example(fields={"image_tags": [{"key": "k", "value": "v", "x": 1}]}).via("extra property")
@example(fields={"image_tags": [{"value": "v"}]}).via("missing key")
@settings(max_examples=examples(25))
def test_forbidden_tag_combinations_are_rejected(target: Target, http: ContractSession, fields: dict[str, Any]) -> None:
    assert_rejected(target, http, strategies.body_with(**fields))


@pytest.mark.rules("create.tags.limits", "create.tags.exclusive")
@given(fields=strategies.invalid_tag_fields(open_items=True))
@example(fields={"tags": [], "image_tags": []}).via("both, empty")
@example(fields={"tags": [f"k{i}.v" for i in range(11)]}).via("11 tags")
@example(fields={"tags": ["k" * 37]}).via("key 37")
@example(fields={"image_tags": [{"key": "k", "value": "v" * 44}]}).via("value 44")
@settings(max_examples=examples(15))
def test_tag_limits_and_both_fields_are_refused_as_decided(
    target: Target, http: ContractSession, fields: dict[str, Any]
) -> None:
    """The international edition's limits and one tag field: live behaviour open, observed on live targets."""
    assert_rejected(target, http, strategies.body_with(**fields))


# (case, fields, allowed, the rule it checks)
OTHER_FIELDS = [
    ("description 1024", {"description": "d" * 1024}, True, "create.description.length"),
    (
        "description with spaces and Unicode",
        {"description": "Data disk 1 of Fedora, 数据"},
        True,
        "create.description.charset",
    ),
    ("description 1025", {"description": "d" * 1025}, False, "create.description.length"),
    ("description <", {"description": "<b>"}, False, "create.description.charset"),
    ("description line feed", {"description": "a\nb"}, False, "create.description.charset"),
    ("os_type Windows", {"os_type": "Windows"}, True, "create.os_type"),
    ("os_type lowercase", {"os_type": "linux"}, False, "create.os_type"),
    ("image_url bucket 2", {"image_url": "ab:disk.qcow2"}, False, "create.image_url"),
    ("image_url uppercase bucket", {"image_url": "Bucket:disk.qcow2"}, False, "create.image_url"),
    ("image_url no colon", {"image_url": "bucket"}, False, "create.image_url"),
    ("enterprise_project_id 0", {"enterprise_project_id": "0"}, True, "create.enterprise_project_id"),
    ("enterprise_project_id bad", {"enterprise_project_id": "default"}, False, "create.enterprise_project_id"),
    ("cmk_id empty", {"cmk_id": ""}, False, "create.cmk_id"),
    ("cmk_id 255", {"cmk_id": "k" * 255}, True, "create.cmk_id"),
    ("cmk_id 256", {"cmk_id": "k" * 256}, False, "create.cmk_id"),
    ("description 1024 CJK (3 bytes each)", {"description": "数" * 1024}, True, "create.length.unit"),
    ("description 1025 CJK", {"description": "数" * 1025}, False, "create.length.unit"),
    ("description 1024 astral (2 UTF-16 units each)", {"description": "😀" * 1024}, True, "create.length.unit"),
    ("unknown property", {"image_type": "DataImage"}, False, "create.body.unknown"),
    ("null description", {"description": None}, False, "create.body.null"),
    ("null tags", {"tags": None}, False, "create.body.null"),
]


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        pytest.param(fields, allowed, id=case, marks=pytest.mark.rules(rule))
        for case, fields, allowed, rule in OTHER_FIELDS
    ],
)
def test_the_other_fields_follow_the_contract(
    target: Target, http: ContractSession, fields: dict[str, Any], allowed: bool
) -> None:
    body = strategies.body_with(**fields)
    if allowed:
        assert_accepted(target, http, body)
    else:
        assert_rejected(target, http, body)


@pytest.mark.parametrize(
    "missing",
    [
        pytest.param("name", marks=pytest.mark.rules("create.name.required")),
        pytest.param("image_url", marks=pytest.mark.rules("create.image_url")),
        pytest.param("min_disk", marks=pytest.mark.rules("create.min_disk")),
    ],
)
def test_a_body_without_a_required_field_is_rejected(target: Target, http: ContractSession, missing: str) -> None:
    body = strategies.body_with()
    del body[missing]
    assert_rejected(target, http, body)
