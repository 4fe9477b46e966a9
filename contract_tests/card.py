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

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "contract.md"
_ROW = re.compile(r"^\| `(?P<id>[a-z_]+(?:\.[a-z_-]+)+)` \|(?P<rest>.*)\|\s*$")

# Schemathesis failures that are the spec speaking beyond the contract: observed, never failed.
OBSERVED_FAILURES = {"AcceptedNegativeData", "RejectedPositiveData"}
# Schemathesis failure classes (and this suite's custom checks) -> the rules they check. "op" stands
# for the operation's own rule (op.create, ...).
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
    "request_id_on_every_response": ("response.request-id",),
    "error_envelopes": ("response.ims-envelope", "response.gateway-envelope"),
    "wrong_method_is_404": ("response.wrong-method",),
    "created_job_id_format": ("response.create",),
    "job_fields": ("job.fields", "job.status", "job.progress", "job.entities", "job.success", "job.fail"),
}
# What every conforming Schemathesis case confirms besides its operation's rule.
SCHEMATHESIS_RULES = ("response.request-id", "response.ims-envelope", "response.gateway-envelope")
# The contract's own checks that a conforming case of an operation confirms.
OPERATION_CHECKS = {
    "op.create": ("response.create",),
    "op.job": ("job.fields", "job.status"),
    "op.job-progress": ("job.fields", "job.status", "job.progress"),
}
OPERATIONS = {
    ("POST", "/v1/cloudimages/dataimages/action"): "op.create",
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


@dataclass
class _Status:
    tests: int = 0
    requests: int = 0
    contradictions: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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

    def confirm(self, rule_ids: tuple[str, ...], requests: int) -> None:
        """A test covering `rule_ids` passed, after sending `requests` requests."""
        for rule_id in rule_ids:
            status = self.statuses[rule_id]
            status.tests += 1
            status.requests += requests

    def contradict(self, rule_ids: tuple[str, ...], test: str, message: str, replay: str) -> None:
        """A test or check covering `rule_ids` failed."""
        for rule_id in rule_ids:
            self.statuses[rule_id].contradictions.append({"test": test, "message": message[:1500], "replay": replay})

    def skip(self, rule_ids: tuple[str, ...], reason: str) -> None:
        """A test covering `rule_ids` did not run (the run's own choice)."""
        for rule_id in rule_ids:
            self.statuses[rule_id].skipped.append(reason)

    def observe(self, what: str, detail: str, request: str) -> None:
        """The target did something the contract leaves open, or that only the spec pins."""
        entry = {"what": what, "detail": detail[:800], "request": request}
        if entry not in self.observations:
            self.observations.append(entry)

    def contradicted(self) -> list[str]:
        """The ids of the contradicted rules."""
        return [rule_id for rule_id, status in self.statuses.items() if status.contradictions]

    def as_dict(self, target: str, run_id: str) -> dict[str, Any]:
        """The card as `reports/report-card.json` holds it."""
        rules = []
        for rule in self.rules:
            status = self.statuses[rule.id]
            evidence: dict[str, Any]
            if status.contradictions:
                verdict, evidence = "contradicted", {"failures": status.contradictions}
            elif status.tests:
                verdict, evidence = "confirmed", {"tests": status.tests, "requests": status.requests}
            else:
                verdict, evidence = "not-exercised", {"why": _why_not(rule, status)}
            rules.append(
                {"id": rule.id, "title": rule.title, "open": rule.open, "status": verdict, "evidence": evidence}
            )
        return {"target": target, "run_id": run_id, "rules": rules, "observations": self.observations}


def _why_not(rule: Rule, status: _Status) -> str:
    if status.skipped:
        reasons = sorted(set(status.skipped))
        return "skipped: " + "; ".join(reasons[:3]) + (f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else "")
    for prefix, reason in NOT_COVERED.items():
        if rule.id == prefix or rule.id.startswith(prefix + "."):
            return reason
    return "no test of this suite covers it yet"


def counts(card: dict[str, Any]) -> dict[str, int]:
    """How many rules have each status."""
    tally = {"confirmed": 0, "contradicted": 0, "not-exercised": 0}
    for rule in card["rules"]:
        tally[rule["status"]] += 1
    return tally


def markdown(card: dict[str, Any]) -> str:
    """The card as Markdown (reports/report-card.md, and the GitHub step summary)."""
    tally = counts(card)
    lines = [
        f"## IMS contract report card: {card['target']}",
        "",
        f"run `{card['run_id']}`: **{tally['contradicted']} contradicted**, {tally['confirmed']} confirmed, "
        f"{tally['not-exercised']} not exercised, {len(card['observations'])} observations",
        "",
        "| rule | status | evidence |",
        "|---|---|---|",
    ]
    for rule in card["rules"]:
        lines.append(f"| `{rule['id']}` | {_icon(rule['status'])} {rule['status']} | {_evidence_text(rule)} |")
    if card["observations"]:
        lines += ["", "### Observations (reported, never failed)", ""]
        for entry in card["observations"]:
            lines.append(f"- **{entry['what']}**: {_cell(entry['detail'])}")
            if entry["request"]:
                lines.append(f"  `{_cell(entry['request'])}`")
    for rule in card["rules"]:
        for failure in rule["evidence"].get("failures", []):
            lines += ["", f"### `{rule['id']}` contradicted by {failure['test']}", "", "```", failure["message"]]
            if failure["replay"]:
                lines.append(f"replay: {failure['replay']}")
            lines.append("```")
    return "\n".join(lines) + "\n"


def _icon(status: str) -> str:
    return {"confirmed": "✅", "contradicted": "❌", "not-exercised": "⚪"}[status]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _evidence_text(rule: dict[str, Any]) -> str:
    evidence = rule["evidence"]
    if rule["status"] == "confirmed":
        return f"{evidence['tests']} test(s), {evidence['requests']} request(s)"
    if rule["status"] == "contradicted":
        first = evidence["failures"][0]
        return _cell(f"{first['test']}: {first['message'].splitlines()[0][:160]}")
    return _cell(evidence["why"])


def html_page(card: dict[str, Any]) -> str:
    """The card as one self-contained HTML page: no script, no network, opens from disk."""
    tally = counts(card)
    rows = []
    for rule in card["rules"]:
        details = ""
        for failure in rule["evidence"].get("failures", []):
            replay = f"\nreplay: {failure['replay']}" if failure["replay"] else ""
            details += f"<details><summary>{html.escape(failure['test'])}</summary><pre>"
            details += f"{html.escape(failure['message'] + replay)}</pre></details>"
        rows.append(
            f'<tr class="{rule["status"]}"><td><code>{html.escape(rule["id"])}</code></td>'
            f"<td>{html.escape(rule['title'][:300])}</td><td>{_icon(rule['status'])} {rule['status']}</td>"
            f"<td>{html.escape(_evidence_text(rule))}{details}</td></tr>"
        )
    observed = "".join(
        f"<li><b>{html.escape(o['what'])}</b>: {html.escape(o['detail'])}"
        f"{'<pre>' + html.escape(o['request']) + '</pre>' if o['request'] else ''}</li>"
        for o in card["observations"]
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMS contract report card</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }}
tr.contradicted {{ background: #fde2e2; }} tr.confirmed {{ background: #e6f4ea; }}
tr.not-exercised {{ background: #f3f3f3; }} pre {{ white-space: pre-wrap; }}
</style></head><body>
<h1>IMS contract report card</h1>
<p>target <code>{html.escape(card["target"])}</code>, run <code>{html.escape(card["run_id"])}</code>:
<b>{tally["contradicted"]} contradicted</b>, {tally["confirmed"]} confirmed, {tally["not-exercised"]} not exercised,
{len(card["observations"])} observations</p>
<table><tr><th>rule</th><th>what it says</th><th>status</th><th>evidence</th></tr>
{"".join(rows)}
</table>
<h2>Observations (reported, never failed)</h2><ul>{observed or "<li>none</li>"}</ul>
</body></html>
"""


def write(card: dict[str, Any], folder: Path, step_summary: str | None, redact: Callable[[str], str]) -> list[Path]:
    """Write report-card.json, .md and .html into `folder` (secrets masked); append the Markdown to `step_summary`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("report-card.json", json.dumps(card, indent=1, ensure_ascii=False) + "\n"),
        ("report-card.md", markdown(card)),
        ("report-card.html", html_page(card)),
    ):
        (folder / name).write_text(redact(text), encoding="utf-8")
        written.append(folder / name)
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as summary:
            summary.write(redact(markdown(card)))
    return written
