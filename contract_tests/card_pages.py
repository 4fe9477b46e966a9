"""The report card as pages: Markdown (and the GitHub step summary), one self-contained HTML page, JSON.

The card (`card.py`) comes in masked; each format escapes the target's text its own way
(`inert.py`), so nothing a target sends becomes markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from contract_tests.inert import md_cell, md_fence

STEP_SUMMARY_CAP = 1_000_000  # bytes: GitHub refuses a step summary over 1 MiB

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
