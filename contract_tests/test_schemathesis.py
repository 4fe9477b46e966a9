"""Schemathesis phases over every operation of the spec: examples, coverage, fuzzing, stateful.

Built-in checks (server errors; status code, content type, header and body conformance; negative
data rejected; positive data accepted; missing required header; ignored auth; resource available
after create; use after delete) run with the contract's own checks from `checks.py`, which
`@schemathesis.check` registers once: Schemathesis runs every registered check by default.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import schemathesis
from hypothesis import settings

from contract_tests.card import OBSERVED_FAILURES, Card
from contract_tests.checks import AnyCase
from contract_tests.profiles import examples
from contract_tests.session import ContractSession
from contract_tests.target import CreateBudgetExhausted, Target

schema = schemathesis.pytest.from_fixture("ims_schema")


def _observed_or_raised(error: BaseException, card: Card, http: ContractSession) -> None:
    """Record what the spec alone pins (schema-driven data acceptance) as observations; re-raise the rest."""
    leaves = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    observed = [leaf for leaf in leaves if type(leaf).__name__ in OBSERVED_FAILURES]
    last = http.last_exchange()
    for leaf in observed:
        what = f"{getattr(leaf, 'operation', '')}: {getattr(leaf, 'title', type(leaf).__name__)}"
        card.observe(what, str(getattr(leaf, "message", leaf)), last.as_curl() if last else "")
    if len(observed) < len(leaves):
        raise error


@schema.parametrize()
@settings(max_examples=examples(25))
def test_every_operation_conforms(case: AnyCase, target: Target, http: ContractSession, card: Card) -> None:
    """Each generated request gets a response the contract allows; what only the spec pins is observed."""
    try:
        case.call_and_validate(session=http, headers=target.credential_headers())
    except CreateBudgetExhausted:
        hypothesis.reject()
    except (AssertionError, BaseExceptionGroup) as error:  # a Schemathesis failure, or a group of them
        _observed_or_raised(error, card, http)


def test_stateful_workflows_conform(
    ims_schema: schemathesis.BaseSchema, target: Target, http: ContractSession, card: Card
) -> None:
    """Sequences that follow the spec's links (create -> job -> list/delete) conform at every step."""
    machine = ims_schema.as_state_machine()

    class Workflow(machine):  # type: ignore[misc,valid-type]  # a class made at run time by Schemathesis
        def get_call_kwargs(self, case: AnyCase) -> dict[str, Any]:
            return {"session": http, "headers": target.credential_headers()}

        def call(self, case: AnyCase, **kwargs: Any) -> Any:
            try:
                return super().call(case, **kwargs)
            except CreateBudgetExhausted:
                hypothesis.reject()

        def validate_response(self, response: Any, case: AnyCase, **kwargs: Any) -> None:
            try:
                super().validate_response(response, case, **kwargs)
            except (AssertionError, BaseExceptionGroup) as error:
                _observed_or_raised(error, card, http)

    Workflow.run(settings=settings(max_examples=examples(10), stateful_step_count=6))
