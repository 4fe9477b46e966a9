"""What a spec change breaks for callers: the spec and the generated client, at BASE and now.

Two well-kept tools do the classifying; this script only runs them and writes one report:

- the spec: `redocly diff` with Redocly's `diff-recommended` rules (openapi/redocly-diff.yaml),
  the spec at BASE against the working tree. A change Redocly rates `major` (a removed or renamed
  operation, a removed response property, a tightened constraint, a new required request
  property, a removed enum value, ...) is breaking; `minor` and `patch` changes are not.
- the Python clients: griffe's breaking-change finder, `ims_client` as committed at BASE against
  `ims_client` generated now from the working tree's spec (so an edited spec is judged even
  before `make generate`), and the hand-written `ims` at BASE against the working tree: removed
  or renamed modules, functions, classes and attrs fields, changed signatures.

- whether `ims` still type-checks (`mypy --strict`) against the client generated now: a field
  the spec drops that `ims` reads is breaking for `ims`'s callers even when its signatures stay;
- whether the mock still agrees with the spec (`tests/test_mock_agrees_with_spec.py`: every value
  the spec allows is accepted, every value it forbids refused), naming each property that does not;
- with `--suite`, how the contract suite's report card on the embedded mock changed: the suite,
  spec and mock at BASE (a git worktree) against the working tree's, rule by rule (two full runs,
  under a minute; off by default).

One semver verdict ends the report: the change the spec's `info.version` needs (major for anything
breaking, minor for anything added, patch for the rest) against the bump it got. A break of `ims`'s
own API (a change of the hand-written code, not of the spec) is versioned by the package instead:
it needs a bump of `ims-toolkit`'s version that semver lets break (major; minor while it is 0.x).
Exit 0 when nothing breaks (or such bumps allow it) and the mock agrees; 1 when something breaks
without its bump, `ims` no longer type-checks, or the mock disagrees; 2 when it cannot compare (BASE is
not a commit, a tool failed). `--markdown FILE` also writes the report as Markdown, for a pull
request comment.

BASE defaults to the merge base with the main branch (origin/main, else main), else HEAD~1.

Usage: python -m scripts.spec_diff [--base REF] [--suite] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import griffe
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path("openapi/ims-data-image.yaml")
DIFF_CONFIG = ROOT / "openapi" / "redocly-diff.yaml"
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
GENERATE = ROOT / "scripts" / "generate_client.sh"
PACKAGE = "ims_client"
WRAPPER = "ims"


class CannotCompare(Exception):
    """A tool failed or a ref is missing: no verdict can be given."""


@dataclass(frozen=True)
class Change:
    """One change, rated."""

    breaking: bool
    rule: str
    message: str
    where: str
    level: str = ""  # major, minor or patch (Redocly's impact); "" for the Python findings


@dataclass
class Report:
    """Every section of one spec-diff report."""

    base: str
    old_version: str
    new_version: str
    api: list[Change]
    client: list[Change]
    wrapper: list[Change]
    typecheck: list[Change]
    agreement: list[Change]
    suite: list[tuple[str, str, str]] | None = None  # (rule, status at BASE, status now), changed rules only
    suite_note: str = ""
    old_package: str = ""  # ims-toolkit's version at BASE and now: it versions `ims`'s own API
    new_package: str = ""


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CannotCompare(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def default_base() -> str:
    """The merge base with the main branch (origin/main, else main), else HEAD~1."""
    for branch in ("origin/main", "main"):
        try:
            return _git("merge-base", "HEAD", branch)
        except CannotCompare:
            continue
    return _git("rev-parse", "HEAD~1")


def spec_changes(base_spec: Path, spec: Path) -> list[Change]:
    """Every change between the two specs, as `redocly diff` (diff-recommended) rates it."""
    done = subprocess.run(
        [str(REDOCLY), "diff", str(base_spec), str(spec), "--config", str(DIFF_CONFIG), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=_tool_env(),
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise CannotCompare(f"redocly diff gave no report (exit {done.returncode}): {done.stderr[-800:]}") from None
    return [_change(change, base_spec, spec) for change in report.get("changes", [])]


def _change(change: dict[str, Any], base_spec: Path, spec: Path) -> Change:
    verdicts = change.get("verdicts") or []
    rule = ", ".join(v.get("ruleId", "") for v in verdicts if v.get("ruleId")) or change.get("kind", "changed")
    message = "; ".join(v["message"] for v in verdicts if v.get("message"))
    if not message:
        property_ = f" `{change['property']}`" if change.get("property") else ""
        message = f"{change.get('kind', 'changed')}{property_} at {change.get('path', '?')}"
    side, label = ("revision", "now") if change.get("revision") else ("base", "at BASE")
    location = change.get(side) or {}
    where = f"{SPEC}:{location.get('line', '?')} ({label}) {location.get('pointer', '')}".rstrip()
    impact = str(change.get("impact") or "")
    return Change(impact == "major", rule, message, where, impact)


def client_changes(base: str, generated: Path) -> list[Change]:
    """Breaking changes for code calling `ims_client`: BASE's committed package vs `generated` (from the spec now)."""
    return _python_changes(PACKAGE, base, "generated", str(generated.parent))


def wrapper_changes(base: str) -> list[Change]:
    """Breaking changes for code calling `ims`, the hand-written client: BASE's vs the working tree's."""
    return _python_changes(WRAPPER, base, "src", str(ROOT / "src"))


def _python_changes(package: str, base: str, base_folder: str, new_folder: str) -> list[Change]:
    new = griffe.load(package, search_paths=[new_folder], try_relative_path=False)
    try:
        _git("cat-file", "-e", f"{base}:{base_folder}/{package}/__init__.py")
    except CannotCompare:
        return []  # the package did not exist at BASE: nothing of it can break
    try:
        old = griffe.load_git(package, ref=base, repo=ROOT, search_paths=[base_folder])
    except Exception as error:  # griffe raises several kinds; any of them means no verdict
        raise CannotCompare(f"griffe could not load {package} at {base}: {error}") from None
    return [_breakage(breakage) for breakage in griffe.find_breaking_changes(old, new)]


def _breakage(breakage: griffe.Breakage) -> Change:
    def shown(value: Any) -> str:
        return str(getattr(value, "name", value))

    detail = ""
    if breakage.old_value is not None and breakage.new_value is not None:
        detail = f" ({shown(breakage.old_value)} -> {shown(breakage.new_value)})"
    elif breakage.old_value is not None and not isinstance(breakage.old_value, griffe.Object | griffe.Alias):
        detail = f" ({shown(breakage.old_value)})"
    return Change(True, breakage.kind.value.lower(), f"{breakage.kind.value}{detail}", breakage.obj.path)


def check_base(base: str) -> str:
    """`base` as a full commit id; CannotCompare when it names no commit here."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise CannotCompare(f"BASE {base!r} is not a commit of this repository (a branch, tag or commit id)")
    return done.stdout.strip()


def generate_now(spec: Path, folder: Path) -> Path:
    """The client generated from `spec` into `folder/ims_client` (kept there, so mypy's cache holds)."""
    out = folder / PACKAGE
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [str(GENERATE), str(spec), str(out)], cwd=ROOT, capture_output=True, text=True, check=False, env=_tool_env()
    )
    if done.returncode != 0:
        raise CannotCompare(f"the client could not be generated from the spec: {done.stderr[-800:]}")
    return out


def typecheck_changes(generated: Path) -> list[Change]:
    """`mypy --strict` of `ims` against the client generated now: each error breaks `ims` for its callers."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache" / "spec-diff"),
            str(ROOT / "src" / WRAPPER),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**_tool_env(), "MYPYPATH": str(generated.parent)},
    )
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    if done.returncode not in (0, 1) or (done.returncode == 1 and not errors):
        raise CannotCompare(f"mypy could not check {WRAPPER}: {(done.stdout + done.stderr)[-800:]}")
    changes = []
    for line in errors:
        where, _, message = line.partition(": error: ")
        changes.append(Change(True, "type-error", message.strip(), where.removeprefix(str(ROOT) + "/")))
    return changes


AGREEMENT = Path("tests/test_mock_agrees_with_spec.py")


def agreement_changes() -> list[Change]:
    """Where the mock and the working spec disagree, by property (the agreement tests, run now)."""
    if not (ROOT / AGREEMENT).exists():
        return []
    with tempfile.TemporaryDirectory() as folder:
        junit = Path(folder) / "agreement.xml"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(AGREEMENT), "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={key: value for key, value in _tool_env().items() if not key.startswith(("IMS_", "HUAWEICLOUD_"))},
        )
        if not junit.exists():
            raise CannotCompare(f"the mock/spec agreement tests did not run: {(done.stdout + done.stderr)[-800:]}")
        tree = ElementTree.parse(junit)  # noqa: S314 (written just now by our own pytest run, not by a target)
    changes = []
    for case in tree.iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is None:
            continue
        name = case.get("name", "")
        found = re.search(r"\[(.+)\]$", name)
        first = (failure.get("message") or name).splitlines()[0].removeprefix("AssertionError: ")[:300]
        changes.append(Change(True, "mock-disagrees", first, found.group(1) if found else name))
    return changes


def _suite_card(tree: Path, reports: Path) -> dict[str, str]:
    env = {key: value for key, value in _tool_env().items() if not key.startswith(("IMS_", "HUAWEICLOUD_"))}
    env = {**env, "IMS_REPORTS_DIR": str(reports), "PYTHONPATH": str(tree / "src"), "IMS_PROGRESS_SECONDS": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "contract_tests", "-q", "-p", "no:cacheprovider"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,
    )
    card = reports / "report-card.json"
    if not card.exists():
        raise CannotCompare(f"the contract suite at {tree} wrote no report card: {(done.stdout + done.stderr)[-800:]}")
    rules = json.loads(card.read_text(encoding="utf-8")).get("rules", [])
    return {str(rule.get("id")): str(rule.get("status")) for rule in rules}


def suite_changes(base: str) -> list[tuple[str, str, str]]:
    """The rules whose status on the embedded mock differs: the suite, spec and mock at BASE vs now."""
    with tempfile.TemporaryDirectory() as folder:
        worktree = Path(folder) / "base"
        _git("worktree", "add", "--detach", str(worktree), base)
        try:
            if (ROOT / "node_modules").exists():  # the pinned Node tools, shared
                (worktree / "node_modules").symlink_to(ROOT / "node_modules")
            with ThreadPoolExecutor(2) as pool:
                before = pool.submit(_suite_card, worktree, Path(folder) / "before")
                now = pool.submit(_suite_card, ROOT, Path(folder) / "now")
                old, new = before.result(), now.result()
        finally:
            _git("worktree", "remove", "--force", str(worktree))
    return [
        (rule, old.get(rule, "absent"), new.get(rule, "absent"))
        for rule in sorted(old.keys() | new.keys())
        if old.get(rule) != new.get(rule)
    ]


def needed_level(report: Report) -> str:
    """The semver change the spec needs: major if anything breaks, minor if anything is added, else patch."""
    if any(c.breaking for c in report.api) or report.client or report.typecheck:
        return "major"
    if any(c.level == "minor" for c in report.api):
        return "minor"
    return "patch"


def bump_level(old: str, new: str) -> str:
    """Which part of `old` -> `new` went up: major, minor, patch, or "none" (anything unparsable: none)."""
    try:
        before = [int(part) for part in old.split(".")[:3]]
        after = [int(part) for part in new.split(".")[:3]]
    except ValueError:
        return "none"
    before += [0] * (3 - len(before))
    after += [0] * (3 - len(after))
    for level, (was, now) in zip(("major", "minor", "patch"), zip(before, after, strict=True), strict=True):
        if now != was:
            return level if now > was else "none"
    return "none"


def _version(text: str) -> str:
    return str((yaml.safe_load(text) or {}).get("info", {}).get("version", ""))


def _package_version(text: str) -> str:
    return str((tomllib.loads(text) if text else {}).get("project", {}).get("version", ""))


def may_break(old: str, new: str) -> bool:
    """Whether the package bump `old` -> `new` lets its API break: a major bump, or a minor one before 1.0."""
    bumped = bump_level(old, new)
    return bumped == "major" or (bumped == "minor" and old.split(".")[0] == "0")


def major_bumped(old: str, new: str) -> bool:
    """Whether `new` has a higher major version than `old` (semver; anything unparsable: no)."""
    try:
        return int(new.split(".")[0]) > int(old.split(".")[0])
    except ValueError:
        return False


CACHE = ROOT / ".mypy_cache" / "spec-diff-client"  # where the client is generated now: a stable path keeps mypy fast


def collect(base: str, *, suite: bool = False) -> Report:
    """Every section of the report for the working tree against `base` (the slow parts side by side)."""
    base = check_base(base)
    spec = ROOT / SPEC
    try:
        base_text = _git("show", f"{base}:{SPEC}")
    except CannotCompare:
        raise CannotCompare(f"there is no {SPEC} at {base[:12]}: nothing to compare it with") from None
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(3) as pool:
        base_spec = Path(folder) / "base.yaml"
        base_spec.write_text(base_text + "\n", encoding="utf-8")
        api = pool.submit(spec_changes, base_spec, spec)
        agreement = pool.submit(agreement_changes)
        generated = generate_now(spec, CACHE)
        typecheck = pool.submit(typecheck_changes, generated)
        client = client_changes(base, generated)
        wrapper = wrapper_changes(base)
        report = Report(
            base,
            _version(base_text),
            _version(spec.read_text(encoding="utf-8")),
            api.result(),
            client,
            wrapper,
            typecheck.result(),
            agreement.result(),
            old_package=_package_version(_git("show", f"{base}:pyproject.toml")),
            new_package=_package_version((ROOT / "pyproject.toml").read_text(encoding="utf-8")),
        )
    if suite:
        report.suite = suite_changes(base)
    else:
        report.suite_note = "not run (`make spec-diff SUITE=1` runs the suite at BASE and now, under a minute)"
    return report


def verdict(report: Report) -> tuple[int, str]:
    """The exit code and the one-line semver verdict."""
    needed = needed_level(report)
    bumped = bump_level(report.old_version, report.new_version)
    versions = f"{report.old_version} -> {report.new_version}"
    breaking = sum(c.breaking for c in report.api) + len(report.client) + len(report.typecheck)
    packages = f"{report.old_package} -> {report.new_package}"
    problems = []
    if report.agreement:
        problems.append(
            f"the mock disagrees with the spec on {len(report.agreement)} point(s): fix the mock or the spec"
        )
    if needed == "major" and bumped != "major":
        problems.append(
            f"{breaking} breaking change(s) without a major version bump of info.version ({versions}): bump it, "
            "or keep the change additive"
        )
    own = len(report.wrapper)
    if own and not may_break(report.old_package, report.new_package):
        problems.append(
            f"{own} breaking change(s) of ims without a version bump that allows them (ims-toolkit {packages}): "
            "bump it (major; minor while 0.x), or keep ims's API as it was"
        )
    if problems:
        return 1, "verdict: " + "; ".join(problems)
    if own:
        allowed = f"{own} breaking change(s) of ims, allowed by ims-toolkit {packages}"
        _, rest = verdict(dataclasses.replace(report, wrapper=[]))
        return 0, f"{rest}; {allowed}"
    if needed == "major":
        return 0, f"verdict: major: {breaking} breaking change(s), allowed by the major version bump ({versions})"
    if not report.api:
        return 0, f"verdict: no API change, nothing breaks callers ({versions})"
    rank = {"none": -1, "patch": 0, "minor": 1, "major": 2}
    if rank[bumped] < rank[needed]:
        return 0, f"verdict: {needed}: nothing breaks callers; info.version wants a {needed} bump ({versions})"
    return 0, f"verdict: {needed}: nothing breaks callers ({versions}, a {bumped} bump)"


def _python_lines(title: str, changes: list[Change]) -> list[str]:
    return [
        f"\n{title}: {len(changes)} breaking change(s)",
        *(f"  BREAKING      {c.where}: {c.message}" for c in changes),
    ]


def render_text(report: Report) -> tuple[int, str]:
    """The exit code and the report as the terminal shows it."""
    lines = [
        f"spec-diff: {SPEC}, {PACKAGE} and {WRAPPER} at {report.base[:12]} (info.version {report.old_version})"
        f" -> now ({report.new_version}); ims-toolkit {report.old_package} -> {report.new_package}",
        f"\nThe API (redocly diff, diff-recommended): {len(report.api)} change(s)",
    ]
    for change in sorted(report.api, key=lambda c: not c.breaking):
        label = "BREAKING    " if change.breaking else "non-breaking"
        lines.append(f"  {label}  {change.rule}: {change.message}\n                {change.where}")
    lines += _python_lines(f"Python callers of {PACKAGE} (griffe)", report.client)
    lines += _python_lines(f"Python callers of {WRAPPER} (griffe)", report.wrapper)
    lines += _python_lines(f"{WRAPPER} against the client generated now (mypy --strict)", report.typecheck)
    lines.append(f"\nThe mock against the spec ({AGREEMENT}): {len(report.agreement)} disagreement(s)")
    lines.extend(f"  DISAGREES     {c.where}: {c.message}" for c in report.agreement)
    if report.suite is None:
        lines.append(f"\nThe contract suite on the mock, at BASE and now: {report.suite_note}")
    else:
        lines.append(f"\nThe contract suite on the mock, at BASE and now: {len(report.suite)} rule(s) changed status")
        lines.extend(f"  {rule}: {was} -> {now}" for rule, was, now in report.suite)
    code, line = verdict(report)
    lines.append(f"\n{line}")
    return code, "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as Markdown, for a pull-request comment."""
    _code, line = verdict(report)
    out = [
        f"### spec-diff: `{SPEC}` at `{report.base[:12]}` ({report.old_version}) → now ({report.new_version})",
        "",
        f"**{line.removeprefix('verdict: ')}**",
        "",
        f"#### The API (redocly diff): {len(report.api)} change(s)",
        "",
        "| impact | rule | change | where |",
        "|---|---|---|---|",
    ]
    for c in sorted(report.api, key=lambda c: not c.breaking):
        impact = "**breaking**" if c.breaking else c.level or "non-breaking"
        out.append(f"| {impact} | {_cell(c.rule)} | {_cell(c.message)} | `{_cell(c.where)}` |")
    for title, changes in (
        (f"Python callers of `{PACKAGE}` (griffe)", report.client),
        (f"Python callers of `{WRAPPER}` (griffe)", report.wrapper),
        (f"`{WRAPPER}` against the client generated now (mypy --strict)", report.typecheck),
        ("The mock against the spec", report.agreement),
    ):
        out += ["", f"#### {title}: {len(changes)}", ""]
        out += [f"- `{_cell(c.where)}`: {_cell(c.message)}" for c in changes] or ["none"]
    out += ["", "#### The contract suite on the mock, at BASE and now", ""]
    if report.suite is None:
        out.append(report.suite_note)
    else:
        out += [f"- `{rule}`: {was} → {now}" for rule, was, now in report.suite] or ["no rule changed status"]
    return "\n".join(out) + "\n"


def _tool_env() -> dict[str, str]:
    # The pinned generator and ruff (this interpreter's environment) first, as the Makefile has them.
    path = os.pathsep.join([str(Path(sys.executable).parent), str(REDOCLY.parent), os.environ.get("PATH", "")])
    quiet = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
    return {**os.environ, **quiet, "PATH": path}


def main(argv: list[str]) -> int:
    """Print the report; exit 0 (nothing breaks, or a major bump), 1 (breaks) or 2 (cannot compare)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the git ref to compare with (default: the merge base with main)")
    parser.add_argument(
        "--suite", action="store_true", help="also run the contract suite at BASE and now (under a minute)"
    )
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the report as Markdown to FILE")
    args = parser.parse_args(argv)
    try:
        report = collect(args.base or default_base(), suite=args.suite)
    except CannotCompare as error:
        print(f"spec-diff: cannot compare: {error}", file=sys.stderr)
        return 2
    code, text = render_text(report)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(render_markdown(report), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
