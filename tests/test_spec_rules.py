"""The spec's request schema holds every `create.*` rule of docs/contract.md, on both sides of each bound."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rule_cases import BASE, CASES, MISSING
from tests.spec_helpers import is_valid_request


@pytest.mark.parametrize(("field", "value", "valid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_request_field_is_accepted_or_rejected_as_the_contract_says(field: str, value: Any, valid: bool) -> None:
    body = dict(BASE)
    if value is MISSING:
        del body[field]
    else:
        body[field] = value
    assert is_valid_request(body) is valid, f"{field}={value!r}: expected {'valid' if valid else 'invalid'}"


@pytest.mark.parametrize(
    ("tags", "image_tags"),
    [(["a.1"], [{"key": "b"}]), ([], []), (["a.1"], []), ([], [{"key": "b"}])],
    ids=["both filled", "both empty", "image_tags empty", "tags empty"],
)
def test_sending_both_tag_fields_is_rejected_even_when_one_is_empty(tags: list[str], image_tags: list[Any]) -> None:
    assert not is_valid_request({**BASE, "tags": tags, "image_tags": image_tags})


@pytest.mark.parametrize("body", [None, [], "x", 1, {}], ids=["null", "array", "string", "number", "empty object"])
def test_a_body_that_is_not_a_complete_object_is_rejected(body: object) -> None:
    assert not is_valid_request(body)


def test_the_seed_minimal_body_is_valid() -> None:
    assert is_valid_request(BASE)


@pytest.mark.parametrize(
    ("field", "value"),
    [("tags", ["a", "a.1"]), ("tags", ["a.1", "a.2"]), ("image_tags", [{"key": "a"}, {"key": "a", "value": "1"}])],
)
def test_duplicate_tag_keys_with_different_values_are_left_to_the_server(field: str, value: list[Any]) -> None:
    # JSON Schema can only reject identical items (uniqueItems); keys repeated with different
    # values are a rule the spec states in prose and the servers enforce (the mock's tests cover it).
    assert is_valid_request({**BASE, field: value})
