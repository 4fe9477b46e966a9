"""The mock applies the `create.*` rules exactly as the spec does, with the documented IMG codes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.rule_cases import BASE, CASES, MISSING

CREATE = "/v1/cloudimages/dataimages/action"


def _body(field: str, value: Any) -> dict[str, Any]:
    body = dict(BASE)
    if value is MISSING:
        del body[field]
    else:
        body[field] = value
    return body


@pytest.mark.parametrize(("field", "value", "valid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_mock_and_the_spec_agree_on_every_boundary(
    client: httpx.Client, field: str, value: Any, valid: bool
) -> None:
    response = client.post(CREATE, json=_body(field, value))
    if valid:
        assert response.status_code == 200, response.text
        assert len(response.json()["job_id"]) == 32
    else:
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"].startswith("IMG.")


DOCUMENTED_CODES = [
    ("name missing", _body("name", MISSING), "IMG.0013"),
    ("name 129", _body("name", "a" * 129), "IMG.0002"),
    ("name format", _body("name", "a!"), "IMG.0003"),
    ("name empty", _body("name", ""), "IMG.0003"),
    ("description 1025", _body("description", "d" * 1025), "IMG.0004"),
    ("description <", _body("description", "<b>"), "IMG.0054"),
    ("image_url", _body("image_url", "no-colon"), "IMG.0017"),
    ("min_disk 39", _body("min_disk", 39), "IMG.0055"),
    ("min_disk missing", _body("min_disk", MISSING), "IMG.0055"),
    ("11 tags", _body("tags", [f"k{i}" for i in range(11)]), "IMG.0116"),
    ("bad tag", _body("tags", [".v"]), "IMG.0115"),
    ("duplicate tag keys", _body("tags", ["a", "a.1"]), "IMG.0115"),
    ("duplicate tag keys with values", _body("tags", ["a.1", "a.2"]), "IMG.0115"),
    ("duplicate image_tags keys", _body("image_tags", [{"key": "a"}, {"key": "a", "value": "1"}]), "IMG.0115"),
]


@pytest.mark.parametrize(("body", "code"), [c[1:] for c in DOCUMENTED_CODES], ids=[c[0] for c in DOCUMENTED_CODES])
def test_rules_with_a_documented_code_answer_with_that_code(client: httpx.Client, body: Any, code: str) -> None:
    response = client.post(CREATE, json=body)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": code, "message": response.json()["error"]["message"]}}
    assert response.json()["error"]["message"]


def test_the_first_broken_rule_decides_and_always_the_same_way(client: httpx.Client) -> None:
    body = {"name": "", "image_url": "x", "min_disk": 1, "tags": [".", "."], "image_tags": []}
    answers = {client.post(CREATE, json=body).json()["error"]["code"] for _ in range(5)}
    assert answers == {"IMG.0003"}


def test_tags_keys_are_case_sensitive(client: httpx.Client) -> None:
    assert client.post(CREATE, json=_body("tags", ["a.1", "A.1"])).status_code == 200
