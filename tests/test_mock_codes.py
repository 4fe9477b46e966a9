"""The mock's whole code table, held against the one docs/contract.md keeps from Huawei's.

Huawei's IMS error-code table gives each `IMG.dddd` one meaning. The mock may use a documented code
only for that meaning, and a code the table does not list only where no documented one fits; a
code the table gives another meaning is never used (the contract's "Codes" section).
"""

from __future__ import annotations

import re

from ims_mock import errors
from ims_mock.rules import RULES
from tests.spec_helpers import ROOT

CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
# The table documents IMG.0001 to IMG.0198 and IMG.0212 (docs/contract.md, "Codes").
DOCUMENTED = {f"IMG.{n:04d}" for n in (*range(1, 199), 212)}
OTHER_MEANINGS = {"IMG.0010", "IMG.0011", "IMG.0016", "IMG.0027", "IMG.0028", "IMG.0029", "IMG.0044", "IMG.0045"}
OTHER_MEANINGS |= {"IMG.0117"}


def _codes_section() -> dict[str, tuple[str, str]]:
    section = CONTRACT.split("## Codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (IMG\.\d{4}) \| ([^|]+) \| ([^|]+) \|$", section, re.MULTILINE)
    return {code: (meaning.strip(), uses.strip()) for code, meaning, uses in rows}


def _mock_codes() -> dict[str, set[str]]:
    """Every IMG code the mock's core can answer, with what it answers it for."""
    used: dict[str, set[str]] = {}
    for rule_id, rule in RULES.items():
        used.setdefault(rule.code, set()).add(rule_id)
    for name, value in vars(errors).items():
        if isinstance(value, errors.ImsError):
            used.setdefault(value.code, set()).add(name)
    used.setdefault(errors.IMAGE_FILE_UNUSABLE_CODE, set()).add("job.fail")
    return used


def test_every_code_the_mock_answers_is_in_the_contracts_table_and_no_other() -> None:
    table, used = _codes_section(), _mock_codes()
    assert set(used) - set(table) == set(), f"codes the mock answers that docs/contract.md does not list: {used}"
    assert set(table) - set(used) == set(), "docs/contract.md lists codes the mock never answers"


def test_a_documented_code_is_used_only_where_the_table_documents_it_and_others_only_outside_it() -> None:
    for code, (meaning, _uses) in _codes_section().items():
        if meaning == "(not in the table)":
            assert code not in DOCUMENTED, f"{code} is in Huawei's table: the mock may not pick it freely"
        else:
            assert code in DOCUMENTED, f"{code} is not in Huawei's table, yet docs/contract.md gives it a meaning"
    assert not OTHER_MEANINGS & set(_mock_codes()), "the mock answers a code the table gives another meaning"


def test_each_rule_of_the_mock_answers_the_code_whose_row_names_it() -> None:
    table = _codes_section()
    for rule_id, rule in RULES.items():
        if rule_id.startswith("body.") or rule_id == "tags.both":
            continue  # IMG.0001's row names these by what they are, not by rule id
        assert rule_id in table[rule.code][1], f"{rule_id} answers {rule.code}, whose row does not name it"


def test_the_codes_that_must_not_be_used_are_the_ones_the_table_gives_other_meanings() -> None:
    named = set(re.findall(r"IMG\.\d{4}", CONTRACT.split("Codes the table gives other meanings", 1)[1][:900]))
    assert named == OTHER_MEANINGS
