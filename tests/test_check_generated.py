"""`make check-generated` catches a spec change that was not followed by `make generate`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.spec_helpers import ROOT, SPEC_PATH

CHECK = ROOT / "scripts" / "check_generated.sh"


def _check(spec: Path) -> subprocess.CompletedProcess[str]:
    # The pinned generator and ruff live beside this interpreter.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", str(CHECK), str(spec), str(ROOT / "generated" / "ims_client")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=180,
    )


@pytest.mark.slow
def test_check_generated_passes_when_the_client_matches_the_spec() -> None:
    done = _check(SPEC_PATH)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_check_generated_fails_with_the_diff_when_the_spec_changed(tmp_path: Path) -> None:
    changed = SPEC_PATH.read_text(encoding="utf-8").replace(
        "description: The KMS key that encrypts the image.",
        "description: The KMS key that encrypts the image (changed).",
    )
    assert "(changed)" in changed
    spec = tmp_path / "spec.yaml"
    spec.write_text(changed, encoding="utf-8")
    done = _check(spec)
    assert done.returncode == 1
    assert "run make generate" in done.stderr
    assert "The KMS key that encrypts the image (changed)." in done.stdout
