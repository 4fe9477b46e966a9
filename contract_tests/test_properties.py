"""Every create rule at both ends: its explicit edges, then values Hypothesis draws on either side.

One row per rule (`rule_table.RULES`). A value the contract allows must be accepted (200 and a
job); a value it forbids must be refused with 400 in the IMS envelope, with the IMG code the
contract pins where it pins one. Allowed values create images, so against a non-embedded target
they run only within IMS_MAX_CREATES; refused values are always sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tests import edges, rule_table
from contract_tests.api import CREATE, V2_1
from contract_tests.card import Card
from contract_tests.checks import (
    RULE_OF_CODE,
    assert_create_answer,
    assert_ims_error,
    assert_request_id,
    refused_code,
    require,
)
from contract_tests.profiles import examples
from contract_tests.session import ContractSession
from contract_tests.target import Target

# The create's two paths (`op.create`, `op.create-v2.1`): every rule holds on both. Refused edges
# go to both (they create nothing); accepted edges to v1; the drawn values to either, drawn too.
PATHS = (CREATE, V2_1)
OPERATION_OF = {CREATE: "op.create", V2_1: "op.create-v2.1"}


def _send(target: Target, http: ContractSession, body: dict[str, Any], path: str = CREATE) -> requests.Response:
    headers = {"Content-Type": "application/json", **target.credential_headers()}
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return http.post(target.url(path), data=raw, headers=headers, timeout=30)


def assert_accepted(target: Target, http: ContractSession, body: dict[str, Any], path: str = CREATE) -> None:
    """The contract allows `body`: expect 200 with a job ID (when the create budget allows)."""
    if not target.creates_allowed():
        pytest.skip(f"IMS_MAX_CREATES={target.max_creates}: creates that would be accepted are not sent")
    response = _send(target, http, body, path)
    status, text = response.status_code, response.text
    with http.explain(response):
        assert_request_id(dict(response.headers))
        if 200 <= status < 300:  # accepted: whether the answer is right is `response.create`'s, not this rule's
            assert_create_answer(status, text)
            return
        message = f"sent {json.dumps(body)[:300]}: expected 200 (allowed by the contract), got {status} {text[:300]}"
        named = RULE_OF_CODE.get(refused_code(text) or "", ())
        require(status == 200, message, *named)  # a documented code names the rule the refusal is about


def assert_rejected(
    target: Target, http: ContractSession, body: dict[str, Any], code: edges.Codes = None, path: str = CREATE
) -> None:
    """The contract forbids `body`: expect 400 in the IMS envelope, with `code` (or one of them) when pinned."""
    response = _send(target, http, body, path)
    status, text = response.status_code, response.text
    with http.explain(response):
        assert_request_id(dict(response.headers))
        # No such API (the gateway's 404 APIGW.0101): the path itself is missing, not this rule.
        require(status != 404 or "APIG" not in text, f"{path} answered {status} {text[:200]}", OPERATION_OF[path])
        assert status == 400, (
            f"sent {json.dumps(body, ensure_ascii=False)[:300]}: expected 400 (forbidden by the contract), "
            f"got {status} {text[:300]}"
        )
        error = assert_ims_error(status, text)
        codes = (code,) if isinstance(code, str) else code
        if codes is not None:
            assert error["code"] in codes, (
                f"sent {json.dumps(body, ensure_ascii=False)[:300]}: expected {' or '.join(codes)} (the contract's"
                f" code for this rule), got {error['code']}"
            )


def _row_params(kind: str) -> list[Any]:
    return [
        pytest.param(row, id=row.rule, marks=pytest.mark.rules(row.rule))
        for row in rule_table.RULES
        if getattr(row, kind) is not None
    ]


def _edge_params() -> list[Any]:
    params = []
    for rule, edge in rule_table.all_edges():
        params.append(pytest.param(rule, edge, CREATE, id=f"{rule}: {edge.case}", marks=pytest.mark.rules(rule)))
        if not edge.allowed:  # the rule's alone: a live-open rule stays an observation on either path
            marks = pytest.mark.rules(rule)
            params.append(pytest.param(rule, edge, V2_1, id=f"v2.1 {rule}: {edge.case}", marks=marks))
    return params


@pytest.mark.parametrize(("rule", "edge", "path"), _edge_params())
def test_every_rule_at_its_edges(
    target: Target, http: ContractSession, card: Card, rule: str, edge: edges.Edge, path: str
) -> None:
    body = edges.body_with(**edge.fields)
    try:
        if edge.allowed:
            assert_accepted(target, http, body, path)
        else:
            assert_rejected(target, http, body, edge.code, path)
    except AssertionError as error:
        if target.embedded or not edge.live_open:
            raise
        last = http.last_exchange()  # the edge's one request, as test_schemathesis observes its own
        answered = "refused" if edge.allowed else "accepted"
        card.observe(f"{rule}: {edge.case} {answered}", f"{edge.live_open}. {error}", last.as_curl() if last else "")


@pytest.mark.parametrize("row", _row_params("allowed"))
def test_values_a_rule_allows_are_accepted(target: Target, http: ContractSession, row: edges.RuleRow) -> None:
    assert row.allowed is not None

    @settings(max_examples=examples(row.examples))
    @given(fields=row.allowed, path=st.sampled_from(PATHS))
    def accepted(fields: dict[str, Any], path: str) -> None:
        assert_accepted(target, http, edges.body_with(**fields), path)

    accepted()


@pytest.mark.parametrize("row", _row_params("refused"))
def test_values_a_rule_forbids_are_refused(target: Target, http: ContractSession, row: edges.RuleRow) -> None:
    assert row.refused is not None

    @settings(max_examples=examples(row.examples))
    @given(refusal=row.refused, path=st.sampled_from(PATHS))
    def refused(refusal: edges.Refusal, path: str) -> None:
        fields, code = refusal
        assert_rejected(target, http, edges.body_with(**fields), code, path)

    refused()
