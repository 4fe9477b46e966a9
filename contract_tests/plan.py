"""The create plan: which tests the create budget (IMS_MAX_CREATES) pays for, decided before the run.

On a real target every accepted create is a real image import, so a small budget must buy the
most contract. Each test that needs accepted creates says so with `@pytest.mark.creates(n, part)`;
its `@pytest.mark.rules` are what those creates let it confirm. The plan takes the whole lifecycle
first, then the job's failure path, then step by step the test that adds the most rules not yet
confirmed per create it costs; a test that does not fit is withheld: skipped, and named on the
card with what a bigger budget buys. The tests chosen run first, so nothing else spends their creates; whatever is
left goes to the accept-side checks that follow (protocol and property tests), first come, first
served, as before. Against the embedded mock (no budget) nothing is withheld or reordered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

# Whole lifecycle, then the job's failure path, then the single points each a create can show.
PARTS = ("lifecycle", "failure path", "image fields", "listing", "jobs")


@dataclass(frozen=True)
class Need:
    """One test's claim on the budget."""

    item: pytest.Item
    creates: int
    part: str
    rules: tuple[str, ...]

    @property
    def name(self) -> str:
        """The test's name, as the card and the plan line show it."""
        return self.item.name


@dataclass(frozen=True)
class Plan:
    """What the budget pays for, and what it leaves out."""

    budget: int | None  # None: unlimited (the embedded mock)
    chosen: tuple[Need, ...]
    withheld: tuple[Need, ...]

    @property
    def left(self) -> int | None:
        """Creates left for the accept-side checks after the chosen tests (None: unlimited)."""
        return None if self.budget is None else self.budget - sum(need.creates for need in self.chosen)

    def line(self) -> str:
        """`budget 5: lifecycle x1, failure path x1, ... ; left for accept-side checks: 1; withheld: ...`."""
        if self.budget is None:
            return "create plan: unlimited (the embedded mock): every test that needs creates runs"
        spent = Counter[str]()
        for need in self.chosen:
            spent[need.part] += need.creates
        parts = ", ".join(f"{part} x{spent[part]}" for part in PARTS if spent[part]) or "nothing"
        text = f"create plan: budget {self.budget}: {parts}; left for accept-side checks: {self.left}"
        if self.withheld:
            lost = sorted({rule for need in self.withheld for rule in need.rules} - self.confirmable())
            wanted = sum(need.creates for need in self.withheld)
            text += f"; withheld: {len(self.withheld)} test(s) needing {wanted} create(s)"
            text += f" (rules only they confirm: {', '.join(lost) or 'none'})"
        return text

    def confirmable(self) -> set[str]:
        """The rules the chosen tests can confirm."""
        return {rule for need in self.chosen for rule in need.rules}


def needs(items: list[pytest.Item]) -> list[Need]:
    """Every collected test's claim on the budget, from its `creates` and `rules` markers."""
    found = []
    for item in items:
        marker = item.get_closest_marker("creates")
        if marker is None:
            continue
        creates, part = marker.args
        if not isinstance(creates, int) or creates < 1 or part not in PARTS:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.creates(n >= 1, one of {PARTS}), not {marker.args}")
        rules = item.get_closest_marker("rules")
        found.append(Need(item, creates, part, tuple(rules.args) if rules else ()))
    return found


# Spent first, in this order, whatever the rest offers: an image's whole life, then the job's failure.
FIRST = ("lifecycle", "failure path")


def make(items: list[pytest.Item], budget: int | None) -> Plan:
    """The plan for `budget`: the FIRST parts, then greedily the test confirming most new rules per create.

    Within the FIRST parts: by rules per create. After them, each step takes the test that adds the
    most rules not yet confirmable per create it costs (ties: PARTS order, then collection order),
    so a second test of rules already covered waits behind one that covers new ones.
    """
    claims = needs(items)
    if budget is None:
        return Plan(None, tuple(claims), ())
    chosen: list[Need] = []
    left = budget
    first = sorted(
        (need for need in claims if need.part in FIRST),
        key=lambda need: (FIRST.index(need.part), -len(need.rules) / need.creates),
    )
    for need in first:
        if need.creates <= left:
            chosen.append(need)
            left -= need.creates
    rest = [need for need in claims if need.part not in FIRST]
    while True:
        covered = {rule for need in chosen for rule in need.rules}
        fits = [need for need in rest if need.creates <= left]
        if not fits:
            break
        best = min(fits, key=lambda need: (-len(set(need.rules) - covered) / need.creates, PARTS.index(need.part)))
        chosen.append(best)
        rest.remove(best)
        left -= best.creates
    withheld = tuple(need for need in claims if need not in chosen)
    return Plan(budget, tuple(chosen), withheld)


def apply(plan: Plan, items: list[pytest.Item]) -> None:
    """Run the chosen tests first, in plan order; skip the withheld ones, saying why and what they need."""
    if plan.budget is None:
        return
    first = [need.item for need in plan.chosen]
    chosen = set(map(id, first))
    items[:] = first + [item for item in items if id(item) not in chosen]
    for need in plan.withheld:
        reason = (
            f"withheld by the create plan: needs {need.creates} create(s) ({need.part}) and "
            f"IMS_MAX_CREATES={plan.budget} is planned for tests that confirm more per create"
        )
        need.item.add_marker(pytest.mark.skip(reason=reason))
