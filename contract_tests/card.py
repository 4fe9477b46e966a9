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

from contract_tests import checks
from contract_tests.inert import evidence, md_cell, md_fence
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
STEP_SUMMARY_CAP = 1_000_000  # bytes: GitHub refuses a step summary over 1 MiB


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


ORDER = {"contradicted": 0, "not-exercised": 1, "confirmed": 2}
VERDICTS = {
    0: "the target conforms",
    1: "contract violations found",
    2: "interrupted or out of time: incomplete",
    69: "target unreachable, or credentials refused or locked",
}


def by_status(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules, contradicted first, then not exercised, then confirmed (each in the contract's order)."""
    return sorted(card["rules"], key=lambda rule: ORDER[rule["status"]])


def run_lines(card: dict[str, Any]) -> list[str]:
    """The run's verdict and facts, one per line, as plain text (each format escapes them its own way)."""
    run = card.get("run") or {}
    if not run:
        return []
    tests = run.get("tests", {})
    lines = [
        f"verdict: {run.get('verdict', '?')} (exit {run.get('exit_code', '?')})",
        "complete: yes" if run.get("complete") else f"complete: NO ({'; '.join(run.get('incomplete_because', []))})",
        f"tests: {tests.get('run', 0)} run of {tests.get('collected', 0)} collected"
        f" ({tests.get('passed', 0)} passed, {tests.get('failed', 0)} failed, {tests.get('skipped', 0)} skipped,"
        f" {tests.get('deselected', 0)} deselected)",
        f"requests sent: {run.get('requests', 0)}",
        f"profile: {run.get('profile', '?')}, seed: {run.get('seed', '?')}",
        f"spec: {run.get('spec', '?')}",
        f"started: {run.get('started', '?')}, took {run.get('seconds', 0):.0f} s",
        f"create budget: {run.get('create_budget', '?')}",
    ]
    return lines


def counts(card: dict[str, Any]) -> dict[str, int]:
    """How many rules have each status."""
    tally = {"confirmed": 0, "contradicted": 0, "not-exercised": 0}
    for rule in card["rules"]:
        tally[rule["status"]] += 1
    return tally


def markdown(card: dict[str, Any]) -> str:
    """The card as Markdown (reports/report-card.md, and the GitHub step summary), the target's text escaped."""
    tally = counts(card)
    lines = [
        f"## IMS contract report card: {md_cell(card['target'])}",
        "",
        f"run `{md_cell(card['run_id'])}`: **{tally['contradicted']} contradicted**, {tally['confirmed']} confirmed, "
        f"{tally['not-exercised']} not exercised, {len(card['observations'])} observations",
        "",
        *(f"- {md_cell(line)}" for line in run_lines(card)),
        "",
        "| rule | status | evidence |",
        "|---|---|---|",
    ]
    for rule in by_status(card):
        status = f"**{rule['status'].upper()}**" if rule["status"] == "contradicted" else rule["status"]
        lines.append(f"| `{rule['id']}` | {status} | {md_cell(_evidence_text(rule))} |")
    if card["observations"]:
        lines += ["", "### Observations (reported, never failed)", ""]
        for entry in card["observations"]:
            lines.append(f"- **{md_cell(entry['what'])}**: {md_cell(entry['detail'])}")
            if entry["request"]:
                lines.append(f"  <code>{md_cell(entry['request'])}</code>")
    for rule in by_status(card):
        for failure in rule["evidence"].get("failures", []):
            replay = f"\nreplay: {failure['replay']}" if failure["replay"] else ""
            lines += ["", f"### `{rule['id']}` contradicted by {md_cell(failure['test'])}", ""]
            lines.append(md_fence(failure["message"] + replay))
    return "\n".join(lines) + "\n"


def _evidence_text(rule: dict[str, Any]) -> str:
    shown = rule["evidence"]
    if rule["status"] == "confirmed":
        return f"{shown['tests']} test(s), {shown['requests']} request(s)"
    if rule["status"] == "contradicted":
        first = shown["failures"][0]
        headline = (first["message"].splitlines() or [""])[0][:160]
        more = len(shown["failures"]) - 1 + shown.get("more_failures", 0)
        return f"{first['test']}: {headline}" + (f" (and {more} more)" if more else "")
    return str(shown["why"])


def html_page(card: dict[str, Any]) -> str:
    """The card as one self-contained HTML page: no script, no network, opens from disk."""
    tally = counts(card)
    rows = []
    for rule in by_status(card):
        details = ""
        for failure in rule["evidence"].get("failures", []):
            replay = f"\nreplay: {failure['replay']}" if failure["replay"] else ""
            details += f"<details><summary>{html.escape(failure['test'])}</summary><pre>"
            details += f"{html.escape(failure['message'] + replay)}</pre></details>"
        rows.append(
            f'<tr class="{rule["status"]}"><td><code>{html.escape(rule["id"])}</code></td>'
            f"<td>{html.escape(rule['title'][:300])}</td><td>{rule['status']}</td>"
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
<ul>{"".join(f"<li>{html.escape(line)}</li>" for line in run_lines(card))}</ul>
<table><tr><th>rule</th><th>what it says</th><th>status</th><th>evidence</th></tr>
{"".join(rows)}
</table>
<h2>Observations (reported, never failed)</h2><ul>{observed or "<li>none</li>"}</ul>
</body></html>
"""


def write(card: dict[str, Any], folder: Path, step_summary: str | None) -> list[Path]:
    """Write report-card.json, .md and .html into `folder`; append the Markdown to `step_summary`.

    `card` is already masked (secrets are taken out of its values, never out of a rendered page:
    a pattern over finished markup would swallow it); each format escapes it for itself.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    page = markdown(card)
    for name, text in (
        ("report-card.json", json.dumps(card, indent=1, ensure_ascii=False) + "\n"),
        ("report-card.md", page),
        ("report-card.html", html_page(card)),
    ):
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as summary:
            summary.write(_within(page, STEP_SUMMARY_CAP, folder / "report-card.md"))
    return written


def _within(page: str, limit: int, whole: Path) -> str:
    """`page` cut at a line to fit in `limit` bytes (UTF-8), saying where the whole card is."""
    data = page.encode("utf-8")
    if len(data) <= limit:
        return page
    note = f"\n\n**The card is cut here to fit the step summary; the whole card is `{whole}`.**\n"
    kept = data[: limit - len(note.encode())].decode("utf-8", "ignore").rsplit("\n", 1)[0]
    fences = kept.count("\n```")
    return kept + ("\n```" if fences % 2 else "") + note


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
