"""The project's shape holds: small modules, a thin conftest, and documentation whose links resolve.

Issue 26's bars, kept: no module of `contract_tests/` or `src/` is over 400 lines and the suite's
`conftest.py` is under 100, so a newcomer reads one job per module; every relative link of the
README, ARCHITECTURE.md and `docs/` names a file that exists (the README is short and links to
`docs/` for the detail, so a broken link would hide it).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from tests.spec_helpers import ROOT

MODULE_LINES = 400
CONFTEST_LINES = 100
PAGES = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]


def _modules() -> list[Path]:
    return sorted(path for folder in ("contract_tests", "src") for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_is_over_400_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{module.relative_to(ROOT)} has {lines} lines: split it by job"


def test_the_suites_conftest_holds_fixtures_only() -> None:
    lines = len((ROOT / "contract_tests" / "conftest.py").read_text(encoding="utf-8").splitlines())
    assert lines < CONFTEST_LINES


def _links(page: Path) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrGet("href")))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_of_the_documentation_resolves(page: Path) -> None:
    links = _links(page)
    if page.name == "README.md":
        assert any(link.startswith("docs/") for link in links), "the README links to the detail in docs/"
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or not parts.path:  # a web address, or an anchor on the same page
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        assert target.exists(), f"{page.relative_to(ROOT)} links to {link}, which does not exist"
