"""The spec's request schema holds every `create.*` rule of the one table (`contract_tests.rule_table`).

Each edge the suite sends is judged here by the spec's own validator, so the spec, the mock and the
suite cannot drift apart: one table, three readers.
"""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests.edges import BASE_BODY, Edge, body_with
from contract_tests.rule_table import all_edges
from tests.spec_helpers import is_valid_request

EDGES = all_edges()
BASE = {"name": "contract-test", **BASE_BODY}

# Where the spec answers an edge the other way than the contract, and why. Each is asserted as
# written: the spec must answer these the other way, and every other edge as the contract does.
SPEC_ANSWERS_OTHERWISE = {
    ("create.image_url", "object key with a space"): "open: the spec leaves it to the server (the mock refuses)",
    ("create.tags.keys", "a key twice"): "JSON Schema compares whole items only (uniqueItems), not keys",
    ("create.tags.keys", "a key alone and with a value"): "JSON Schema compares whole items only",
    ("create.tags.keys", "a key twice (objects)"): "JSON Schema compares whole items only",
}


@pytest.mark.parametrize(("rule", "edge"), EDGES, ids=[f"{rule}: {edge.case}" for rule, edge in EDGES])
def test_the_spec_answers_every_edge_as_the_contract_says(rule: str, edge: Edge) -> None:
    expected = edge.allowed != ((rule, edge.case) in SPEC_ANSWERS_OTHERWISE)
    body = body_with(**edge.fields)
    assert is_valid_request(body) is expected, f"{rule} {edge.case}: expected {'valid' if expected else 'invalid'}"


def test_every_exception_names_an_edge_of_the_table() -> None:
    assert set(SPEC_ANSWERS_OTHERWISE) <= {(rule, edge.case) for rule, edge in EDGES}


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
