"""What runs, in which order, and which rules each test checks (`@pytest.mark.rules`, the create plan)."""

from __future__ import annotations

import pytest

from contract_tests import card as report_card
from contract_tests import plan as create_plan
from contract_tests.head_start import HeadStart
from contract_tests.plugin.state import RunState

SCHEMATHESIS_TESTS = ("test_every_operation_conforms", "test_stateful_workflows_conform")

# Quick, targeted tests first and the ones that draw many examples, wait for jobs or fuzz last: a
# broken server fails fast (-x stops at the first failure), and a run cut short has checked the
# most rules. (module, test) pairs; a None test stands for the rest of the module.
ORDER = (
    ("test_protocol", None),
    ("test_properties", "test_every_rule_at_its_edges"),
    ("test_lifecycle", None),
    ("test_properties", None),
    ("test_schemathesis", None),
)


def _rank(item: pytest.Item) -> int:
    stem, name = item.path.stem, item.name.split("[")[0]
    for rank, (module, test) in enumerate(ORDER):
        if stem == module and test in (None, name):
            return rank
    return len(ORDER)


def rules_of(item: pytest.Item) -> tuple[str, ...]:
    """The rules `item` checks: its marker's, or for a Schemathesis test those its checks cover."""
    marker = item.get_closest_marker("rules")
    if marker is not None:
        return tuple(marker.args)
    name = item.name.split("[")[0]
    if name == "test_every_operation_conforms":
        # One item for every operation (Schemathesis runs them as subtests): it speaks for them all.
        operation = report_card.operation_rule(item.name.partition("[")[2].rstrip("]"))
        operations = [operation] if operation else list(report_card.OPERATIONS.values())
        extra = [rule for op in operations for rule in report_card.OPERATION_CHECKS.get(op, ())]
        return tuple(dict.fromkeys([*report_card.SCHEMATHESIS_RULES, *operations, *extra]))
    if name == "test_stateful_workflows_conform":
        return (*report_card.SCHEMATHESIS_RULES, "job.queryable", "delete.gone")
    return ()


class Collection:
    """Orders the tests (ORDER, then the create plan) and holds every test to naming its rules."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """Sort, make the create plan and apply it; refuse a test without known rules (a usage error)."""
        items.sort(key=_rank)  # stable: each module keeps its own order
        # The run starts with its first test; its budget is already known (read with the run's configuration).
        plan = create_plan.make(items, self.state.config.max_creates)
        create_plan.apply(plan, items)
        self.state.plan, self.state.head_start = plan, HeadStart(plan)
        problems = []
        for item in items:
            if item.path.parent.name != "contract_tests" or item.name.split("[")[0] in SCHEMATHESIS_TESTS:
                continue
            marker = item.get_closest_marker("rules")
            if marker is None or not marker.args:
                problems.append(f"{item.nodeid}: no @pytest.mark.rules(...)")
                continue
            problems += [f"{item.nodeid}: unknown rule {r!r}" for r in marker.args if not self.state.card.known(r)]
        if problems:
            raise pytest.UsageError("every contract test names rules of docs/contract.md:\n" + "\n".join(problems))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """How many tests will run (after -k and the like), and which rules each checks; the plan, said."""
        self.state.tests_total = len(session.items)
        self.state.collected_rules = {item.nodeid: rules_of(item) for item in session.items}
        plan, reporter = self.state.plan, self.state.reporter
        if plan is not None and plan.budget is not None and reporter is not None:
            reporter.write_line(plan.line())  # before any create: what the budget buys

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        """Tests left out by -k or -m: their rules are not exercised, and the run is not complete."""
        self.state.deselected += len(items)
        for item in items:
            self.state.card.not_run(rules_of(item), "deselected (-k or -m): its tests did not run")
