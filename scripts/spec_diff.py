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

Exit 0 when nothing breaks, or when the spec's `info.version` got a major bump (the report says
so); 1 when something breaks without one; 2 when it cannot compare (a tool failed).

BASE defaults to the merge base with the main branch (origin/main, else main), else HEAD~1.

Usage: python -m scripts.spec_diff [--base REF]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
    return Change(change.get("impact") == "major", rule, message, where)


def client_changes(base: str, spec: Path) -> list[Change]:
    """Breaking changes for code calling `ims_client`: BASE's committed package vs one generated from `spec`."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / PACKAGE
        done = subprocess.run(
            [str(GENERATE), str(spec), str(out)], cwd=ROOT, capture_output=True, text=True, check=False, env=_tool_env()
        )
        if done.returncode != 0:
            raise CannotCompare(f"the client could not be generated from the spec: {done.stderr[-800:]}")
        return _python_changes(PACKAGE, base, "generated", folder)


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


def _version(text: str) -> str:
    return str((yaml.safe_load(text) or {}).get("info", {}).get("version", ""))


def major_bumped(old: str, new: str) -> bool:
    """Whether `new` has a higher major version than `old` (semver; anything unparsable: no)."""
    try:
        return int(new.split(".")[0]) > int(old.split(".")[0])
    except ValueError:
        return False


def report(base: str) -> tuple[int, str]:
    """The exit code and the report for the working tree against `base`."""
    spec = ROOT / SPEC
    try:
        base_text = _git("show", f"{base}:{SPEC}")
    except CannotCompare:
        return 0, f"spec-diff: no {SPEC} at {base}; nothing to compare"
    with tempfile.TemporaryDirectory() as folder:
        base_spec = Path(folder) / "base.yaml"
        base_spec.write_text(base_text + "\n", encoding="utf-8")
        changes = spec_changes(base_spec, spec)
    client = client_changes(base, spec)
    wrapper = wrapper_changes(base)
    old_version, new_version = _version(base_text), _version(spec.read_text(encoding="utf-8"))
    lines = [
        f"spec-diff: {SPEC}, {PACKAGE} and {WRAPPER} at {base[:12]} (info.version {old_version}) -> now ({new_version})"
    ]
    lines.append(f"\nThe API (redocly diff, diff-recommended): {len(changes)} change(s)")
    for change in sorted(changes, key=lambda c: not c.breaking):
        label = "BREAKING    " if change.breaking else "non-breaking"
        lines.append(f"  {label}  {change.rule}: {change.message}\n                {change.where}")
    lines.append(f"\nPython callers of {PACKAGE} (griffe): {len(client)} breaking change(s)")
    lines.extend(f"  BREAKING      {c.where}: {c.message}" for c in client)
    lines.append(f"\nPython callers of {WRAPPER} (griffe): {len(wrapper)} breaking change(s)")
    lines.extend(f"  BREAKING      {c.where}: {c.message}" for c in wrapper)
    breaking = sum(c.breaking for c in changes) + len(client) + len(wrapper)
    if not breaking:
        lines.append("\nverdict: nothing breaks callers")
        return 0, "\n".join(lines)
    if major_bumped(old_version, new_version):
        lines.append(f"\nverdict: {breaking} breaking change(s), allowed by the major version bump")
        return 0, "\n".join(lines)
    lines.append(
        f"\nverdict: {breaking} breaking change(s) without a major version bump of info.version "
        f"({old_version} -> {new_version}): bump it, or keep the change additive"
    )
    return 1, "\n".join(lines)


def _tool_env() -> dict[str, str]:
    # The pinned generator and ruff (this interpreter's environment) first, as the Makefile has them.
    path = os.pathsep.join([str(Path(sys.executable).parent), str(REDOCLY.parent), os.environ.get("PATH", "")])
    quiet = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
    return {**os.environ, **quiet, "PATH": path}


def main(argv: list[str]) -> int:
    """Print the report; exit 0 (nothing breaks, or a major bump), 1 (breaks) or 2 (cannot compare)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the git ref to compare with (default: the merge base with main)")
    args = parser.parse_args(argv)
    try:
        code, text = report(args.base or default_base())
    except CannotCompare as error:
        print(f"spec-diff: cannot compare: {error}", file=sys.stderr)
        return 2
    print(text)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
