"""The report card: every rule of docs/contract.md with its status on the target, and what was observed.

A rule is `contradicted` when a test or check that covers it failed (with the failing request,
the answer and a replay command, secrets masked), `confirmed` when tests covering it passed (with
how many requests they sent), else `not-exercised` (with why: skipped tests' reasons, or no test
of this suite covers it). Only contradicted rules fail a run. What the spec says beyond the
contract, and the contract's open items, are `observations`: what the target did, with the request.

Tests name their rules with `@pytest.mark.rules("create.name.length", ...)`; Schemathesis' checks
are mapped to rules here (`CHECK_RULES`), and its two data-acceptance checks (a schema-valid
request refused, a schema-violating one accepted) are observations: the targeted property tests
own the contract's request rules, rule by rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_tests import checks
from contract_tests.inert import evidence
from contract_tests.spec import CONTRACT

_ROW = re.compile(r"^\| `(?P<id>[a-z_]+(?:\.[a-z0-9_-]+)+)` \|(?P<rest>.*)\|\s*$")

# Schemathesis failures that are the spec speaking beyond the contract: observed, never failed.
OBSERVED_FAILURES = {"AcceptedNegativeData", "RejectedPositiveData"}
# Schemathesis failure classes -> the rules they check ("op" stands for the operation's own rule:
# op.create, ...); this suite's own checks register theirs where they are written (checks.enforces).
CHECK_RULES: dict[str, tuple[str, ...]] = {
    "ServerError": ("op",),
    "UndefinedStatusCode": ("op",),
    "JsonSchemaError": ("op",),
    "MissingHeaders": ("response.request-id",),
    "MissingContentType": ("op",),
    "MalformedMediaType": ("op",),
    "UndefinedContentType": ("op",),
    "ContentDeserializationError": ("op",),
    "MalformedJson": ("op",),
    "UseAfterFree": ("delete.gone",),
    "EnsureResourceAvailability": ("job.queryable",),
    "IgnoredAuth": ("auth.refused",),
    "MissingHeaderNotRejected": ("auth.refused",),
    "ObjectLevelAuthorizationViolation": ("delete.own",),
    "TooSlow": ("response.time",),
    **checks.CHECK_RULES,
}
# What every conforming Schemathesis case confirms besides its operation's rule.
SCHEMATHESIS_RULES = ("response.request-id", "response.ims-envelope", "response.gateway-envelope")
# The contract's own checks that a conforming case of an operation confirms.
OPERATION_CHECKS = {
    "op.create": ("response.create",),
    "op.create-v2.1": ("response.create",),
    "op.job": ("job.fields", "job.status"),
    "op.job-progress": ("job.fields", "job.status", "job.progress"),
}
OPERATIONS = {
    ("POST", "/v1/cloudimages/dataimages/action"): "op.create",
    ("POST", "/v2.1/cloudimages/dataimages/action"): "op.create-v2.1",
    ("GET", "/v1/{project_id}/jobs/{job_id}"): "op.job",
    ("GET", "/v1/cloudimages/job/{job_id}"): "op.job-progress",
    ("GET", "/v2/cloudimages"): "op.list",
    ("DELETE", "/v2/images/{image_id}"): "op.delete",
}
# Rules whose live behaviour the contract leaves open: against an external target a failure of a
# test that checks only these is an observation (what the target did), never a violation. Against
# the embedded mock, whose decisions they are, they are enforced.
LIVE_OPEN = frozenset({"create.body.unknown", "create.tags.limits", "create.tags.exclusive"})
NOT_COVERED = {
    "gateway": "the mock's own protection: a real gateway sets its own limits, and the suite does not test them",
    "auth.throttle": "throttling is waited out, never provoked: a run keeps to IMS_RATE_LIMIT",
    "delete.own": "needs a second project's credentials, which a run does not have",
    "create.quota": "a run never fills the project's image quota (the mock's own tests do)",
    "create.flow-control": "a run never fills the project's job limit (the mock's own tests do)",
    "delete.protected": "a run never deletes an image it did not make, a public one least of all (the mock's own"
    " tests do)",
    "auth.aksk.lockout": "never provoked: it would lock the caller's key (a lockout met stops the run, exit 69)",
}


@dataclass(frozen=True)
class Rule:
    """One rule of the contract."""

    id: str
    title: str
    open: bool


def contract_rules(path: Path = CONTRACT) -> list[Rule]:
    """Every rule of docs/contract.md, in its order: id, its text without Markdown, and whether it is open."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            cells = [cell.strip() for cell in match["rest"].split("|")]
            text = re.sub(r"[`*]", "", cells[-1])
            rules.append(Rule(match["id"], text, "**open**" in line))
    return rules


def operation_rule(operation: str | None) -> str | None:
    """`POST /v1/cloudimages/dataimages/action` -> `op.create` (None when unknown)."""
    if not operation:
        return None
    method, _, path = operation.partition(" ")
    return OPERATIONS.get((method.upper(), path))


def rules_of_failure(kind: str, title: str, operation: str | None) -> tuple[str, ...]:
    """The rules a Schemathesis failure contradicts, from its class or its custom check's name."""
    names = [kind] if kind in CHECK_RULES else [name for name in CHECK_RULES if name in title]
    rules = [rule for name in names for rule in CHECK_RULES[name]] or ["op"]
    resolved = [operation_rule(operation) if rule == "op" else rule for rule in rules]
    return tuple(rule for rule in resolved if rule)


MESSAGE_CAP = 1500  # characters of one failure's message kept on the card
REPLAY_CAP = 2000  # of its replay command
DETAIL_CAP = 800  # of an observation's detail
FAILURES_KEPT = 5  # failures shown per rule (the rest are counted)


@dataclass
class _Status:
    tests: set[str] = field(default_factory=set)  # the tests (node ids) that confirmed it
    requests: int = 0
    contradictions: list[dict[str, str]] = field(default_factory=list)
    more_contradictions: int = 0
    skipped: list[str] = field(default_factory=list)
    not_run: str = ""  # why a rule's tests did not run (the run stopped, or they were deselected)


@dataclass
class Card:
    """The card being filled in during a run."""

    rules: list[Rule]
    statuses: dict[str, _Status] = field(default_factory=dict)
    observations: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.statuses = {rule.id: _Status() for rule in self.rules}

    def known(self, rule_id: str) -> bool:
        """Whether `rule_id` is a rule of the contract."""
        return rule_id in self.statuses

    def confirm(self, rule_ids: tuple[str, ...], requests: int, test: str) -> None:
        """Test `test` covering `rule_ids` passed, after sending `requests` requests not counted before."""
        for rule_id in rule_ids:
            status = self.statuses[rule_id]
            status.tests.add(test)
            status.requests += requests

    def contradict(self, rule_ids: tuple[str, ...], test: str, message: str, replay: str) -> None:
        """A test or check covering `rule_ids` failed (what the target sent is kept capped and inert)."""
        entry = {"test": test, "message": evidence(message, MESSAGE_CAP), "replay": evidence(replay, REPLAY_CAP)}
        for rule_id in rule_ids:
            status = self.statuses[rule_id]
            if len(status.contradictions) < FAILURES_KEPT:
                status.contradictions.append(entry)
            else:
                status.more_contradictions += 1

    def not_run(self, rule_ids: tuple[str, ...], why: str) -> None:
        """Tests covering `rule_ids` were collected but did not run (`why`)."""
        for rule_id in rule_ids:
            self.statuses[rule_id].not_run = self.statuses[rule_id].not_run or why

    def skip(self, rule_ids: tuple[str, ...], reason: str) -> None:
        """A test covering `rule_ids` did not run (the run's own choice)."""
        for rule_id in rule_ids:
            self.statuses[rule_id].skipped.append(reason)

    def observe(self, what: str, detail: str, request: str) -> None:
        """The target did something the contract leaves open, or that only the spec pins."""
        entry = {
            "what": evidence(what, 300),
            "detail": evidence(detail, DETAIL_CAP),
            "request": evidence(request, REPLAY_CAP),
        }
        if entry not in self.observations:
            self.observations.append(entry)

    def contradicted(self) -> list[str]:
        """The ids of the contradicted rules."""
        return [rule_id for rule_id, status in self.statuses.items() if status.contradictions]

    def as_dict(self, target: str, run_id: str, run: dict[str, Any] | None = None) -> dict[str, Any]:
        """The card as `reports/report-card.json` holds it: the run's verdict and facts, each rule, the observations."""
        rules = []
        for rule in self.rules:
            status = self.statuses[rule.id]
            shown: dict[str, Any]
            if status.contradictions:
                verdict, shown = "contradicted", {"failures": status.contradictions}
                if status.more_contradictions:
                    shown["more_failures"] = status.more_contradictions
            elif status.tests:
                verdict, shown = "confirmed", {"tests": len(status.tests), "requests": status.requests}
            else:
                verdict, shown = "not-exercised", {"why": _why_not(rule, status)}
            rules.append({"id": rule.id, "title": rule.title, "open": rule.open, "status": verdict, "evidence": shown})
        card = {"target": evidence(target, 500), "run_id": run_id, "rules": rules, "observations": self.observations}
        return {"run": run or {}, **card}


def _why_not(rule: Rule, status: _Status) -> str:
    if status.not_run:
        return status.not_run
    if status.skipped:
        reasons = sorted(set(status.skipped))
        return "skipped: " + "; ".join(reasons[:3]) + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else "")
    for prefix, reason in NOT_COVERED.items():
        if rule.id == prefix or rule.id.startswith(prefix + "."):
            return reason
    return "no test of this suite covers it yet"


def masked(card: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    """A copy of `card` with every string value but the rules' own titles passed through `redact`."""

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return value if key == "title" else redact(value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {name: walk(item, name) for name, item in value.items()}
        return value

    result: dict[str, Any] = walk(card)
    return result
