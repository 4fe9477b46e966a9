"""The documented examples (README.md, docs/client.md) run as written against a live mock."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.scratch import clone_with, generate, run_spec_diff
from tests.servers import config, serve
from tests.spec_helpers import ROOT, readme_python_block, readme_python_blocks


def test_the_readme_has_a_client_example() -> None:
    assert any("AuthenticatedClient" in block for block in readme_python_blocks())


def _run_example(marker: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the README's Python block holding `marker` against a live mock; the lines it printed."""
    example = readme_python_block(marker)
    with serve(config(job_seconds=0.2)) as url:
        code = example.replace('BASE_URL = "http://127.0.0.1:8000"', f'BASE_URL = "{url}"')
        assert code != example
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 -- the README's own example, run as documented
    return capsys.readouterr().out.splitlines()


def test_the_readme_client_example_runs_against_the_mock(capsys: pytest.CaptureFixture[str]) -> None:
    printed = _run_example("AuthenticatedClient", capsys)
    assert printed[0].startswith("SUCCESS ")
    image_id = printed[0].split()[1]
    assert printed[1] == f"['{image_id}']"


def test_the_readme_ims_example_runs_against_the_mock(capsys: pytest.CaptureFixture[str]) -> None:
    printed = _run_example("with ims.Client(BASE_URL", capsys)
    assert printed[0].startswith("SUCCESS ")
    image_id = printed[0].split()[1]
    assert printed[1] == f"['{image_id}']"
    assert printed[2] == "[('fedora-data1', 'file,image-test:fedora_data1.qcow2')]"  # filtered, with its origin
    assert printed[3] == "min_disk create.min_disk"


def test_the_readme_async_example_runs_against_the_mock(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run_example("asyncio.run(main())", capsys) == ["['SUCCESS', 'SUCCESS', 'SUCCESS']"]


def test_the_readme_spec_change_walkthrough_runs_as_shown_on_a_scratch_copy(tmp_path: Path) -> None:
    """The README's spec-change walkthrough, end to end: the edit, `make generate`, `make spec-diff`."""
    page = (ROOT / "docs" / "client.md").read_text(encoding="utf-8")
    section = page.split("## When the spec changes", 1)[1]
    edit_block = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    shown_block = re.search(r"copy\):\n\n```\n(.*?)```", section, flags=re.DOTALL)
    assert edit_block, "the walkthrough's edit block"
    assert shown_block, "the walkthrough's report block"
    edit, shown = yaml.safe_load(edit_block[1]), shown_block[1]

    def the_readme_edit(spec: dict[str, Any]) -> None:
        spec["components"]["schemas"]["CreateDataImageRequest"]["properties"].update(edit)

    clone = clone_with(tmp_path, the_readme_edit)
    generate(clone)  # `make generate`
    done = run_spec_diff(clone)  # `make spec-diff`
    assert done.returncode == 1, done.stdout + done.stderr
    for line in shown.strip().splitlines():
        assert line in done.stdout.splitlines(), f"the README shows {line!r}; spec-diff printed:\n{done.stdout}"
