"""A scratch copy of this project for tests that run its tools end to end: spec-diff, the README walkthrough.

The copy is a fresh git repository holding this code with the fixture spec (`tests/fixtures/spec-diff-base.yaml`,
a copy of the spec as it was) and the client generated from it committed, so a test can change the spec
and run the tools on the copy, never on the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.spec_helpers import ROOT

Spec = dict[str, Any]
FIXTURE = ROOT / "tests" / "fixtures" / "spec-diff-base.yaml"


def base_spec() -> Spec:
    """The fixture spec, as a dict."""
    loaded: Spec = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def write_spec(path: Path, spec: Spec) -> Path:
    """Write `spec` as YAML to `path`."""
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


PARTS = ("openapi", "scripts", "generated", "src", "tests", "contract_tests", "docs")


def clone_with(tmp_path: Path, *changes: Callable[[Spec], None], version: str | None = None) -> Path:
    """A scratch git repository: this code, the fixture spec and its client committed; then the changes."""
    clone = tmp_path / "clone"
    for part in PARTS:
        shutil.copytree(ROOT / part, clone / part, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    shutil.copy(ROOT / "pyproject.toml", clone / "pyproject.toml")
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    spec = clone / "openapi" / "ims-data-image.yaml"
    shutil.copy(FIXTURE, spec)
    generate(clone)
    git = ["git", "-c", "user.name=spec-diff test", "-c", "user.email=test@localhost"]
    subprocess.run([*git, "init", "-q"], cwd=clone, check=True)
    subprocess.run([*git, "add", *PARTS, "pyproject.toml"], cwd=clone, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=clone, check=True)
    revision = base_spec()
    for change in changes:
        change(revision)
    if version:
        revision["info"]["version"] = version
    write_spec(spec, revision)
    return clone


def generate(clone: Path) -> None:
    """What `make generate` runs, in the clone (with this interpreter's pinned generator and ruff)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        ["scripts/generate_client.sh", "openapi/ims-data-image.yaml", "generated/ims_client"],
        cwd=clone,
        check=True,
        capture_output=True,
        env=env,
    )


def run_spec_diff(clone: Path, *args: str, base: str = "HEAD") -> subprocess.CompletedProcess[str]:
    """`python -m scripts.spec_diff --base BASE ARGS` in the clone, with this interpreter."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "scripts.spec_diff", "--base", base, *args],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=600,
    )
