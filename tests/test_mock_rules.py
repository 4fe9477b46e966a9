"""The mock applies every `create.*` rule of the one table (`contract_tests.rule_table`), with its IMG codes."""

from __future__ import annotations

import httpx
import pytest

from contract_tests.edges import Edge, body_with
from contract_tests.rule_table import all_edges

CREATE = "/v1/cloudimages/dataimages/action"
EDGES = all_edges()


@pytest.mark.parametrize(("rule", "edge"), EDGES, ids=[f"{rule}: {edge.case}" for rule, edge in EDGES])
def test_the_mock_answers_every_edge_as_the_contract_says(client: httpx.Client, rule: str, edge: Edge) -> None:
    # The mock makes the open choices its way (`live_open`): those edges hold on it as on the card.
    response = client.post(CREATE, json=body_with(**edge.fields))
    if edge.allowed:
        assert response.status_code == 200, response.text
        assert len(response.json()["job_id"]) == 32
        return
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert set(response.json()) == {"error"}
    assert set(error) == {"code", "message"}
    assert error["message"]
    codes = (edge.code,) if isinstance(edge.code, str) else edge.code
    assert error["code"] in codes if codes else error["code"].startswith("IMG."), f"{rule}: {error}"


def test_the_first_broken_rule_decides_and_always_the_same_way(client: httpx.Client) -> None:
    body = {"name": "", "image_url": "x", "min_disk": 1, "tags": [".", "."], "image_tags": []}
    answers = {client.post(CREATE, json=body).json()["error"]["code"] for _ in range(5)}
    assert answers == {"IMG.0003"}
