"""What one row of the create rules is made of: edges, the IMG codes a refusal may carry, the rows.

An `Edge` is one boundary example, written from the contract (docs/contract.md), not derived from
the spec, so the suite also catches a spec and a server that are wrong together. A `RuleRow` holds
one rule's edges and the Hypothesis strategies that draw values on either side of it
(`contract_tests/strategies.py`); the rows themselves are the one table in `rule_table.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

BASE_BODY: dict[str, Any] = {"image_url": "image-test:fedora_data1.qcow2", "min_disk": 40}
UUID = "5b2c9e3a-7f41-4d0e-9a6b-1c2d3e4f5a6b"

# Text of every width: 1 byte (ASCII), 2 (Latin-1, Cyrillic), 3 (CJK) and 4 bytes (astral: 2 UTF-16 units).
SCRIPTS = {"ASCII": "d", "Latin-1": "é", "Cyrillic": "ж", "CJK": "数", "astral": "😀"}


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # as a field's value: the field is left out of the body
# The IMG code a refusal must carry: one, any of several the table gives the same meaning, or None
# (any IMG code: the table documents none for the rule).
Codes = str | tuple[str, ...] | None
OS_TYPE_CODES = ("IMG.0056", "IMG.0122")  # both documented as "the OS type is invalid"
IMAGE_URL_CODES = (
    "IMG.0017",
    "IMG.0109",
)  # "the URL format is incorrect", "the bucket name contains invalid characters"


def body_with(**fields: Any) -> dict[str, Any]:
    """A valid create body (the seed's file and a plain name) with `fields` replacing its own."""
    body = {"name": "contract-test", **BASE_BODY, **fields}
    return {key: value for key, value in body.items() if value is not ABSENT}


@dataclass(frozen=True)
class Edge:
    """One boundary example: the fields a body carries, whether the rule allows them, the code it pins."""

    case: str
    fields: dict[str, Any]
    allowed: bool
    code: Codes = None
    # Why a live service may answer this edge the other way without breaking the contract (it names
    # a resource the contract says nothing about, or the sources disagree): on a target other than
    # the embedded mock the other answer is then observed and reported, not failed.
    live_open: str = ""


def ok(case: str, **fields: Any) -> Edge:
    """An edge the contract allows."""
    return Edge(case, fields, True)


def ok_unless_missing(case: str, resource: str, **fields: Any) -> Edge:
    """An edge the contract allows by its form, naming a `resource` a live account may not have."""
    return Edge(case, fields, True, live_open=f"the contract pins the form only; this {resource} may not exist")


def no(case: str, code: Codes = None, **fields: Any) -> Edge:
    """An edge the contract refuses, with the IMG code (or codes) it pins (None: any IMG code)."""
    return Edge(case, fields, False, code)


def no_unless_open(case: str, why: str, code: Codes = None, **fields: Any) -> Edge:
    """An edge the mock refuses where the sources leave the choice open: a live acceptance is observed."""
    return Edge(case, fields, False, code, live_open=why)


def ok_unless_open(case: str, why: str, **fields: Any) -> Edge:
    """An edge the mock accepts where the sources leave the choice open: a live refusal is observed."""
    return Edge(case, fields, True, live_open=why)


Refusal = tuple[dict[str, Any], Codes]  # the fields, and the IMG code(s) the contract pins


@dataclass(frozen=True)
class RuleRow:
    """One rule: its edges, and strategies for fields it allows and for fields it refuses (with the code)."""

    rule: str
    edges: tuple[Edge, ...]
    allowed: st.SearchStrategy[dict[str, Any]] | None = None
    refused: st.SearchStrategy[Refusal] | None = None
    examples: int = 10  # Hypothesis examples on each side in the ci profile (ten times as many when thorough)
