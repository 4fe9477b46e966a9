"""The report card and the verdict: right every time, inert whatever the target sends, never too big.

In process: the card's rendering (JSON, Markdown as GitHub renders it, HTML) of hostile evidence and
of the contract's own rules with secrets masked. Run as a user runs it: a stop in every phase, a
hostile target's text in every report, `--help`, and replays that really re-send.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from contract_tests import card as report_card
from contract_tests import card_pages
from contract_tests.redact import Redactor
from scripts.hostile import HOSTILE_TEXT, hostile_server
from scripts.suite_runs import clean_env, run_suite
from tests.spec_helpers import ROOT
from tests.staging import AKSK_ENV, SECRETS, TOKEN_ENV, external, staging_like

SECRET = "token-with-Authorization: SDK-HMAC-SHA256 inside"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _hostile_card() -> dict[str, object]:
    card = report_card.Card(report_card.contract_rules())
    card.contradict(("create.name.length",), "test_x", HOSTILE_TEXT * 3, f"curl -d '{HOSTILE_TEXT}'")
    card.contradict(("auth.token",), "test_y", "x" * 12_000_000, "curl " + "y" * 12_000_000)
    card.observe(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT)
    card.confirm(("auth.aksk",), 3, "test_z")
    redact = Redactor()
    redact.add(SECRET)
    facts = {"verdict": "contract violations found", "exit_code": 1, "complete": True, "incomplete_because": []}
    return report_card.masked(card.as_dict(f"http://h/{HOSTILE_TEXT}", "run-1", facts), redact)


def test_hostile_evidence_leaves_every_format_well_formed_and_inert(tmp_path: Path) -> None:
    card = _hostile_card()
    summary = tmp_path / "step-summary.md"
    card_pages.write(card, tmp_path, str(summary))
    texts = {name: (tmp_path / name).read_text(encoding="utf-8") for name in ("report-card.md", "report-card.html")}
    texts["report-card.json"] = json.dumps(json.loads((tmp_path / "report-card.json").read_text(encoding="utf-8")))
    for name, text in texts.items():
        for control in ("\x1b", "\x00", "\x07", "\r"):
            assert control not in text, f"{name} holds {control!r}"
    rendered = MarkdownIt("commonmark").enable("table").render(texts["report-card.md"])
    tags = _tags(rendered)
    assert "img" not in tags
    assert "script" not in tags
    headings = re.findall(r"<h[1-6]>(.*?)</h[1-6]>", rendered)
    assert not any(heading.startswith("Injected") for heading in headings), headings  # no heading of its own
    rows = rendered.split("<tr>")[2:]  # after the header row
    assert len(rows) == len(report_card.contract_rules()), "a table row was added or lost"
    assert "img" not in _tags(texts["report-card.html"])
    assert "script" not in _tags(texts["report-card.html"])
    for name in ("report-card.md", "report-card.html", "report-card.json"):
        assert (tmp_path / name).stat().st_size < 1_000_000, f"{name} is not bounded"
    assert summary.stat().st_size < 1_000_000


def test_the_contracts_rules_each_keep_their_own_row_and_status_with_secrets_masked(tmp_path: Path) -> None:
    # The masker once ran over the finished page: `Authorization: ...` in a rule's own text swallowed
    # the markup up to the next quote, and auth.token and auth.aksk became one row.
    card = _hostile_card()
    card_pages.write(card, tmp_path, None)
    page = (tmp_path / "report-card.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="([a-z-]+)"><td><code>([a-z0-9_.-]+)</code>', page)
    assert [rule_id for _, rule_id in sorted(rows, key=lambda r: r[1])] == sorted(
        r.id for r in report_card.contract_rules()
    )
    statuses = {rule_id: status for status, rule_id in rows}
    assert statuses["auth.token"] == "contradicted"
    assert statuses["auth.aksk"] == "confirmed"
    assert rows[0][0] == "contradicted", "contradicted rules come first"
    for name in ("report-card.md", "report-card.html", "report-card.json"):
        assert SECRET not in (tmp_path / name).read_text(encoding="utf-8")


def test_the_step_summary_is_cut_to_fit_with_a_pointer_to_the_whole_card(tmp_path: Path) -> None:
    card = report_card.Card(report_card.contract_rules())
    for rule in report_card.contract_rules():
        card.contradict((rule.id,), "t", "m" * 1500, "r" * 2000)
    summary = tmp_path / "summary.md"
    page = card_pages.markdown(card.as_dict("http://h", "r"))
    card_pages.write(card.as_dict("http://h", "r"), tmp_path, str(summary))
    cut = card_pages._within(page * 20, 100_000, tmp_path / "report-card.md")
    assert len(cut.encode()) <= 100_000
    assert "the whole card is" in cut
    assert cut.count("```") % 2 == 0, "a code block was left open"


# --- the run as a user runs it -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["test_protocol", "test_properties", "test_lifecycle", "test_schemathesis"])
def test_a_stop_in_any_phase_writes_the_card_marked_stopped_and_exits_2(tmp_path: Path, phase: str) -> None:
    env = {"STOP_AT_MODULE": phase, "STOP_SIGNAL": "SIGINT"}
    run = run_suite(tmp_path, env, "-p", "tests.stop_at_phase")
    assert run.code == 2, run.output[-3000:]
    for sign in ("Traceback", "IndexError", "INTERNALERROR"):
        assert sign not in run.output, run.output[-3000:]
    assert "IMS contract summary" in run.output
    card = json.loads((run.reports / "report-card.json").read_text(encoding="utf-8"))
    assert card["run"]["exit_code"] == 2
    assert card["run"]["complete"] is False
    assert any("stopped" in why for why in card["run"]["incomplete_because"]), card["run"]
    assert card["run"]["tests"]["run"] < card["run"]["tests"]["collected"]
    whys = [rule["evidence"].get("why", "") for rule in card["rules"] if rule["status"] == "not-exercised"]
    assert any("the run stopped first" in why for why in whys), whys
    assert not any(why == "no test of this suite covers it yet" for why in whys)
    assert "complete: NO" in (run.reports / "report-card.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_deselected_run_is_marked_incomplete_and_says_which_rules_did_not_run(tmp_path: Path) -> None:
    run = run_suite(tmp_path, {}, "-k", "protocol")
    assert run.code == 0, run.output[-3000:]
    card = json.loads((run.reports / "report-card.json").read_text(encoding="utf-8"))
    assert card["run"]["complete"] is False
    assert card["run"]["tests"]["deselected"] > 0
    by_id = {rule["id"]: rule for rule in card["rules"]}
    assert "deselected" in by_id["create.name.length"]["evidence"]["why"]
    requests = card["run"]["requests"]
    assert all(rule["evidence"].get("requests", 0) <= requests for rule in card["rules"]), "a count above the run's own"
    assert all(rule["evidence"].get("tests", 0) <= card["run"]["tests"]["run"] for rule in card["rules"])


@pytest.mark.slow
def test_a_hostile_targets_text_never_reaches_a_terminal_or_a_report_as_markup(tmp_path: Path) -> None:
    summary = tmp_path / "reports" / "step-summary.md"
    with hostile_server("hostile-text") as (url, _):
        env = {**external(url), **TOKEN_ENV, "GITHUB_STEP_SUMMARY": str(summary)}
        run = run_suite(tmp_path, env, "--maxfail=15", secrets=SECRETS)
    assert run.code == 1, run.output[-3000:]
    for control in ("\x1b", "\x00", "\x07"):
        assert control not in run.output, f"the terminal got {control!r}"
    ElementTree.parse(run.reports / "junit.xml")  # noqa: S314  # the suite's own file: is it well-formed XML?
    rendered = MarkdownIt("commonmark").enable("table").render(summary.read_text(encoding="utf-8"))
    assert "img" not in _tags(rendered)
    assert "Injected heading</h" not in rendered


def test_help_lists_every_setting_and_exit_code_and_touches_nothing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "junit.xml").write_text("an earlier verdict")
    done = subprocess.run(
        [sys.executable, "-m", "contract_tests", "--help"],
        cwd=ROOT,
        env=clean_env({}, reports),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    for setting in ("IMS_BASE_URL", "IMS_MAX_CREATES", "IMS_DEADLINE", "IMS_CLEANUP_SECONDS", "IMS_AUTH_TOKEN"):
        assert setting in done.stdout
    assert "69  target unreachable" in done.stdout
    assert "--base-url URL" in done.stdout
    assert len(done.stdout.splitlines()) < 120
    assert (reports / "junit.xml").read_text() == "an earlier verdict"


@pytest.mark.parametrize("url", ["http://", "ims.example.com", "http://host:port"])
def test_a_base_url_flag_without_a_host_is_a_usage_error_in_a_few_lines(tmp_path: Path, url: str) -> None:
    run = run_suite(tmp_path, {}, "--base-url", url)
    assert run.code == 4, run.output
    assert "IMS_BASE_URL" in run.output
    assert len(run.output.splitlines()) <= 3


@pytest.mark.slow
def test_a_signed_failures_replay_signs_afresh_and_a_token_ones_reads_the_token_from_the_environment(
    tmp_path: Path,
) -> None:
    with staging_like(job_seconds=0.2, faults=frozenset({"accept-bad-signature"})) as staging:
        env = {**external(staging.url), **TOKEN_ENV, **AKSK_ENV}
        run = run_suite(tmp_path, env, "-k", "bad_signature or altered_slightly", secrets=SECRETS)
        assert run.code == 1, run.output[-3000:]
        command = re.search(r"replay: (python -m contract_tests\.replay (\S+))", run.output)
        assert command is not None, run.output[-3000:]
        done = subprocess.run(
            [sys.executable, "-m", "contract_tests.replay", command.group(2)],
            cwd=ROOT,
            env=clean_env(env, tmp_path / "replay-reports"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^GET /v2/cloudimages\S* -> \d{3}$", done.stdout, re.M), done.stdout
    case = json.loads((ROOT / command.group(2)).read_text(encoding="utf-8"))  # an absolute path stays as it is
    assert not {"authorization", "x-auth-token", "x-sdk-date"} & {name.lower() for name in case["headers"]}
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr
    curls = re.findall(r"replay: (curl .*)", run.output)
    assert all("$IMS_AUTH_TOKEN" in curl for curl in curls if "X-Auth-Token" in curl), curls


def test_a_stopped_run_killed_by_sigterm_during_the_schemathesis_phase_is_marked_too(tmp_path: Path) -> None:
    env = {"STOP_AT_MODULE": "test_schemathesis", "STOP_SIGNAL": "SIGTERM"}
    run = run_suite(tmp_path, env, "-p", "tests.stop_at_phase", "-k", "schemathesis")
    assert run.code == 2, run.output[-3000:]
    assert "Traceback" not in run.output
    card = json.loads((run.reports / "report-card.json").read_text(encoding="utf-8"))
    assert card["run"]["complete"] is False
    assert signal.SIGTERM.name in " ".join(card["run"]["incomplete_because"])
