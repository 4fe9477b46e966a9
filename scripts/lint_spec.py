"""Lint the OpenAPI spec with openapi-spec-validator, Redocly CLI and Spectral.

Fails on any error *or warning* from any of the three; the rulesets are in `redocly.yaml` and
`.spectral.yaml` at the repository root. Run through `make lint-spec`, which puts the pinned tools
(`.venv/bin`, `node_modules/.bin`) on PATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "openapi" / "ims-data-image.yaml"

# Neither linter may phone home or nag about updates from a CI run.
QUIET_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "NO_UPDATE_NOTIFIER": "1",
}


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **QUIET_ENV}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def lint_openapi_spec_validator(spec: Path) -> list[str]:
    """Problems openapi-spec-validator reports (it knows no warnings, only errors)."""
    done = _run(["openapi-spec-validator", str(spec)])
    return [] if done.returncode == 0 else [done.stdout + done.stderr]


def lint_redocly(spec: Path) -> list[str]:
    """Every problem, error or warning, that Redocly's `recommended` ruleset reports."""
    done = _run(["redocly", "lint", "--config", "redocly.yaml", "--format", "json", str(spec)])
    start = done.stdout.find("{")
    if start < 0:
        return [f"redocly printed no JSON report (exit {done.returncode}):\n{done.stdout}{done.stderr}"]
    report = json.loads(done.stdout[start:])
    problems = [
        f"{p['severity']} {p['ruleId']}: {p['message']} at {p['location'][0]['pointer']}"
        for p in report.get("problems", [])
    ]
    if done.returncode != 0 and not problems:
        problems.append(f"redocly failed (exit {done.returncode}):\n{done.stderr}")
    return problems


def lint_spectral(spec: Path) -> list[str]:
    """Every problem down to hints that Spectral's `spectral:oas` ruleset reports."""
    done = _run(["spectral", "lint", "--ruleset", ".spectral.yaml", "--format", "json", "--quiet", str(spec)])
    start = done.stdout.find("[")
    if start < 0:
        return [f"spectral printed no JSON report (exit {done.returncode}):\n{done.stdout}{done.stderr}"]
    severities = {0: "error", 1: "warning", 2: "info", 3: "hint"}
    problems = [
        f"{severities.get(p['severity'], p['severity'])} {p['code']}: {p['message']} "
        f"at /{'/'.join(map(str, p['path']))}"
        for p in json.loads(done.stdout[start:])
    ]
    if done.returncode != 0 and not problems:
        problems.append(f"spectral failed (exit {done.returncode}):\n{done.stderr}")
    return problems


def main(argv: list[str]) -> int:
    """Lint the spec (argv[0], or the project's spec) with all three linters; 0 when all are clean."""
    spec = Path(argv[0]).resolve() if argv else DEFAULT_SPEC
    failed = False
    for name, lint in (
        ("openapi-spec-validator", lint_openapi_spec_validator),
        ("redocly (recommended)", lint_redocly),
        ("spectral (spectral:oas)", lint_spectral),
    ):
        problems = lint(spec)
        print(f"{name}: {'clean' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
